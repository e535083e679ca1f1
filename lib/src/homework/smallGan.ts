/** The tiny G and D the step and loop exercises train, and how their weights are read: one definition for cases and checks. */
import * as tf from '@tensorflow/tfjs';
// single modules, not the lib's index: the sandboxed child loads this file and should load little else
import { mlpDiscriminator, mlpGenerator } from '../models/mlp';
import { Rng } from '../random/rng';
import { uniformPrior, UniformPrior } from '../random/priors';
import { sgdMomentum } from '../train/sgdMomentum';
import type { LoopCase, SmallGan } from './cases';

export function buildSmallGan(s: SmallGan): { G: tf.LayersModel; D: tf.LayersModel } {
  const G = mlpGenerator({ latentDim: s.latentDim, hidden: s.gHidden, outputDim: s.dataDim, outputActivation: 'linear', activation: 'leakyRelu', seed: s.gSeed, name: 'hwG' });
  const D = mlpDiscriminator({ inputDim: s.dataDim, hidden: s.dHidden, activation: 'leakyRelu', seed: s.dSeed, name: 'hwD' });
  return { G, D };
}

/** The case's G and D weights before any step (the judge's own copy: a child's report is not trusted for them). */
export function initialWeights(s: SmallGan): { g: number[]; d: number[] } {
  const { G, D } = buildSmallGan(s);
  const out = { g: flatWeights(G), d: flatWeights(D) };
  disposeModels(G, D);
  return out;
}

/** A number as the case files store it: 9 significant digits (float32's, with room to spare). */
export const r9 = (x: number): number => Number(x.toPrecision(9));

/** Every weight of a model, flattened in the model's order. */
export function flatWeights(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

/** Plain SGD (θ ← θ − lr·∇) as the lib's optimiser: sgdMomentum with momentum 0 and no decay. */
export function plainSgd(lr: number) {
  return sgdMomentum({ learningRate: lr, momentum: 0, decayFactor: 1 });
}

/** Real data for the loop exercise: N(mean, std²) in every coordinate, from its own seeded stream. */
export function realSampler(seed: number, mean: number, std: number, dim: number): (n: number) => tf.Tensor2D {
  const rng = new Rng(seed);
  return (n) => tf.tensor2d(rng.fillNormal(new Float32Array(n * dim), mean, std), [n, dim]);
}

export function disposeModels(...models: tf.LayersModel[]): void {
  for (const m of models) m.dispose();
}

/** What a seeded training case (ex11's loop, t5's k steps) fixes: the small GAN, the step size, the data and z streams. */
export type SmallGanRunSpec = Pick<LoopCase, 'gan' | 'lr' | 'realSeed' | 'realMean' | 'realStd' | 'zSeed'>;

/** A reference run of such a case: its models, plain-SGD optimisers, real sampler, uniform prior and z stream. */
export interface SmallGanRun {
  G: tf.LayersModel;
  D: tf.LayersModel;
  models: { generator: tf.LayersModel; discriminator: tf.LayersModel };
  dOpt: ReturnType<typeof plainSgd>;
  gOpt: ReturnType<typeof plainSgd>;
  sampleReal: (n: number) => tf.Tensor2D;
  prior: UniformPrior;
  rng: Rng;
}

export function startSmallGanRun(c: SmallGanRunSpec): SmallGanRun {
  const { G, D } = buildSmallGan(c.gan);
  return {
    G,
    D,
    models: { generator: G, discriminator: D },
    dOpt: plainSgd(c.lr),
    gOpt: plainSgd(c.lr),
    sampleReal: realSampler(c.realSeed, c.realMean, c.realStd, c.gan.dataDim),
    prior: uniformPrior(c.gan.latentDim),
    rng: new Rng(c.zSeed),
  };
}

/** The run's weights afterwards, each rounded to 9 significant digits (as the cases store them); frees the run. */
export function finishSmallGanRun(run: SmallGanRun): { dAfter: number[]; gAfter: number[] } {
  const out = { dAfter: flatWeights(run.D).map(r9), gAfter: flatWeights(run.G).map(r9) };
  run.dOpt.dispose();
  run.gOpt.dispose();
  disposeModels(run.G, run.D);
  return out;
}
