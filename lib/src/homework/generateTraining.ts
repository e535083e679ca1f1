/**
 * Assignment 2's reference cases ("training and failure"): the expected outputs are what TensorFlow.js's own
 * layers (t1), the lib's mixtureMetrics (t2), oneHotLabels (t3), projectionDiscriminator (t4) and
 * discriminatorStep / generatorStep (t5) give. Drawn from a stream of their own, so that Assignment 1's cases
 * of a seed stay as they were.
 */
import * as tf from '@tensorflow/tfjs';
import { ringMixture2D } from '../data/toys2d';
import { oneHotLabels } from '../data/realSource';
import { mixtureMetrics } from '../metrics/mixture';
import { projectionDiscriminator } from '../models/conditionalNets';
import { Rng } from '../random';
import { discriminatorStep, generatorStep } from '../train/steps';
import { CaseSet, ConvTLayer, KStepCase, SmallGan } from './cases';
import { finishSmallGanRun, r9, startSmallGanRun } from './smallGan';

const rows = (t: tf.Tensor): number[][] => (t.arraySync() as number[][]).map((r) => r.map(r9));

/**
 * Shapes after each layer, read from TensorFlow.js: PyTorch's ConvTranspose2d(k, s, p) is TF's 'valid'
 * transposed convolution (size (n − 1)·s + k for k ≥ s) with p rows and columns cropped on each side.
 */
export function transposedConvReference(input: number[], layers: ConvTLayer[]): number[][] {
  const model = tf.sequential();
  const out: number[][] = [];
  for (const [i, l] of layers.entries()) {
    model.add(tf.layers.conv2dTranspose({ filters: l.filters, kernelSize: l.kernel, strides: l.stride, padding: 'valid', ...(i === 0 ? { inputShape: input } : {}) }));
    const crop = tf.layers.cropping2D({ cropping: [[l.padding, l.padding], [l.padding, l.padding]] });
    model.add(crop);
    out.push((crop.outputShape as number[]).slice(1));
  }
  model.dispose();
  return out;
}

/** t2's answer from the lib: [modes covered, high-quality share] (options as mixtureMetrics takes them). */
export function ringReference(c: { points: number[][]; centres: number[][]; std: number }, o: { sigmas?: number; minFairShare?: number } = {}): number[] {
  const m = mixtureMetrics(c.points.flat(), { centres: c.centres as [number, number][], std: c.std, ...o });
  return [m.modesCovered, r9(m.highQualityShare)];
}

/** t4's logits from the lib's projection D, its feature layers the identity (φ(x) is given). */
export function projectionReference(c: { features: number[][]; labels: number[]; psiKernel: number[][]; psiBias: number; embedding: number[][] }): number[][] {
  const [h, classes] = [c.features[0].length, c.embedding.length];
  const init = () => tf.initializers.zeros(); // every weight is set below
  const model = projectionDiscriminator('hwProjection', h, classes, { layers: [], units: h }, init);
  const byName = (part: string) => model.weights.find((w) => w.name.includes(part))!;
  const values = new Map<tf.LayerVariable, tf.Tensor>([
    [byName('_y/kernel'), tf.tensor2d(c.psiKernel)],
    [byName('_y/bias'), tf.tensor1d([c.psiBias])],
    [byName('_embed/kernel'), tf.tensor2d(c.embedding)],
  ]);
  model.setWeights(model.weights.map((w) => values.get(w)!));
  const out = tf.tidy(() => model.predict(tf.concat([tf.tensor2d(c.features), oneHotLabels(c.labels, classes)], 1)) as tf.Tensor);
  const result = rows(out);
  tf.dispose([out, ...values.values()]);
  model.dispose();
  return result;
}

export type KStepVariant = 'fresh' | 'oneZForD' | 'oneZ' | 'kIgnored';

/**
 * t5 with the lib's steps and plain SGD: per iteration, k times (sampleReal, then a fresh z, then D's step),
 * then a fresh z and G's step. The other variants are the mistakes the check names: 'oneZForD' (one z for
 * all k D steps), 'oneZ' (that z for G's step too), 'kIgnored' (one D step whatever k).
 */
export function referenceKSteps(c: Omit<KStepCase, 'expected'>, variant: KStepVariant = 'fresh'): { dAfter: number[]; gAfter: number[] } {
  const run = startSmallGanRun(c);
  const { models, dOpt, gOpt, sampleReal, prior, rng } = run;
  for (let s = 0; s < c.steps; s++) {
    let shared: tf.Tensor2D | undefined;
    for (let j = 0; j < (variant === 'kIgnored' ? 1 : c.k); j++) {
      const real = sampleReal(c.batchSize);
      const z = variant === 'fresh' || variant === 'kIgnored' ? prior.sample(c.batchSize, rng) : (shared ??= prior.sample(c.batchSize, rng));
      discriminatorStep({ ...models, optimizer: dOpt, real, z });
      tf.dispose(z === shared ? [real] : [real, z]);
    }
    const z = variant === 'oneZ' ? shared! : prior.sample(c.batchSize, rng);
    generatorStep({ ...models, optimizer: gOpt, z });
    tf.dispose(shared && z !== shared ? [z, shared] : [z]);
  }
  return finishSmallGanRun(run);
}

type TrainingCases = Pick<CaseSet, 't1' | 't2' | 't3' | 't4' | 't5'>;

