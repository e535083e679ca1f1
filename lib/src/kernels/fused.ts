/**
 * The tail of the fused kernels (_FusedMatMul, FusedConv2D): the bias, unless the product already added it
 * per output column, then the activation, each through the wasm backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { Info, release, runWasm, WasmBackendLike } from './wasmCall';

/** The activation tfjs fuses into a matrix product or convolution (absent: linear). */
export type FusedAttrs = Partial<Pick<tf._FusedMatMulAttrs, 'activation' | 'leakyreluAlpha'>>;

function activate(backend: WasmBackendLike, x: Info, attrs: FusedAttrs, prelu: Info | undefined): Info {
  switch (attrs.activation ?? 'linear') {
    case 'linear':
      return x;
    case 'relu':
      return runWasm(tf.Relu, { x }, {}, backend);
    case 'relu6':
      return runWasm(tf.Relu6, { x }, {}, backend);
    case 'elu':
      return runWasm(tf.Elu, { x }, {}, backend);
    case 'sigmoid':
      return runWasm(tf.Sigmoid, { x }, {}, backend);
    case 'leakyrelu':
      return runWasm(tf.LeakyRelu, { x }, { alpha: attrs.leakyreluAlpha ?? 0.2 }, backend);
    case 'prelu':
      if (!prelu) throw new Error('fused op with prelu activation needs preluActivationWeights');
      return runWasm(tf.Prelu, { x, alpha: prelu }, {}, backend);
    default:
      throw new Error(`fused op on wasm (tsgan kernels): unknown activation '${String(attrs.activation)}'`);
  }
}

/** True when bias holds one float32 value per output column (the case the gemm adds itself). */
export function isColumnBias(bias: Info | undefined, columns: number): boolean {
  return (
    !!bias &&
    bias.dtype === 'float32' &&
    tf.util.sizeFromShape(bias.shape) === columns &&
    bias.shape[bias.shape.length - 1] === columns
  );
}

/** product (+ bias unless biasDone) → activation; frees the intermediates. */
export function finishFused(
  backend: WasmBackendLike,
  product: Info,
  bias: Info | undefined,
  biasDone: boolean,
  attrs: FusedAttrs,
  prelu: Info | undefined,
): Info {
  const withBias = bias && !biasDone ? runWasm(tf.Add, { a: product, b: bias }, {}, backend) : product;
  const out = activate(backend, withBias, attrs, prelu);
  if (withBias !== product) release(backend, product);
  if (out !== withBias) release(backend, withBias);
  return out;
}
