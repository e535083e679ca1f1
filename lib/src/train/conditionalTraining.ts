/**
 * Training a conditional GAN (Mirza & Osindero 2014): G and D are both told the class y, and the game is
 *   min_G max_D V(D, G) = E_{x,y ~ p_data} log D(x | y) + E_{z ~ p_z, y ~ p_y} log(1 − D(G(z | y) | y)).
 * That is the paper's game on pairs (x, y) in which G's y is drawn from p_y rather than made by G, so the
 * updates are the unconditional discriminatorStep and generatorStep applied to the joint models of
 * jointConditionalPair: real rows [x | y], noise rows [z | y]. Nothing of the steps is repeated here.
 */
import * as tf from '@tensorflow/tfjs';
import { ImageSet, imageSource, oneHotLabels } from '../data';
import { GanLoss } from '../losses';
import { jointConditionalPair, JointConditionalPair } from '../models/conditionalNets';
import { Prior, Rng } from '../random';
import { GanOptimizer } from './optimizer';
import { discriminatorStep, DiscriminatorStepResult, generatorStep, GeneratorStepResult } from './steps';
import { NoiseSource, StepInfo, TrainHistory, trainGan } from './trainGan';

export interface ConditionalDiscriminatorStepOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  optimizer: GanOptimizer;
  /** Real examples x, [N, dataDim], and their classes y as one-hot rows [N, classes]. */
  real: tf.Tensor2D;
  realLabels: tf.Tensor2D;
  /** Noise z, [M, latentDim], and the classes G is asked for, one-hot [M, classes]. */
  z: tf.Tensor2D;
  fakeLabels: tf.Tensor2D;
}

/** D's step on V(D, G) above: discriminatorStep on [x | y] and [z | y]. The inputs are not disposed. */
export function conditionalDiscriminatorStep(o: ConditionalDiscriminatorStepOptions): DiscriminatorStepResult {
  return jointDiscriminatorStep(jointConditionalPair(o.generator, o.discriminator), o);
}

function jointDiscriminatorStep(
  joint: JointConditionalPair,
  o: ConditionalDiscriminatorStepOptions,
): DiscriminatorStepResult {
  const [real, z] = [
    joinRows('real', o.real, 'realLabels', o.realLabels),
    joinRows('z', o.z, 'fakeLabels', o.fakeLabels),
  ];
  try {
    return discriminatorStep({
      generator: joint.generator,
      discriminator: joint.discriminator,
      optimizer: o.optimizer,
      real,
      z,
    });
  } finally {
    tf.dispose([real, z]);
  }
}

export interface ConditionalGeneratorStepOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  optimizer: GanOptimizer;
  z: tf.Tensor2D;
  /** The classes G is asked for, one-hot [M, classes]; D judges G(z | y) as a y. */
  labels: tf.Tensor2D;
}

/** G's step (non-saturating loss −log D(G(z | y) | y), D frozen): generatorStep on [z | y]. */
export function conditionalGeneratorStep(o: ConditionalGeneratorStepOptions): GeneratorStepResult {
  return jointGeneratorStep(jointConditionalPair(o.generator, o.discriminator), o);
}

function jointGeneratorStep(joint: JointConditionalPair, o: ConditionalGeneratorStepOptions): GeneratorStepResult {
  const z = joinRows('z', o.z, 'labels', o.labels);
  try {
    return generatorStep({ generator: joint.generator, discriminator: joint.discriminator, optimizer: o.optimizer, z });
  } finally {
    z.dispose();
  }
}

/** n classes drawn uniformly from 0..classes−1 (p_y of G's requests). */
export function randomLabels(n: number, classes: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => rng.int(classes));
}

