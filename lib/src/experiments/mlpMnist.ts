/**
 * The small MLP GAN of notebook 05 as a CLI experiment (`tsgan train --experiment mlp-mnist`): one hidden
 * layer of 256 LeakyReLU units per player (models/mlpMnistNets.ts), Adam with β1 = 0.5 as in DCGAN, trained
 * and scored on the paper's MNIST split with the paper's Parzen protocol. Not the paper's model: a
 * second value of the experiment type, cheap enough to train for a few epochs in minutes on a CPU. Its data
 * split, Parzen protocol, baselines, Table 1 rows and figures are the paper experiment's (PAPER below).
 */
import { MLP_MNIST_DISCRIMINATOR, MLP_MNIST_GENERATOR } from '../models';
import { Experiment } from './experiment';
import { PAPER_MNIST_EXPERIMENT as PAPER } from './paperMnist';

export const MLP_MNIST_EXPERIMENT = {
  name: 'mlp-mnist',
  reference: 'notebook 05 (the MLP GAN on MNIST); optimiser of Radford et al. 2015 (DCGAN): Adam, lr 2e-4, β1 0.5',
  data: PAPER.data,
  prior: { kind: 'uniform', dim: MLP_MNIST_GENERATOR.latentDim, halfWidth: Math.sqrt(3) },
  generator: MLP_MNIST_GENERATOR,
  discriminator: MLP_MNIST_DISCRIMINATOR,
  /** trainGan's defaults: D's loss unscaled, non-saturating G, D's dropout on in G's loss. */
  losses: { kind: 'minimax', discriminatorScale: 1, generator: 'nonSaturating', dropoutInGeneratorLoss: true },
  update: { mode: 'alternating', k: 1, sharedForward: false },
  optimizer: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
  /** 781 updates per epoch. */
  batchSize: 64,
  epochs: 10,
  seed: 1,
  modelSelection: { everyEpochs: 5 },
  parzen: PAPER.parzen,
  baselines: PAPER.baselines,
  table1: PAPER.table1,
  figures: PAPER.figures,
} satisfies Experiment;
