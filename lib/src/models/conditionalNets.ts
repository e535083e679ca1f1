/**
 * Conditional G and D (Mirza & Osindero 2014, the first extension the paper's section 7 names): both
 * players are told the class y, as a one-hot vector concatenated to their input. G(z, y) should then draw
 * a y, and D(x, y) judges whether x is a real y. Two inputs each: model.apply([z, y]) / ([x, y]).
 *
 * jointConditionalPair views the pair as an ordinary GAN on pairs (x, y): G⁺([z | y]) = [G(z, y) | y] and
 * D⁺([x | y]) = D(x, y). V(D⁺, G⁺) is then exactly the conditional value function, so the unconditional
 * steps (train/steps.ts) train a conditional pair unchanged: the label rides along with the sample.
 */
import * as tf from '@tensorflow/tfjs';
import { oneHotLabels } from '../data/realSource';
import type { Initializer } from './seeds';
import { checkDim, checkHidden, discriminatorBody, mlpDiscriminator, MlpDiscriminatorOptions, mlpGenerator, MlpGeneratorOptions } from './mlp';

export interface ConditionalGeneratorOptions extends Omit<MlpGeneratorOptions, 'name'> {
  /** Number of classes (10 for MNIST digits). */
  classes: number;
}

export interface ConditionalDiscriminatorOptions extends Omit<MlpDiscriminatorOptions, 'name'> {
  classes: number;
  /**
   * How D reads y. 'concat' (default; Mirza & Osindero 2014): y is 10 more inputs of the MLP, so it can only
   * shift the hidden units' biases. 'projection' (Miyato & Koyama 2018): D(x, y) = ψ(φ(x)) + e_yᵀ φ(x), the
   * MLP's logit plus the inner product of its last hidden layer φ(x) with a learned vector e_y per class, so
   * every class gets its own direction in D's features from the first step (leaky-ReLU layers only).
   */
  labelInput?: 'concat' | 'projection';
}

/**
 * G(z, y): mlpGenerator on [z | one-hot y] (leaky-ReLU hidden layers unless `activation` says otherwise;
 * `outputBias`, e.g. the logit of the pixel means, starts G at the mean image).
 */
export function conditionalGenerator(o: ConditionalGeneratorOptions): tf.LayersModel {
  check('conditionalGenerator', o, o?.latentDim, 'latentDim');
  const name = 'conditional_generator';
  const core = mlpGenerator({ ...o, latentDim: o.latentDim + o.classes, activation: o.activation ?? 'leakyRelu', name: `${name}_mlp` });
  return twoInputModel(name, o.latentDim, o.classes, o.outputDim, core);
}

/** D(x, y): mlpDiscriminator on [x | one-hot y] → one logit, with its options (dropoutKeep's first value also applies to the label). */
export function conditionalDiscriminator(o: ConditionalDiscriminatorOptions): tf.LayersModel {
  check('conditionalDiscriminator', o, o?.inputDim, 'inputDim');
  const name = 'conditional_discriminator';
  const labelInput = o.labelInput ?? 'concat';
  if (labelInput !== 'concat' && labelInput !== 'projection') throw new Error(`conditionalDiscriminator: labelInput must be 'concat' or 'projection', got ${JSON.stringify(o.labelInput)}`);
  const core = labelInput === 'concat' ? mlpDiscriminator({ ...o, inputDim: o.inputDim + o.classes, name: `${name}_mlp` }) : projectionCore(`${name}_projection`, o);
  return twoInputModel(name, o.inputDim, o.classes, null, core);
}

/**
 * D on [x | y] with labelInput 'projection': ψ(φ(x)) + e_yᵀ φ(x), where φ is mlpDiscriminator's hidden part
 * (discriminatorBody: its dropout, seeds and initRange) and ψ its output layer.
 */
function projectionCore(name: string, o: ConditionalDiscriminatorOptions): tf.LayersModel {
  const where = 'conditionalDiscriminator';
  if (o.activation !== undefined && o.activation !== 'leakyRelu') throw new Error(`${where}: labelInput 'projection' uses leaky-ReLU layers, got activation ${o.activation}`);
  if (o.hidden.length === 0) throw new Error(`${where}: labelInput 'projection' needs at least one hidden layer (e_y is projected on the last one), e.g. hidden: [256]`);
  const { layers, kernelInit } = discriminatorBody(o, name, where, null);
  return projectionDiscriminator(name, o.inputDim, o.classes, { layers, units: o.hidden[o.hidden.length - 1] }, kernelInit);
}

