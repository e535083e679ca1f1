/**
 * Conv2DBackpropFilter for wasm. tfjs-backend-wasm 4.22 has no such kernel, so any convolution layer failed
 * to train there ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 * dW = colᵀ · dy, one gemm over the patch matrix of x (convGemm.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { convFilterGradient, patchGeometry } from './convGemm';
import type { GemmBackend } from './gemm';
import { ConvGradAttrs, convGradInfo, Info } from './wasmCall';

type Attrs = ConvGradAttrs & Pick<tf.Conv2DBackpropFilterAttrs, 'filterShape'>;

export function conv2dBackpropFilterWasm(args: {
  inputs: { x: Info; dy: Info };
  backend: GemmBackend;
  attrs: Attrs;
}): Info {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const info = convGradInfo(
    tf.Conv2DBackpropFilter,
    attrs,
    x.shape as [number, number, number, number],
    attrs.filterShape,
    dy,
    x,
  );
  return convFilterGradient(backend, x, dy, patchGeometry(info), info.outChannels);
}
