/**
 * Everything one run of an experiment needs, built from its config (experiment.ts) and the run's
 * settings: G and D, one optimiser per network, the noise prior and every random stream. The CLI's
 * `train`, `eval` and `figures` and notebook 06 all build runs here, so they cannot drift apart.
 */
import * as tf from '@tensorflow/tfjs';
import { ImageSet, RealSource, imageSource, pixelMeans } from '../data';
import { buildDiscriminator, buildGenerator } from '../models';
import { Prior, Rng } from '../random';
import { GanOptimizer, TrainGanConfig, TrainMode } from '../train';
import { Experiment } from './experiment';
import { Overrides, applyOverrides } from './overrides';
import { ganLossOf, optimizerOf, priorOf } from './parts';
import { getExperiment } from './registry';

/** The settings a run really used (config + flags); stored in every checkpoint's meta. */
export interface RunSettings {
  /** The experiment's name (registry.ts). */
  experiment: string;
  seed: number;
  mode: TrainMode;
  k: number;
  /** Simultaneous mode: G's loss from D's own forward pass on G(z) (absent in runs made before it existed: false). */
  sharedForward?: boolean;
  batchSize: number;
  /** Training images used (the first trainCount of the experiment's; fewer only for tests and quick runs). */
  trainCount: number;
  /** Epochs to train in total. */
  epochs: number;
  /** `--set key=value` overrides of the experiment's fields (overrides.ts); absent: none. */
  overrides?: Overrides;
}

/** The experiment a run's settings name, with the run's overrides applied. */
export function experimentOf(settings: Pick<RunSettings, 'experiment' | 'overrides'>): Experiment {
  return applyOverrides(getExperiment(settings.experiment), settings.overrides);
}

/** A new run's settings: the experiment's own values (flags and --set overrides are applied by the caller). */
export function defaultRunSettings(experiment: Experiment): RunSettings {
  return {
    experiment: experiment.name,
    seed: experiment.seed,
    mode: experiment.update.mode,
    k: experiment.update.k,
    sharedForward: experiment.update.sharedForward,
    batchSize: experiment.batchSize,
    trainCount: experiment.data.trainCount,
    epochs: experiment.epochs,
  };
}

export interface Run {
  /** The config the run was built from. */
  experiment: Experiment;
  settings: RunSettings;
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  dOptimizer: GanOptimizer;
  gOptimizer: GanOptimizer;
  prior: Prior;
  /** The noise stream of training (its state is checkpointed). */
  noise: Rng;
  /** Minibatches of the training set (its state is checkpointed). */
  real: RealSource;
  /** The same z every epoch, for sample grids comparable across time (pytorch dcgan's fixed_noise). */
  fixedNoise: Float32Array;
  /** Streams to pass to saveCheckpoint/loadCheckpoint as `states`. */
  states: { noise: Rng; data: RealSource };
  dispose(): void;
}

/**
 * Builds a run. All randomness derives from settings.seed in a fixed order (G's weights, D's weights,
 * D's dropout, noise, shuffling, fixed noise), so the same seed gives the same run, and a checkpoint
 * restores every stream.
 */
export function createRun(
  settings: RunSettings,
  train: ImageSet,
  experiment: Experiment = experimentOf(settings),
): Run {
  if (settings.experiment !== experiment.name)
    throw new Error(`createRun: the settings are for experiment "${settings.experiment}", not "${experiment.name}"`);
  const root = new Rng(settings.seed);
  const gSeed = root.nextUint32();
  const dSeed = root.nextUint32();
  const dropoutRng = root.fork();
  const noise = root.fork();
  const dataRng = root.fork();
  const fixedRng = root.fork();
  const generator = buildGenerator(experiment.generator, {
    seed: gSeed,
    pixelMeans: pixelMeans(train),
    name: 'generator',
  });
  const discriminator = buildDiscriminator(experiment.discriminator, {
    seed: dSeed,
    dropoutRng,
    name: 'discriminator',
  });
  const dOptimizer = optimizerOf(experiment.optimizer);
  const gOptimizer = optimizerOf(experiment.optimizer);
  const prior = priorOf(experiment.prior);
  const real = imageSource(train, dataRng, { batchSize: settings.batchSize, lastBatch: 'drop' });
  const grid = experiment.figures.sampleGrid;
  const fixedNoise = prior.sampleArray(grid.rows * grid.cols, fixedRng);
  return {
    experiment,
    settings,
    generator,
    discriminator,
    dOptimizer,
    gOptimizer,
    prior,
    noise,
    real,
    fixedNoise,
    states: { noise, data: real },
    dispose() {
      generator.dispose();
      discriminator.dispose();
      dOptimizer.dispose();
      gOptimizer.dispose();
    },
  };
}

/** Steps (minibatch updates of each network) in one epoch: 500 for the paper's 50,000 images and batch 100. */
export function stepsPerEpoch(settings: RunSettings): number {
  return Math.floor(settings.trainCount / settings.batchSize);
}

/**
 * The fields of trainGan's config that the experiment fixes (models, optimisers, data, noise, losses,
 * update rule); the caller adds how long (epochs/steps), callbacks and a stop signal.
 */
export function trainConfigOf(run: Run): Omit<TrainGanConfig, 'steps' | 'epochs' | 'onStep' | 'signal' | 'startStep'> {
  const losses = run.experiment.losses;
  return {
    generator: run.generator,
    discriminator: run.discriminator,
    prior: run.prior,
    real: run.real,
    batchSize: run.settings.batchSize,
    k: run.settings.k,
    mode: run.settings.mode,
    sharedForward: run.settings.sharedForward ?? false,
    loss: ganLossOf(losses),
    discriminatorTrainingInG: losses.dropoutInGeneratorLoss,
    dOptimizer: run.dOptimizer,
    gOptimizer: run.gOptimizer,
    rng: run.noise,
  };
}
