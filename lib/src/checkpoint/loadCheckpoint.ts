/**
 * loadCheckpoint: validates the whole checkpoint against the target models and optimisers first (files,
 * sizes, checksum, every name and shape), and only then assigns anything. On any problem it throws an
 * error naming the directory and the problem, and the targets are exactly as they were.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { GanOptimizer, OptimizerState } from '../train/optimizer';
import { findInterruptedSave, saveLeftovers } from './atomicDir';
import {
  CheckpointManifest,
  CheckpointMeta,
  MANIFEST_FILE,
  MODEL_OF,
  ModelRole,
  OptimizerRole,
  TensorEntry,
} from './format';
import { dropoutLayers } from './saveCheckpoint';
import type { Stateful } from '../random/stateful';
import { CheckpointError, isCompleteCheckpoint, readVerified } from './verify';
import { fromJsonValue } from './stateJson';
import { named, writeFileAtomic } from '../host/atomicFile';
import { warnUnverified, withChecksum } from '../host/manifestChecksum';
import { countNonFinite, describeNonFinite } from '../losses/finite';

export interface CheckpointTarget {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** Restored when given (the checkpoint must then contain them). */
  dOptimizer?: GanOptimizer;
  gOptimizer?: GanOptimizer;
  /** Restored by name; each must be in the checkpoint. */
  states?: { [name: string]: Stateful };
}

export interface LoadedCheckpoint {
  dir: string;
  step: number;
  epoch: number;
  meta: CheckpointMeta;
  manifest: CheckpointManifest;
}

export interface LoadOptions {
  /**
   * Finish a save interrupted between its two renames (the complete copy takes the checkpoint's name).
   * Only the owner of the run folder's live lock may: a reader that renamed a live trainer's new copy
   * into place would make that trainer's own rename fail. Without it, such a copy is read where it lies.
   */
  recoverInterruptedSave?: boolean;
}

