/** The small seeded 1-D GAN the training tests share: z (2-d) → G → x, D with optional dropout; everything from `seed`. */
import {
  adam,
  distributionSource,
  gaussian1D,
  mlpDiscriminator,
  mlpGenerator,
  Rng,
  sgdMomentum,
  uniformPrior,
} from '../src';

export function toyGan(seed: number, opts: { dropout?: boolean; optimizer?: 'sgd' | 'adam' } = {}) {
  const root = new Rng(seed);
  const generator = mlpGenerator({
    latentDim: 2,
    hidden: [8],
    outputDim: 1,
    outputActivation: 'linear',
    seed: root.nextUint32(),
  });
  const discriminator = mlpDiscriminator({
    inputDim: 1,
    hidden: [8],
    activation: 'leakyRelu',
    seed: root.nextUint32(),
    ...(opts.dropout ? { dropoutKeep: 0.8, dropoutRng: root.fork() } : {}),
  });
  const make = () =>
    opts.optimizer === 'adam'
      ? adam({ learningRate: 0.01, beta1: 0.5 })
      : sgdMomentum({
          learningRate: 0.05,
          // the paper's decay, which the seeded numbers of gan-loss.test.ts were recorded with (sgdMomentum's old defaults)
          decayFactor: 1.000004,
          minLearningRate: 1e-6,
          momentumSchedule: { start: 0.5, end: 0.7, startEpoch: 1, endEpoch: 3 },
        });
  return {
    generator,
    discriminator,
    dOptimizer: make(),
    gOptimizer: make(),
    prior: uniformPrior(2),
    real: distributionSource(gaussian1D(2, 0.5), root.fork()),
    rng: root.fork(),
  };
}
export type Toy = ReturnType<typeof toyGan>;

export function disposeToy(t: Toy): void {
  t.generator.dispose();
  t.discriminator.dispose();
  t.dOptimizer.dispose();
  t.gOptimizer.dispose();
}
