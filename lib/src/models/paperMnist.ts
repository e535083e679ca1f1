/**
 * The paper's MNIST generator and discriminator (goodfeli/adversarial mnist.yaml; see PAPER.md), as data
 * (mlpSpec.ts). These are the only place their numbers are written; the experiment
 * (experiments/paperMnist.ts) holds these objects.
 * G: 100 → ReLU 1200 → ReLU 1200 → sigmoid 784, weights U(−0.05, 0.05), hidden biases 0 (pylearn2's
 *    default init_bias), output bias = logit of the clipped training-set pixel means.
 * D: dropout(keep 0.8) → maxout 240×5 → dropout(0.5) → maxout 240×5 → dropout(0.5) → 1 logit,
 *    weights U(−0.005, 0.005), biases 0.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { MlpDiscriminatorSpec, MlpGeneratorSpec, buildDiscriminator, buildGenerator } from './mlpSpec';

export const PAPER_MNIST_GENERATOR = {
  layers: '100 → ReLU 1200 → ReLU 1200 → sigmoid 784',
  latentDim: 100,
  hidden: [1200, 1200],
  outputDim: 784,
  activation: 'relu',
  outputActivation: 'sigmoid',
  /** Weights U(−0.05, 0.05). */
  initRange: 0.05,
  /** Output bias = logit(clip(mean of each training pixel, 1e-7, 1 − 1e-7)). */
  outputBiasFromPixelMeans: true,
} as const satisfies MlpGeneratorSpec;

export const PAPER_MNIST_DISCRIMINATOR = {
  layers: '784 → maxout 240×5 → maxout 240×5 → sigmoid 1 (D returns the logit)',
  inputDim: 784,
  hidden: [240, 240],
  activation: 'maxout',
  pieces: 5,
  /** Weights U(−0.005, 0.005). */
  initRange: 0.005,
  /** Keep probabilities on the inputs of D's three layers: pixels 0.8 (×1.25), hidden 0.5 (×2). */
  dropoutKeep: [0.8, 0.5, 0.5],
} as const satisfies MlpDiscriminatorSpec;

/** The same numbers by the names the homework checks use (a view of the two specs above, not a copy). */
export const PAPER_MNIST = {
  latentDim: PAPER_MNIST_GENERATOR.latentDim,
  imageSize: PAPER_MNIST_GENERATOR.outputDim,
  generatorHidden: PAPER_MNIST_GENERATOR.hidden,
  generatorInitRange: PAPER_MNIST_GENERATOR.initRange,
  discriminatorHidden: PAPER_MNIST_DISCRIMINATOR.hidden,
  pieces: PAPER_MNIST_DISCRIMINATOR.pieces,
  discriminatorInitRange: PAPER_MNIST_DISCRIMINATOR.initRange,
  /** Keep probabilities on the inputs of D's three layers (pixels first). */
  dropoutKeep: PAPER_MNIST_DISCRIMINATOR.dropoutKeep,
  /** Parameter counts the builders must reproduce. */
  generatorParams: 2_503_984,
  discriminatorParams: 1_231_441,
} as const;

export interface PaperMnistGeneratorOptions {
  seed: number;
  /** Per-pixel mean of the training images (data.pixelMeans(train)); sets the output bias as in the paper. */
  pixelMeans?: Float32Array;
  name?: string;
}

export interface PaperMnistDiscriminatorOptions {
  seed: number;
  /** Source of the dropout masks (its state belongs in checkpoints). */
  dropoutRng: Rng;
  name?: string;
}

export function paperMnistGenerator(options: PaperMnistGeneratorOptions): tf.LayersModel {
  const o = options ?? ({} as PaperMnistGeneratorOptions);
  return buildGenerator(PAPER_MNIST_GENERATOR, { ...o, name: o.name ?? 'generator' }, 'paperMnistGenerator');
}

export function paperMnistDiscriminator(options: PaperMnistDiscriminatorOptions): tf.LayersModel {
  const o = options ?? ({} as PaperMnistDiscriminatorOptions);
  if (!(o.dropoutRng instanceof Rng)) {
    throw new Error(
      'paperMnistDiscriminator: dropoutRng must be an Rng (e.g. rng.fork()); the paper\'s D uses dropout and its masks must be reproducible',
    );
  }
  return buildDiscriminator(PAPER_MNIST_DISCRIMINATOR, { ...o, name: o.name ?? 'discriminator' });
}