export async function loadCheckpoint(
  dir: string,
  target: CheckpointTarget,
  options: LoadOptions = {},
): Promise<LoadedCheckpoint> {
  if (typeof dir !== 'string' || dir === '') throw new Error('loadCheckpoint: dir must be a directory path');
  if (!target || !target.generator || !target.discriminator) {
    throw new Error('loadCheckpoint: pass the target {generator, discriminator, dOptimizer?, gOptimizer?, states?}');
  }
  const where = resolveDir(dir, options.recoverInterruptedSave === true);
  const fail = (problem: string): never => {
    throw new CheckpointError(where, problem);
  };
  const { manifest, weights, sealed } = readVerified(where, fail);
  if (!sealed) warnUnverified('Checkpoint', where, `tsgan seal ${where}`);

  // ---- check everything against the targets before touching them ----
  const byKey = new Map(manifest.tensors.map((t) => [t.key, t]));
  const assignments: { variable: tf.Variable; entry: TensorEntry }[] = [];
  for (const role of ['generator', 'discriminator'] as ModelRole[]) {
    const model = target[role];
    const saved = manifest.models?.[role];
    if (!saved) fail(`it has no ${role}`);
    const ws = model.weights;
    if (saved.weights !== ws.length) {
      fail(
        `the ${role} has ${saved.weights} weight tensors in the checkpoint but ${ws.length} in the target model (a different architecture?)`,
      );
    }
    ws.forEach((w, i) => {
      const e = byKey.get(`${role}/${i}`) ?? fail(`tensor ${role}/${i} is missing from the manifest`);
      const shape = w.read().shape;
      if (!tf.util.arraysEqual(e.shape, shape)) {
        fail(
          `${role} weight ${i} (${e.name}) has shape [${e.shape}] in the checkpoint but [${shape}] in the target (${w.originalName}); was the model built with other sizes?`,
        );
      }
      assignments.push({ variable: w.read() as tf.Variable, entry: e });
    });
    const layers = dropoutLayers(model);
    if ((saved.dropout ?? []).length !== layers.length) {
      fail(
        `the ${role} has ${saved.dropout?.length ?? 0} seeded dropout layers in the checkpoint but ${layers.length} in the target`,
      );
    }
  }

  const optimizerStates: { opt: GanOptimizer; state: OptimizerState }[] = [];
  for (const role of ['dOptimizer', 'gOptimizer'] as OptimizerRole[]) {
    const opt = target[role];
    if (!opt) continue;
    const saved = manifest.optimizers?.[role] ?? fail(`it holds no ${role} state, but the target has a ${role}`);
    if (saved.kind !== opt.name) fail(`its ${role} is "${saved.kind}", the target's is "${opt.name}"`);
    const model = target[MODEL_OF[role]];
    const state: OptimizerState = { kind: saved.kind, config: saved.config, counters: saved.counters, slots: {} };
    for (const [slotName, indices] of Object.entries(saved.slots ?? {})) {
      state.slots[slotName] = {};
      for (const i of indices) {
        const w =
          model.weights[i] ??
          fail(`${role} slot "${slotName}" refers to ${MODEL_OF[role]} weight ${i}, which the target lacks`);
        const e =
          byKey.get(`${role}/${slotName}/${i}`) ?? fail(`tensor ${role}/${slotName}/${i} is missing from the manifest`);
        const shape = w.read().shape;
        if (!tf.util.arraysEqual(e.shape, shape))
          fail(`${role} slot "${slotName}" of weight ${i} has shape [${e.shape}], the target weight [${shape}]`);
        state.slots[slotName][w.name] = { shape: e.shape, values: finiteFloats(weights, e, fail) };
      }
    }
    const problems = opt.checkState(state);
    if (problems.length) fail(`its ${role} state does not fit the target optimiser: ${problems.join('; ')}`);
    optimizerStates.push({ opt, state });
  }

  const states = Object.entries(target.states ?? {}).map(([name, s]) => {
    if (!manifest.states || !(name in manifest.states)) {
      fail(`it has no state "${name}" (it has: ${Object.keys(manifest.states ?? {}).join(', ') || 'none'})`);
    }
    return { name, s, value: fromJsonValue(manifest.states[name]) };
  });
  const values = assignments.map((a) => finiteFloats(weights, a.entry, fail));

  // ---- apply: streams first (their setState may still refuse; then undo), then tensors, which cannot fail ----
  const dropout = (['generator', 'discriminator'] as ModelRole[]).flatMap((role) =>
    dropoutLayers(target[role]).map((l, i) => ({
      name: `${role} dropout layer ${l.name}`,
      s: l.rng as Stateful,
      value: fromJsonValue(manifest.models[role].dropout[i].rng),
    })),
  );
  const streams = [...dropout, ...states];
  const before = streams.map((x) => x.s.getState());
  for (const x of streams) {
    try {
      x.s.setState(x.value);
    } catch (e) {
      streams.forEach((y, i) => y.s.setState(before[i]));
      fail(
        `restoring ${x.name.includes('dropout') ? x.name : `state "${x.name}"`} failed (${e instanceof Error ? e.message : String(e)}); nothing was changed`,
      );
    }
  }
  for (const { opt, state } of optimizerStates) opt.setState(state);
  tf.tidy(() => assignments.forEach((a, i) => a.variable.assign(tf.tensor(values[i], a.entry.shape, 'float32'))));
  return {
    dir: where,
    step: manifest.step,
    epoch: manifest.epoch,
    meta: fromJsonValue(manifest.meta) as LoadedCheckpoint['meta'],
    manifest,
  };
}

/** Reads a checkpoint's manifest without loading it (for listing, or to read meta/step first); never moves anything. */
export function readCheckpointManifest(dir: string): CheckpointManifest {
  const where = resolveDir(dir, false);
  const { manifest, sealed } = readVerified(where, (problem) => {
    throw new CheckpointError(where, problem);
  });
  if (!sealed) warnUnverified('Checkpoint', where, `tsgan seal ${where}`);
  return manifest;
}

