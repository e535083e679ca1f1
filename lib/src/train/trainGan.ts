/**
 * The training loop: Algorithm 1 of the paper (k steps of D, each on a fresh real minibatch and fresh
 * noise, then one step of G on fresh noise), or the paper code's simultaneous update. Every random
 * number comes from `rng` (noise), the data source and the models' own dropout streams, so a run is
 * reproducible from its seeds and resumable from a checkpoint of those states.
 */
import * as tf from '@tensorflow/tfjs';
import { RealSource } from '../data';
import { checkGanLoss, DEFAULT_GAN_LOSS, GanLoss, NonFiniteLogitsError, StepMetrics } from '../losses';
import { Prior, Rng } from '../random';
import { GanOptimizer } from './optimizer';
import { discriminatorStep, generatorStep, simultaneousStep } from './steps';
import { checkWeightsBeforeTraining, divergedError, nonFiniteInputs } from './divergence';
import { installInterruptWatcher, watchInterrupt } from './interrupt';
import { emptyHistory, recordStep, TrainHistory } from './history';

export { emptyHistory } from './history';
export type { StepMetricColumns, TrainHistory } from './history';

export type TrainMode = 'alternating' | 'simultaneous';
/** The update rules, for flags and for checking a checkpoint's settings. */
export const TRAIN_MODES: readonly TrainMode[] = ['simultaneous', 'alternating'];

/** One step's report: its StepMetrics (dReal, dFake as seen by D's last update) and where it is. */
export interface StepInfo extends StepMetrics {
  /** Steps completed (1 after the first), counting from startStep. */
  step: number;
  /** Epochs the real-data source has completed. */
  epoch: number;
  /** mean D(G(z)) seen by G's update (alternating mode: after D's step(s), on G's own noise). */
  dFakeForG: number;
}

/**
 * What trainGan needs of p_z: fresh draws of G's input, [n, inputDim] tensors that the loop disposes. A
 * Prior is one; so is a source of [z | y] rows for a conditional GAN's joint models (trainConditionalGan),
 * whose coordinates are not independent, so it cannot be a Prior (pdf1).
 */
export type NoiseSource = Pick<Prior, 'sample'>;

export interface TrainGanConfig {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** p_z, e.g. uniformPrior(100): U(−√3, √3), the prior of the paper's code (mnist.yaml; the article names none); only its sample() is used. */
  prior: NoiseSource;
  /** p_data minibatches (imageSource or distributionSource). */
  real: RealSource;
  batchSize: number;
  /** Stop when this many steps are done in total, counting startStep. One step = k D updates + one G update. */
  steps?: number;
  /** Or stop when the source has completed this many epochs. */
  epochs?: number;
  /** D updates per G update in 'alternating' mode (Algorithm 1's k; the paper used 1). */
  k?: number;
  /**
   * G updates per iteration in 'alternating' mode (default 1, as in Algorithm 1). More than one trains G
   * "too much without updating D" (paper, section 6): the way to provoke mode collapse.
   */
  generatorSteps?: number;
  /** 'alternating' = Algorithm 1 (default); 'simultaneous' = the paper's code (one batch, both updates). */
  mode?: TrainMode;
  /**
   * 'simultaneous' mode only: G's loss from the same forward pass of D on G(z) (the same dropout masks) as
   * D's loss, as the paper's Theano graph (simultaneousStep's sharedForward). Default false.
   */
  sharedForward?: boolean;
  /**
   * The GAN's loss, D's and G's together (default minimaxLoss(): the non-saturating G loss of section 3,
   * D's loss −V). The paper's code: minimaxLoss({ generator: 'nonSaturating', dScale: 0.5 }); least
   * squares: leastSquaresLoss().
   */
  loss?: GanLoss;
  dOptimizer: GanOptimizer;
  gOptimizer: GanOptimizer;
  /** The noise stream (give it its own Rng, e.g. new Rng(seed).fork()). */
  rng: Rng;
  /** Steps already done (when resuming from a checkpoint). Default 0. */
  startStep?: number;
  /** Called after every step; may be async; returning false stops the loop. */
  onStep?: (info: StepInfo) => void | boolean | Promise<void | boolean>;
  /** Cooperative stops, checked between steps. */
  signal?: AbortSignal;
  shouldStop?: () => boolean;
  /**
   * Stop after the current step on SIGINT (Jupyter's Kernel › Interrupt), with stoppedBy 'interrupt'.
   * Default: when the process already handles SIGINT (a tslab kernel, the CLI), so that Ctrl-C
   * still ends a plain Node script as usual. true/false forces it.
   */
  stopOnInterrupt?: boolean;
  /** Yield to the event loop every this many steps (default 1) so that interrupts and timers can run. */
  yieldEvery?: number;
  /** D in training mode (dropout on) inside G's loss, as in the paper's code (default true). */
  discriminatorTrainingInG?: boolean;
  /** Append to this history instead of starting a new one. */
  history?: TrainHistory;
}

