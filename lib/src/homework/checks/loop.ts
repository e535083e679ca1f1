/** ex11: Algorithm 1 with k D steps per G step, compared with the lib's steps on the same data and noise. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../random';
import { LoopCase } from '../cases';
import { referenceLoop } from '../generate';
import { allClose, attempt, fail, Outcome, pass } from '../outcome';
import { buildSmallGan, disposeModels, flatWeights, realSampler } from '../smallGan';

export interface LoopOptions { steps: number; k: number; batchSize: number; latentDim: number }
export type TrainGanFn = (
  G: tf.LayersModel, D: tf.LayersModel, dOptimizer: tf.Optimizer, gOptimizer: tf.Optimizer,
  sampleReal: (n: number) => tf.Tensor2D, rng: Rng, options: LoopOptions,
) => unknown;

export function checkLoop(fn: TrainGanFn, cases: LoopCase[]): Outcome {
  for (const c of cases) {
    const { G, D } = buildSmallGan(c.gan);
    const dOpt = tf.train.sgd(c.lr);
    const gOpt = tf.train.sgd(c.lr);
    try {
      const before = tf.memory().numTensors;
      const a = attempt(() => fn(G, D, dOpt, gOpt, realSampler(c.realSeed, c.realMean, c.realStd, c.gan.dataDim), new Rng(c.zSeed),
        { steps: c.steps, k: c.k, batchSize: c.batchSize, latentDim: c.gan.latentDim }));
      if (!a.ok) return fail(`on "${c.label}" your function threw: ${a.error}`);
      const got = { dAfter: flatWeights(D), gAfter: flatWeights(G) };
      const same = (w: { dAfter: number[]; gAfter: number[] }) => allClose(got.dAfter, w.dAfter, 1e-3, 1e-6) && allClose(got.gAfter, w.gAfter, 1e-3, 1e-6);
      if (same(c.expected)) {
        const leaked = tf.memory().numTensors - before;
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
    } finally {
      dOpt.dispose();
      gOpt.dispose();
      disposeModels(G, D);
    }
  }
  return pass(`all ${cases.length} cases match Algorithm 1 run with the lib's steps.`);
}
