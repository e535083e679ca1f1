/**
 * An image data set held as one flat Float32Array (count × rows·cols, row-major, pixels in [0, 1]).
 * One typed array instead of arrays of arrays: 60,000 MNIST digits are 47 million numbers, and
 * per-pixel JavaScript objects would take minutes to build and gigabytes to hold.
 */
import * as tf from '@tensorflow/tfjs';

export interface ImageSet {
  /** count × (rows·cols) pixels, row-major, in [0, 1]. Treat as read-only: sets may share memory. */
  images: Float32Array;
  /** One class label per image (0–9 for MNIST). */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
  /** Where the images came from, for captions and logs. */
  source: string;
}

/** Pixels per image (784 for MNIST). */
export function imageSize(set: ImageSet): number {
  return set.rows * set.cols;
}

/**
 * Images start … start+count−1 of `set`. The result shares memory with `set` (no copy), which is what
 * makes taking the paper's first 1,000 validation images or a quick-mode subset free.
 */
export function subset(set: ImageSet, start: number, count: number): ImageSet {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > set.count) {
    throw new Error(
      `subset: images ${start}..${start + count - 1} are outside the set "${set.source}", which has ${set.count} images ` +
        `(need integers with 0 <= start and start + count <= ${set.count})`,
    );
  }
  const size = imageSize(set);
  return {
    images: set.images.subarray(start * size, (start + count) * size),
    labels: set.labels.subarray(start, start + count),
    count,
    rows: set.rows,
    cols: set.cols,
    source: `${set.source}, images ${start}–${start + count - 1}`,
  };
}

/**
 * Mean of every pixel over the set (rows·cols values). The paper's generator initialises its output
 * bias to logit(clip(these means)). Accumulated in float64: 50,000 float32 additions would lose digits.
 */
export function pixelMeans(set: ImageSet): Float32Array {
  if (set.count <= 0)
    throw new Error(`pixelMeans: the set "${set.source}" is empty; pass a set with at least one image`);
  const size = imageSize(set);
  const sums = new Float64Array(size);
  const images = set.images;
  for (let i = 0; i < set.count; i++) {
    const offset = i * size;
    for (let p = 0; p < size; p++) sums[p] += images[offset + p];
  }
  const means = new Float32Array(size);
  for (let p = 0; p < size; p++) means[p] = sums[p] / set.count;
  return means;
}

/** The images at `indices` as a float32 [indices.length, rows·cols] tensor (caller disposes it). */
export function batchTensor(set: ImageSet, indices: Int32Array | number[]): tf.Tensor2D {
  const size = imageSize(set);
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.count) {
      throw new Error(
        `batchTensor: index ${i} (position ${k}) is outside the set "${set.source}" of ${set.count} images`,
      );
    }
    out.set(set.images.subarray(i * size, (i + 1) * size), k * size);
  }
  return tf.tensor2d(out, [indices.length, size], 'float32');
}

/** Builds an ImageSet after checking that the arrays agree with count, rows and cols. */
export function makeImageSet(
  images: Float32Array,
  labels: Uint8Array,
  rows: number,
  cols: number,
  source: string,
): ImageSet {
  const count = labels.length;
  if (images.length !== count * rows * cols) {
    throw new Error(
      `makeImageSet (${source}): ${images.length} pixels do not fit ${count} labels of ${rows}×${cols} images ` +
        `(expected ${count * rows * cols})`,
    );
  }
  return { images, labels, count, rows, cols, source };
}
