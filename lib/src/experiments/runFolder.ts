/**
 * The layout of a run folder (written by `tsgan train`) and how the commands and notebook 06 find and
 * load a checkpoint in it:
 *   <run>/checkpoint/      the last complete checkpoint (atomic: old or new, never half)
 *   <run>/settings.json    the run's settings and its experiment's config (experiment.ts)
 *   <run>/metrics.jsonl    one JSON line per epoch (trainRun.ts: EpochLine)
 *   <run>/validation.jsonl and best/: model selection (validation.ts)
 *   <run>/samples.png      G on fixed noise, refreshed every epoch
 *   <run>/results.json|md  from `tsgan eval parzen` (results.ts)
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadCheckpoint, readCheckpointManifest, MANIFEST_FILE, CheckpointManifest } from '../checkpoint';
import { writeFileAtomic } from '../host/atomicFile';
import { Run, RunSettings, createRun, experimentOf, stepsPerEpoch } from './run';
import { describeFsError } from '../host/fsError';
import { loadMnistSplit, MnistSplit } from './mnist';
import { TRAIN_MODES } from '../train';
import { STEP_METRICS, StepMetrics } from '../losses';

export const CHECKPOINT_DIR = 'checkpoint';
export const METRICS_FILE = 'metrics.jsonl';
export const SAMPLES_FILE = 'samples.png';
/** The run's settings and its experiment's whole config, written when the run starts. */
export const SETTINGS_FILE = 'settings.json';

/** Meta stored in every checkpoint by `tsgan train` (and kept by `tsgan export`, which adds exportedFrom). */
export interface RunMeta {
  settings: RunSettings;
  /** Seconds spent training, summed over resumed sessions. */
  trainSeconds: number;
  backend: string;
  /** Sums over the steps of the unfinished epoch (a mid-epoch save keeps them for the epoch's metrics line). */
  epochSums: EpochSums;
  startedAt: string;
  /** In an exported model: the run folder's name it came from. */
  exportedFrom?: string;
}

/** What makes a checkpoint's meta a RunMeta (the fields every reader uses); the message names the first problem. */
export function runMetaProblem(meta: unknown): string | null {
  if (typeof meta !== 'object' || meta === null) return 'it has no meta';
  const m = meta as { [key: string]: unknown };
  const s = m.settings as { [key: string]: unknown } | undefined;
  if (typeof s !== 'object' || s === null) return 'its meta has no run settings';
  for (const k of ['seed', 'k', 'batchSize', 'trainCount', 'epochs'] as const)
    if (typeof s[k] !== 'number') return `its settings.${k} is not a number`;
  if (typeof s.experiment !== 'string') return 'its settings.experiment is not a name';
  if (
    s.overrides !== undefined &&
    (typeof s.overrides !== 'object' || s.overrides === null || Array.isArray(s.overrides))
  )
    return 'its settings.overrides is not a set of field values';
  if (!(TRAIN_MODES as readonly unknown[]).includes(s.mode))
    return `its settings.mode is ${JSON.stringify(s.mode)}, not one of ${TRAIN_MODES.join(', ')}`;
  if (typeof m.trainSeconds !== 'number' || typeof m.backend !== 'string' || typeof m.startedAt !== 'string')
    return 'its meta lacks trainSeconds, backend or startedAt';
  const e = m.epochSums as { [key: string]: unknown } | undefined;
  if (typeof e !== 'object' || e === null || !['steps', ...STEP_METRICS].every((k) => typeof e[k] === 'number'))
    return 'its meta has no epochSums';
  return null;
}

export function isRunMeta(meta: unknown): meta is RunMeta {
  return runMetaProblem(meta) === null;
}

/** Sums of the step metrics over the steps of an epoch so far. */
export interface EpochSums extends StepMetrics {
  steps: number;
}

export function emptyEpochSums(): EpochSums {
  return { steps: 0, dLoss: 0, gLoss: 0, dReal: 0, dFake: 0 };
}

/** `<arg>` may be a checkpoint folder itself or a run folder holding checkpoint/ (a file is a clear error). */
export function checkpointDirOf(arg: string): string {
  const abs = path.resolve(arg);
  let isFile = false;
  try {
    isFile = !fs.statSync(abs).isDirectory();
  } catch {
    // missing: readRunManifest says what to do
  }
  if (isFile)
    throw new Error(
      `${abs} is a file: give a run folder (the --out of \`tsgan train\`) or a checkpoint folder (one with ${MANIFEST_FILE})`,
    );
  if (fs.existsSync(path.join(abs, MANIFEST_FILE))) return abs;
  return path.join(abs, CHECKPOINT_DIR);
}

/**
 * Where `tsgan eval` and `tsgan figures` write by default: the run folder for `<run>/checkpoint`; for any
 * other checkpoint folder (an exported or shipped model such as models/paper-mnist, or `<run>/best`)
 * build/runs/<name>/ under the project that holds it (or the working directory), never into the
 * checkpoint folder itself, which must stay a clean checkpoint (and a shipped model clean in git).
 */
export function outputDirOf(checkpointDir: string): string {
  const abs = path.resolve(checkpointDir);
  if (path.basename(abs) === CHECKPOINT_DIR) return path.dirname(abs);
  const parent = path.dirname(abs);
  const name = fs.existsSync(path.join(parent, RUN_MARKER_FILE))
    ? `${path.basename(parent)}-${path.basename(abs)}`
    : path.basename(abs);
  return path.join(projectRootOf(abs) ?? process.cwd(), 'build', 'runs', name);
}

/** Marker of a `tsgan train` run folder (see runLock.ts). */
export const RUN_MARKER_FILE = '.tsgan-run';

