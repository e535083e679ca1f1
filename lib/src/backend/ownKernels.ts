/**
 * Kernels of tsgan's own, which only tsgan's wasm kernels register (lib/src/kernels): an optimiser update
 * or a dropout mask in one pass over memory, where other backends run a few tensor ops (or JavaScript).
 * Both ways give the same bits; callers try runOwnKernel first and fall back when it returns null.
 */
import * as tf from '@tensorflow/tfjs';

export const SGD_MOMENTUM_KERNEL = 'TsganSgdMomentum';
export const ADAM_KERNEL = 'TsganAdam';
export const BERNOULLI_KERNEL = 'TsganBernoulli';

/** The kernel's outputs, or null when the active backend has no such kernel. */
export function runOwnKernel(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] | null {
  if (!tf.getKernel(kernelName, tf.getBackend())) return null;
  return tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor[];
}
