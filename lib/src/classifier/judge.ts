/**
 * Does a conditional G draw the digit it is asked for? The classifier judges: for each class c, the share
 * of G's samples G(z | c) that it labels c (notebook 09). With a 99 % classifier, a share well above
 * chance (10 %) can only come from G.
 */
import * as tf from '@tensorflow/tfjs';
import { conditionalClasses, conditionalSamples } from '../models/conditionalNets';
import { Prior, Rng } from '../random';
import { predictDigits } from './fit';

export interface RequestedDigitOptions {
  prior: Prior;
  /** Draws the noise (give it its own stream). */
  rng: Rng;
  /** Samples per class (default 1000). */
  perClass?: number;
}

export interface RequestedDigitShares {
  /** share[c] = the share of G(z | c) classified as c. */
  share: number[];
  /** counts[c][d] = how many of G(z | c) were classified as d (a confusion matrix, rows = requested). */
  counts: number[][];
  /** The mean of `share`. */
  mean: number;
}

/** The classifier's verdict on G(z | c) for every class c of G; G must be conditional, the classifier must know its classes. */
export function requestedDigitShares(
  classifier: tf.LayersModel,
  generator: tf.LayersModel,
  o: RequestedDigitOptions,
): RequestedDigitShares {
  const perClass = o.perClass ?? 1000;
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new Error(`requestedDigitShares: perClass must be a positive integer, got ${String(o.perClass)}`);
  const classes = conditionalClasses(generator, 'requestedDigitShares');
  const labels = classifier?.outputs?.[0]?.shape[1];
  if (typeof labels !== 'number' || labels < classes) {
    throw new Error(
      `requestedDigitShares: the classifier must output one logit per class of G (${classes}), got ${String(labels)} outputs; use mnistClassifier/loadClassifier`,
    );
  }
  const counts: number[][] = [];
  for (let c = 0; c < classes; c++) {
    const z = o.prior.sample(perClass, o.rng);
    const x = conditionalSamples(generator, z, new Array(perClass).fill(c));
    try {
      const row = new Array<number>(labels).fill(0);
      predictDigits(classifier, x).forEach((d) => row[d]++);
      counts.push(row);
    } finally {
      tf.dispose([z, x]);
    }
  }
  const share = counts.map((row, c) => row[c] / perClass);
  return { share, counts, mean: share.reduce((s, v) => s + v, 0) / classes };
}
