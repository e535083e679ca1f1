/**
 * An MLP pair as data: every number of an architecture in one object, and one builder per player that
 * turns it into a model. The paper's nets (experiments/paperMnist.ts) and the small MLP GAN
 * (mlpMnistNets.ts) are two values of these specs, and an experiment (experiments/experiment.ts) holds
 * them, so an architecture's numbers are written once and shown (settings.json, notebook 06) exactly as
 * they are built.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { MlpDiscriminatorOptions, MlpGeneratorOptions, mlpDiscriminator, mlpGenerator } from './mlp';

type Spec<O> = { readonly [K in keyof O]: O[K] extends number[] | undefined ? readonly number[] | Extract<O[K], undefined> : O[K] };

/** G's architecture: mlpGenerator's options without what each build supplies (seed, name, output bias). */
export interface MlpGeneratorSpec extends Spec<Omit<MlpGeneratorOptions, 'seed' | 'name' | 'outputBias'>> {
  /** The layers in words, for people. */
  readonly layers: string;
  /** Output bias = logit of the clipped training pixel means (the untrained G draws the mean digit). */
  readonly outputBiasFromPixelMeans: boolean;
}

/** D's architecture: mlpDiscriminator's options without what each build supplies (seed, name, dropout stream). */
export interface MlpDiscriminatorSpec extends Spec<Omit<MlpDiscriminatorOptions, 'seed' | 'name' | 'dropoutRng' | 'dropoutKeep'>> {
  readonly layers: string;
  /** Keep probabilities on the inputs of D's layers (pixels first); absent: no dropout. */
  readonly dropoutKeep?: readonly number[];
}

export interface BuildGeneratorOptions {
  seed: number;
  /** Per-pixel mean of the training images (data.pixelMeans(train)); used when the spec says so. */
  pixelMeans?: Float32Array;
  name?: string;
}

export interface BuildDiscriminatorOptions {
  seed: number;
  /** Source of the dropout masks (its state belongs in checkpoints). */
  dropoutRng?: Rng;
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

/** G of `spec`; `where` names the caller in errors. */
export function buildGenerator(spec: MlpGeneratorSpec, o: BuildGeneratorOptions, where = 'buildGenerator'): tf.LayersModel {
  if (o.pixelMeans !== undefined && o.pixelMeans.length !== spec.outputDim) {
    throw new Error(`${where}: pixelMeans must have ${spec.outputDim} values (one per pixel, from pixelMeans(train)), got ${o.pixelMeans.length}`);
  }
  const { layers: _layers, outputBiasFromPixelMeans, hidden, ...rest } = spec;
  return mlpGenerator({
    ...rest,
    hidden: [...hidden],
    outputBias: outputBiasFromPixelMeans && o.pixelMeans !== undefined ? logitOfMeans(o.pixelMeans) : undefined,
    seed: o.seed,
    name: o.name,
  });
}

/** D of `spec`. */
export function buildDiscriminator(spec: MlpDiscriminatorSpec, o: BuildDiscriminatorOptions): tf.LayersModel {
  const { layers: _layers, hidden, dropoutKeep, ...rest } = spec;
  return mlpDiscriminator({
    ...rest,
    hidden: [...hidden],
    dropoutKeep: dropoutKeep === undefined ? undefined : [...dropoutKeep],
    dropoutRng: o.dropoutRng,
    seed: o.seed,
    name: o.name,
  });
}
