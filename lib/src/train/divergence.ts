/**
 * What trainGan does when the numbers stop being finite: it stops with a TrainingDivergedError that names
 * the step and the likely cause, instead of running on with NaN losses (and a caller then saving NaN
 * weights over a good checkpoint). The cause is told apart only when it happens: were this step's inputs
 * (real batch, noise) finite, and are the weights?
 */
import * as tf from '@tensorflow/tfjs';
import { countNonFinite, describeNonFinite } from '../losses';
import { emptyHistory, TrainHistory } from './history';

interface WeightScan {
  /** "discriminator weight 3 (dense_Dense2/kernel): 12 NaN values" for each weight that is not finite. */
  bad: string[];
  /** The largest finite |w| and where. */
  largest: { value: number; where: string };
}

function scanWeights(models: { [role: string]: tf.LayersModel }): WeightScan {
  const bad: string[] = [];
  const largest = { value: 0, where: '' };
  for (const [role, model] of Object.entries(models)) {
    model.weights.forEach((w, i) => {
      const v = w.read().dataSync();
      const c = countNonFinite(v);
      const where = `${role} weight ${i} (${w.originalName})`;
      if (c.nan || c.inf) bad.push(`${where}: ${describeNonFinite(c)}`);
      for (let j = 0; j < v.length; j++) {
        const a = Math.abs(v[j]);
        if (a > largest.value && a !== Infinity) Object.assign(largest, { value: a, where });
      }
    });
  }
  return { bad, largest };
}

/** The weights of `models` that hold NaN or ±Infinity, described (empty when all are finite). */
export function nonFiniteWeights(models: { [role: string]: tf.LayersModel }): string[] {
  return scanWeights(models).bad;
}

/** trainGan stopped because a loss or the weights stopped being finite. `history` holds the steps before. */
export class TrainingDivergedError extends Error {
  constructor(
    message: string,
    /** The step that failed (1-based, counting startStep), or startStep when the weights were bad before it. */
    readonly step: number,
    readonly history: TrainHistory,
  ) {
    super(message);
    this.name = 'TrainingDivergedError';
  }
}

const NAMED = 3; // weights named in a message

function listWeights(bad: string[]): string {
  return bad.slice(0, NAMED).join('; ') + (bad.length > NAMED ? `; and ${bad.length - NAMED} more` : '');
}

/** Before the first step: weights that are already NaN/Inf come from a damaged checkpoint or initialisation. */
export function checkWeightsBeforeTraining(
  models: { [role: string]: tf.LayersModel },
  startStep: number,
  history: TrainHistory,
): void {
  const bad = nonFiniteWeights(models);
  if (!bad.length) return;
  throw new TrainingDivergedError(
    `trainGan: before step ${startStep + 1}, the weights are not finite: ${listWeights(bad)}. ` +
      'They were loaded or built that way (a checkpoint saved from a diverged run, or weights set by hand); ' +
      'load an earlier checkpoint or build fresh models.',
    startStep,
    history,
  );
}

/** Which of a step's input batches hold NaN/Inf ('real data', 'noise'), for the diagnosis. */
export function nonFiniteInputs(batches: { [what: string]: tf.Tensor | null }): string[] {
  return Object.entries(batches)
    .filter(([, t]) => {
      if (!t || t.isDisposed) return false;
      const c = countNonFinite(t.dataSync());
      return c.nan + c.inf > 0;
    })
    .map(([what]) => what);
}

/**
 * The error for step `step`, which produced a non-finite loss (`what`), with the likely cause: NaN/Inf in
 * this step's inputs (`badInputs`), or else weights that are NaN/Inf or so large that the logits overflow:
 * the updates diverged, most likely a learning rate too high.
 */
export function divergedError(
  step: number,
  epoch: number,
  what: string,
  badInputs: string[],
  models: { [role: string]: tf.LayersModel },
  history: TrainHistory,
): TrainingDivergedError {
  let cause: string;
  if (badInputs.length) {
    cause = `This step's ${badInputs.join(' and ')} hold NaN or Inf values: check the data source (and the prior) for them.`;
  } else {
    const { bad, largest } = scanWeights(models);
    const state = bad.length
      ? `the weights are no longer finite (${listWeights(bad)})`
      : `the weights grew until D's logits overflowed (largest |w| ${largest.value.toExponential(1)}, in ${largest.where})`;
    cause =
      `The inputs were finite, but ${state}: the updates diverged, most likely because the learning rate is too high ` +
      '(lower it, e.g. tenfold, and start again from fresh models or the last good checkpoint).';
  }
  return new TrainingDivergedError(
    `trainGan: step ${step} (epoch ${epoch}) stopped: ${what.replace(/\.$/, '')}. ${cause} The history up to step ${step - 1} is in error.history.`,
    step,
    history,
  );
}

/** Throws a TrainingDivergedError when a weight is NaN/Inf after step `step` (before anything is written from it). */
export function assertFiniteWeights(
  models: { [role: string]: tf.LayersModel },
  step: number,
  history: TrainHistory | null = null,
): void {
  const bad = nonFiniteWeights(models);
  if (!bad.length) return;
  throw new TrainingDivergedError(
    `After step ${step} the weights are not finite: ${listWeights(bad)}. The updates diverged, most likely because the learning rate is too high ` +
      '(or the data hold NaN/Inf values).',
    step,
    history ?? { ...emptyHistory(), finalStep: step },
  );
}
