/**
 * A small DCGAN (Radford et al. 2016) for 28×28 MNIST, the faster-converging comparison to the paper's MLPs
 * (architecture as in NOTES.md, Speed section). Both models use flat [N, 784] images, like the MLPs, so
 * one ImageSet and one training loop serve all models; the reshapes to 28×28×1 happen inside.
 * Initialisation N(0, 0.02) as in DCGAN; BatchNorm scales N(1, 0.02) and momentum/epsilon as PyTorch's
 * DCGAN example (0.9 / 1e-5). Layers followed by BatchNorm have no bias: BN's offset replaces it.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { checkSeed, normalInit } from './seeds';

export interface DcganGeneratorOptions {
  seed: number;
  latentDim?: number;
  name?: string;
  /** Channels of the 7×7 projection and of the 14×14 layer (default [128, 64], NOTES.md's architecture). */
  filters?: [number, number];
}

export interface DcganDiscriminatorOptions {
  seed: number;
  name?: string;
  /** Channels of the 14×14 and the 7×7 convolution (default [64, 128]). */
  filters?: [number, number];
}

const STD = 0.02;

function batchNorm(rng: Rng, name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({
    name,
    momentum: 0.9,
    epsilon: 1e-5,
    gammaInitializer: normalInit(rng, STD, 1),
    betaInitializer: 'zeros',
  });
}

/**
 * z → Dense 7·7·128 → BN → ReLU → ConvT 64 (4×4, s2) → BN → ReLU → ConvT 1 (4×4, s2) → sigmoid → [N, 784].
 * Sigmoid instead of DCGAN's tanh: our images are in [0, 1], and sigmoid(2a) = (1 + tanh(a)) / 2, so this is
 * the same model family with its output affinely mapped to [0, 1]; no data rescaling to [−1, 1] is needed.
 * BN is applied per channel after reshaping to 7×7×128 (as BatchNorm2d in the conv form of DCGAN's G).
 */
export function dcganGenerator(options: DcganGeneratorOptions): tf.LayersModel {
  const o = options ?? ({} as DcganGeneratorOptions);
  const rng = new Rng(checkSeed(o.seed, 'dcganGenerator'));
  const latentDim = o.latentDim ?? 100;
  if (!Number.isInteger(latentDim) || latentDim < 1) {
    throw new Error(`dcganGenerator: latentDim must be a positive integer, got ${String(latentDim)}`);
  }
  const [f0, f1] = checkFilters(o.filters ?? [128, 64], 'dcganGenerator');
  const name = o.name ?? 'generator';
  const model = tf.sequential({ name });
  model.add(tf.layers.dense({ name: `${name}_project`, inputShape: [latentDim], units: 7 * 7 * f0, useBias: false, kernelInitializer: normalInit(rng, STD) }));
  model.add(tf.layers.reshape({ name: `${name}_to7x7`, targetShape: [7, 7, f0] }));
  model.add(batchNorm(rng, `${name}_bn0`));
  model.add(tf.layers.reLU({ name: `${name}_relu0` }));
  model.add(
    tf.layers.conv2dTranspose({ name: `${name}_up1`, filters: f1, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: normalInit(rng, STD) }),
  );
  model.add(batchNorm(rng, `${name}_bn1`));
  model.add(tf.layers.reLU({ name: `${name}_relu1` }));
  model.add(
    tf.layers.conv2dTranspose({
      name: `${name}_up2`,
      filters: 1,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'sigmoid',
      kernelInitializer: normalInit(rng, STD),
      biasInitializer: 'zeros',
    }),
  );
  model.add(tf.layers.flatten({ name: `${name}_flat` }));
  return model;
}

/** [N, 784] → 28×28×1 → Conv 64 (4×4, s2) → LeakyReLU 0.2 → Conv 128 (4×4, s2) → BN → LeakyReLU 0.2 → Dense 1 (logit). */
export function dcganDiscriminator(options: DcganDiscriminatorOptions): tf.LayersModel {
  const o = options ?? ({} as DcganDiscriminatorOptions);
  const { layers, rng, name } = dcganDiscriminatorFeatures(o, 'dcganDiscriminator');
  const model = tf.sequential({ name, layers });
  // Logit, not probability: the losses work from logits (discriminatorProbability gives D(x)).
  model.add(tf.layers.dense({ name: `${name}_y`, units: 1, kernelInitializer: normalInit(rng, STD), biasInitializer: 'zeros' }));
  return model;
}

/** D's convolutional body φ(x): flat [N, 784] → … → the flattened 7×7 features, and the rng its head draws from. */
export interface DcganFeatures {
  layers: tf.layers.Layer[];
  /** Width of φ(x): 7·7·filters[1]. */
  units: number;
  /** The seed's stream after φ's weights, for the head's initialisers (N(0, 0.02), see dcganInit). */
  rng: Rng;
  name: string;
}

/**
 * Everything of dcganDiscriminator but its output layer: [N, 784] → 28×28×1 → Conv (4×4, s2) → LeakyReLU →
 * Conv (4×4, s2) → BN → LeakyReLU → flatten. `where` names the caller in errors.
 */
export function dcganDiscriminatorFeatures(o: DcganDiscriminatorOptions, where: string): DcganFeatures {
  const rng = new Rng(checkSeed(o?.seed, where));
  const [f0, f1] = checkFilters(o.filters ?? [64, 128], where);
  const name = o.name ?? 'discriminator';
  const layers = [
    tf.layers.reshape({ name: `${name}_to28x28`, inputShape: [784], targetShape: [28, 28, 1] }),
    tf.layers.conv2d({ name: `${name}_conv1`, filters: f0, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: normalInit(rng, STD), biasInitializer: 'zeros' }),
    tf.layers.leakyReLU({ name: `${name}_lrelu1`, alpha: 0.2 }),
    tf.layers.conv2d({ name: `${name}_conv2`, filters: f1, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: normalInit(rng, STD) }),
    batchNorm(rng, `${name}_bn2`),
    tf.layers.leakyReLU({ name: `${name}_lrelu2`, alpha: 0.2 }),
    tf.layers.flatten({ name: `${name}_flat` }),
  ];
  return { layers, units: 7 * 7 * f1, rng, name };
}

/** DCGAN's initialisation N(0, 0.02), drawn from `rng`. */
export function dcganInit(rng: Rng) {
  return normalInit(rng, STD);
}

function checkFilters(filters: unknown, where: string): [number, number] {
  if (!Array.isArray(filters) || filters.length !== 2 || !filters.every((f) => Number.isInteger(f) && f >= 1)) {
    throw new Error(`${where}: filters must be two positive integers (channels of the two convolutional layers), e.g. [64, 128], got ${JSON.stringify(filters)}`);
  }
  return filters as [number, number];
}
