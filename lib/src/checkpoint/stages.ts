/**
 * A run in stages that can each be redone: a stage ends by saving the whole training state (both networks,
 * both optimisers, the noise and data streams) and the next stage starts by loading it, so re-running a
 * stage starts from the same state instead of training further. Notebook 05's Figure 1 is built this way.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { projectPath } from '../host/projectPath';
import type { RealSource } from '../data';
import type { Rng } from '../random';
import type { GanOptimizer } from '../train/optimizer';
import { loadCheckpoint, LoadedCheckpoint } from './loadCheckpoint';
import { saveCheckpoint, SavedCheckpoint } from './saveCheckpoint';

/** What a stage saves and restores: the fields of a trainGan config that change while it trains. */
export interface StagedPair {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  dOptimizer: GanOptimizer;
  gOptimizer: GanOptimizer;
  /** The noise stream. */
  rng: Rng;
  /** The data stream. */
  real: RealSource;
}

export interface StageCheckpoints {
  /** The directory of a stage's checkpoint. */
  dirOf(stage: string): string;
  /** Saves the pair as the end of `stage`. */
  save(pair: StagedPair, stage: string): Promise<SavedCheckpoint>;
  /** Puts the pair back exactly as `stage` ended. */
  resume(pair: StagedPair, stage: string): Promise<LoadedCheckpoint>;
}

/** Stage checkpoints named `<name>_<stage>` under `root` (default: the checkout's build/checkpoints). */
export function stageCheckpoints(name: string, root: string = projectPath('build', 'checkpoints')): StageCheckpoints {
  if (!/^[\w.-]+$/.test(name))
    throw new Error(`stageCheckpoints: name must be a plain file name, got ${JSON.stringify(name)}`);
  const dirOf = (stage: string) => {
    if (!/^[\w.-]+$/.test(stage))
      throw new Error(`stageCheckpoints: stage must be a plain name, got ${JSON.stringify(stage)}`);
    return path.join(root, `${name}_${stage}`);
  };
  /** What a stage saves and restores of the pair. */
  const contents = (pair: StagedPair) => ({
    generator: pair.generator,
    discriminator: pair.discriminator,
    dOptimizer: pair.dOptimizer,
    gOptimizer: pair.gOptimizer,
    states: { noise: pair.rng, data: pair.real },
  });
  return {
    dirOf,
    save: (pair, stage) => saveCheckpoint(dirOf(stage), { ...contents(pair), step: 0, epoch: 0 }),
    resume: (pair, stage) => loadCheckpoint(dirOf(stage), contents(pair)),
  };
}
