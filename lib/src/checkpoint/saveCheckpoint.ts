/**
 * saveCheckpoint: everything a run needs to continue exactly (both models, both optimisers, step and
 * epoch, the dropout, noise and data streams) in one directory, written atomically.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { GanOptimizer } from '../train/optimizer';
import type { Stateful } from '../random/stateful';
import { countNonFinite, describeNonFinite } from '../losses/finite';
import { writeDirectoryAtomically } from './atomicDir';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointManifest,
  MANIFEST_FILE,
  ModelEntry,
  ModelRole,
  OptimizerEntry,
  OptimizerRole,
  TensorEntry,
  WEIGHTS_FILE,
} from './format';
import { toJsonValue } from './stateJson';
import { withChecksum } from '../host/manifestChecksum';
import { isCompleteCheckpoint, sha256 } from './verify';

export interface CheckpointContents {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  dOptimizer?: GanOptimizer;
  gOptimizer?: GanOptimizer;
  /** Steps completed (trainGan's finalStep) and source epochs completed. */
  step: number;
  epoch: number;
  /**
   * Other streams by name, e.g. { noise: rng, data: realSource }. The models' seeded dropout layers are
   * saved automatically; pass their Rng here too only if it is shared with something else.
   */
  states?: { [name: string]: Stateful };
  /** Free-form JSON (any object: an interface such as RunMeta needs no cast): the run's settings, notes. */
  meta?: object;
}

export interface SavedCheckpoint {
  dir: string;
  manifest: CheckpointManifest;
}

export async function saveCheckpoint(dir: string, c: CheckpointContents): Promise<SavedCheckpoint> {
  if (typeof dir !== 'string' || dir === '') throw new Error('saveCheckpoint: dir must be a directory path');
  checkContents(c);
  const chunks: Float32Array[] = [];
  const tensors: TensorEntry[] = [];
  let offset = 0;
  const add = (key: string, name: string, shape: number[], values: Float32Array) => {
    // a diverged run must never replace a good checkpoint: refuse before anything is written
    const bad = countNonFinite(values);
    if (bad.nan || bad.inf) {
      throw new Error(
        `saveCheckpoint: refusing to write ${path.resolve(dir)}: tensor ${key} (${name}) holds ${describeNonFinite(bad)}. ` +
          (key.includes('Optimizer/')
            ? 'It is optimiser state, not a weight (the weights may still be finite): a moment or velocity that overflowed, or state loaded from a damaged checkpoint; '
            : 'Non-finite weights mean the training diverged (a learning rate too high, or NaN/Inf in the data); ') +
          'nothing was written, so the checkpoint already there (if any) is unchanged.',
      );
    }
    tensors.push({ key, name, shape: [...shape], dtype: 'float32', offset, bytes: values.byteLength });
    chunks.push(values);
    offset += values.byteLength;
  };

  const models = {} as CheckpointManifest['models'];
  for (const role of ['generator', 'discriminator'] as ModelRole[]) {
    const model = c[role];
    const weights = model.weights;
    for (let i = 0; i < weights.length; i++) {
      const v = weights[i].read();
      if (v.dtype !== 'float32')
        throw new Error(`saveCheckpoint: ${role} weight ${weights[i].name} is ${v.dtype}; only float32 is supported`);
      add(`${role}/${i}`, weights[i].originalName, v.shape, Float32Array.from((await v.data()) as Float32Array));
    }
    models[role] = { name: model.name, weights: weights.length, dropout: dropoutStates(model) } satisfies ModelEntry;
  }

  const optimizers: CheckpointManifest['optimizers'] = {};
  for (const role of ['dOptimizer', 'gOptimizer'] as OptimizerRole[]) {
    const opt = c[role];
    if (!opt) continue;
    const model = c[role === 'dOptimizer' ? 'discriminator' : 'generator'];
    const index = new Map(model.weights.map((w, i) => [w.name, i] as [string, number]));
    const state = await opt.getState();
    const entry: OptimizerEntry = { kind: state.kind, config: state.config, counters: state.counters, slots: {} };
    for (const [slotName, byVar] of Object.entries(state.slots)) {
      entry.slots[slotName] = [];
      for (const [varName, slot] of Object.entries(byVar)) {
        const i = index.get(varName);
        if (i === undefined) {
          throw new Error(
            `saveCheckpoint: ${role} holds state for variable "${varName}", which is not a weight of the ` +
              `${role === 'dOptimizer' ? 'discriminator' : 'generator'}; give each model its own optimiser`,
          );
        }
        entry.slots[slotName].push(i);
        add(`${role}/${slotName}/${i}`, varName, slot.shape, slot.values);
      }
    }
    optimizers[role] = entry;
  }

  const weightsBin = concatLittleEndian(chunks, offset);
  const states: CheckpointManifest['states'] = {};
  for (const [name, s] of Object.entries(c.states ?? {})) states[name] = toJsonValue(s.getState());
  const manifest: CheckpointManifest = withChecksum({
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step: c.step,
    epoch: c.epoch,
    savedAt: new Date().toISOString(),
    weights: { file: WEIGHTS_FILE, bytes: weightsBin.length, sha256: sha256(weightsBin) },
    tensors,
    models,
    optimizers,
    states,
    meta: toJsonValue(c.meta ?? {}) as CheckpointManifest['meta'],
  });
  writeDirectoryAtomically(
    dir,
    [
      { name: WEIGHTS_FILE, data: weightsBin },
      { name: MANIFEST_FILE, data: JSON.stringify(manifest, null, 1) },
    ],
    isCheckpointDir,
    isCompleteCheckpoint,
  );
  return { dir: path.resolve(dir), manifest };
}