/**
 * Adds the checksum to a checkpoint saved before checkpoints had one, after every check that does not need
 * the models passed (weights.bin's sha256 among them). Rewrites manifest.json only, atomically: weights.bin
 * stays byte for byte. Returns false when it already had a valid checksum. `force`: also replace a
 * checksum that no longer matches (a manifest edited on purpose, e.g. corrected settings, that you trust).
 */
export function sealCheckpoint(dir: string, force = false): boolean {
  const where = path.resolve(dir);
  const fail = (problem: string): never => {
    throw new CheckpointError(where, problem);
  };
  const { manifest, sealed } = readVerified(where, fail, force);
  if (sealed) return false;
  writeFileAtomic(path.join(where, MANIFEST_FILE), JSON.stringify(withChecksum(manifest), null, 1));
  return true;
}

/** True when `dir` holds a checkpoint, or an interrupted save left a complete one beside it (loading recovers it). */
export function checkpointExists(dir: string): boolean {
  const abs = path.resolve(dir);
  return fs.existsSync(abs) || findInterruptedSave(abs, isCompleteCheckpoint) !== null;
}

/**
 * The folder to read: `dir`, or when an interrupted save left it missing, the complete copy beside it.
 * `recover` (the lock owner only) moves a dead process's copy back under `dir`'s name; otherwise the
 * copy is read in place and nothing is renamed.
 */
function resolveDir(dir: string, recover: boolean): string {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs)) return abs;
  const leftovers = saveLeftovers(abs);
  const recovered = findInterruptedSave(abs, isCompleteCheckpoint);
  if (!recovered) {
    const unfinished = leftovers;
    if (unfinished.length) {
      const [u] = unfinished;
      throw new CheckpointError(
        abs,
        `the directory does not exist; ${path.basename(u.path)} beside it is an unfinished save of process ${u.pid}, ` +
          (u.alive
            ? 'which is still running (wait for it to finish its first checkpoint)'
            : 'which was stopped before its first checkpoint was complete, so there is none to load. Start the run again (without --resume): the next save removes the leftover'),
      );
    }
    throw new CheckpointError(abs, 'the directory does not exist (no checkpoint was saved here, or the path is wrong)');
  }
  const owner = leftovers.find((l) => l.path === recovered);
  if (!recover || owner?.alive) return recovered;
  // finish the interrupted save of a process that is gone: the complete checkpoint takes its proper name
  named(abs, `move ${recovered} back to`, () => fs.renameSync(recovered, abs));
  return abs;
}

/** A tensor's values, refused when any is not finite: a poisoned checkpoint must never be trained on or called good. */
function finiteFloats(buf: Buffer, e: TensorEntry, fail: (problem: string) => never): Float32Array {
  const values = readFloats(buf, e);
  const bad = countNonFinite(values);
  if (bad.nan || bad.inf) {
    const slot = /^[dg]Optimizer\//.test(e.key);
    fail(
      `tensor ${e.key} (${e.name}) holds ${describeNonFinite(bad)}: the checkpoint is poisoned and cannot be trained on or evaluated. ` +
        (slot
          ? 'It is optimiser state (e.g. an Adam moment that overflowed), not a weight: '
          : 'The model had diverged when it was saved: ') +
        'go back to an earlier copy of the run, or start a new run',
    );
  }
  return values;
}

function readFloats(buf: Buffer, e: TensorEntry): Float32Array {
  const out = new Float32Array(e.bytes / 4);
  if (os.endianness() === 'LE') {
    new Uint8Array(out.buffer).set(buf.subarray(e.offset, e.offset + e.bytes));
  } else {
    for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(e.offset + 4 * i);
  }
  return out;
}
