/**
 * The small MLP GAN for MNIST that notebooks 05 and 07 train (not the paper's model, which is
 * paperMnist.ts): one hidden layer per player, so it learns digits in minutes on a CPU. Defined once so
 * that notebook 07 compares the DCGAN with exactly the MLP GAN of notebook 05.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { mlpDiscriminator, mlpGenerator } from './mlp';
import { logitOfMeans } from './paperMnist';

export const MLP_MNIST = {
  latentDim: 100,
  hidden: [256],
  activation: 'leakyRelu',
  /** Keep probabilities on D's inputs: pixels 0.8, hidden units 0.5 (the paper's D uses the same). */
  dropoutKeep: [0.8, 0.5],
} as const;

/** G: z (100) → LeakyReLU 256 → sigmoid 784; with pixelMeans, the output bias starts at the mean digit. */
export function mlpMnistGenerator(o: { seed: number; pixelMeans?: Float32Array; name?: string }): tf.LayersModel {
  return mlpGenerator({
    latentDim: MLP_MNIST.latentDim,
    hidden: [...MLP_MNIST.hidden],
    outputDim: 784,
    activation: MLP_MNIST.activation,
    outputBias: o.pixelMeans ? logitOfMeans(o.pixelMeans) : undefined,
    seed: o.seed,
    name: o.name,
  });
}

/** D: 784 → LeakyReLU 256 → logit, with dropout on both layers' inputs (in training only). */
export function mlpMnistDiscriminator(o: { seed: number; dropoutRng?: Rng; name?: string }): tf.LayersModel {
  return mlpDiscriminator({
    inputDim: 784,
    hidden: [...MLP_MNIST.hidden],
    activation: MLP_MNIST.activation,
    dropoutKeep: [...MLP_MNIST.dropoutKeep],
    dropoutRng: o.dropoutRng,
    seed: o.seed,
    name: o.name,
  });
}
