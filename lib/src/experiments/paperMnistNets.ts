/**
 * The paper's MNIST generator and discriminator, built from the paper experiment's specs (paperMnist.ts,
 * where their numbers are written): builders a notebook or the homework can call without a run.
 */
import * as tf from '@tensorflow/tfjs';
import { buildDiscriminator, buildGenerator } from '../models';
import { Rng } from '../random';
import { PAPER_MNIST_EXPERIMENT } from './paperMnist';

/** The paper experiment's nets (the same objects, under the names the lib's users know). */
export const PAPER_MNIST_GENERATOR = PAPER_MNIST_EXPERIMENT.generator;
export const PAPER_MNIST_DISCRIMINATOR = PAPER_MNIST_EXPERIMENT.discriminator;

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
      "paperMnistDiscriminator: dropoutRng must be an Rng (e.g. rng.fork()); the paper's D uses dropout and its masks must be reproducible",
    );
  }
  return buildDiscriminator(PAPER_MNIST_DISCRIMINATOR, { ...o, name: o.name ?? 'discriminator' });
}