/**
 * Runs Algorithm 1 (or the simultaneous update) until `steps`/`epochs`, a stop request, or an error.
 * Non-finite numbers stop it with a TrainingDivergedError naming the step and the likely cause: weights
 * already NaN/Inf before the first step, or a step whose loss (or D's logits) is NaN/Inf.
 */
export async function trainGan(config: TrainGanConfig): Promise<TrainHistory> {
  const c = checkConfig(config);
  const { generator, discriminator, dOptimizer, gOptimizer, real, prior, rng, batchSize } = c;
  const history = config.history ?? emptyHistory();
  if (history.step.length > 0 && history.output?.axisTitle !== c.loss.output.axisTitle) {
    throw new Error(
      `trainGan: the history to append to was recorded with a loss whose D output is "${history.output?.axisTitle}", ` +
        `but this run's loss (${c.loss.name}) outputs "${c.loss.output.axisTitle}"; one chart cannot show both. Start a new history.`,
    );
  }
  history.output = c.loss.output;
  history.stoppedBy = null;
  const models = { generator, discriminator };
  checkWeightsBeforeTraining(models, c.startStep, history);
  let step = c.startStep;
  const diverged = (what: string, badInputs: string[] = []) => {
    history.finalStep = step;
    history.finalEpoch = real.epoch;
    return divergedError(step + 1, real.epoch, what, badInputs, models, history);
  };
  const optimizers = [dOptimizer, gOptimizer];
  // the paper's momentum changes with the epoch of the batch about to be drawn (1-based)
  const setEpoch = () => optimizers.forEach((o) => o.setEpoch(real.epoch + 1));
  // not in the synchronous start of a notebook cell, where vm's breakOnSigint hides the kernel's SIGINT listener
  await Promise.resolve();
  installInterruptWatcher(); // for later cells, if the lib was loaded before anything handled SIGINT
  const interrupt = watchInterrupt(config.stopOnInterrupt);
  try {
    await loop();
  } finally {
    interrupt.dispose();
  }
  history.finalStep = step;
  history.finalEpoch = real.epoch;
  return history;

  async function loop(): Promise<void> {
    while (step < c.steps && real.epoch < c.epochs) {
      if (config.signal?.aborted) history.stoppedBy = 'signal';
      else if (interrupt.interrupted) history.stoppedBy = 'interrupt';
      else if (config.shouldStop?.()) history.stoppedBy = 'shouldStop';
      if (history.stoppedBy) break;

      let d = { dLoss: NaN, dReal: NaN, dFake: NaN };
      let g = { gLoss: NaN, dFake: NaN };
      try {
        if (c.mode === 'alternating') {
          // ---- k updates of D: ascend V on a fresh real batch and fresh noise ----
          for (let i = 0; i < c.k; i++) {
            setEpoch();
            d = withBatches(real.next(batchSize), prior.sample(batchSize, rng), (x, z) =>
              discriminatorStep({ generator, discriminator, optimizer: dOptimizer, real: x, z, loss: c.loss }),
            );
            dOptimizer.onMinibatchEnd();
          }
          // ---- one update of G: descend its loss on fresh noise, D frozen ----
          for (let i = 0; i < c.generatorSteps; i++) {
            g = withBatches(null, prior.sample(batchSize, rng), (_, z) =>
              generatorStep({
                generator,
                discriminator,
                optimizer: gOptimizer,
                z,
                loss: c.loss,
                discriminatorTraining: c.dTrainingInG,
              }),
            );
            gOptimizer.onMinibatchEnd();
          }
        } else {
          // ---- the paper's code: both gradients from one batch and one z, then both applied ----
          setEpoch();
          const s = withBatches(real.next(batchSize), prior.sample(batchSize, rng), (x, z) =>
            simultaneousStep({
              generator,
              discriminator,
              dOptimizer,
              gOptimizer,
              real: x,
              z,
              loss: c.loss,
              sharedForward: c.sharedForward,
            }),
          );
          d = s;
          g = { gLoss: s.gLoss, dFake: s.dFake };
          optimizers.forEach((o) => o.onMinibatchEnd());
        }
      } catch (e) {
        if (e instanceof NonFiniteInputsError) throw diverged(e.cause.message, e.inputs);
        throw e;
      }
      if (!Number.isFinite(d.dLoss) || !Number.isFinite(g.gLoss)) {
        throw diverged(`D loss ${d.dLoss}, G loss ${g.gLoss}`);
      }
      step++;

      const info: StepInfo = {
        step,
        epoch: real.epoch,
        dLoss: d.dLoss,
        gLoss: g.gLoss,
        dReal: d.dReal,
        dFake: d.dFake,
        dFakeForG: g.dFake,
      };
      recordStep(history, info);
      if (config.onStep && (await config.onStep(info)) === false) {
        history.stoppedBy = 'onStep';
        break;
      }
      if (step % c.yieldEvery === 0) await yieldToEventLoop();
    }
  }
}

