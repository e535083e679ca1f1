/** q1 and q2: the autograded parts of the written questions (G's gradient; what Algorithm 1's order keeps). */
import { GradientCase, InvariantCase } from '../cases';
import { asAttempt, fail, fmt, Outcome, pass } from '../outcome';
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

/**
 * q2: a quantity Q(x, y, η) that one step of Algorithm 1's order (y ← y + ηx, then x ← x − ηy) keeps. Judged by
 * what it does, not by its formula, so that any function of the invariant passes: Q is the same at each point
 * and at its image, and not the same at every point (a constant is kept by every map).
 */
export function judgeInvariant(cases: InvariantCase[], raws: unknown[]): Outcome {
  for (const [i, c] of cases.entries()) {
    const a = asAttempt(raws[i]);
    const n = c.points.length;
    if (!a.ok) return fail(`on "${c.label}" your function threw${c.hidden ? '' : `: ${a.error}`}`);
    if (a.values.length !== 3 * n || !a.values.every(Number.isFinite)) {
      return fail(`on "${c.label}" your function did not return one finite number per point (x, y).`);
    }
    const [q, qD, qG] = [0, 1, 2].map((k) => a.values.slice(k * n, (k + 1) * n));
    const scale = 1 + Math.max(...q.map(Math.abs));
    const kept = (after: number[]) => after.every((v, j) => Math.abs(v - q[j]) <= 1e-6 * scale);
    if (Math.max(...q) - Math.min(...q) <= 1e-6 * scale) {
      return fail('a constant: your quantity has the same value at every point, and a constant is kept by every map and says nothing. Find one that tells the orbits apart (it grows with the distance from (0, 0)).', 'a constant');
    }
    if (kept(qD)) continue;
    if (kept(qG)) {
      return fail(
        'the other order\'s quantity: yours is kept when x moves first (x ← x − ηy, then y ← y + ηx), not in Algorithm 1\'s order, where D (y) moves first. Redo the algebra with y updated first.',
        "the other order's quantity",
      );
    }
    const r2 = c.points.map(([x, y]) => x * x + y * y);
    if (q.every((v, j) => Math.abs(v / r2[j] - q[0] / r2[0]) <= 1e-6 * Math.abs(q[0] / r2[0]))) {
      return fail('x² + y² is not kept: the distance from (0, 0) oscillates along the orbit (notebook 08 §5 plots it). Look for a quadratic with an x·y term.', 'x² + y²');
    }
    const worst = Math.max(...qD.map((v, j) => Math.abs(v - q[j]) / scale));
    return fail(`on "${c.label}" your quantity changes over one step of Algorithm 1's order${c.hidden ? '' : ` (by up to ${fmt(worst)} of its size)`}: it is not kept.`);
  }
  return pass(`kept by one step of Algorithm 1's order on all ${cases.length} step sizes, and not constant.`);
}
