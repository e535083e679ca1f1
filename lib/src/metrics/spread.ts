/**
 * How much a set of images varies: the pixel spread, √(mean over pixels of the variance across images),
 * 0 when all images are equal. Per class, it shows what a classifier's share cannot see: a G that
 * draws the requested digit in one way only is read correctly every time and still has a spread near 0.
 */
import * as tf from '@tensorflow/tfjs';

/** √(mean over the d pixels of the variance across the n images) of an [n, d] tensor (not disposed); needs n ≥ 2. */
export function pixelSpread(images: tf.Tensor2D): number {
  if (!(images instanceof tf.Tensor) || images.rank !== 2)
    throw new Error('pixelSpread: images must be an [n, d] tensor, one image a row');
  if (images.shape[0] < 2) throw new Error(`pixelSpread: needs at least 2 images, got ${images.shape[0]}`);
  return tf.tidy(() => tf.sqrt(tf.mean(tf.moments(images, 0).variance)).dataSync()[0]);
}

/**
 * The pixel spread of the images of each class 0 … classes − 1 (`labels[i]` is the class of row i);
 * NaN for a class with fewer than 2 images.
 */
export function withinClassSpread(images: tf.Tensor2D, labels: ArrayLike<number>, classes: number): number[] {
  if (!(images instanceof tf.Tensor) || images.rank !== 2)
    throw new Error('withinClassSpread: images must be an [n, d] tensor, one image a row');
  if (labels.length !== images.shape[0])
    throw new Error(`withinClassSpread: ${labels.length} labels for ${images.shape[0]} images`);
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`withinClassSpread: classes must be a positive integer, got ${classes}`);
  return Array.from({ length: classes }, (_, c) => {
    const rows = Array.from(labels, (l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
    if (rows.length < 2) return NaN;
    return tf.tidy(() => pixelSpread(tf.gather(images, rows) as tf.Tensor2D));
  });
}