/**
 * The projection discriminator (Miyato & Koyama 2018) on the joint input [x | one-hot y] of a data size
 * `dataDim`: logit = ψ(φ(x)) + e_yᵀ φ(x), with φ = `features` (layers applied in order, `units` wide at the
 * end), ψ a dense layer to one logit and e_y = Eᵀ y one learned vector per class. `kernelInit` draws ψ's and
 * then E's initial weights (in that order, so that a seed gives the same weights).
 */
export function projectionDiscriminator(
  name: string,
  dataDim: number,
  classes: number,
  features: { layers: tf.layers.Layer[]; units: number },
  kernelInit: () => Initializer,
): tf.LayersModel {
  const jointIn = tf.input({ shape: [dataDim + classes], name: `${name}_in` });
  const label = new ColumnSlice({ name: `${name}_label`, begin: dataDim, size: classes }).apply(jointIn) as tf.SymbolicTensor;
  const x = new ColumnSlice({ name: `${name}_data`, begin: 0, size: dataDim }).apply(jointIn) as tf.SymbolicTensor;
  const h = features.layers.reduce((t, layer) => layer.apply(t) as tf.SymbolicTensor, x);
  const psi = tf.layers.dense({ name: `${name}_y`, units: 1, kernelInitializer: kernelInit(), biasInitializer: 'zeros' }).apply(h) as tf.SymbolicTensor;
  // e_y = Eᵀ y: one learned vector per class, the width of φ(x)
  const embedded = tf.layers.dense({ name: `${name}_embed`, units: features.units, useBias: false, kernelInitializer: kernelInit() }).apply(label) as tf.SymbolicTensor;
  const projection = tf.layers.dot({ name: `${name}_dot`, axes: 1 }).apply([embedded, h]) as tf.SymbolicTensor;
  return tf.model({ name, inputs: jointIn, outputs: tf.layers.add({ name: `${name}_logit` }).apply([psi, projection]) as tf.SymbolicTensor });
}

/** Columns [begin, begin + size) of a [N, D] input: how one joint input [z | y] is split again. */
export class ColumnSlice extends tf.layers.Layer {
  static className = 'TsganColumnSlice';
  readonly begin: number;
  readonly size: number;

  constructor(args: { begin: number; size: number; name?: string }) {
    super({ name: args.name });
    if (!Number.isInteger(args.begin) || args.begin < 0 || !Number.isInteger(args.size) || args.size < 1) {
      throw new Error(`ColumnSlice: begin must be a non-negative and size a positive integer, got ${args.begin}, ${args.size}`);
    }
    this.begin = args.begin;
    this.size = args.size;
  }

  override computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    return [shape[0], this.size];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.slice(x, [0, this.begin], [-1, this.size]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), begin: this.begin, size: this.size };
  }
}
tf.serialization.registerClass(ColumnSlice);

/** A conditional pair seen as one GAN on (x, y); the joint models are part of G and D (same weights). */
export interface JointConditionalPair {
  /** G⁺: [z | one-hot y] → [G(z, y) | one-hot y]. */
  generator: tf.LayersModel;
  /** D⁺: [x | one-hot y] → D(x, y)'s logit. */
  discriminator: tf.LayersModel;
  latentDim: number;
  dataDim: number;
  classes: number;
}

/**
 * G⁺ and D⁺ of a conditionalGenerator and conditionalDiscriminator (see the top of this file). Each model is
 * built around its joint form, which it owns: training the joint models trains `generator` and
 * `discriminator`, and disposing those two frees everything (nothing to dispose here).
 */
