/**
 * A GAN's loss as one object: D's loss from D's outputs on a real and a fake batch, G's loss from D's
 * outputs on a fake batch, and what D's output means for the diagnostics (the "D(x)" number printed and
 * charted). The training steps, trainGan and the training chart take a GanLoss, so a new loss (a classic
 * homework extension) is one new value of this type and nothing else changes.
 *
 * Two are provided: the paper's minimax game (binary cross-entropy on D's logits, Eq. 1, with the
 * saturating or the non-saturating G loss of section 3) and least squares (LSGAN, Mao et al. 2017).
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkLogits,
  checkLossScale,
  checkVariant,
  discriminatorLoss,
  GeneratorLossVariant,
  generatorLoss,
} from './adversarial';

/**
 * The four numbers one training step reports (and pytorch's dcgan prints): D's loss, G's loss, and the
 * mean of D's output on the real and on the fake batch, read as the loss says (see GanLoss.meanOutput).
 * The one declaration of this record: histories, progress lines, metrics files and charts use it.
 */
export interface StepMetrics {
  dLoss: number;
  gLoss: number;
  /** Mean "D(x)" on the real batch. */
  dReal: number;
  /** Mean "D(G(z))" on the fake batch. */
  dFake: number;
}

/** The metric names, in the order steps report them. */
export const STEP_METRICS: readonly (keyof StepMetrics)[] = ['dLoss', 'gLoss', 'dReal', 'dFake'];

/** What D's output means, as plain data (it is kept with a training history and drawn on its chart). */
export interface DiscriminatorOutputMeaning {
  /** How to name D's output on a chart axis, e.g. 'mean D(·), a probability'. */
  axisTitle: string;
  /** The range D's (displayed) output lives in, when bounded: [0, 1] for a probability. */
  range?: [number, number];
  /** Its value at the equilibrium p_g = p_data, where the optimal D cannot tell the two apart. */
  equilibrium: number;
}

export interface GanLoss {
  /** A short name for messages and chart titles, e.g. 'minimax, non-saturating G'. */
  readonly name: string;
  /** D's loss (D minimises it) from D's raw outputs on real data and on G(z): shapes [N] or [N, 1]. */
  discriminatorLoss(realOut: tf.Tensor, fakeOut: tf.Tensor): tf.Scalar;
  /** G's loss (G minimises it, D frozen) from D's raw outputs on G(z). */
  generatorLoss(fakeOut: tf.Tensor): tf.Scalar;
  /** The mean of D's output as the diagnostics report it (e.g. the mean probability σ(logit)), a scalar. */
  meanOutput(out: tf.Tensor): tf.Scalar;
  /** What that number means, for charts. */
  readonly output: DiscriminatorOutputMeaning;
  /**
   * Optional: called with D's trainable variables right after every update of D (in every step that
   * updates D, before G's update in the simultaneous step). A loss whose D must stay in a set after each
   * step puts that here, e.g. WGAN's clipping of D's weights to [−c, c] (Arjovsky et al. 2017). Neither
   * provided loss needs it.
   */
  afterDiscriminatorUpdate?(dVariables: tf.Variable[]): void;
}

export interface MinimaxLossOptions {
  /**
   * 'nonSaturating' (default): G minimises −mean log D(G(z)) (section 3; the paper's code).
   * 'saturating': G minimises mean log(1 − D(G(z))), Eq. 1 as written.
   */
  generator?: GeneratorLossVariant;
  /** Multiplies D's loss: 1 (default) gives −V; the paper's code uses 0.5. */
  dScale?: number;
}

const PROBABILITY: DiscriminatorOutputMeaning = {
  axisTitle: 'mean D(·), a probability',
  range: [0, 1],
  equilibrium: 0.5,
};

/**
 * The paper's game: D outputs a logit, D(x) = σ(logit), D's loss is −dScale·V (binary cross-entropy,
 * label 1 for real and 0 for fake) and G's loss the saturating or non-saturating one. The default,
 * minimaxLoss(), is what trainGan uses when given no loss; the paper's code is
 * minimaxLoss({ generator: 'nonSaturating', dScale: 0.5 }).
 */
