/**
 * Conditional G and D (Mirza & Osindero 2014, the first extension the paper's section 7 names): both
 * players are told the class y, as a one-hot vector concatenated to their input. G(z, y) should then draw
 * a y, and D(x, y) judges whether x is a real y. Two inputs each: model.apply([z, y]) / ([x, y]).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { checkSeed, glorotInit } from './seeds';

export interface ConditionalGeneratorOptions {
  latentDim: number;
  /** Number of classes (10 for MNIST digits). */
  classes: number;
  hidden: number[];
  outputDim: number;
  /** Default 'sigmoid' (pixels in [0, 1]). */
  outputActivation?: 'sigmoid' | 'linear' | 'tanh';
  seed: number;
}

export interface ConditionalDiscriminatorOptions {
  inputDim: number;
  classes: number;
  hidden: number[];
  seed: number;
}

/** G(z, y): [z | one-hot y] → leaky-ReLU layers → outputDim. */
export function conditionalGenerator(o: ConditionalGeneratorOptions): tf.LayersModel {
  check('conditionalGenerator', o, o?.latentDim, 'latentDim');
  return mlpOnConcat('conditional_generator', o.latentDim, o.classes, o.hidden, o.outputDim, o.outputActivation ?? 'sigmoid', o.seed);
}

/** D(x, y): [x | one-hot y] → leaky-ReLU layers → one logit. */
export function conditionalDiscriminator(o: ConditionalDiscriminatorOptions): tf.LayersModel {
  check('conditionalDiscriminator', o, o?.inputDim, 'inputDim');
  return mlpOnConcat('conditional_discriminator', o.inputDim, o.classes, o.hidden, 1, 'linear', o.seed);
}

/** Labels 0..classes−1 as a float32 [N, classes] one-hot tensor. */
export function oneHotLabels(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isInteger(labels[i]) || labels[i] < 0 || labels[i] >= classes) {
      throw new Error(`oneHotLabels: label ${labels[i]} at position ${i} is not a class 0..${classes - 1}`);
    }
  }
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), classes).toFloat() as tf.Tensor2D);
}

function mlpOnConcat(name: string, dataDim: number, classes: number, hidden: number[], outDim: number, outAct: string, seed: number): tf.LayersModel {
  const rng = new Rng(checkSeed(seed, name));
  const data = tf.input({ shape: [dataDim], name: `${name}_in` });
  const label = tf.input({ shape: [classes], name: `${name}_label` });
  let h = tf.layers.concatenate({ name: `${name}_concat` }).apply([data, label]) as tf.SymbolicTensor;
  hidden.forEach((units, i) => {
    h = tf.layers.dense({ name: `${name}_h${i}`, units, kernelInitializer: glorotInit(rng), biasInitializer: 'zeros' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU({ name: `${name}_h${i}_act`, alpha: 0.2 }).apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers.dense({ name: `${name}_y`, units: outDim, activation: outAct as 'linear', kernelInitializer: glorotInit(rng), biasInitializer: 'zeros' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ name, inputs: [data, label], outputs: out });
}

function check(where: string, o: { classes: number; hidden: number[] } | undefined, dim: number | undefined, dimName: string): void {
  if (!o) throw new Error(`${where}: pass an options object`);
  for (const [k, v] of [[dimName, dim], ['classes', o.classes]] as const) {
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`${where}: ${k} must be a positive integer, got ${String(v)}`);
  }
  if (!Array.isArray(o.hidden) || o.hidden.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new Error(`${where}: hidden must be an array of positive layer widths, e.g. [256], got ${JSON.stringify(o.hidden)}`);
  }
}
