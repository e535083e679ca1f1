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
import { dropoutRngs } from '../models/seededDropout';
import { RngSnapshot } from '../random';
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
        const fakeOut = applyModel(
          o.discriminator,
          applyModel(o.generator, o.z, true),
          o.discriminatorTraining ?? true,
        );
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
  /**
   * Take G's loss from the same forward pass of D on G(z), with the same dropout masks, as D's loss: the
   * paper's Theano graph, one D pass on the fake batch fewer. Default false, a second pass with its own
   * masks: how the shipped paper model was trained, kept so that its run resumes bit for bit.
   */
  sharedForward?: boolean;
}

export type SimultaneousStepResult = StepMetrics;

/**
 * The paper code's update: D's and G's gradients from the same real batch and the same z, both at the
 * current parameters, then both applied. With `sharedForward` both losses read one forward pass of D on
 * G(z), as in Theano's single graph; otherwise G's gradient goes through a second pass of D on the same
 * G(z), which with a dropout D draws its own masks (the paper's update in distribution, and identical to
 * it without dropout).
 */
export function simultaneousStep(o: SimultaneousStepOptions): SimultaneousStepResult {
  checkStepModels('simultaneousStep', o);
  checkBatch('simultaneousStep', 'real', o.real);
  checkBatch('simultaneousStep', 'z', o.z);
  const loss = o.loss === undefined ? DEFAULT_GAN_LOSS : checkGanLoss('simultaneousStep', o.loss);
  const players: Players = {
    o,
    loss,
    dVars: trainableVariables(o.discriminator),
    gVars: trainableVariables(o.generator),
  };
  const m = o.sharedForward === true ? sharedForwardGradients(players) : twoPassGradients(players);
  try {
    // both gradients were taken before either update; tidy frees what the loss's hook makes
    tf.tidy(() => {
      o.dOptimizer.applyGradients(m.dGrads, players.dVars);
      loss.afterDiscriminatorUpdate?.(players.dVars);
      o.gOptimizer.applyGradients(m.gGrads, players.gVars);
    });
    const [dLoss, gLoss, dReal, dFake] = readMetrics(m.metrics);
    return { dLoss, gLoss, dReal, dFake };
  } finally {
    tf.dispose([m.dGrads, m.gGrads, m.metrics]);
  }
}

interface Players {
  o: SimultaneousStepOptions;
  loss: GanLoss;
  dVars: tf.Variable[];
  gVars: tf.Variable[];
}

/** Both players' gradients at the current parameters, and [D loss, G loss, mean D(x), mean D(G(z))]. */
interface SimultaneousGradients {
  dGrads: tf.NamedTensorMap;
  gGrads: tf.NamedTensorMap;
  metrics: tf.Tensor1D;
}

/** G's gradient through its own pass of D on G(z), then D's through a second one (the default). */
function twoPassGradients({ o, loss, dVars, gVars }: Players): SimultaneousGradients {
  const kept: tf.Tensor[] = []; // made inside the gradient tapes, needed after them
  try {
    return tf.tidy(() => {
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
      return {
        dGrads: d.grads,
        gGrads: g.grads,
        metrics: tf.concat([d.value.reshape([1]), g.value.reshape([1]), kept[1]]) as tf.Tensor1D,
      };
    });
  } finally {
    tf.dispose(kept);
  }
}

/**
 * Below this size of ∂(D's loss)/∂D(G(z)) for a row, the row's backward pass through D could reach
 * float32's subnormal range (about 1e-38) and lose digits, so the ratio trick below is not used.
 */
const SMALLEST_D_COTANGENT = 1e-30;

/**
 * One forward pass of G and of D on the real and the fake batch, one backward pass for both players.
 * The backward pass of D is linear in the cotangent it starts from and separate per row (each example's
 * activations and masks are its own), so on row i, G's cotangent at the sample, J_iᵀ ∂L_G/∂D_i, is
 * r_i = (∂L_G/∂D_i) / (∂L_D/∂D_i) times D's, J_iᵀ ∂L_D/∂D_i. A gradient-only scaling of G(z) by r_i
 * therefore gives D its gradient of D's loss and G its gradient of G's loss from one tape (tfjs's tape has
 * one cotangent per pass; Theano's graph had two backward paths over one forward). When a row's D
 * cotangent is too small for r_i to be exact (D certain that the sample is fake, |logit| ≳ 60), G's
 * gradient is taken by a second pass of D with the very same masks, replayed from the dropout Rngs.
 */
