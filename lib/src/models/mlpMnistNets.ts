/**
 * The small MLP GAN for MNIST that notebooks 05 and 07 train and the `mlp-mnist` experiment runs (not the
 * paper's model, which is paperMnist.ts): one hidden layer per player, so it learns digits in minutes on
 * a CPU. Defined once so that notebook 07 compares the DCGAN with exactly the MLP GAN of notebook 05.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { MlpDiscriminatorSpec, MlpGeneratorSpec, buildDiscriminator, buildGenerator } from './mlpSpec';

/** G: z (100) → LeakyReLU 256 → sigmoid 784; the output bias starts at the mean digit. */
export const MLP_MNIST_GENERATOR = {
  layers: '100 → LeakyReLU 256 → sigmoid 784',
  latentDim: 100,
  hidden: [256],
  outputDim: 784,
  activation: 'leakyRelu',
  outputBiasFromPixelMeans: true,
} as const satisfies MlpGeneratorSpec;

/** D: 784 → LeakyReLU 256 → logit, with dropout on both layers' inputs (in training only). */
export const MLP_MNIST_DISCRIMINATOR = {
  layers: '784 → LeakyReLU 256 → sigmoid 1 (D returns the logit)',
  inputDim: 784,
  hidden: [256],
  activation: 'leakyRelu',
  /** Keep probabilities on D's inputs: pixels 0.8, hidden units 0.5 (the paper's D uses the same). */
  dropoutKeep: [0.8, 0.5],
} as const satisfies MlpDiscriminatorSpec;

/** G of MLP_MNIST_GENERATOR; with pixelMeans, the output bias starts at the mean digit. */
export function mlpMnistGenerator(o: { seed: number; pixelMeans?: Float32Array; name?: string }): tf.LayersModel {
  return buildGenerator(MLP_MNIST_GENERATOR, o, 'mlpMnistGenerator');
}

/** D of MLP_MNIST_DISCRIMINATOR, with dropout on both layers' inputs (in training only). */
export function mlpMnistDiscriminator(o: { seed: number; dropoutRng?: Rng; name?: string }): tf.LayersModel {
  return buildDiscriminator(MLP_MNIST_DISCRIMINATOR, o);
}
