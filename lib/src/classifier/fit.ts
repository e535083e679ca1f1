/**
 * Training and using the MNIST classifier: minibatch Adam on softmax cross-entropy, predicted labels,
 * accuracy. The minibatches come from the lib's seeded Minibatches, so a training run is reproducible.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensor, ImageSet, Minibatches } from '../data';
import { Rng } from '../random';
import { adam, trainableVariables, yieldToEventLoop } from '../train';

export interface TrainClassifierOptions {
  model: tf.LayersModel;
  train: ImageSet;
  epochs: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam's learning rate in the first epoch (default 1e-3). */
  learningRate?: number;
  /**
   * Each epoch's learning rate is the previous one's times this (default 1). Adam starts afresh each epoch
   * at the new rate: a step schedule, whose small last steps settle the weights.
   */
  learningRateDecay?: number;
  /** Shuffles the batches. */
  rng: Rng;
  /** Called after every epoch with its 1-based number and the mean loss over it. */
  onEpoch?: (epoch: number, meanLoss: number) => void | Promise<void>;
  /** Called every 100 batches with the number of batches done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Trains `model` in place; returns the mean loss of each epoch. */
export async function trainClassifier(o: TrainClassifierOptions): Promise<number[]> {
  if (!o || !o.model || !o.train || !o.rng)
    throw new Error('trainClassifier: pass { model, train: ImageSet, epochs, rng }');
  if (!Number.isInteger(o.epochs) || o.epochs < 1)
    throw new Error(`trainClassifier: epochs must be a positive integer, got ${String(o.epochs)}`);
  const decay = o.learningRateDecay ?? 1;
  if (!(decay > 0 && decay <= 1))
    throw new Error(`trainClassifier: learningRateDecay must be in (0, 1], got ${String(o.learningRateDecay)}`);
  const batches = new Minibatches(o.train.count, o.batchSize ?? 64, o.rng);
  const vars = trainableVariables(o.model);
  const losses: number[] = [];
  const total = o.epochs * batches.batchesPerEpoch;
  let done = 0;
  let optimizer = adam({ learningRate: o.learningRate ?? 1e-3 });
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      if (epoch > 1 && decay !== 1) {
        const learningRate = optimizer.learningRate * decay;
        optimizer.dispose();
        optimizer = adam({ learningRate });
      }
      let sum = 0;
      for (let b = 0; b < batches.batchesPerEpoch; b++) {
        const { indices } = batches.next();
        const loss = tf.tidy(() => {
          const x = batchTensor(o.train, indices);
          const labels = tf.oneHot(
            tf.tensor1d(
              Array.from(indices, (i) => o.train.labels[i]),
              'int32',
            ),
            10,
          );
          const { value, grads } = tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy(labels, o.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
            vars,
          );
          optimizer.applyGradients(grads, vars);
          return value;
        });
        sum += loss.dataSync()[0];
        loss.dispose();
        if (++done % 100 === 0) {
          o.onProgress?.(done, total);
          await yieldToEventLoop();
        }
      }
      losses.push(sum / batches.batchesPerEpoch);
      await o.onEpoch?.(epoch, losses[losses.length - 1]);
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}

/** The most likely digit for each row of `images` ([N, 784], values in [0, 1]); the tensor is not disposed. */
export function predictDigits(model: tf.LayersModel, images: tf.Tensor2D, batchSize = 1000): Int32Array {
  if (!(images instanceof tf.Tensor) || images.isDisposed || images.rank !== 2 || images.shape[1] !== 784) {
    throw new Error(
      `predictDigits: images must be a live [N, 784] tensor of pixels in [0, 1]${images instanceof tf.Tensor ? `, got shape [${images.shape}]` : ''}`,
    );
  }
  const n = images.shape[0];
  const out = new Int32Array(n);
  for (let from = 0; from < n; from += batchSize) {
    const size = Math.min(batchSize, n - from);
    out.set(
      tf.tidy(
        () => tf.argMax(model.predict(images.slice([from, 0], [size, 784])) as tf.Tensor, 1).dataSync() as Int32Array,
      ),
      from,
    );
  }
  return out;
}

/** The share of `set`'s images whose predicted digit is their label. */
export function classifierAccuracy(model: tf.LayersModel, set: ImageSet, batchSize = 1000): number {
  let correct = 0;
  for (let from = 0; from < set.count; from += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, set.count - from) }, (_, k) => from + k);
    const x = batchTensor(set, indices);
    try {
      predictDigits(model, x, batchSize).forEach((d, k) => (correct += d === set.labels[indices[k]] ? 1 : 0));
    } finally {
      x.dispose();
    }
  }
  return correct / set.count;
}
