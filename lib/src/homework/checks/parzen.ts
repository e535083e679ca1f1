/** ex10: the Parzen-window log-likelihood of one point, as parzen_ll.py computes it. */
import { ParzenCase } from '../cases';
import { Outcome } from '../outcome';
import { checkValues } from './values';

export type ParzenFn = (centres: number[][], x: number[], sigma: number) => unknown;

export function checkParzen(fn: ParzenFn, cases: ParzenCase[]): Outcome {
  const normaliser = (c: ParzenCase) => c.x.length * Math.log(c.sigma * Math.sqrt(2 * Math.PI));
  return checkValues<ParzenCase>({
    cases,
    run: (c) => fn(c.centres.map((r) => [...r]), [...c.x], c.sigma),
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
    ],
    extremeHint: 'Compute the log-mean-exp stably: subtract the largest exponent before exp, add it back after the log.',
    extremeMistake: {
      name: 'naive log-mean-exp',
      message: 'far from every centre all exp(−‖x − μ‖²/2σ²) underflow to 0 and the log is −∞. Subtract the largest exponent before exp and add it back after the log.',
    },
  });
}
