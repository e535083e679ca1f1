/** G's samples as plain pixel arrays, evaluated in batches: what the figures, the Parzen evaluation and the runs draw. */
import * as tf from '@tensorflow/tfjs';
import { Prior, Rng } from '../random';

/** G's samples for the rows of z (n×latentDim, row-major), evaluated in batches: n×784 pixels in [0, 1]. */
export function generateImages(
  generator: tf.LayersModel,
  z: Float32Array,
  latentDim: number,
  batchSize = 1000,
): Float32Array {
  const n = z.length / latentDim;
  if (!Number.isInteger(n))
    throw new Error(`generateImages: z has ${z.length} values, not a whole number of ${latentDim}-d rows`);
  let out: Float32Array | null = null;
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const y = tf.tidy(
      () =>
        generator.predict(
          tf.tensor2d(z.subarray(start * latentDim, (start + b) * latentDim), [b, latentDim]),
        ) as tf.Tensor2D,
    );
    const data = y.dataSync() as Float32Array;
    if (!out) out = new Float32Array(n * y.shape[1]);
    out.set(data, start * y.shape[1]);
    y.dispose();
  }
  return out ?? new Float32Array(0);
}

/** n fresh samples of G: z from the prior with `rng`. */
export function sampleGenerator(
  generator: tf.LayersModel,
  prior: Prior,
  n: number,
  rng: Rng,
  batchSize = 1000,
): Float32Array {
  return generateImages(generator, prior.sampleArray(n, rng), prior.dim, batchSize);
}