function projectRootOf(p: string): string | null {
  for (let d = path.dirname(p); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

export function runDirOf(checkpointDir: string): string {
  return path.basename(checkpointDir) === CHECKPOINT_DIR ? path.dirname(checkpointDir) : checkpointDir;
}

/** The manifest and run meta of a checkpoint, with an error that says what to do when there is none. */
export function readRunManifest(checkpointDir: string): { manifest: CheckpointManifest; meta: RunMeta } {
  const parent = path.dirname(checkpointDir);
  for (const d of [checkpointDir, parent]) {
    try {
      fs.statSync(d);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && d === checkpointDir) continue;
      if (code === 'ENOENT')
        throw new Error(
          `No run at ${parent}: the folder does not exist. Give the folder passed to \`tsgan train --out\` (or a checkpoint folder).`,
          { cause: e },
        );
      throw new Error(`Cannot read the run at ${d}: ${describeFsError(e)}`, { cause: e });
    }
  }
  const manifest = readCheckpointManifest(checkpointDir);
  const meta: unknown = manifest.meta;
  if (!isRunMeta(meta)) {
    throw new Error(
      `Checkpoint ${checkpointDir}: ${runMetaProblem(meta)}; it was not written by \`tsgan train\` or \`tsgan export\``,
    );
  }
  experimentOf(meta.settings); // a known experiment, and overrides that still fit it
  const expected = epochAtStep(manifest.step, meta.settings);
  if (manifest.epoch > meta.settings.epochs) {
    throw new Error(
      `Checkpoint ${checkpointDir}: it says epoch ${manifest.epoch}, beyond the ${meta.settings.epochs} epochs its run was set to train: ` +
        'the manifest is damaged or was edited. Use an intact copy.',
    );
  }
  if (manifest.epoch !== expected) {
    throw new Error(
      `Checkpoint ${checkpointDir}: it says epoch ${manifest.epoch} at step ${manifest.step}, but with its settings ` +
        `(${meta.settings.trainCount} images, batch ${meta.settings.batchSize}, ${batchesPerStep(meta.settings)} batch(es) per step) ` +
        `step ${manifest.step} is in epoch ${expected}: the manifest is damaged or was edited. Use an intact copy.`,
    );
  }
  return { manifest, meta };
}

/** Real batches drawn per training step: k for the alternating update (k D steps), else 1. */
export function batchesPerStep(settings: RunSettings): number {
  return settings.mode === 'alternating' ? settings.k : 1;
}

/** The epochs completed after `step` steps of a run with these settings (the data source's own count). */
export function epochAtStep(step: number, settings: RunSettings): number {
  return Math.floor((step * batchesPerStep(settings)) / stepsPerEpoch(settings));
}

export interface LoadedRun {
  run: Run;
  data: MnistSplit;
  meta: RunMeta;
  step: number;
  epoch: number;
  checkpointDir: string;
}

/** Rebuilds a run's models from its settings and loads the checkpoint's weights (no optimiser state). */
export async function loadRunModels(arg: string): Promise<LoadedRun> {
  const checkpointDir = checkpointDirOf(arg);
  const { meta } = readRunManifest(checkpointDir);
  const experiment = experimentOf(meta.settings);
  const data = loadMnistSplit(experiment.data, meta.settings.trainCount);
  const run = createRun(meta.settings, data.train, experiment);
  const loaded = await loadCheckpoint(checkpointDir, { generator: run.generator, discriminator: run.discriminator });
  return { run, data, meta, step: loaded.step, epoch: loaded.epoch, checkpointDir };
}

/** "12 epochs" at an epoch boundary, else "12 epochs + 200 steps" (a run stopped mid-epoch). */
export function describeTraining(epoch: number, step: number, settings: RunSettings): string {
  const perEpoch = Math.floor(settings.trainCount / settings.batchSize);
  const extra = step - epoch * perEpoch;
  return `${epoch} epoch${epoch === 1 ? '' : 's'}${extra > 0 ? ` + ${extra} steps` : ''}`;
}

export interface TrimmedLines {
  /** Lines of the epoch after the checkpoint's, written before a kill (they will be written again). */
  dropped: number;
  /** Lines that were not JSON (cut by a kill, or damaged), or whose epoch cannot be (beyond the next one, not an integer): moved to `damagedFile`. */
  damaged: number;
  damagedFile: string;
}

/**
 * Keeps the JSON lines of `file` whose epoch is ≤ `epoch` (a resumed run's checkpoint). Lines of epoch + 1
 * are expected (written just before the kill that stopped the run, before its checkpoint) and dropped:
 * they will be written again. Nothing else is dropped silently: a line that is not JSON, or whose epoch
 * is not an integer or lies further ahead (a damaged number), is appended to `<file>.damaged`, and the
 * count returned so that the caller can say so.
 */
export function trimEpochLines(file: string, epoch: number): TrimmedLines {
  const damagedFile = `${file}.damaged`;
  const result = { dropped: 0, damaged: 0, damagedFile };
  if (!fs.existsSync(file)) return result;
  const kept: string[] = [];
  const damaged: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line)?.epoch;
    } catch {
      damaged.push(line);
      continue;
    }
    if (!Number.isSafeInteger(e) || (e as number) < 0 || (e as number) > epoch + 1) damaged.push(line);
    else if ((e as number) <= epoch) kept.push(line);
    else result.dropped++;
  }
  if (damaged.length) fs.appendFileSync(damagedFile, damaged.map((l) => l + '\n').join(''));
  result.damaged = damaged.length;
  writeFileAtomic(file, kept.map((l) => l + '\n').join(''));
  return result;
}
