/** ex8 and ex9: Proposition 1's D* and Theorem 1's C(G) on a grid, in plain numbers. */
import { CriterionCase, DStarCase } from '../cases';
import { Outcome } from '../outcome';
import { checkValues } from './values';

export function judgeOptimalDiscriminator(cases: DStarCase[], raws: unknown[]): Outcome {
  return checkValues<DStarCase>({
    cases,
    raws,
    expected: (c) => c.expected,
    shape: (c) => [c.pData.length],
    mistakes: [
      {
        name: 'D* inverted',
        message: 'D*(x) = p_data(x) / (p_data(x) + p_g(x)) is the probability that x is REAL; you returned the probability that it is fake.',
        output: (c) => c.pData.map((p, i) => c.pG[i] / (p + c.pG[i])),
      },
    ],
    extremeHint: 'Where p_data(x) = p_g(x) = 0, V does not depend on D(x) at all: return 1/2 there (the equilibrium value), not 0/0.',
    extremeMistake: {
      name: '0/0 where both densities vanish',
      message: 'where p_data(x) = p_g(x) = 0 your D* is 0/0 = NaN. V does not depend on D(x) there: return 1/2 (the equilibrium value).',
    },
  });
}

export function judgeVirtualCriterion(cases: CriterionCase[], raws: unknown[]): Outcome {
  return checkValues<CriterionCase>({
    cases,
    raws,
    expected: (c) => [c.expected],
    rtol: 1e-5,
    atol: 1e-6,
    mistakes: [
      { name: 'sign flipped', message: 'C(G) = max_D V(D, G) ≤ 0: it is Σ (p_data·log D* + p_g·log(1 − D*))·dx, without a minus.', output: (c) => [-c.expected] },
      { name: 'dx left out', message: 'an integral on a grid is a sum times the grid step: multiply by dx.', output: (c) => (c.expected === 0 ? undefined : [c.expected / c.dx]) },
      { name: 'log base 2', message: 'the paper works in nats: use Math.log, not Math.log2.', output: (c) => (c.expected === 0 ? undefined : [c.expected / Math.LN2]) },
    ],
    extremeHint: 'Where a density is 0 its term is 0 (0·log 0 = 0, the limit of x·log x): skip those terms instead of multiplying 0 by −∞.',
    extremeMistake: {
      name: '0·log 0 not taken as 0',
      message: 'where a density is 0 your sum adds 0·log 0 = 0·(−∞) = NaN. That term is 0 (the limit of x·log x as x → 0): skip it.',
    },
  });
}
