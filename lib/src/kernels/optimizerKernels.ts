/**
 * Fused optimiser updates for wasm: kernels of tsgan's own (SGD_MOMENTUM_KERNEL, ADAM_KERNEL), which the
 * optimisers in lib/src/train run through tf.engine().runKernel when the backend has them (see
 * backend/ownKernels.ts). One pass over each variable (gemm/optimizers.c) instead of 4 or 12 tensor ops,
 * each reading and writing the whole variable: the paper GAN's 3.7 M parameters made that ≈ 7 ms per
 * iteration here. Same float32 operations in the same order, so the same bits as the op-by-op update.
 */
import * as tf from '@tensorflow/tfjs';
import { addressOf, gemmOf, type GemmBackend } from './gemm';
import { Info } from './wasmCall';

/** New buffers shaped like `like`, and the addresses of `inputs` and of those outputs. */
function prepare(backend: GemmBackend, like: Info, inputs: Info[], outputs: number): { outs: Info[]; ins: number[]; at: number[] } {
  for (const t of inputs) {
    if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, like.shape)) {
      throw new Error(`tsgan fused optimiser update: every input must be float32 of shape [${like.shape}], got ${t.dtype} [${t.shape}]`);
    }
  }
  const outs = Array.from({ length: outputs }, () => backend.makeOutput(like.shape, 'float32'));
  // Addresses after every makeOutput: allocating may move nothing, but may grow (and detach) the heap view.
  return { outs, ins: inputs.map((t) => addressOf(backend, t)), at: outs.map((t) => addressOf(backend, t)) };
}

export function sgdMomentumWasm(args: {
  inputs: { variable: Info; grad: Info; velocity: Info };
  backend: GemmBackend;
  attrs: { momentum: number; learningRate: number };
}): Info[] {
  const { inputs, backend, attrs } = args;
  const { variable, grad, velocity } = inputs;
  const { outs, ins, at } = prepare(backend, variable, [variable, grad, velocity], 2);
  const n = tf.util.sizeFromShape(variable.shape);
  if (n > 0) gemmOf(backend).sgdMomentum(ins[0], ins[1], ins[2], n, attrs.momentum, attrs.learningRate, at[0], at[1]);
  return outs; // [variable, velocity]
}

export function adamWasm(args: {
  inputs: { variable: Info; grad: Info; m: Info; v: Info };
  backend: GemmBackend;
  attrs: { beta1: number; beta2: number; epsilon: number; c: number; step: number };
}): Info[] {
  const { inputs, backend, attrs } = args;
  const { variable, grad, m, v } = inputs;
  const { outs, ins, at } = prepare(backend, variable, [variable, grad, m, v], 3);
  const n = tf.util.sizeFromShape(variable.shape);
  const { beta1, beta2, epsilon, c, step } = attrs;
  if (n > 0) gemmOf(backend).adam(...ins, n, beta1, 1 - beta1, beta2, 1 - beta2, c, epsilon, step, ...at);
  return outs; // [variable, m, v]
}
