/**
 * BERNOULLI_KERNEL on wasm: a dropout mask drawn straight into the heap by gemm/rows.c, the same numbers
 * as Rng.fillBernoulli (the paper D draws ≈ 380,000 per iteration: ≈ 4 ms in JavaScript, most of it
 * allocating and filling a fresh Float32Array, then copying it into the heap). The generator's state
 * goes in as an int32 [4] tensor and comes out advanced as the second output.
 */
import * as tf from '@tensorflow/tfjs';
import { BERNOULLI_KERNEL, OwnKernelArgs } from './ownOps';
import { addressOf, gemmOf, type GemmBackend } from './gemm';
import { Info } from './wasmCall';

export function bernoulliWasm(args: OwnKernelArgs<typeof BERNOULLI_KERNEL, GemmBackend>): Info[] {
  const { inputs, backend, attrs } = args;
  const { state } = inputs;
  if (state.dtype !== 'int32' || state.shape.length !== 1 || state.shape[0] !== 4) {
    throw new Error(
      `tsgan Bernoulli kernel: state must be an int32 [4] tensor (Rng.getState().s), got ${state.dtype} [${state.shape}]`,
    );
  }
  const mask = backend.makeOutput(attrs.shape, 'float32');
  const next = backend.makeOutput([4], 'int32');
  backend.typedArrayFromHeap(next).set(backend.typedArrayFromHeap(state));
  const n = tf.util.sizeFromShape(attrs.shape);
  if (n > 0)
    gemmOf(backend).bernoulli(
      addressOf(backend, next),
      n,
      Math.ceil(attrs.p * 16777216),
      attrs.value,
      addressOf(backend, mask),
    );
  return [mask, next];
}
