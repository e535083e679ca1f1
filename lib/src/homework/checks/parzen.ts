/** ex10: the Parzen-window log-likelihood of one point, as parzen_ll.py computes it. */
import { ParzenCase } from '../cases';
import { Outcome, sameNumbers } from '../outcome';
import { checkValues } from './values';

/** log((1/n)·Σ exp(e)), stably. */
const logMeanExp = (e: number[]): number => {
  const top = Math.max(...e);
  return top + Math.log(e.reduce((s, v) => s + Math.exp(v - top), 0) / e.length);
};
const exponents = (c: ParzenCase): number[] => c.centres.map((mu) => -mu.reduce((s, m, i) => s + (c.x[i] - m) ** 2, 0) / (2 * c.sigma * c.sigma));

export function judgeParzen(cases: ParzenCase[], raws: unknown[]): Outcome {
  const normaliser = (c: ParzenCase) => c.x.length * Math.log(c.sigma * Math.sqrt(2 * Math.PI));
  return checkValues<ParzenCase>({
    cases,
    raws,
    expected: (c) => [c.expected],
    // the reference distances are float32 (one matMul); far points have huge exponents
    rtol: 1e-5,
    atol: 2e-3,
    mistakes: [
      {
        name: 'Parzen missing the d·log(σ√(2π)) term',
        message: "a Gaussian kernel of width σ in d dimensions is normalised by (σ√(2π))^d: subtract d·log(σ·√(2π)) from the log-mean-exp.",
        output: (c) => [c.expected + normaliser(c)],
      },
      {
        name: 'sum instead of mean',
        message: 'p(x) is the MEAN of the m kernels (each centre has weight 1/m): log-mean-exp = log-sum-exp − log m.',
        output: (c) => [c.expected + Math.log(c.centres.length)],
      },
      {
        name: 'σ² where σ belongs',
        message: 'the normaliser is d·log(σ·√(2π)) (σ, not σ²) and the exponent −‖x − μ‖² / (2σ²).',
        output: (c) => [c.expected + normaliser(c) - c.x.length * Math.log(c.sigma * c.sigma * Math.sqrt(2 * Math.PI))],
      },
      {
        name: 'mean of the logs instead of the log of the mean',
        message: 'p(x) is the mean of the kernels, so log p(x) = log((1/m)·Σ exp(e_j)) − d·log(σ√(2π)): take the log of the mean (log-mean-exp), not the mean of the exponents e_j.',
        output: (c) => [exponents(c).reduce((s, v) => s + v, 0) / c.centres.length - normaliser(c)],
      },
      {
        name: 'Parzen over the wrong axis',
        message: "the squared distance ‖x − μ_j‖² sums over the d coordinates of one centre, and the mean is over the m centres: your sums run the other way (over centres, then a mean over coordinates).",
        // sums over the centres give d exponents; their log-mean-exp divided by d or by m
        test: (c, got) => {
          if (c.x.length === c.centres.length) return undefined; // a square case cannot tell the axes apart
          const e = c.x.map((xi, i) => -c.centres.reduce((s, mu) => s + (xi - mu[i]) ** 2, 0) / (2 * c.sigma * c.sigma));
          const byD = logMeanExp(e) - normaliser(c);
          return [byD, byD + Math.log(e.length / c.centres.length)].some((v) => sameNumbers(got, [v]));
        },
      },
    ],
    extremeHint: 'Compute the log-mean-exp stably: subtract the largest exponent before exp, add it back after the log.',
    extremeMistake: {
      name: 'naive log-mean-exp',
      message: 'far from every centre all exp(−‖x − μ‖²/2σ²) underflow to 0 and the log is −∞. Subtract the largest exponent before exp and add it back after the log.',
    },
  });
}
