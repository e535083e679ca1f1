/**
 * Fused optimiser updates for wasm: kernels of tsgan's own ops (SGD_MOMENTUM_KERNEL, ADAM_KERNEL, declared
 * in kernels/ownOps.ts), which the optimisers in lib/src/train run through runOwnOp when the backend has
 * them. One pass over each variable (gemm/optimizers.c) instead of 4 or 12 tensor ops, each reading and
 * writing the whole variable: the paper GAN's 3.7 M parameters made that ≈ 7 ms per iteration here. Same
 * float32 operations in the same order, so the same bits as the op-by-op update.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, OwnKernelArgs, SGD_MOMENTUM_KERNEL } from './ownOps';
import { addressOf, gemmOf, type GemmBackend, type OpAddresses } from './gemm';
import { Info } from './wasmCall';

/**
 * New buffers shaped like the variable `like` (one per output), and the heap addresses of the inputs and
 * of those outputs.
 */
function prepare<K extends typeof SGD_MOMENTUM_KERNEL | typeof ADAM_KERNEL>(
  backend: GemmBackend,
  inputs: OwnKernelArgs<K, GemmBackend>['inputs'],
  like: Info,
  outputs: number,
): { outs: Info[]; at: OpAddresses<K>; n: number } {
  const named = Object.entries(inputs) as [string, Info][];
  for (const [name, t] of named) {
    if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, like.shape)) {
      throw new Error(
        `tsgan fused optimiser update: every input must be float32 of shape [${like.shape}], got ${t.dtype} [${t.shape}] for ${name}`,
      );
    }
  }
  const outs = Array.from({ length: outputs }, () => backend.makeOutput(like.shape, 'float32'));
  // Addresses after every makeOutput: allocating may move nothing, but may grow (and detach) the heap view.
  const at = {
    inputs: Object.fromEntries(named.map(([name, t]) => [name, addressOf(backend, t)])),
    outputs: outs.map((t) => addressOf(backend, t)),
  } as unknown as OpAddresses<K>;
  return { outs, at, n: tf.util.sizeFromShape(like.shape) };
}

export function sgdMomentumWasm({
  inputs,
  backend,
  attrs,
}: OwnKernelArgs<typeof SGD_MOMENTUM_KERNEL, GemmBackend>): Info[] {
  const { outs, at, n } = prepare<typeof SGD_MOMENTUM_KERNEL>(backend, inputs, inputs.variable, 2);
  if (n > 0) gemmOf(backend).sgdMomentum(at, n, attrs);
  return outs; // [variable, velocity]
}

export function adamWasm({ inputs, backend, attrs }: OwnKernelArgs<typeof ADAM_KERNEL, GemmBackend>): Info[] {
  const { outs, at, n } = prepare<typeof ADAM_KERNEL>(backend, inputs, inputs.variable, 3);
  if (n > 0) gemmOf(backend).adam(at, n, attrs);
  return outs; // [variable, m, v]
}