/** True for a directory that is (or was meant to be) a tsgan checkpoint, or is empty: safe to replace. */
export function isCheckpointDir(dir: string): boolean {
  return checkpointDirProblem(dir) === null;
}

/**
 * Why `dir` may not be replaced by a checkpoint save, naming what is in the way, or null: an empty folder,
 * an unfinished checkpoint or a tsgan checkpoint may be replaced; a folder holding anything else may not
 * (its files would be deleted with the old checkpoint).
 */
export function checkpointDirProblem(dir: string): string | null {
  const stray = strayFilesProblem(dir);
  if (stray) return stray;
  if (!fs.readdirSync(dir).includes(MANIFEST_FILE)) return null; // empty, or an unfinished checkpoint
  try {
    if (JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')).format === CHECKPOINT_FORMAT) return null;
  } catch {
    // unreadable: not a checkpoint's manifest
  }
  return `${dir}/${MANIFEST_FILE} is not a tsgan checkpoint's manifest`;
}

/** A file or folder (not a checkpoint folder), or files in it a checkpoint does not have, in words; else null. */
export function strayFilesProblem(dir: string): string | null {
  if (!fs.statSync(dir).isDirectory()) return `${dir} is a file, not a checkpoint folder`;
  const stray = fs.readdirSync(dir).filter((e) => e !== MANIFEST_FILE && e !== WEIGHTS_FILE);
  if (stray.length === 0) return null;
  const shown = stray.slice(0, 5).join(', ') + (stray.length > 5 ? `, … (${stray.length} files)` : '');
  return `${dir} holds files a checkpoint does not (${shown}); a save would delete them. Move them out of the folder`;
}

/** Layers carrying their own Rng (SeededDropout): duck-typed so that two copies of the lib agree. */
export function dropoutLayers(
  model: tf.LayersModel,
): { name: string; rng: { getState(): unknown; setState(s: unknown): void } }[] {
  return model.layers.filter((l) => {
    const rng = (l as unknown as { rng?: Stateful }).rng;
    return rng != null && typeof rng.getState === 'function' && typeof rng.setState === 'function';
  }) as unknown as { name: string; rng: Stateful }[];
}

function dropoutStates(model: tf.LayersModel): ModelEntry['dropout'] {
  return dropoutLayers(model).map((l) => ({ layer: l.name, rng: toJsonValue(l.rng.getState()) }));
}

export { sha256 } from './verify';

function concatLittleEndian(chunks: Float32Array[], bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let at = 0;
  for (const c of chunks) {
    if (os.endianness() === 'LE') {
      Buffer.from(c.buffer, c.byteOffset, c.byteLength).copy(out, at);
    } else {
      for (let i = 0; i < c.length; i++) out.writeFloatLE(c[i], at + 4 * i);
    }
    at += c.byteLength;
  }
  return out;
}

function checkContents(c: CheckpointContents): void {
  if (!c || !c.generator || !c.discriminator)
    throw new Error('saveCheckpoint: pass {generator, discriminator, step, epoch, ...}');
  for (const k of ['step', 'epoch'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0)
      throw new Error(`saveCheckpoint: ${k} must be a non-negative integer, got ${String(c[k])}`);
  }
  for (const [name, s] of Object.entries(c.states ?? {})) {
    if (!s || typeof s.getState !== 'function' || typeof s.setState !== 'function') {
      throw new Error(`saveCheckpoint: states.${name} must have getState() and setState() (an Rng, a RealSource, ...)`);
    }
  }
}
