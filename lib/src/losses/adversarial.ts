/**
 * The paper's value function and the two players' losses, computed from D's LOGITS.
 *
 * D(x) = σ(logit). Taking log σ(r) = −softplus(−r) and log(1 − σ(f)) = −softplus(f) instead of
 * log(sigmoid(...)) keeps every value and gradient finite for any finite logit: once σ rounds to exactly
 * 0 or 1 in float32 (|logit| ≳ 17), the naive log returns −Infinity and its gradient NaN.
 * A NaN or ±Infinity logit has no meaningful loss (softplus would turn +Inf into a loss of exactly 0 and
 * NaN into NaN, silently): valueFunction, discriminatorLoss and generatorLoss throw a NonFiniteLogitsError
 * naming the function, the tensor and the count, since such logits mean D's weights or its input diverged.
 */
import * as tf from '@tensorflow/tfjs';
import { countNonFinite, describeNonFinite } from './finite';

/** log D = log σ(logit), elementwise, stable for any logit. */
export function logSigmoid(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.softplus(tf.neg(logits))));
}

/** log(1 − D) = log(1 − σ(logit)) = log σ(−logit), elementwise, stable for any logit. */
export function logOneMinusSigmoid(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.softplus(logits)));
}

/**
 * V(D, G) of Eq. 1 estimated on one minibatch:
 *   V = mean_i log D(x_i) + mean_j log(1 − D(G(z_j))),
 * with `realLogits` = D's logits on real data and `fakeLogits` = D's logits on G(z).
 * D ascends V, G descends it; V ≤ 0, and V = −log 4 when D outputs 1/2 everywhere.
 */
export function valueFunction(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  checkLogits('valueFunction', 'realLogits', realLogits);
  checkLogits('valueFunction', 'fakeLogits', fakeLogits);
  return tf.tidy(() => tf.add(tf.mean(logSigmoid(realLogits)), tf.mean(logOneMinusSigmoid(fakeLogits))) as tf.Scalar);
}

export interface DiscriminatorLossOptions {
  /**
   * Multiplies the loss (default 1, so the loss is exactly −V). The paper's code uses 0.5:
   * d_obj = 0.5·(BCE(1, D(x)) + BCE(0, D(G(z)))), which halves D's effective learning rate.
   */
  scale?: number;
}

/**
 * D's loss: binary cross-entropy with label 1 for real and 0 for fake, the mean over each batch,
 * the two means summed, times `scale`. It equals −scale·V, so descending it is ascending V
 * (Algorithm 1's D update, article section 3).
 */
export function discriminatorLoss(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: DiscriminatorLossOptions = {},
): tf.Scalar {
  const scale = checkLossScale('discriminatorLoss', options.scale ?? 1);
  checkLogits('discriminatorLoss', 'realLogits', realLogits);
  checkLogits('discriminatorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() => {
    // BCE(1, σ(r)) = softplus(−r), BCE(0, σ(f)) = softplus(f)
    const bce = tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)));
    return (scale === 1 ? bce : tf.mul(bce, scale)) as tf.Scalar;
  });
}

/** D's loss scale: a positive finite number (used by discriminatorLoss and minimaxLoss). */
export function checkLossScale(fn: string, scale: unknown): number {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw new Error(
      `${fn}: scale must be a positive finite number, got ${String(scale)}. ` +
        "Use 1 for the loss −V, or 0.5 for the paper code's d_obj.",
    );
  }
  return scale;
}

export type GeneratorLossVariant = 'saturating' | 'nonSaturating';
export const GENERATOR_LOSS_VARIANTS: readonly GeneratorLossVariant[] = ['saturating', 'nonSaturating'];

export interface GeneratorLossOptions {
  /**
   * 'saturating': G minimises mean log(1 − D(G(z))), the minimax loss of Eq. 1 and Algorithm 1.
   * 'nonSaturating' (default): G minimises −mean log D(G(z)), the paper's section 3 fix ("train G to
   * maximize log D(G(z))"), also what the paper's code trains (g_obj = BCE(1, D(G(z)))).
   * Both have the same fixed point; the saturating one has vanishing gradients while D rejects G's
   * samples confidently, which is exactly the situation early in training.
   */
  variant?: GeneratorLossVariant;
}

/** G's loss on D's logits for a batch of G(z) (G minimises it). See GeneratorLossOptions.variant. */
export function generatorLoss(fakeLogits: tf.Tensor, options: GeneratorLossOptions = {}): tf.Scalar {
  const variant = checkVariant('generatorLoss', options.variant ?? 'nonSaturating');
  checkLogits('generatorLoss', 'fakeLogits', fakeLogits);
  return tf.tidy(() =>
    variant === 'saturating'
      ? (tf.mean(logOneMinusSigmoid(fakeLogits)) as tf.Scalar)
      : (tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar),
  );
}