export interface TrainConditionalGanConfig {
  /** conditionalGenerator: G([z, one-hot y]). */
  generator: tf.LayersModel;
  /** conditionalDiscriminator: D([x, one-hot y]). */
  discriminator: tf.LayersModel;
  prior: Prior;
  /** Labelled real data (MNIST: labels 0–9). */
  data: ImageSet;
  batchSize: number;
  /** Iterations: each is k D updates and one G update (Algorithm 1). */
  steps: number;
  /** D updates per G update (default 1, as the paper). */
  k?: number;
  /** As trainGan's `loss` (default minimaxLoss()). */
  loss?: GanLoss;
  dOptimizer: GanOptimizer;
  gOptimizer: GanOptimizer;
  /** Noise z and the classes G is asked for. */
  rng: Rng;
  /** Shuffles the real minibatches (give it its own stream). */
  dataRng: Rng;
  /** Called after every iteration; returning false stops training. */
  onStep?: (info: StepInfo) => void | boolean | Promise<void | boolean>;
  /** As trainGan: stop after the current iteration on SIGINT (default: when the process handles SIGINT). */
  stopOnInterrupt?: boolean;
}

/**
 * Algorithm 1 for the conditional game: k D steps on fresh labelled real batches and fresh (z, y), then a
 * G step on fresh (z, y), with y uniform over the classes. It is trainGan on the joint models of
 * jointConditionalPair, fed real rows [x | y] and noise rows [z | y]; so it returns trainGan's history,
 * and a non-finite loss stops it with trainGan's TrainingDivergedError.
 */
export async function trainConditionalGan(c: TrainConditionalGanConfig): Promise<TrainHistory> {
  checkConfig(c);
  const joint = jointConditionalPair(c.generator, c.discriminator);
  return trainGan({
    generator: joint.generator,
    discriminator: joint.discriminator,
    prior: labelledNoise(c.prior, joint.classes),
    // rows [x | one-hot y]; made without a batch size, so that a bad batchSize is reported by trainGan's check
    real: imageSource(c.data, c.dataRng, { classes: joint.classes }),
    batchSize: c.batchSize,
    steps: c.steps,
    k: c.k,
    loss: c.loss,
    dOptimizer: c.dOptimizer,
    gOptimizer: c.gOptimizer,
    rng: c.rng,
    onStep: c.onStep,
    stopOnInterrupt: c.stopOnInterrupt,
  });
}

/** Rows [z | y] for the joint G: z ~ p_z, then y uniform over the classes (in that order from `rng`). */
function labelledNoise(prior: Prior, classes: number): NoiseSource {
  return {
    sample: (n, rng) => {
      const [z, y] = [prior.sample(n, rng), oneHotLabels(randomLabels(n, classes, rng), classes)];
      try {
        return joinRows('z', z, 'labels', y);
      } finally {
        tf.dispose([z, y]);
      }
    },
  };
}

/** [a | b] for two live 2-D tensors with the same number of rows (a new tensor). */
function joinRows(aName: string, a: tf.Tensor2D, bName: string, b: tf.Tensor2D): tf.Tensor2D {
  for (const [name, t] of [
    [aName, a],
    [bName, b],
  ] as const) {
    if (!(t instanceof tf.Tensor) || t.isDisposed || t.rank !== 2) {
      throw new Error(
        `conditional step: ${name} must be a live 2-D tensor [batch, features]${t instanceof tf.Tensor ? `, got shape [${t.shape}]${t.isDisposed ? ' (disposed)' : ''}` : ''}`,
      );
    }
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(
      `conditional step: ${aName} has ${a.shape[0]} rows but ${bName} has ${b.shape[0]}; give one label per example`,
    );
  }
  return tf.concat([a, b], 1);
}

/** What trainGan cannot check: the conditional parts. trainGan checks the rest (optimisers, counts, loss). */
function checkConfig(c: TrainConditionalGanConfig): void {
  if (!c || typeof c !== 'object')
    throw new Error('trainConditionalGan: pass a config object (see TrainConditionalGanConfig)');
  const missing = [
    'generator',
    'discriminator',
    'prior',
    'data',
    'batchSize',
    'steps',
    'dOptimizer',
    'gOptimizer',
    'rng',
    'dataRng',
  ].filter((key) => (c as unknown as Record<string, unknown>)[key] == null);
  if (missing.length) throw new Error(`trainConditionalGan: config is missing ${missing.join(', ')}`);
  if (!c.data.labels || c.data.labels.length !== c.data.count) {
    throw new Error(
      'trainConditionalGan: data must be a labelled ImageSet (one label per image), e.g. loadMnistIdx().train',
    );
  }
}