export function jointConditionalPair(generator: tf.LayersModel, discriminator: tf.LayersModel): JointConditionalPair {
  const g = jointForm(generator, 'generator');
  const d = jointForm(discriminator, 'discriminator');
  if (d.classes !== g.classes || g.outDim !== d.dataDim) {
    throw new Error(`jointConditionalPair: G makes ${g.outDim} values for ${g.classes} classes, D reads ${d.dataDim} values for ${d.classes} classes; they must agree`);
  }
  return { generator: g.joint, discriminator: d.joint, latentDim: g.dataDim, dataDim: d.dataDim, classes: g.classes };
}

function jointForm(model: tf.LayersModel, role: 'generator' | 'discriminator') {
  const builder = role === 'generator' ? 'conditionalGenerator or conditionalDcganGenerator' : 'conditionalDiscriminator or conditionalDcganDiscriminator';
  const joint = model?.layers?.find((l) => l instanceof tf.LayersModel && l.name === `${model.name}_joint`) as tf.LayersModel | undefined;
  if (!joint || model.inputs.length !== 2 || (role === 'generator') !== model.name.startsWith('conditional_generator')) {
    throw new Error(`jointConditionalPair: the ${role} must be built by ${builder} (two inputs, [data, one-hot label], around a joint model)`);
  }
  const [dataDim, classes] = model.inputs.map((i) => i.shape[1] as number);
  return { joint, dataDim, classes, outDim: model.outputs[0].shape[1] as number };
}

/**
 * The two-input model that notebooks call, built around the joint form: `core` on [data | label], for G
 * (outDim given) followed by a copy of the label, G⁺([z | y]) = [G(z, y) | y]. Each model owns the models
 * inside it, so disposing the two-input model frees everything. `name` must start with
 * 'conditional_generator' for a G and 'conditional_discriminator' for a D (how jointConditionalPair tells them apart).
 */
export function twoInputModel(name: string, dataDim: number, classes: number, outDim: number | null, core: tf.LayersModel): tf.LayersModel {
  const jointIn = tf.input({ shape: [dataDim + classes], name: `${name}_joint_in` });
  let out = core.apply(jointIn) as tf.SymbolicTensor;
  if (outDim !== null) {
    const label = new ColumnSlice({ name: `${name}_label_out`, begin: dataDim, size: classes }).apply(jointIn) as tf.SymbolicTensor;
    out = tf.layers.concatenate({ name: `${name}_with_label` }).apply([out, label]) as tf.SymbolicTensor;
  }
  const joint = tf.model({ name: `${name}_joint`, inputs: jointIn, outputs: out });

  const data = tf.input({ shape: [dataDim], name: `${name}_in` });
  const label = tf.input({ shape: [classes], name: `${name}_label` });
  let y = joint.apply(tf.layers.concatenate({ name: `${name}_concat` }).apply([data, label])) as tf.SymbolicTensor;
  if (outDim !== null) y = new ColumnSlice({ name: `${name}_data_out`, begin: 0, size: outDim }).apply(y) as tf.SymbolicTensor;
  return tf.model({ name, inputs: [data, label], outputs: y });
}

function check(where: string, o: { classes: number; hidden: number[] } | undefined, dim: number | undefined, dimName: string): void {
  if (!o) throw new Error(`${where}: pass an options object`);
  checkDim(dim, dimName, where);
  checkDim(o.classes, 'classes', where);
  checkHidden(o.hidden, where);
}

/** The number of classes a conditional G is told (the width of its one-hot input y); `where` names the caller in the error. */
export function conditionalClasses(generator: tf.LayersModel, where: string): number {
  const classes = generator?.inputs?.[1]?.shape[1];
  if (typeof classes !== 'number') throw new Error(`${where}: the generator must be built by conditionalGenerator or conditionalDcganGenerator (inputs [z, one-hot y])`);
  return classes;
}

/** G(z | y) for each row of z and each requested class in `labels` (one per row), [N, outputDim]; z is not disposed. */
export function conditionalSamples(generator: tf.LayersModel, z: tf.Tensor2D, labels: ArrayLike<number>): tf.Tensor2D {
  const classes = conditionalClasses(generator, 'conditionalSamples');
  if (z.shape[0] !== labels.length) throw new Error(`conditionalSamples: ${z.shape[0]} rows of z but ${labels.length} labels; give one label per z`);
  return tf.tidy(() => generator.predict([z, oneHotLabels(labels, classes)]) as tf.Tensor2D);
}