export function minimaxLoss(options: MinimaxLossOptions = {}): GanLoss {
  if (options === null || typeof options !== 'object') {
    throw new Error(`minimaxLoss: pass an options object { generator?, dScale? }, got ${String(options)}.`);
  }
  const variant = checkVariant('minimaxLoss', options.generator ?? 'nonSaturating');
  const scale = checkLossScale('minimaxLoss', options.dScale ?? 1);
  return {
    name: `minimax, ${variant === 'saturating' ? 'saturating' : 'non-saturating'} G${scale === 1 ? '' : `, D loss × ${scale}`}`,
    discriminatorLoss: (realOut, fakeOut) => discriminatorLoss(realOut, fakeOut, { scale }),
    generatorLoss: (fakeOut) => generatorLoss(fakeOut, { variant }),
    meanOutput: (out) => tf.tidy(() => tf.mean(tf.sigmoid(out)) as tf.Scalar),
    output: PROBABILITY,
  };
}

/** The loss of the steps and trainGan when given none: minimaxLoss(), the non-saturating G loss and D's loss −V. */
export const DEFAULT_GAN_LOSS: GanLoss = minimaxLoss();

/**
 * Least squares (LSGAN, Mao et al. 2017, with labels 0 for fake and 1 for real): D outputs a real
 * number (no sigmoid) and
 *   D's loss = ½ mean (D(x) − 1)² + ½ mean D(G(z))²,   G's loss = ½ mean (D(G(z)) − 1)².
 * For a fixed G the best D is again D*(x) = p_data(x) / (p_data(x) + p_g(x)) (minimise
 * ½ p_data (D − 1)² + ½ p_g D² pointwise), so D's output is 1/2 everywhere at equilibrium, but during
 * training it is a score, not a probability: it can leave [0, 1].
 */
export function leastSquaresLoss(): GanLoss {
  return {
    name: 'least squares (LSGAN)',
    discriminatorLoss: (realOut, fakeOut) => {
      checkLogits('leastSquaresLoss.discriminatorLoss', 'realOut', realOut);
      checkLogits('leastSquaresLoss.discriminatorLoss', 'fakeOut', fakeOut);
      return tf.tidy(
        () => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(realOut, 1))), tf.mean(tf.square(fakeOut)))) as tf.Scalar,
      );
    },
    generatorLoss: (fakeOut) => {
      checkLogits('leastSquaresLoss.generatorLoss', 'fakeOut', fakeOut);
      return tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeOut, 1)))) as tf.Scalar);
    },
    meanOutput: (out) => tf.mean(out) as tf.Scalar,
    output: { axisTitle: 'mean D(·), a least-squares score', equilibrium: 0.5 },
  };
}

/** Throws a clear error unless `loss` has the GanLoss functions (a student's own loss object, say). */
export function checkGanLoss(where: string, loss: unknown): GanLoss {
  const l = loss as Partial<GanLoss> | null;
  const missing: string[] = (['discriminatorLoss', 'generatorLoss', 'meanOutput'] as const).filter(
    (k) => typeof l?.[k] !== 'function',
  );
  if (l?.afterDiscriminatorUpdate !== undefined && typeof l.afterDiscriminatorUpdate !== 'function')
    missing.push('a function afterDiscriminatorUpdate');
  if (!l || typeof l !== 'object' || missing.length || !l.output || typeof l.output.axisTitle !== 'string') {
    throw new Error(
      `${where}: loss must be a GanLoss, e.g. minimaxLoss() or leastSquaresLoss()` +
        (l && typeof l === 'object'
          ? ` (this one lacks ${[...missing, ...(l.output ? [] : ['output'])].join(', ')})`
          : `, got ${String(loss)}`) +
        '.',
    );
  }
  return l as GanLoss;
}
