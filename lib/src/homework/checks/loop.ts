/**
 * ex11: the paper code's simultaneous update, compared with the lib's simultaneousStep on the same data and
 * noise; the known mistakes are the other ways of combining the two steps (referenceLoop's variants).
 */
import { LoopCase } from '../cases';
import { LoopVariant, referenceLoop } from '../generate';
import { allClose, asAttempt, asNumbers, fail, Outcome, partial, pass, Raw } from '../outcome';

/** What a loop that leaves tensors behind loses: the notebook states it ("a leak costs 1 of the 3 points"). */
export const LEAK_PENALTY_POINTS = 1;

const MISTAKES: { variant: LoopVariant; name: string; message: string }[] = [
  {
    variant: 'alternating',
    name: "Algorithm 1's order, not simultaneous",
    message: "D moved first and G's gradient was taken on the moved D (Algorithm 1 with k = 1, notebook 05). The paper's code takes both gradients at the current weights, then applies both.",
  },
  {
    variant: 'gFirst',
    name: 'G moved before D',
    message: "G's update was applied before D's gradient was taken, so D saw the moved G. Take both gradients first, then apply both.",
  },
  {
    variant: 'twoNoises',
    name: 'a second z for G',
    message: "G's gradient used a second batch of noise: the paper's code draws one z per step and both players' losses use the same G(z).",
  },
];

export function judgeLoop(cases: LoopCase[], raws: unknown[], points: number): Outcome {
  let leaked = 0;
  for (const [i, c] of cases.entries()) {
    const r = (raws[i] ?? {}) as Raw;
    if (r.ok !== true) {
      const a = asAttempt(r);
      return fail(`on "${c.label}" your function threw${c.hidden || a.ok ? '' : `: ${a.error}`}`);
    }
    const got = { dAfter: asNumbers(r.dAfter), gAfter: asNumbers(r.gAfter) };
    const same = (w: { dAfter: number[]; gAfter: number[] }) => allClose(got.dAfter, w.dAfter, 1e-3, 1e-6) && allClose(got.gAfter, w.gAfter, 1e-3, 1e-6);
    if (same(c.expected)) {
      leaked = Math.max(leaked, typeof r.leaked === 'number' ? r.leaked : 0);
      continue;
    }
    for (const m of MISTAKES) if (same(referenceLoop(c, m.variant))) return fail(`${m.name}: ${m.message}`, m.name);
    return fail(
      `on "${c.label}" the weights after your steps differ from the paper's simultaneous update. Per step: sampleReal(batchSize), then samplePrior(batchSize, latentDim, rng); both gradients at the current weights (D's of your discriminatorLoss, G's of your non-saturating generatorLoss, on the same G(z)); then both applied.`,
    );
  }
  if (leaked > 0) {
    return partial(
      (points - LEAK_PENALTY_POINTS) / points,
      `tensors left behind: the weights match the paper's update, but your steps leave ${leaked} tensor(s) behind (batches, gradients), which costs ${LEAK_PENALTY_POINTS} point: dispose them, or make them inside tf.tidy.`,
      'tensors left behind',
    );
  }
  return pass(`all ${cases.length} cases match the paper's simultaneous update (gan.simultaneousStep), and nothing is left behind.`);
}
