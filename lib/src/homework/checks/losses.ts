/** ex2 and ex3: the players' losses from D's logits, and the mistakes people make writing them. */
import { DLossCase, GLossCase } from '../cases';
import { asAttempt, close, fail, Outcome } from '../outcome';
import { checkValues, Mistake } from './values';

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
const SWAPPED = 'saturating and non-saturating swapped';
const SWAP_MESSAGE = "'saturating' is the minimax loss mean log(1 − D(G(z))) of Eq. 1; 'nonSaturating' is the paper's section 3 fix −mean log D(G(z)).";
const STABLE_HINT = 'Compute the logs from the logits with tf.softplus so that they stay exact for any logit.';

const logitsAsProbabilities = <C>(f: (c: C, clipped: boolean) => number): Mistake<C> => ({
  name: 'logits treated as probabilities',
  message: "D's outputs here are logits (any real number), not probabilities: D(x) = σ(logit). Take log σ(logit) = −softplus(−logit), not log(logit).",
  test: (c, got) => [false, true].some((clipped) => {
    const v = f(c, clipped);
    return Number.isNaN(v) ? Number.isNaN(got[0]) : Number.isFinite(got[0]) && Math.abs(got[0] - v) <= 1e-4 * (1 + Math.abs(v));
  }),
});

export function judgeDiscriminatorLoss(cases: DLossCase[], raws: unknown[]): Outcome {
  return checkValues<DLossCase>({
    cases,
    raws,
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

export function judgeGeneratorLoss(cases: GLossCase[], raws: unknown[]): Outcome {
  const sat = (c: GLossCase) => mean(c.fake.map((f) => -softplus(f)));
  const ns = (c: GLossCase) => mean(c.fake.map((f) => softplus(-f)));
  const o = checkValues<GLossCase>({
    cases,
    raws,
    expected: (c) => [c.expected],
    mistakes: [
      {
        name: SWAPPED,
        message: `${SWAP_MESSAGE} Yours are the other way round.`,
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
  if (o.mistake !== SWAPPED) return o;
  // "swapped" fits each failing case; when only one variant fails, only that branch is wrong: say which
  const wrong = new Set(cases.filter((c, i) => !valueMatches(raws[i], c.expected)).map((c) => c.variant));
  if (wrong.size !== 1) return o;
  const [v] = [...wrong];
  const other = v === 'saturating' ? 'nonSaturating' : 'saturating';
  const name = `'${v}' branch gives the ${other} loss`;
  return fail(`${name}: only the '${v}' branch is wrong ('${other}' is right). ${SWAP_MESSAGE}`, name);
}

const valueMatches = (raw: unknown, want: number): boolean => {
  const a = asAttempt(raw);
  return a.ok && a.values.length === 1 && close(a.values[0], want);
};

