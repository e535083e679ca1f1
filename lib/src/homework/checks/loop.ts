/** ex11: Algorithm 1 with k D steps per G step, compared with the lib's steps on the same data and noise. */
import { LoopCase } from '../cases';
import { referenceLoop } from '../generate';
import { allClose, asAttempt, asNumbers, fail, Outcome, pass, Raw } from '../outcome';

export function judgeLoop(cases: LoopCase[], raws: unknown[]): Outcome {
  for (const [i, c] of cases.entries()) {
    const r = (raws[i] ?? {}) as Raw;
    if (r.ok !== true) {
      const a = asAttempt(r);
      return fail(`on "${c.label}" your function threw${c.hidden || a.ok ? '' : `: ${a.error}`}`);
    }
    const got = { dAfter: asNumbers(r.dAfter), gAfter: asNumbers(r.gAfter) };
    const same = (w: { dAfter: number[]; gAfter: number[] }) => allClose(got.dAfter, w.dAfter, 1e-3, 1e-6) && allClose(got.gAfter, w.gAfter, 1e-3, 1e-6);
    if (same(c.expected)) {
      const leaked = typeof r.leaked === 'number' ? r.leaked : 0;
      if (leaked > 0) return pass(`weights match Algorithm 1, but the loop leaves ${leaked} tensor(s) behind: dispose each batch (or use tf.tidy).`);
      continue;
    }
    if (same(referenceLoop(c, 'gStepInsideLoop'))) {
      return fail('G stepped k times: Algorithm 1 takes k D steps, then ONE G step per iteration (the G step goes after the inner loop).', 'G step inside the k loop');
    }
    if (same(referenceLoop(c, 'reuseDNoise'))) {
      return fail("G's step reused the last D step's noise: Algorithm 1 samples a fresh minibatch of z for G's step.", "reused D's noise for G");
    }
    return fail(
      `on "${c.label}" the weights after your loop differ from Algorithm 1's. Per iteration: k times (sampleReal(batchSize), samplePrior(batchSize, latentDim, rng), discriminatorStep), then samplePrior again and generatorStep. (Check ex1, ex4 and ex5 first: this loop uses them.)`,
    );
  }
  return pass(`all ${cases.length} cases match Algorithm 1 run with the lib's steps.`);
}