export function generateTrainingCases(seed: number): TrainingCases {
  const rng = new Rng(seed * 1000 + 2); // Assignment 2's own stream
  const int = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
  const u = (lo: number, hi: number): number => r9(lo + (hi - lo) * rng.uniform());
  const matrix = (n: number, m: number, lo: number, hi: number) => Array.from({ length: n }, () => Array.from({ length: m }, () => u(lo, hi)));

  // t1: notebook 07's G, the DCGAN paper's 64×64 G (as PyTorch's example writes it) and a stack of drawn settings
  const drawn = Array.from({ length: 3 }, () => {
    const kernel = int(2, 7);
    return { filters: int(1, 64), kernel, stride: int(1, Math.min(3, kernel)), padding: int(0, Math.floor((kernel - 1) / 2)) };
  });
  const size = int(2, 9);
  const t1: CaseSet['t1'] = [
    { label: "notebook 07's G: 7×7×128 → 14×14×64 → 28×28×1", input: [7, 7, 128], layers: [{ filters: 64, kernel: 4, stride: 2, padding: 1 }, { filters: 1, kernel: 4, stride: 2, padding: 1 }] },
    { label: "DCGAN's 64×64 G from z as 1×1×100", input: [1, 1, 100], layers: [{ filters: 512, kernel: 4, stride: 1, padding: 0 }, ...[256, 128, 64, 3].map((filters) => ({ filters, kernel: 4, stride: 2, padding: 1 }))] },
    { label: 'three layers of other kernels, strides and paddings', input: [size, size, int(1, 32)], layers: drawn },
  ].map((c) => ({ ...c, expected: transposedConvReference(c.input, c.layers) }));

  // t2: a ring; some modes get good samples, one only a few (under a fifth of its fair share: covered only
  // without that threshold), two only blurry samples (nearest to them but 4–8σ away: covered only without the
  // quality cut), one nothing. Two blurry modes and one rare one tell the two mistakes apart by the count.
  const ringCase = (label: string, modes: number, std: number) => {
    const centres = ringMixture2D(modes, 2, std).modes.map(([x, y]) => [r9(x), r9(y)]);
    const order = Array.from({ length: modes }, (_, i) => i).sort(() => rng.uniform() - 0.5);
    const [good, rare, blurry] = [order.slice(0, modes - 4), order[modes - 3], order.slice(modes - 2)];
    const n = 40 * modes;
    const near = (k: number, radius: () => number) => {
      const a = 2 * Math.PI * rng.uniform();
      const r = radius();
      return [r9(centres[k][0] + r * Math.cos(a)), r9(centres[k][1] + r * Math.sin(a))];
    };
    const points: number[][] = [];
    for (let i = 0; i < 2; i++) points.push(near(rare, () => std * 2 * rng.uniform()));
    for (const k of blurry) for (let i = 0; i < 25; i++) points.push(near(k, () => std * (4 + 4 * rng.uniform())));
    while (points.length < n) points.push(near(good[rng.int(good.length)], () => std * Math.abs(rng.normal()) * 1.2));
    const c = { label, points, centres, std };
    return { ...c, expected: ringReference(c) };
  };
  const t2: CaseSet['t2'] = [ringCase("notebook 08's ring (8 modes, σ = 0.02)", 8, 0.02), ringCase('another ring', int(6, 10), u(0.03, 0.1))];

  // t3: a batch of one z per class (notebook 09's grid asks for each digit once), labels in a drawn order
  const t3: CaseSet['t3'] = [
    { classes: 10, zDim: 4 },
    { classes: int(3, 7), zDim: int(2, 5) },
  ].map(({ classes, zDim }) => {
    const labels = Array.from({ length: classes }, (_, i) => i).sort(() => rng.uniform() - 0.5);
    if (labels.every((l, i) => l === i)) labels.reverse(); // never the identity: it hides a transposed one-hot
    labels[0] = labels[classes - 1]; // a class asked twice, one not at all
    const z = matrix(classes, zDim, -1.7, 1.7);
    const out = tf.tidy(() => tf.concat([tf.tensor2d(z), oneHotLabels(labels, classes)], 1));
    const expected = rows(out);
    out.dispose();
    return { label: `${classes} rows, ${classes} classes, z of ${zDim}`, z, labels, classes, expected };
  });

  // t4: features φ(x) of drawn width, a class per row
  const t4: CaseSet['t4'] = [
    { n: 5, h: 4, classes: 3 },
    { n: int(3, 8), h: int(2, 6), classes: int(2, 10) },
  ].map(({ n, h, classes }) => {
    const c = {
      label: `${n} rows of ${h} features, ${classes} classes`,
      features: matrix(n, h, -2, 2),
      labels: Array.from({ length: n }, () => rng.int(classes)),
      psiKernel: matrix(h, 1, -1, 1),
      psiBias: u(-1, 1),
      embedding: matrix(classes, h, -1, 1),
    };
    return { ...c, expected: projectionReference(c) };
  });

  const small = (): SmallGan => ({ latentDim: 2, dataDim: 2, gHidden: [5], dHidden: [6], gSeed: int(1, 1e6), dSeed: int(1, 1e6) });
  const t5: CaseSet['t5'] = [
    { k: 2, steps: 2, batchSize: 4 },
    { k: 3, steps: 2, batchSize: 3 },
  ].map((c) => {
    const base = { label: `k = ${c.k}, ${c.steps} iterations, batch ${c.batchSize}`, gan: small(), lr: 0.05, ...c, realSeed: int(1, 1e6), realMean: 2, realStd: 0.5, zSeed: int(1, 1e6) };
    return { ...base, expected: referenceKSteps(base) };
  });

  return { t1, t2, t3, t4, t5 };
}
