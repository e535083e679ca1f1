/**
 * One update of each player (Algorithm 1's inner steps) and the paper code's simultaneous update, for
 * any GanLoss (default minimaxLoss(): the paper's game with the non-saturating G loss, D's loss −V).
 * Each returns plain numbers: the loss and the diagnostics pytorch's dcgan prints, mean D(x) and
 * mean D(G(z)) as the loss reads D's output (probabilities σ(logit) for the minimax loss), measured in
 * the same forward pass as the update.
 */
import * as tf from '@tensorflow/tfjs';
import { checkGanLoss, DEFAULT_GAN_LOSS, GanLoss, StepMetrics } from '../losses';
import { GanOptimizer } from './optimizer';
import { applyModel, readMetrics, trainableVariables } from './variables';

export interface DiscriminatorStepOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  optimizer: GanOptimizer;
  /** A minibatch of real data x ~ p_data, [N, dataDim]. */
  real: tf.Tensor2D;
  /** A minibatch of noise z ~ p_z, [M, latentDim]. */
  z: tf.Tensor2D;
  /** The GAN's loss (default minimaxLoss(): D's loss is −V; the paper's code uses minimaxLoss({ dScale: 0.5 })). */
  loss?: GanLoss;
  /**
   * Mode of G while it makes the fake batch (default true, as pytorch's dcgan: batch norm uses batch
   * statistics). G's trainable weights never change here either way.
   */
  generatorTraining?: boolean;
}

/** D's loss before the update, mean D(x) on the real batch and mean D(G(z)) on the fake batch, before the update. */
export type DiscriminatorStepResult = Pick<StepMetrics, 'dLoss' | 'dReal' | 'dFake'>;


/**
 * D's step: descend the loss's D loss (for the minimax loss: ascend V(D, G) = mean log D(x) +
 * mean log(1 − D(G(z))) by descending −V). Gradients are taken for D's trainable variables only, so G is untouched. D runs in training mode
 * (dropout on), as in the paper's code.
 */
export function discriminatorStep(o: DiscriminatorStepOptions): DiscriminatorStepResult {
  checkStepModels('discriminatorStep', o);
  checkBatch('discriminatorStep', 'real', o.real);
  checkBatch('discriminatorStep', 'z', o.z);
  const loss = o.loss === undefined ? DEFAULT_GAN_LOSS : checkGanLoss('discriminatorStep', o.loss);
  const dVars = trainableVariables(o.discriminator);
  const kept: tf.Tensor[] = []; // made inside the gradient tape, needed after it
  try {
    const m = tf.tidy(() => {
      // G(z) is a constant for D's update: computed outside the gradient tape
      const fake = applyModel(o.generator, o.z, o.generatorTraining ?? true);
      const { value, grads } = tf.variableGrads(() => {
        const realOut = applyModel(o.discriminator, o.real, true);
        const fakeOut = applyModel(o.discriminator, fake, true);
        kept.push(tf.keep(meanOutputs(loss, realOut, fakeOut)));
        return loss.discriminatorLoss(realOut, fakeOut);
      }, dVars);
      o.optimizer.applyGradients(grads, dVars);
      loss.afterDiscriminatorUpdate?.(dVars);
      return tf.concat([value.reshape([1]), kept[0]]);
    });
    const [dLoss, dReal, dFake] = readMetrics(m);
    return { dLoss, dReal, dFake };
  } finally {
    for (const t of kept) t.dispose();
  }
}

export interface GeneratorStepOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  optimizer: GanOptimizer;
  z: tf.Tensor2D;
  /** The GAN's loss (default minimaxLoss(): the non-saturating G loss of section 3 and the paper's code). */
  loss?: GanLoss;
  /**
   * Mode of the frozen D inside G's loss. Default true: the paper's code evaluates G's objective through
   * the same dropout D as D's objective. false uses D without dropout (its deterministic prediction).
   * D's weights never change here either way.
   */
  discriminatorTraining?: boolean;
}

/** G's loss and mean D(G(z)) on this batch, before the update. */
export type GeneratorStepResult = Pick<StepMetrics, 'gLoss' | 'dFake'>;

