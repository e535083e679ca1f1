import * as tf from '@tensorflow/tfjs';

/** D(x) = σ(logit): the discriminators return logits so that the losses stay numerically stable. */
export function discriminatorProbability<T extends tf.Tensor>(logits: T): T {
  return tf.sigmoid(logits);
}

/**
 * Number of parameters of a model. Default: all weights (as model.countParams()); with trainableOnly,
 * BatchNorm's moving statistics are left out.
 */
export function countParams(model: tf.LayersModel, options: { trainableOnly?: boolean } = {}): number {
  const weights = options.trainableOnly ? model.trainableWeights : model.weights;
  return weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}