/**
 * d(per-sample generator loss)/d(logit) as a function of d = D(G(z)) = σ(logit), plain numbers:
 *   saturating:    d/df log(1 − σ(f)) = −σ(f)        = −d        → 0 as d → 0 (D wins: G gets no signal)
 *   nonSaturating: d/df (−log σ(f))   = −(1 − σ(f))  = −(1 − d)  → −1 as d → 0 (strongest when G is worst)
 * The batch loss is a mean, so a batch of N gives each logit this value divided by N.
 */
export function generatorLossLogitGradient(dFake: number, variant: GeneratorLossVariant): number {
  checkVariant('generatorLossLogitGradient', variant);
  checkProbability('generatorLossLogitGradient', dFake);
  return variant === 'saturating' ? -dFake : -(1 - dFake);
}

/**
 * d(per-sample D loss, scale 1)/d(logit) as a function of d = D(x) = σ(logit):
 *   real sample (label 1): d/dr softplus(−r) = −(1 − d);  fake sample (label 0): d/df softplus(f) = d.
 * The familiar "prediction minus label" of logistic regression.
 */
export function discriminatorLossLogitGradient(d: number, label: 'real' | 'fake'): number {
  checkProbability('discriminatorLossLogitGradient', d);
  if (label !== 'real' && label !== 'fake') {
    throw new Error(`discriminatorLossLogitGradient: label must be 'real' or 'fake', got ${JSON.stringify(label)}`);
  }
  return label === 'real' ? d - 1 : d;
}

/** A GeneratorLossVariant, or an error listing the two. */
export function checkVariant(fn: string, variant: unknown): GeneratorLossVariant {
  if (!(GENERATOR_LOSS_VARIANTS as readonly unknown[]).includes(variant)) {
    throw new Error(
      `${fn}: unknown variant ${JSON.stringify(variant)}. Use 'saturating' (Eq. 1 / Algorithm 1: G minimises ` +
        "log(1 − D(G(z)))) or 'nonSaturating' (section 3 and the paper's code: G maximises log D(G(z))).",
    );
  }
  return variant as GeneratorLossVariant;
}

function checkProbability(fn: string, d: number): void {
  if (typeof d !== 'number' || !(d >= 0 && d <= 1)) {
    throw new Error(`${fn}: expected a probability D in [0, 1], got ${String(d)} (pass σ(logit), not the logit).`);
  }
}

/** Thrown by the batch losses when D's logits hold NaN or ±Infinity (diverged weights or bad input). */
export class NonFiniteLogitsError extends Error {
  constructor(
    readonly fn: string,
    readonly tensor: string,
    readonly nan: number,
    readonly inf: number,
  ) {
    super(
      `${fn}: ${tensor} holds ${describeNonFinite({ nan, inf })} ` +
        "of D's logits; there is no loss for those. D's weights or its input are not finite (a learning rate too high, or NaN/Inf in the data or the weights).",
    );
    this.name = 'NonFiniteLogitsError';
  }
}

/** One small download: throws NonFiniteLogitsError when `t` has a NaN or ±Inf, counting them only then. */
function checkFinite(fn: string, name: string, t: tf.Tensor): void {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)));
  const finite = ok.dataSync()[0] === 1;
  ok.dispose();
  if (finite) return;
  const { nan, inf } = countNonFinite(t.dataSync());
  throw new NonFiniteLogitsError(fn, name, nan, inf);
}

/**
 * D's outputs for one batch: a live float32 tensor of shape [N] or [N, 1], N ≥ 1, all finite (else a
 * NonFiniteLogitsError, which trainGan turns into a diagnosis of the step). Every GanLoss checks its inputs so.
 */
export function checkLogits(fn: string, name: string, t: tf.Tensor): void {
  if (!(t instanceof tf.Tensor)) {
    throw new Error(`${fn}: ${name} must be a tf.Tensor of D's logits (shape [N] or [N, 1]), got ${typeof t}.`);
  }
  if (t.isDisposed) throw new Error(`${fn}: ${name} was already disposed; compute the logits inside the same tf.tidy.`);
  if (t.size === 0)
    throw new Error(`${fn}: ${name} is empty (shape [${t.shape.join(', ')}]); pass at least one logit.`);
  if (t.dtype !== 'float32') {
    throw new Error(`${fn}: ${name} must be float32 logits, got dtype ${t.dtype}.`);
  }
  if (t.rank > 2 || (t.rank === 2 && t.shape[1] !== 1)) {
    throw new Error(
      `${fn}: ${name} must have shape [N] or [N, 1] (one logit per sample), got [${t.shape.join(', ')}]. ` +
        "Is the discriminator's last layer a single unit?",
    );
  }
  checkFinite(fn, name, t);
}