/** G's step: descend the loss's G loss of D(G(z)) with respect to G's trainable variables only (D frozen). */
export function generatorStep(o: GeneratorStepOptions): GeneratorStepResult {
  checkStepModels('generatorStep', o);
  checkBatch('generatorStep', 'z', o.z);
  const loss = o.loss === undefined ? DEFAULT_GAN_LOSS : checkGanLoss('generatorStep', o.loss);
  const gVars = trainableVariables(o.generator);
  const kept: tf.Tensor[] = []; // made inside the gradient tape, needed after it
  try {
    const m = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const fakeOut = applyModel(o.discriminator, applyModel(o.generator, o.z, true), o.discriminatorTraining ?? true);
        kept.push(tf.keep(loss.meanOutput(fakeOut).reshape([1])));
        return loss.generatorLoss(fakeOut);
      }, gVars);
      o.optimizer.applyGradients(grads, gVars);
      return tf.concat([value.reshape([1]), kept[0]]);
    });
    const [gLoss, dFake] = readMetrics(m);
    return { gLoss, dFake };
  } finally {
    for (const t of kept) t.dispose();
  }
}

export interface SimultaneousStepOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  dOptimizer: GanOptimizer;
  gOptimizer: GanOptimizer;
  real: tf.Tensor2D;
  z: tf.Tensor2D;
  /** The GAN's loss (default minimaxLoss()). */
  loss?: GanLoss;
}

export type SimultaneousStepResult = StepMetrics;

/**
 * The paper code's update: D's and G's gradients from the same real batch and the same z, both at the
 * current parameters, then both applied. G's gradient goes through a second forward pass of D on the
 * same G(z) (Theano shared one graph); with a dropout D that pass draws its own masks, so the update is
 * the paper's in distribution, and identical to it without dropout.
 */
export function simultaneousStep(o: SimultaneousStepOptions): SimultaneousStepResult {
  checkStepModels('simultaneousStep', o);
  checkBatch('simultaneousStep', 'real', o.real);
  checkBatch('simultaneousStep', 'z', o.z);
  const loss = o.loss === undefined ? DEFAULT_GAN_LOSS : checkGanLoss('simultaneousStep', o.loss);
  const dVars = trainableVariables(o.discriminator);
  const gVars = trainableVariables(o.generator);
  const kept: tf.Tensor[] = []; // made inside the gradient tape, needed after it
  try {
    const m = tf.tidy(() => {
      const g = tf.variableGrads(() => {
        const fake = tf.keep(applyModel(o.generator, o.z, true));
        kept.push(fake);
        return loss.generatorLoss(applyModel(o.discriminator, fake, true));
      }, gVars);
      const d = tf.variableGrads(() => {
        const realOut = applyModel(o.discriminator, o.real, true);
        const fakeOut = applyModel(o.discriminator, kept[0], true);
        kept.push(tf.keep(meanOutputs(loss, realOut, fakeOut)));
        return loss.discriminatorLoss(realOut, fakeOut);
      }, dVars);
      // both gradients were taken before either update
      o.dOptimizer.applyGradients(d.grads, dVars);
      loss.afterDiscriminatorUpdate?.(dVars);
      o.gOptimizer.applyGradients(g.grads, gVars);
      return tf.concat([d.value.reshape([1]), g.value.reshape([1]), kept[1]]);
    });
    const [dLoss, gLoss, dReal, dFake] = readMetrics(m);
    return { dLoss, gLoss, dReal, dFake };
  } finally {
    for (const t of kept) t.dispose();
  }
}

/** [mean D(x), mean D(G(z))] as the loss reads D's output (σ of the logits for the minimax loss). */
function meanOutputs(loss: GanLoss, realOut: tf.Tensor, fakeOut: tf.Tensor): tf.Tensor1D {
  return tf.stack([loss.meanOutput(realOut), loss.meanOutput(fakeOut)]) as tf.Tensor1D;
}

function checkStepModels(where: string, o: { generator: tf.LayersModel; discriminator: tf.LayersModel }): void {
  if (!o || !o.generator || !o.discriminator) {
    throw new Error(`${where}: pass {generator, discriminator, ...} (tf.LayersModel each)`);
  }
  if (o.generator === o.discriminator) throw new Error(`${where}: generator and discriminator are the same model`);
}

function checkBatch(where: string, name: string, t: tf.Tensor): void {
  if (!(t instanceof tf.Tensor) || t.isDisposed) {
    throw new Error(`${where}: ${name} must be a live tf.Tensor2D [batch, features], got ${t instanceof tf.Tensor ? 'a disposed tensor' : typeof t}`);
  }
  if (t.rank !== 2 || t.shape[0] === 0) {
    throw new Error(`${where}: ${name} must be a non-empty 2-D tensor [batch, features], got shape [${t.shape}]`);
  }
}
