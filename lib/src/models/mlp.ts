/**
 * Multilayer-perceptron generators and discriminators: the toys (1-D, 2-D) and the paper's MNIST nets
 * (paperMnist.ts is these builders with the paper's settings). D returns logits; see discriminatorProbability.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { Maxout } from './maxout';
import { SeededDropout } from './seededDropout';
import { checkSeed, glorotInit, Initializer, uniformInit } from './seeds';

export type GeneratorActivation = 'relu' | 'leakyRelu' | 'tanh';
export type OutputActivation = 'sigmoid' | 'linear' | 'tanh';
export type DiscriminatorActivation = 'relu' | 'leakyRelu' | 'maxout';

export interface MlpGeneratorOptions {
  latentDim: number;
  hidden: number[];
  outputDim: number;
  /** Hidden activation; default 'relu'. */
  activation?: GeneratorActivation;
  /** Default 'sigmoid' (MNIST pixels are in [0, 1]); 'linear' for toy data on the real line. */
  outputActivation?: OutputActivation;
  seed: number;
  /** Weights U(−initRange, initRange) and biases 0 (pylearn2 `irange`); default: Glorot uniform, biases 0. */
  initRange?: number;
  /** Initial output bias, one value per output (e.g. the logit of the pixel means). Default zeros. */
  outputBias?: Float32Array | number[];
  /** Slope for x < 0 when activation is 'leakyRelu'; default 0.2. */
  leakyReluAlpha?: number;
  /** Model name and prefix of its layer names; default 'generator'. */
  name?: string;
}

export interface MlpDiscriminatorOptions {
  inputDim: number;
  /** Widths of the hidden layers (for maxout: number of units, each of `pieces` pieces). */
  hidden: number[];
  /** Default 'leakyRelu'. */
  activation?: DiscriminatorActivation;
  /** Pieces per maxout unit; default 5. */
  pieces?: number;
  /**
   * Dropout keep probability on the input of every layer (as in the paper): one number for all layers, or
   * one per layer input (hidden.length + 1 values: pixels first). 1 or undefined: no dropout.
   */
  dropoutKeep?: number | number[];
  /** Source of the dropout masks; default: a stream forked from `seed`. */
  dropoutRng?: Rng;
  seed: number;
  /** Weights U(−initRange, initRange) and biases 0; default: Glorot uniform, biases 0. */
  initRange?: number;
  leakyReluAlpha?: number;
  /** Model name and prefix of its layer names; default 'discriminator'. */
  name?: string;
}

export function mlpGenerator(options: MlpGeneratorOptions): tf.LayersModel {
  const o = options ?? ({} as MlpGeneratorOptions);
  const where = 'mlpGenerator';
  checkDim(o.latentDim, 'latentDim', where);
  checkDim(o.outputDim, 'outputDim', where);
  checkHidden(o.hidden, where);
  const activation = o.activation ?? 'relu';
  checkOneOf(activation, ['relu', 'leakyRelu', 'tanh'], 'activation', where);
  const outputActivation = o.outputActivation ?? 'sigmoid';
  checkOneOf(outputActivation, ['sigmoid', 'linear', 'tanh'], 'outputActivation', where);
  const rng = new Rng(checkSeed(o.seed, where));
  const name = o.name ?? 'generator';
  const kernelInit = (): Initializer => (o.initRange === undefined ? glorotInit(rng) : uniformInit(rng, o.initRange));

  const model = tf.sequential({ name });
  o.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        name: `${name}_h${i}`,
        units,
        activation: activation === 'leakyRelu' ? 'linear' : activation,
        kernelInitializer: kernelInit(),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [o.latentDim] } : {}),
      }),
    );
    if (activation === 'leakyRelu') model.add(tf.layers.leakyReLU({ name: `${name}_h${i}_act`, alpha: o.leakyReluAlpha ?? 0.2 }));
  });
  const out = tf.layers.dense({
    name: `${name}_y`,
    units: o.outputDim,
    activation: outputActivation,
    kernelInitializer: kernelInit(),
    biasInitializer: 'zeros',
    ...(o.hidden.length === 0 ? { inputShape: [o.latentDim] } : {}),
  });
  model.add(out);
  if (o.outputBias !== undefined) setBias(out, o.outputBias, where);
  return model;
}

export function mlpDiscriminator(options: MlpDiscriminatorOptions): tf.LayersModel {
  const o = options ?? ({} as MlpDiscriminatorOptions);
  const where = 'mlpDiscriminator';
  checkDim(o.inputDim, 'inputDim', where);
  checkHidden(o.hidden, where);
  const activation = o.activation ?? 'leakyRelu';
  checkOneOf(activation, ['relu', 'leakyRelu', 'maxout'], 'activation', where);
  const name = o.name ?? 'discriminator';
  const { layers, kernelInit } = discriminatorBody(o, name, where, [o.inputDim]);
  const model = tf.sequential({ name, layers });
  // No sigmoid: D returns logits so that the losses can use the stable softplus forms.
  model.add(
    tf.layers.dense({
      name: `${name}_y`,
      units: 1,
      activation: 'linear',
      kernelInitializer: kernelInit(),
      biasInitializer: 'zeros',
      ...(layers.length === 0 ? { inputShape: [o.inputDim] } : {}),
    }),
  );
  return model;
}

