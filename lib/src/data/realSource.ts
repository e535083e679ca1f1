/**
 * Where the real examples x ~ p_data of a training step come from, behind one interface: minibatches
 * of an image set over epochs, or fresh draws from a toy distribution. Training asks for tensors and
 * saves the source's state in its checkpoints, so a resumed run sees the same batches.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import type { Stateful } from '../random/stateful';
import { batchTensor, ImageSet } from './imageSet';
import { LastBatch, Minibatches, MinibatchesState } from './minibatches';
import { Distribution1D } from './toys1d';
import { Distribution2D } from './toys2d';

/** Its state (getState/setState, saved in checkpoints) is plain JSON; each source checks what it is given. */
export interface RealSource extends Stateful<unknown> {
  /** The next batch of real examples as a float32 [rows, dim] tensor (caller disposes it). */
  next(batchSize: number): tf.Tensor2D;
  /** Passes completed over the data set (image sources); 0 for an endless distribution. */
  readonly epoch: number;
  /** Dimension of one example (784 for MNIST, 1 or 2 for the toys). */
  readonly dim: number;
}

export interface ImageSourceOptions {
  /** Fixed batch size; default: the size of the first next() call. */
  batchSize?: number;
  /** See Minibatches (default 'drop': every batch is full). */
  lastBatch?: LastBatch;
  /**
   * With a number of classes: each row is [x | one-hot y], the image and its label (the set's labels, 0 to
   * classes − 1), the real rows of a conditional GAN's joint D (models/conditionalNets.ts). Default: images only.
   */
  classes?: number;
}

interface ImageSourceState {
  kind: 'images';
  count: number;
  /** Only in the state of a source with labels (ImageSourceOptions.classes). */
  classes?: number;
  batches: MinibatchesState | null;
}

/**
 * Shuffled minibatches of `set`, epoch after epoch. With lastBatch 'keep' the last batch of an
 * epoch has count % batchSize rows. `rng` drives the shuffling only (give it its own stream: rng.fork()).
 */
export function imageSource(set: ImageSet, rng: Rng, opts: ImageSourceOptions = {}): RealSource {
  const classes = opts.classes;
  if (classes !== undefined) {
    if (!Number.isInteger(classes) || classes < 1)
      throw new Error(`imageSource: classes must be a positive integer (10 for MNIST digits), got ${String(classes)}`);
    if (!set.labels || set.labels.length !== set.count) {
      throw new Error(
        `imageSource: classes needs a labelled set (one label per image); "${set.source}" has ${set.labels?.length ?? 0} labels for ${set.count} images`,
      );
    }
  }
  let batches: Minibatches | null = null;
  const make = (batchSize: number): Minibatches =>
    new Minibatches(set.count, batchSize, rng, { lastBatch: opts.lastBatch });
  if (opts.batchSize !== undefined) batches = make(opts.batchSize);
  return {
    get epoch() {
      return batches ? batches.epochsCompleted : 0;
    },
    dim: set.rows * set.cols + (classes ?? 0),
    next(batchSize: number): tf.Tensor2D {
      if (!batches) batches = make(batchSize);
      if (batchSize !== batches.batchSize) {
        throw new Error(
          `imageSource.next: batch size ${batchSize} differs from this source's ${batches.batchSize}; ` +
            `an epoch is cut into equal batches, so use one size (or make a new source)`,
        );
      }
      const { indices } = batches.next();
      if (classes === undefined) return batchTensor(set, indices);
      return tf.tidy(() =>
        tf.concat(
          [
            batchTensor(set, indices),
            oneHotLabels(
              Array.from(indices, (j) => set.labels[j]),
              classes,
            ),
          ],
          1,
        ),
      );
    },
    getState(): ImageSourceState {
      return {
        kind: 'images',
        count: set.count,
        ...(classes === undefined ? {} : { classes }),
        batches: batches ? batches.getState() : null,
      };
    },
    setState(s: unknown): void {
      const state = s as ImageSourceState;
      if (!state || state.kind !== 'images' || state.count !== set.count || state.classes !== classes) {
        const labels = (c: number | undefined) => (c === undefined ? '' : ` with ${c} classes`);
        throw new Error(
          `imageSource.setState: expected the state of an image source over ${set.count} images${labels(classes)}, got ` +
            `${state && typeof state === 'object' ? `kind ${state.kind}, count ${state.count}${labels(state.classes)}` : String(s)}`,
        );
      }
      if (state.batches === null) {
        batches = opts.batchSize !== undefined ? make(opts.batchSize) : null;
        return;
      }
      if (!batches) batches = make(state.batches.batchSize);
      batches.setState(state.batches);
    },
  };
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

interface DistributionSourceState {
  kind: 'distribution';
  name: string;
  rng: ReturnType<Rng['getState']>;
}

/** Endless fresh samples of a toy distribution, as [batchSize, 1] or [batchSize, 2] tensors. */
export function distributionSource(dist: Distribution1D | Distribution2D, rng: Rng): RealSource {
  const dim = dist.dim;
  if (dim !== 1 && dim !== 2)
    throw new Error(`distributionSource: expected a Distribution1D or Distribution2D, got dim ${String(dim)}`);
  return {
    epoch: 0,
    dim,
    next(batchSize: number): tf.Tensor2D {
      if (!Number.isInteger(batchSize) || batchSize <= 0) {
        throw new Error(`distributionSource.next: batchSize must be a positive integer, got ${batchSize}`);
      }
      return tf.tensor2d(dist.sample(batchSize, rng), [batchSize, dim], 'float32');
    },
    getState(): DistributionSourceState {
      const r = rng.getState();
      return { kind: 'distribution', name: dist.name, rng: { s: [...r.s] as typeof r.s, spareNormal: r.spareNormal } };
    },
    setState(s: unknown): void {
      const state = s as DistributionSourceState;
      if (!state || state.kind !== 'distribution' || !state.rng) {
        throw new Error("distributionSource.setState: expected an object from a distribution source's getState()");
      }
      if (state.name !== dist.name) {
        throw new Error(
          `distributionSource.setState: the state was saved for "${state.name}", this source samples "${dist.name}"`,
        );
      }
      rng.setState({ s: [...state.rng.s] as typeof state.rng.s, spareNormal: state.rng.spareNormal });
    },
  };
}
