// Building homework submissions for the tests: the exercises' signatures (as the released notebook has them), a
// cell from a function body, and a notebook with some cells replaced. Shared by tests/homework.test.mjs
// (named mistakes) and tests/homework-attacks.test.mjs (hostile students).
import { toSource } from '../../scripts/homework/notebook.mjs';

export const sig = {
  ex1: 'function samplePrior(n: number, dim: number, rng: gan.Rng): tf.Tensor2D',
  ex2: 'function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar',
  ex3: "function generatorLoss(fakeLogits: tf.Tensor, variant: 'saturating' | 'nonSaturating'): tf.Scalar",
  ex4: 'function discriminatorStep(G: tf.LayersModel, D: tf.LayersModel, optimizer: tf.Optimizer, real: tf.Tensor2D, z: tf.Tensor2D): number',
  ex5: 'function generatorStep(G: tf.LayersModel, D: tf.LayersModel, optimizer: tf.Optimizer, z: tf.Tensor2D): number',
  ex6: 'function maxout(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, units: number, pieces: number): tf.Tensor2D',
  ex7: 'function discriminatorParameterCount(inputs: number, hidden: number[], pieces: number): number',
  ex8: 'function optimalDiscriminator(pData: number[], pG: number[]): number[]',
  ex9: 'function virtualCriterion(pData: number[], pG: number[], dx: number): number',
  ex10: 'function parzenLogLikelihood(centres: number[][], x: number[], sigma: number): number',
  q1: 'function gradientsAt(d: number): { saturating: number; nonSaturating: number }',
  q2: 'function conservedQuantity(x: number, y: number, eta: number): number',
  ex11: 'function trainSimultaneous(G: any, D: any, dOptimizer: any, gOptimizer: any, sampleReal: any, rng: any, options: any): void',
  t1: 'function transposedConvShapes(input: number[], layers: { filters: number; kernel: number; stride: number; padding: number }[]): number[][]',
  t2: 'function ringMetrics(points: number[][], centres: number[][], std: number): { modesCovered: number; highQualityShare: number }',
  t3: 'function conditionalInput(z: tf.Tensor2D, labels: number[], classes: number): tf.Tensor2D',
  t4: 'function projectionLogit(features: tf.Tensor2D, labels: number[], psiKernel: tf.Tensor2D, psiBias: number, embedding: tf.Tensor2D): tf.Tensor2D',
  t5: 'function trainAlgorithm1(G: any, D: any, dOptimizer: any, gOptimizer: any, sampleReal: any, rng: any, options: any): void',
};
/** A solution cell: optional code before the function, then the function of exercise `id` with `body`. */
export const fnCell = (id, body, before = '') => `${before ? `${before}\n` : ''}${sig[id]} {\n${body}\n}`;

/** A notebook made from `base` with some cells' text replaced: { grade_id: text }. */
export function variant(base, replace) {
  const nb = structuredClone(base);
  for (const c of nb.cells) {
    const id = c.metadata?.nbgrader?.grade_id;
    if (id in replace) c.source = toSource(replace[id]);
  }
  return nb;
}