/** A loss refused non-finite logits; `inputs` says which of the step's batches were not finite themselves. */
class NonFiniteInputsError extends Error {
  constructor(
    override readonly cause: Error,
    readonly inputs: string[],
  ) {
    super(cause.message);
  }
}

/** Runs `f` on the batches and disposes them, whatever happens. */
function withBatches<T>(x: tf.Tensor2D | null, z: tf.Tensor2D, f: (x: tf.Tensor2D, z: tf.Tensor2D) => T): T {
  try {
    return f(x as tf.Tensor2D, z);
  } catch (e) {
    // the diagnosis needs the batches, which are gone after this
    if (e instanceof NonFiniteLogitsError)
      throw new NonFiniteInputsError(e, nonFiniteInputs({ 'real data': x, noise: z }));
    throw e;
  } finally {
    x?.dispose();
    z.dispose();
  }
}

const defer: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => setImmediate(f) : (f) => setTimeout(f, 0);

/** Lets pending callbacks (a notebook's stop button, a SIGINT handler, timers) run between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => defer(resolve));
}

function checkConfig(config: TrainGanConfig) {
  const where = 'trainGan';
  if (!config || typeof config !== 'object') throw new Error(`${where}: pass a config object (see TrainGanConfig)`);
  const missing = [
    'generator',
    'discriminator',
    'prior',
    'real',
    'batchSize',
    'dOptimizer',
    'gOptimizer',
    'rng',
  ].filter((k) => (config as unknown as Record<string, unknown>)[k] == null);
  if (missing.length) throw new Error(`${where}: config is missing ${missing.join(', ')}`);
  if (config.dOptimizer === config.gOptimizer) {
    throw new Error(
      `${where}: dOptimizer and gOptimizer are the same object; each network needs its own optimiser (its own velocities)`,
    );
  }
  const posInt = (name: string, v: unknown, dflt?: number): number => {
    const x = v ?? dflt;
    if (!Number.isInteger(x) || (x as number) < (name === 'startStep' ? 0 : 1)) {
      throw new Error(
        `${where}: ${name} must be a ${name === 'startStep' ? 'non-negative' : 'positive'} integer, got ${String(v)}`,
      );
    }
    return x as number;
  };
  if (config.steps == null && config.epochs == null)
    throw new Error(`${where}: give steps or epochs (how long to train)`);
  const mode = config.mode ?? 'alternating';
  if (!TRAIN_MODES.includes(mode)) {
    throw new Error(
      `${where}: mode must be 'alternating' (Algorithm 1) or 'simultaneous' (the paper's code), got ${JSON.stringify(mode)}`,
    );
  }
  const k = posInt('k', config.k, 1);
  const generatorSteps = posInt('generatorSteps', config.generatorSteps, 1);
  if (mode === 'simultaneous' && (k !== 1 || generatorSteps !== 1)) {
    throw new Error(
      `${where}: k = ${k}, generatorSteps = ${generatorSteps} need mode 'alternating'; the simultaneous update is one of each`,
    );
  }
  const sharedForward = config.sharedForward ?? false;
  if (typeof sharedForward !== 'boolean')
    throw new Error(`${where}: sharedForward must be true or false, got ${JSON.stringify(config.sharedForward)}`);
  if (sharedForward && mode !== 'simultaneous') {
    throw new Error(
      `${where}: sharedForward shares D's forward pass between the two updates of mode 'simultaneous'; Algorithm 1's alternating steps see different D's`,
    );
  }
  if (typeof config.prior.sample !== 'function' || typeof config.real.next !== 'function') {
    throw new Error(
      `${where}: prior must have sample(n, rng) (uniformPrior/normalPrior) and real must have next(batchSize) (imageSource/distributionSource)`,
    );
  }
  return {
    ...config,
    mode,
    k,
    generatorSteps,
    sharedForward,
    batchSize: posInt('batchSize', config.batchSize),
    steps: config.steps == null ? Infinity : posInt('steps', config.steps),
    epochs: config.epochs == null ? Infinity : posInt('epochs', config.epochs),
    startStep: posInt('startStep', config.startStep, 0),
    yieldEvery: posInt('yieldEvery', config.yieldEvery, 1),
    loss: config.loss === undefined ? DEFAULT_GAN_LOSS : checkGanLoss(where, config.loss),
    dTrainingInG: config.discriminatorTrainingInG ?? true,
  };
}
