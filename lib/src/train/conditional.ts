/**
 * Training a conditional GAN (Mirza & Osindero 2014): G and D are both told the class y, and the game is
 *   min_G max_D V(D, G) = E_{x,y ~ p_data} log D(x | y) + E_{z ~ p_z, y ~ p_y} log(1 − D(G(z | y) | y)).
 * That is the paper's game on pairs (x, y) in which G's y is drawn from p_y rather than made by G, so the
 * updates are the unconditional discriminatorStep and generatorStep applied to the joint models of
 * jointConditionalPair: real rows [x | y], noise rows [z | y]. Nothing of the steps is repeated here.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensor, ImageSet, Minibatches } from '../data';
import { jointConditionalPair, JointConditionalPair, oneHotLabels } from '../models/conditional';
import { Prior, Rng } from '../random';
import { GanOptimizer } from './optimizer';
import { discriminatorStep, DiscriminatorStepResult, generatorStep, GeneratorStepResult } from './steps';
import { divergedError } from './divergence';
import { watchInterrupt } from './interrupt';
import { emptyHistory, StepInfo, TrainHistory, yieldToEventLoop } from './trainGan';


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

function jointDiscriminatorStep(joint: JointConditionalPair, o: ConditionalDiscriminatorStepOptions): DiscriminatorStepResult {
  const [real, z] = [joinRows('real', o.real, 'realLabels', o.realLabels), joinRows('z', o.z, 'fakeLabels', o.fakeLabels)];
  try {
    return discriminatorStep({ generator: joint.generator, discriminator: joint.discriminator, optimizer: o.optimizer, real, z });
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
 * G step on fresh (z, y), with y uniform over the classes. Returns trainGan's history; a non-finite loss
 * stops it with trainGan's TrainingDivergedError.
 */
export async function trainConditionalGan(c: TrainConditionalGanConfig): Promise<TrainHistory> {
  const { generator, discriminator, prior, data, batchSize, rng } = checkConfig(c);
  const joint = jointConditionalPair(generator, discriminator);
  const classes = joint.classes;
  const k = c.k ?? 1;
  const batches = new Minibatches(data.count, batchSize, c.dataRng);
  const history = emptyHistory();
  const draw = () => ({ z: prior.sample(batchSize, rng), y: oneHotLabels(randomLabels(batchSize, classes, rng), classes) });
  await Promise.resolve(); // see watchInterrupt: not in the synchronous start of a notebook cell
  const interrupt = watchInterrupt(c.stopOnInterrupt);
  let step = 0;
  try {
    while (step < c.steps) {
      if (interrupt.interrupted) {
        history.stoppedBy = 'interrupt';
        break;
      }
      let d = { dLoss: NaN, dReal: NaN, dFake: NaN };
      for (let i = 0; i < k; i++) {
        const { indices } = batches.next();
        const [x, xLabels, { z, y }] = [batchTensor(data, indices), oneHotLabels(Array.from(indices, (j) => data.labels[j]), classes), draw()];
        try {
          d = jointDiscriminatorStep(joint, { generator, discriminator, optimizer: c.dOptimizer, real: x, realLabels: xLabels, z, fakeLabels: y });
        } finally {
          tf.dispose([x, xLabels, z, y]);
        }
      }
      const { z, y } = draw();
      let g: GeneratorStepResult;
      try {
        g = jointGeneratorStep(joint, { generator, discriminator, optimizer: c.gOptimizer, z, labels: y });
      } finally {
        tf.dispose([z, y]);
      }
      if (!Number.isFinite(d.dLoss) || !Number.isFinite(g.gLoss)) {
        throw divergedError(step + 1, batches.epochsCompleted, `D loss ${d.dLoss}, G loss ${g.gLoss}`, [], { generator, discriminator }, history);
      }
      step++;
      const info: StepInfo = { step, epoch: batches.epochsCompleted, ...d, gLoss: g.gLoss, dFakeForG: g.dFake };
      for (const key of ['step', 'epoch', 'dLoss', 'gLoss', 'dReal', 'dFake'] as const) history[key].push(info[key]);
      if (c.onStep && (await c.onStep(info)) === false) {
        history.stoppedBy = 'onStep';
        break;
      }
      await yieldToEventLoop();
    }
  } finally {
    interrupt.dispose();
  }
  history.finalStep = step;
  history.finalEpoch = batches.epochsCompleted;
  return history;
}

/** [a | b] for two live 2-D tensors with the same number of rows (a new tensor). */
function joinRows(aName: string, a: tf.Tensor2D, bName: string, b: tf.Tensor2D): tf.Tensor2D {
  for (const [name, t] of [[aName, a], [bName, b]] as const) {
    if (!(t instanceof tf.Tensor) || t.isDisposed || t.rank !== 2) {
      throw new Error(`conditional step: ${name} must be a live 2-D tensor [batch, features]${t instanceof tf.Tensor ? `, got shape [${t.shape}]${t.isDisposed ? ' (disposed)' : ''}` : ''}`);
    }
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`conditional step: ${aName} has ${a.shape[0]} rows but ${bName} has ${b.shape[0]}; give one label per example`);
  }
  return tf.concat([a, b], 1);
}

function checkConfig(c: TrainConditionalGanConfig): TrainConditionalGanConfig {
  if (!c || typeof c !== 'object') throw new Error('trainConditionalGan: pass a config object (see TrainConditionalGanConfig)');
  const missing = ['generator', 'discriminator', 'prior', 'data', 'batchSize', 'steps', 'dOptimizer', 'gOptimizer', 'rng', 'dataRng'].filter(
    (key) => (c as unknown as Record<string, unknown>)[key] == null,
  );
  if (missing.length) throw new Error(`trainConditionalGan: config is missing ${missing.join(', ')}`);
  if (c.dOptimizer === c.gOptimizer) throw new Error('trainConditionalGan: dOptimizer and gOptimizer are the same object; each network needs its own');
  for (const [name, v] of [['batchSize', c.batchSize], ['steps', c.steps], ['k', c.k ?? 1]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`trainConditionalGan: ${name} must be a positive integer, got ${String(v)}`);
  }
  if (!c.data.labels || c.data.labels.length !== c.data.count) {
    throw new Error('trainConditionalGan: data must be a labelled ImageSet (one label per image), e.g. loadMnistIdx().train');
  }
  return c;
}
