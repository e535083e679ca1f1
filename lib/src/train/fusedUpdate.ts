/**
 * An optimiser update as one kernel, when the active backend has it: tsgan's wasm kernels register
 * 'TsganSgdMomentum' and 'TsganAdam' (lib/src/kernels/optimizerKernels.ts), one pass over each variable.
 * Other backends have no such kernel and the optimisers run their tensor ops; both give the same bits.
 */
import * as tf from '@tensorflow/tfjs';

export const SGD_MOMENTUM_KERNEL = 'TsganSgdMomentum';
export const ADAM_KERNEL = 'TsganAdam';

/** The kernel's outputs (new variable value first, then the new slots), or null if the backend lacks it. */
export function fusedUpdate(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] | null {
  if (!tf.getKernel(kernelName, tf.getBackend())) return null;
  return tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor[];
}
