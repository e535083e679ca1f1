/**
 * Conv2DBackpropFilter for wasm. tfjs-backend-wasm 4.22 has no such kernel, so any convolution layer failed
 * to train there ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 *
 * dW[fh, fw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + fh − pad, ow·s + fw − pad, ci] · dy[n, oh, ow, co]
 * is itself a convolution: with ci as the batch and n as the input channel, x (as [Cin, H, W, N]) is
 * convolved with dy (as [OH, OW, N, Cout]) dilated by the forward stride, at stride 1. That runs on the
 * shipped XNNPACK Conv2D, multiplies no zeros, and costs the same FLOPs as the forward convolution.
 */
import * as tf from '@tensorflow/tfjs';
import {
  conv2dExplicit,
  ConvGradAttrs,
  convGradInfo,
  Info,
  release,
  slice,
  WasmBackendLike,
} from './wasmCall';
import { HeapBackend, permuteHeap } from './heapLayout';

interface Attrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterWasm(args: { inputs: { x: Info; dy: Info }; backend: WasmBackendLike; attrs: Attrs }): Info {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const info = convGradInfo('Conv2DBackpropFilter', attrs, x.shape as [number, number, number, number], attrs.filterShape, dy, x);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Padding after the last row so that the output has exactly fh rows; negative means the forward
  // convolution never read the last rows of x, so they are cut instead.
  const bottom = fh + (oh - 1) * sh - h - top;
  const right = fw + (ow - 1) * sw - w - left;
  const temps: Info[] = [];
  let xUsed = x;
  if (bottom < 0 || right < 0) {
    xUsed = slice(backend, x, [0, 0, 0, 0], [n, h + Math.min(bottom, 0), w + Math.min(right, 0), cin]);
    temps.push(xUsed);
  }
  const hb = backend as HeapBackend;
  const xT = permuteHeap(hb, xUsed, [3, 1, 2, 0]); // [Cin, H, W, N]
  const dyT = permuteHeap(hb, dy, [1, 2, 0, 3]); // [OH, OW, N, Cout]
  temps.push(xT, dyT);
  const out = conv2dExplicit(
    backend,
    xT,
    dyT,
    { top, bottom: Math.max(bottom, 0), left, right: Math.max(right, 0) },
    [sh, sw],
  ); // [Cin, FH, FW, Cout]
  const dw = permuteHeap(hb, out, [1, 2, 0, 3]);
  release(backend, out, ...temps);
  return dw;
}
