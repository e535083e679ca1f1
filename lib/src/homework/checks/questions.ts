/** q1: the autograded number of the written question on G's loss. */
import { GradientCase } from '../cases';
import { Outcome } from '../outcome';
import { checkValues } from './values';

export function judgeGradients(cases: GradientCase[], raws: unknown[]): Outcome {
  return checkValues<GradientCase>({
    cases,
    raws,
    expected: (c) => [c.expected.saturating, c.expected.nonSaturating],
    rtol: 1e-3,
    mistakes: [
      { name: 'saturating and non-saturating swapped', message: 'the saturating loss log(1 − σ(f)) has d/df = −σ(f) = −D(G(z)); the non-saturating −log σ(f) has −(1 − D(G(z))).', output: (c) => [c.expected.nonSaturating, c.expected.saturating] },
      { name: 'sign flipped', message: 'both losses fall as D(G(z)) rises, so both derivatives with respect to the logit are negative.', output: (c) => [-c.expected.saturating, -c.expected.nonSaturating] },
      { name: 'gradient with respect to D instead of the logit', message: 'differentiate with respect to the logit f, where D(G(z)) = σ(f) and dσ/df = σ(1 − σ).', output: (c) => [-1 / (1 - c.d), -1 / c.d] },
    ],
    extremeHint: '',
  });
}
