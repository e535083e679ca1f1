/** ex1: z ~ U(−√3, √3) drawn with the seeded generator, in the same order as gan.uniformPrior. */
import { PriorCase } from '../cases';
import { allClose, asAttempt, fail, fmt, Outcome, partial, pass, Raw } from '../outcome';

const SQRT3 = Math.sqrt(3);

export function judgePrior(cases: PriorCase[], raws: unknown[]): Outcome {
  let partialReason: string | undefined;
  for (const [i, c] of cases.entries()) {
    const raw = (raws[i] ?? {}) as Raw;
    const a = asAttempt(raw.a);
    if (!a.ok) return fail(`on "${c.label}" your function threw${c.hidden ? '' : `: ${a.error}`}`);
    const b = asAttempt(raw.b);
    const reproducible = b.ok && allClose(a.values, b.values, 0, 0);
    if (!reproducible || raw.rngUsed !== true) {
      return fail(
        'Math.random instead of the seeded generator: two calls with new gan.Rng(' + c.seed + ') gave different numbers ' +
          '(or the rng passed in was never used). Draw every number with rng.uniform() so that a run is reproducible from its seed.',
        'Math.random instead of the seeded generator',
      );
    }
    if (a.shape.length !== 2 || a.shape[0] !== c.n || a.shape[1] !== c.dim) {
      return fail(`on "${c.label}" z has shape [${a.shape.join(', ')}], expected [${c.n}, ${c.dim}] (n rows of dim numbers).`);
    }
    if (allClose(a.values, c.expected, 1e-5, 1e-6)) continue;
    if (allClose(a.values, c.expected.map((x) => x / SQRT3), 1e-4, 1e-5) || (max(a.values) <= 1 && min(a.values) >= -1 && c.n * c.dim >= 100)) {
      return fail(
        'U(−1, 1) instead of U(−√3, √3): the paper draws every coordinate from U(−√3, √3), whose variance is (2√3)²/12 = 1; ' +
          'U(−1, 1) has variance 1/3.',
        'U(−1, 1) instead of U(−√3, √3)',
      );
    }
    if (min(a.values) < -SQRT3 - 1e-6 || max(a.values) > SQRT3 + 1e-6) {
      return fail(`on "${c.label}" some values lie outside [−√3, √3] (min ${fmt(min(a.values))}, max ${fmt(max(a.values))}): is this N(0, 1) instead of U(−√3, √3)?`);
    }
    partialReason =
      `on "${c.label}" your numbers are reproducible and lie in [−√3, √3], but they are not the ones gan.uniformPrior draws ` +
      'from the same seed: fill the n×dim values row by row, each as −√3 + 2√3·rng.uniform().';
  }
  return partialReason ? partial(0.5, partialReason) : pass(`all ${cases.length} cases match gan.uniformPrior number for number.`);
}

const min = (xs: number[]): number => xs.reduce((m, x) => Math.min(m, x), Infinity);
const max = (xs: number[]): number => xs.reduce((m, x) => Math.max(m, x), -Infinity);