/** φ(x) of an MLP discriminator as layers, and the stream that initialises the layers after them. */
export interface DiscriminatorBody {
  /** Per hidden layer: its input's dropout (if keep < 1), the layer, its activation; then the dropout of the output layer's input. */
  layers: tf.layers.Layer[];
  /** The next kernel initializer of the weights' stream (for the output layer, and any layer after it). */
  kernelInit: () => Initializer;
}

/**
 * The hidden part of mlpDiscriminator (and of conditionalDiscriminator's projection D), built from its
 * checked options: dropoutKeep, the weights' stream from `seed` (or U(−initRange, initRange)), and the
 * dropout masks' stream. `inputShape`: given to the first layer (for a tf.sequential), or null.
 */
export function discriminatorBody(o: MlpDiscriminatorOptions, name: string, where: string, inputShape: number[] | null): DiscriminatorBody {
  const activation = o.activation ?? 'leakyRelu';
  const pieces = o.pieces ?? 5;
  const keeps = dropoutKeeps(o.dropoutKeep, o.hidden.length + 1, where);
  const rng = new Rng(checkSeed(o.seed, where));
  // A stream derived from the seed but separate from the weights' one, so adding dropout never changes the weights.
  const dropoutRng = o.dropoutRng ?? (keeps.some((k) => k < 1) ? new Rng(checkSeed(o.seed, where) ^ 0x5eed) : undefined);
  const kernelInit = (): Initializer => (o.initRange === undefined ? glorotInit(rng) : uniformInit(rng, o.initRange));

  const layers: tf.layers.Layer[] = [];
  let first = inputShape !== null;
  const shape = (): { inputShape?: number[] } => (first ? ((first = false), { inputShape: inputShape! }) : {});
  const dropout = (i: number): void => {
    if (keeps[i] < 1) layers.push(new SeededDropout({ name: `${name}_drop${i}`, keep: keeps[i], rng: dropoutRng, ...shape() }));
  };
  o.hidden.forEach((units, i) => {
    dropout(i);
    const layerName = `${name}_h${i}`;
    if (activation === 'maxout') {
      layers.push(new Maxout({ name: layerName, units, pieces, kernelInitializer: kernelInit(), biasInitializer: tf.initializers.zeros(), ...shape() }));
    } else {
      layers.push(
        tf.layers.dense({
          name: layerName,
          units,
          activation: activation === 'relu' ? 'relu' : 'linear',
          kernelInitializer: kernelInit(),
          biasInitializer: 'zeros',
          ...shape(),
        }),
      );
      if (activation === 'leakyRelu') layers.push(tf.layers.leakyReLU({ name: `${layerName}_act`, alpha: o.leakyReluAlpha ?? 0.2 }));
    }
  });
  dropout(o.hidden.length);
  return { layers, kernelInit };
}

function setBias(layer: tf.layers.Layer, values: Float32Array | number[], where: string): void {
  const bias = layer.weights[1];
  if (values.length !== bias.shape[0]) {
    throw new Error(`${where}: outputBias has ${values.length} values but the output layer has ${bias.shape[0]} units`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${where}: outputBias[${i}] is ${values[i]}; all values must be finite`);
  }
  const t = tf.tensor1d(Float32Array.from(values));
  bias.write(t);
  t.dispose();
}

function dropoutKeeps(keep: number | number[] | undefined, layers: number, where: string): number[] {
  const keeps = keep === undefined ? new Array<number>(layers).fill(1) : typeof keep === 'number' ? new Array<number>(layers).fill(keep) : keep;
  if (!Array.isArray(keeps) || keeps.length !== layers) {
    throw new Error(`${where}: dropoutKeep must be one number or ${layers} numbers (one per layer input, pixels first), got ${JSON.stringify(keep)}`);
  }
  for (const k of keeps) {
    if (typeof k !== 'number' || !(k > 0 && k <= 1)) {
      throw new Error(`${where}: dropoutKeep values are probabilities of KEEPING a unit, in (0, 1] (the paper: 0.8, 0.5), got ${k}`);
    }
  }
  return keeps;
}

export function checkDim(v: unknown, what: string, where: string): void {
  if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`${where}: ${what} must be a positive integer, got ${String(v)}`);
}

export function checkHidden(hidden: unknown, where: string): void {
  if (!Array.isArray(hidden) || hidden.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new Error(`${where}: hidden must be an array of positive layer widths, e.g. [1200, 1200], got ${JSON.stringify(hidden)}`);
  }
}

function checkOneOf(v: string, allowed: string[], what: string, where: string): void {
  if (!allowed.includes(v)) throw new Error(`${where}: ${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${v}'`);
}