function sharedForwardGradients({ o, loss, dVars, gVars }: Players): SimultaneousGradients {
  const [gRngs, dRngs] = [dropoutRngs(o.generator), dropoutRngs(o.discriminator)];
  const shared = gRngs.filter((r) => dRngs.includes(r));
  if (shared.length)
    throw new Error(
      "simultaneousStep: sharedForward replays D's dropout masks, so G and D must not draw masks from the same Rng; give each its own (rng.fork())",
    );
  const atStart = gRngs.map((r) => r.getState());
  let beforeFake: RngSnapshot[] = [];
  let ratio: tf.Tensor | null = null; // r_i, set after D's pass on G(z), read by the backward pass
  let exact = true;
  const kept: tf.Tensor[] = []; // made inside the gradient tape, needed after it
  try {
    return tf.tidy(() => {
      // identity on G(z) whose gradient is scaled by r_i per row
      const scaleGradient = tf.customGrad((...args: unknown[]) => ({
        value: (args[0] as tf.Tensor).clone(),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, ratio!),
      }));
      const both = tf.variableGrads(() => {
        const fake = applyModel(o.generator, o.z, true);
        const realOut = applyModel(o.discriminator, o.real, true);
        beforeFake = dRngs.map((r) => r.getState());
        const fakeOut = applyModel(o.discriminator, scaleGradient(fake) as tf.Tensor, true);
        const r = rowRatios(loss, realOut, fakeOut);
        exact = r.exact;
        ratio = tf.keep(r.ratio.reshape([fake.shape[0], ...fake.shape.slice(1).map(() => 1)]));
        kept.push(
          ratio,
          tf.keep(tf.concat([loss.generatorLoss(fakeOut).reshape([1]), meanOutputs(loss, realOut, fakeOut)])),
        );
        return loss.discriminatorLoss(realOut, fakeOut);
      }, [...dVars, ...gVars]);
      const pick = (vars: tf.Variable[]) => Object.fromEntries(vars.map((v) => [v.name, both.grads[v.name]]));
      let gGrads = pick(gVars);
      if (!exact) {
        const afterStep = [gRngs, dRngs].map((rngs) => rngs.map((r) => r.getState()));
        gRngs.forEach((r, i) => r.setState(atStart[i]));
        dRngs.forEach((r, i) => r.setState(beforeFake[i]));
        gGrads = tf.variableGrads(
          () => loss.generatorLoss(applyModel(o.discriminator, applyModel(o.generator, o.z, true), true)),
          gVars,
        ).grads;
        [gRngs, dRngs].forEach((rngs, j) => rngs.forEach((r, i) => r.setState(afterStep[j][i])));
      }
      return { dGrads: pick(dVars), gGrads, metrics: tf.concat([both.value.reshape([1]), kept[1]]) as tf.Tensor1D };
    });
  } finally {
    tf.dispose(kept);
  }
}

/**
 * Per row of D's output on G(z): r_i = ∂L_G/∂D_i ÷ ∂L_D/∂D_i (0 where G's is 0), from the values only;
 * `exact` is false when a row's D cotangent is too small to divide by (see SMALLEST_D_COTANGENT).
 */
function rowRatios(loss: GanLoss, realOut: tf.Tensor, fakeOut: tf.Tensor): { ratio: tf.Tensor1D; exact: boolean } {
  const rows = fakeOut.shape[0];
  if (fakeOut.size !== rows) {
    throw new Error(
      `simultaneousStep: sharedForward needs one D output per example, got shape [${fakeOut.shape}]; use the default two passes`,
    );
  }
  // copies of the values, so that these derivatives stay off the step's tape
  const [r, f] = [tf.tensor(realOut.dataSync(), realOut.shape), tf.tensor(fakeOut.dataSync(), fakeOut.shape)];
  const dD = tf
    .grad((fo: tf.Tensor) => loss.discriminatorLoss(r, fo))(f)
    .reshape([rows]);
  const dG = tf
    .grad((fo: tf.Tensor) => loss.generatorLoss(fo))(f)
    .reshape([rows]);
  const [dv, gv] = [dD.dataSync(), dG.dataSync()];
  const ratio = new Float32Array(rows);
  let exact = true;
  for (let i = 0; i < rows; i++) {
    if (gv[i] === 0) continue;
    ratio[i] = gv[i] / dv[i];
    if (!(Math.abs(dv[i]) >= SMALLEST_D_COTANGENT) || !Number.isFinite(ratio[i])) exact = false;
  }
  return { ratio: tf.tensor1d(exact ? ratio : new Float32Array(rows)), exact };
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
    throw new Error(
      `${where}: ${name} must be a live tf.Tensor2D [batch, features], got ${t instanceof tf.Tensor ? 'a disposed tensor' : typeof t}`,
    );
  }
  if (t.rank !== 2 || t.shape[0] === 0) {
    throw new Error(`${where}: ${name} must be a non-empty 2-D tensor [batch, features], got shape [${t.shape}]`);
  }
}
