/**
 * The layout of a run folder (written by `tsgan train`) and how the commands and notebook 06 find and
 * load a checkpoint in it:
 *   <run>/checkpoint/      the last complete checkpoint (atomic: old or new, never half)
 *   <run>/metrics.jsonl    one JSON line per epoch
 *   <run>/samples.png      G on fixed noise, refreshed every epoch
 *   <run>/results.json|md  from `tsgan eval parzen`
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadCheckpoint, readCheckpointManifest, MANIFEST_FILE, CheckpointManifest } from '../checkpoint';
import { PaperMnistRun, RunSettings, createPaperMnistRun, loadPaperMnist, MnistSplit } from './session';
import { getExperiment } from './registry';

export const CHECKPOINT_DIR = 'checkpoint';
export const METRICS_FILE = 'metrics.jsonl';
export const SAMPLES_FILE = 'samples.png';

/** Meta stored in every checkpoint by `tsgan train`. */
export interface RunMeta {
  settings: RunSettings;
  /** Seconds spent training, summed over resumed sessions. */
  trainSeconds: number;
  backend: string;
  /** Sums over the steps of the unfinished epoch (a mid-epoch save keeps them for the epoch's metrics line). */
  epochSums: EpochSums;
  startedAt: string;
}

export interface EpochSums {
  steps: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
}

export function emptyEpochSums(): EpochSums {
  return { steps: 0, dLoss: 0, gLoss: 0, dReal: 0, dFake: 0 };
}

/** `<arg>` may be a checkpoint folder itself or a run folder holding checkpoint/. */
export function checkpointDirOf(arg: string): string {
  const abs = path.resolve(arg);
  if (fs.existsSync(path.join(abs, MANIFEST_FILE))) return abs;
  return path.join(abs, CHECKPOINT_DIR);
}

export function runDirOf(checkpointDir: string): string {
  return path.basename(checkpointDir) === CHECKPOINT_DIR ? path.dirname(checkpointDir) : checkpointDir;
}

/** The manifest and run meta of a checkpoint, with an error that says what to do when there is none. */
export function readRunManifest(checkpointDir: string): { manifest: CheckpointManifest; meta: RunMeta } {
  const parent = path.dirname(checkpointDir);
  if (!fs.existsSync(checkpointDir) && !fs.existsSync(parent)) {
    throw new Error(`No run at ${parent}: the folder does not exist. Give the folder passed to \`tsgan train --out\` (or a checkpoint folder).`);
  }
  const manifest = readCheckpointManifest(checkpointDir);
  const meta = manifest.meta as unknown as RunMeta;
  if (!meta || !meta.settings || typeof meta.settings.seed !== 'number') {
    throw new Error(`Checkpoint ${checkpointDir}: its meta has no run settings; it was not written by \`tsgan train\` or \`tsgan export\``);
  }
  getExperiment(meta.settings.experiment);
  return { manifest, meta };
}

export interface LoadedRun {
  run: PaperMnistRun;
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
  const data = loadPaperMnist(meta.settings.trainCount);
  const run = createPaperMnistRun(meta.settings, data.train);
  const loaded = await loadCheckpoint(checkpointDir, { generator: run.generator, discriminator: run.discriminator });
  return { run, data, meta, step: loaded.step, epoch: loaded.epoch, checkpointDir };
}

/** Writes a small text file atomically (temporary file + rename). */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** "12 epochs" at an epoch boundary, else "12 epochs + 200 steps" (a run stopped mid-epoch). */
export function describeTraining(epoch: number, step: number, settings: RunSettings): string {
  const perEpoch = Math.floor(settings.trainCount / settings.batchSize);
  const extra = step - epoch * perEpoch;
  return `${epoch} epoch${epoch === 1 ? '' : 's'}${extra > 0 ? ` + ${extra} steps` : ''}`;
}
