/** ex2 and ex3: the players' losses from D's logits, and the mistakes people make writing them. */
import * as tf from '@tensorflow/tfjs';
import { DLossCase, GLossCase } from '../cases';
import { Outcome } from '../outcome';
import { checkValues, Mistake } from './values';

export type DiscriminatorLossFn = (realLogits: tf.Tensor1D, fakeLogits: tf.Tensor1D) => unknown;
export type GeneratorLossFn = (fakeLogits: tf.Tensor1D, variant: 'saturating' | 'nonSaturating') => unknown;

/** float64 helpers for the mistaken answers (the right ones come from the lib, in the cases). */
const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const EPS = 1e-7; // what tf.metrics.binaryCrossentropy clips probabilities to
const clip = (p: number): number => Math.min(1 - EPS, Math.max(EPS, p));

export const NAIVE_LOG = {
  name: 'naive log of σ',
  message:
    'log σ(logit) is computed naively: at |logit| = 100, σ rounds to exactly 0 or 1 in float32, so the log is −∞ and ' +
    'the gradient NaN. Use log σ(x) = −softplus(−x) and log(1 − σ(x)) = −softplus(x) (tf.softplus).',
};
const STABLE_HINT = 'Compute the logs from the logits with tf.softplus so that they stay exact for any logit.';

const logitsAsProbabilities = <C>(f: (c: C, clipped: boolean) => number): Mistake<C> => ({
  name: 'logits treated as probabilities',
  message: "D's outputs here are logits (any real number), not probabilities: D(x) = σ(logit). Take log σ(logit) = −softplus(−logit), not log(logit).",
  test: (c, got) => [false, true].some((clipped) => {
    const v = f(c, clipped);
    return Number.isNaN(v) ? Number.isNaN(got[0]) : Number.isFinite(got[0]) && Math.abs(got[0] - v) <= 1e-4 * (1 + Math.abs(v));
  }),
});

export function checkDiscriminatorLoss(fn: DiscriminatorLossFn, cases: DLossCase[]): Outcome {
  return checkValues<DLossCase>({
    cases,
    run: (c) => tf.tidy(() => fn(tf.tensor1d(c.real), tf.tensor1d(c.fake)) as tf.Tensor),
    expected: (c) => [c.expected],
    mistakes: [
      {
        name: 'sign flipped',
        message: 'you returned V instead of −V. D maximises V, so the loss its optimiser minimises is −V = −mean log D(x) − mean log(1 − D(G(z))).',
        output: (c) => [-c.expected],
      },
      {
        name: 'real/fake labels swapped',
        message: 'real samples need label 1 (loss −log D(x)) and fakes label 0 (loss −log(1 − D(G(z)))); yours are the other way round.',
        output: (c) => [mean(c.real.map(softplus)) + mean(c.fake.map((f) => softplus(-f)))],
      },
      {
        name: 'sum instead of mean',
        message: 'V is an expectation: average over each batch (tf.mean), do not add up the samples (tf.sum).',
        output: (c) => [sum(c.real.map((r) => softplus(-r))) + sum(c.fake.map(softplus))],
      },
      logitsAsProbabilities<DLossCase>((c, clipped) => {
        const p = (x: number) => (clipped ? clip(x) : x);
        return -mean(c.real.map((r) => Math.log(p(r)))) - mean(c.fake.map((f) => Math.log(1 - p(f))));
      }),
    ],
    extremeHint: STABLE_HINT,
    extremeMistake: NAIVE_LOG,
  });
}

export function checkGeneratorLoss(fn: GeneratorLossFn, cases: GLossCase[]): Outcome {
  const sat = (c: GLossCase) => mean(c.fake.map((f) => -softplus(f)));
  const ns = (c: GLossCase) => mean(c.fake.map((f) => softplus(-f)));
  return checkValues<GLossCase>({
    cases,
    run: (c) => tf.tidy(() => fn(tf.tensor1d(c.fake), c.variant) as tf.Tensor),
    expected: (c) => [c.expected],
    mistakes: [
      {
        name: 'saturating and non-saturating swapped',
        message:
          "'saturating' is the minimax loss mean log(1 − D(G(z))) of Eq. 1; 'nonSaturating' is the paper's section 3 fix −mean log D(G(z)). Yours are the other way round.",
        output: (c) => [c.variant === 'saturating' ? ns(c) : sat(c)],
      },
      {
        name: 'sign flipped',
        message: 'G minimises this loss: log(1 − D(G(z))) for the saturating one, −log D(G(z)) (note the minus) for the non-saturating one.',
        output: (c) => [-c.expected],
      },
      {
        name: 'sum instead of mean',
        message: 'average over the batch (tf.mean), do not add up the samples (tf.sum).',
        output: (c) => [c.expected * c.fake.length],
      },
      logitsAsProbabilities<GLossCase>((c, clipped) => {
        const p = (x: number) => (clipped ? clip(x) : x);
        return c.variant === 'saturating' ? mean(c.fake.map((f) => Math.log(1 - p(f)))) : -mean(c.fake.map((f) => Math.log(p(f))));
      }),
    ],
    extremeHint: STABLE_HINT,
    extremeMistake: NAIVE_LOG,
  });
}
