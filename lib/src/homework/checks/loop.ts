/**
 * ex11 and t5: a training loop, judged by the weights it leaves, compared with the lib's steps on the same data
 * and noise; the known mistakes are other ways of drawing the noise or combining the steps (referenceLoop's and
 * referenceKSteps' variants), recognised by the weights they give.
 */
import { KStepCase, LoopCase } from '../cases';
import { LoopVariant, referenceLoop } from '../generate';
import { KStepVariant, referenceKSteps } from '../generateTraining';
import { allClose, asAttempt, asNumbers, fail, Outcome, partial, pass, Raw } from '../outcome';

/** What a loop that leaves tensors behind loses: the notebooks state it ("a leak costs 1 of the … points"). */
export const LEAK_PENALTY_POINTS = 1;

type Weights = { dAfter: number[]; gAfter: number[] };
interface LoopMistake<C> { name: string; message: string; weights: (c: C) => Weights }

interface LoopCheck<C extends { label: string; hidden?: boolean; expected: Weights }> {
  mistakes: LoopMistake<C>[];
  /** Said when the weights match neither the reference nor a known mistake: what the loop must do. */
  wrong: string;
  /** Said when every case matches: which of the lib's functions it matched. */
  right: string;
}

function judgeTraining<C extends { label: string; hidden?: boolean; expected: Weights }>(cases: C[], raws: unknown[], points: number, check: LoopCheck<C>): Outcome {
  let leaked = 0;
  for (const [i, c] of cases.entries()) {
    const r = (raws[i] ?? {}) as Raw;
    if (r.ok !== true) {
      const a = asAttempt(r);
      return fail(`on "${c.label}" your function threw${c.hidden || a.ok ? '' : `: ${a.error}`}`);
    }
    const got = { dAfter: asNumbers(r.dAfter), gAfter: asNumbers(r.gAfter) };
    const same = (w: Weights) => allClose(got.dAfter, w.dAfter, 1e-3, 1e-6) && allClose(got.gAfter, w.gAfter, 1e-3, 1e-6);
    if (same(c.expected)) {
      leaked = Math.max(leaked, typeof r.leaked === 'number' ? r.leaked : 0);
      continue;
    }
    for (const m of check.mistakes) if (same(m.weights(c))) return fail(`${m.name}: ${m.message}`, m.name);
    return fail(`on "${c.label}" the weights after your steps differ from ${check.wrong}`);
  }
  if (leaked > 0) {
    return partial(
      (points - LEAK_PENALTY_POINTS) / points,
      `tensors left behind: the weights match, but your steps leave ${leaked} tensor(s) behind (batches, gradients), which costs ${LEAK_PENALTY_POINTS} point: dispose them, or make them inside tf.tidy.`,
      'tensors left behind',
    );
  }
  return pass(`all ${cases.length} cases match ${check.right}, and nothing is left behind.`);
}

const LOOP_MISTAKES: { variant: LoopVariant; name: string; message: string }[] = [
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
  return judgeTraining(cases, raws, points, {
    mistakes: LOOP_MISTAKES.map((m) => ({ ...m, weights: (c: LoopCase) => referenceLoop(c, m.variant) })),
    wrong:
      "the paper's simultaneous update. Per step: sampleReal(batchSize), then samplePrior(batchSize, latentDim, rng); both gradients at the current weights (D's of your discriminatorLoss, G's of your non-saturating generatorLoss, on the same G(z)); then both applied.",
    right: "the paper's simultaneous update (gan.simultaneousStep)",
  });
}

const K_MISTAKES: { variant: KStepVariant; name: string; message: string }[] = [
  {
    variant: 'oneZForD',
    name: 'the same noise for every D step',
    message: 'your k D steps reuse one batch of noise. Algorithm 1 samples a fresh minibatch of m noise samples (and of m real examples) for each of the k steps of D.',
  },
  {
    variant: 'oneZ',
    name: 'one noise batch per iteration',
    message: "one z served all k D steps and G's step. Algorithm 1 draws fresh noise for every D step and again for G's step.",
  },
  {
    variant: 'kIgnored',
    name: 'k ignored',
    message: 'your loop makes one D step per iteration whatever k is: Algorithm 1 makes k of them, then one G step.',
  },
];

export function judgeKSteps(cases: KStepCase[], raws: unknown[], points: number): Outcome {
  return judgeTraining(cases, raws, points, {
    mistakes: K_MISTAKES.map((m) => ({ ...m, weights: (c: KStepCase) => referenceKSteps(c, m.variant) })),
    wrong:
      "Algorithm 1's. Per iteration: k times (sampleReal(batchSize), then samplePrior(batchSize, latentDim, rng), then one D step descending your discriminatorLoss); then samplePrior(batchSize, latentDim, rng) and one G step descending your non-saturating generatorLoss.",
    right: "Algorithm 1 with k D steps (gan.discriminatorStep and gan.generatorStep on the same batches)",
  });
}
