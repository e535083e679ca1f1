/**
 * The paper's MNIST generator and discriminator (goodfeli/adversarial mnist.yaml; see PAPER.md):
 * G: 100 → ReLU 1200 → ReLU 1200 → sigmoid 784, weights U(−0.05, 0.05), hidden biases 0 (pylearn2's
 *    default init_bias), output bias = logit of the clipped training-set pixel means.
 * D: dropout(keep 0.8) → maxout 240×5 → dropout(0.5) → maxout 240×5 → dropout(0.5) → 1 logit,
 *    weights U(−0.005, 0.005), biases 0.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { mlpDiscriminator, mlpGenerator } from './mlp';

export const PAPER_MNIST = {
  latentDim: 100,
  imageSize: 784,
  generatorHidden: [1200, 1200],
  generatorInitRange: 0.05,
  discriminatorHidden: [240, 240],
  pieces: 5,
  discriminatorInitRange: 0.005,
  /** Keep probabilities on the inputs of D's three layers (pixels first). */
  dropoutKeep: [0.8, 0.5, 0.5],
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

/**
 * logit(clip(p, 1e-7, 1 − 1e-7)): the output bias that makes the untrained G's sigmoid output equal the
 * pixel marginals (pylearn2's init_sigmoid_bias_from_marginals), so G starts at the "mean digit".
 */
export function logitOfMeans(pixelMeans: Float32Array | number[]): Float32Array {
  const out = new Float32Array(pixelMeans.length);
  for (let i = 0; i < pixelMeans.length; i++) {
    const m = pixelMeans[i];
    if (!Number.isFinite(m)) throw new Error(`pixelMeans[${i}] is ${m}; pixel means must be finite numbers in [0, 1]`);
    const p = Math.min(Math.max(m, 1e-7), 1 - 1e-7);
    out[i] = Math.log(p / (1 - p));
  }
  return out;
}

export function paperMnistGenerator(options: PaperMnistGeneratorOptions): tf.LayersModel {
  const o = options ?? ({} as PaperMnistGeneratorOptions);
  if (o.pixelMeans !== undefined && o.pixelMeans.length !== PAPER_MNIST.imageSize) {
    throw new Error(
      `paperMnistGenerator: pixelMeans must have ${PAPER_MNIST.imageSize} values (one per pixel, from pixelMeans(train)), got ${o.pixelMeans.length}`,
    );
  }
  return mlpGenerator({
    latentDim: PAPER_MNIST.latentDim,
    hidden: [...PAPER_MNIST.generatorHidden],
    outputDim: PAPER_MNIST.imageSize,
    activation: 'relu',
    outputActivation: 'sigmoid',
    initRange: PAPER_MNIST.generatorInitRange,
    outputBias: o.pixelMeans === undefined ? undefined : logitOfMeans(o.pixelMeans),
    seed: o.seed,
    name: o.name ?? 'generator',
  });
}

export function paperMnistDiscriminator(options: PaperMnistDiscriminatorOptions): tf.LayersModel {
  const o = options ?? ({} as PaperMnistDiscriminatorOptions);
  if (!(o.dropoutRng instanceof Rng)) {
    throw new Error(
      'paperMnistDiscriminator: dropoutRng must be an Rng (e.g. rng.fork()); the paper\'s D uses dropout and its masks must be reproducible',
    );
  }
  return mlpDiscriminator({
    inputDim: PAPER_MNIST.imageSize,
    hidden: [...PAPER_MNIST.discriminatorHidden],
    activation: 'maxout',
    pieces: PAPER_MNIST.pieces,
    dropoutKeep: [...PAPER_MNIST.dropoutKeep],
    dropoutRng: o.dropoutRng,
    initRange: PAPER_MNIST.discriminatorInitRange,
    seed: o.seed,
    name: o.name ?? 'discriminator',
  });
}
