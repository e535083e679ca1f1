/**
 * A convolutional conditional pair: notebook 07's DCGAN (dcgan.ts) told the class y, in the two-input form
 * of conditionalNets.ts, so jointConditionalPair and trainConditionalGan train it unchanged.
 * G(z, y) = dcganGenerator on [z | one-hot y]: the label enters the dense projection to the 7×7 maps, so
 * every class gets its own starting maps. D(x, y) = projection discriminator (Miyato & Koyama 2018):
 * ψ(φ(x)) + e_yᵀ φ(x), φ = dcganDiscriminator's convolutional body, ψ its output layer.
 */
import * as tf from '@tensorflow/tfjs';
import { projectionDiscriminator, twoInputModel } from './conditionalNets';
import { dcganDiscriminatorFeatures, dcganGenerator, dcganInit } from './dcgan';
import { checkDim } from './mlp';

export interface ConditionalDcganGeneratorOptions {
  seed: number;
  /** Number of classes (10 for MNIST digits). */
  classes: number;
  /** Length of z (default 100). */
  latentDim?: number;
  /** As dcganGenerator's (default [128, 64]). */
  filters?: [number, number];
}

export interface ConditionalDcganDiscriminatorOptions {
  seed: number;
  classes: number;
  /** As dcganDiscriminator's (default [64, 128]). */
  filters?: [number, number];
}

const IMAGE = 28 * 28;

/** G(z, y): [z | one-hot y] → Dense 7·7·f0 → BN → ReLU → ConvT f1 → BN → ReLU → ConvT 1 → sigmoid → [N, 784]. */
export function conditionalDcganGenerator(o: ConditionalDcganGeneratorOptions): tf.LayersModel {
  const where = 'conditionalDcganGenerator';
  if (!o || typeof o !== 'object') throw new Error(`${where}: pass an options object, e.g. { seed: 1, classes: 10 }`);
  const latentDim = o.latentDim ?? 100;
  checkDim(latentDim, 'latentDim', where);
  checkDim(o.classes, 'classes', where);
  const name = 'conditional_generator_dcgan';
  const core = dcganGenerator({ seed: o.seed, latentDim: latentDim + o.classes, filters: o.filters, name: `${name}_core` });
  return twoInputModel(name, latentDim, o.classes, IMAGE, core);
}

/** D(x, y): ψ(φ(x)) + e_yᵀ φ(x) with φ the DCGAN discriminator's convolutions; one logit. */
export function conditionalDcganDiscriminator(o: ConditionalDcganDiscriminatorOptions): tf.LayersModel {
  const where = 'conditionalDcganDiscriminator';
  if (!o || typeof o !== 'object') throw new Error(`${where}: pass an options object, e.g. { seed: 1, classes: 10 }`);
  checkDim(o.classes, 'classes', where);
  const name = 'conditional_discriminator_dcgan';
  const features = dcganDiscriminatorFeatures({ seed: o.seed, filters: o.filters, name: `${name}_core` }, where);
  const core = projectionDiscriminator(`${name}_core`, IMAGE, o.classes, features, () => dcganInit(features.rng));
  return twoInputModel(name, IMAGE, o.classes, null, core);
}
