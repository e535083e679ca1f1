/**
 * A tensor of independent draws: `value` with probability p, else 0 (a dropout mask, with value =
 * 1/keep). The numbers are those of rng.fillBernoulli, and rng advances past them, whether the backend
 * draws them in place (tsgan's wasm kernel) or they are drawn here and uploaded.
 */
import * as tf from '@tensorflow/tfjs';
import { BERNOULLI_KERNEL, runOwnOp } from '../kernels/ownOps';
import { Rng } from './rng';

export function bernoulliMask(rng: Rng, shape: number[], p: number, value: number): tf.Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`bernoulliMask: p is a probability in [0, 1], got ${p}`);
  const { s, spareNormal } = rng.getState();
  const state = tf.tensor1d(Int32Array.from(s), 'int32');
  try {
    const drawn = runOwnOp(BERNOULLI_KERNEL, { state }, { shape, p, value });
    if (!drawn)
      return tf.tensor(rng.fillBernoulli(new Float32Array(tf.util.sizeFromShape(shape)), p, value), shape, 'float32');
    const [mask, next] = drawn;
    const words = Uint32Array.from(next.dataSync());
    next.dispose();
    rng.setState({ s: [words[0], words[1], words[2], words[3]], spareNormal });
    return mask;
  } finally {
    state.dispose();
  }
}
