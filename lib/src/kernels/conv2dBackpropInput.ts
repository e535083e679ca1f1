/**
 * Conv2DBackpropInput for wasm (the input gradient of a convolution, and the forward pass of
 * Conv2DTranspose). The shipped kernel is a scalar C++ loop; this one is one XNNPACK convolution.
 *
 * For stride s, output row t = y + pad splits into a phase p = t mod s and q = ⌊t / s⌋:
 *   dx[t] = Σ_k dy[q − k] · W[p + s·k]
 * so every phase is a stride-1 convolution of dy with the rotated sub-filter W[p::s]. Stacking the s×s
 * phases as output channels gives ONE convolution with filter [K, K, Cout, s·s·Cin] (K = ⌈F/s⌉), then a
 * depth-to-space reshuffle. Unlike convolving a zero-dilated dy, no multiplications by inserted zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { depthToSpaceCropHeap, HeapBackend, phaseFilterHeap } from './heapLayout';
import { conv2dExplicit, ConvGradAttrs, convGradInfo, Info, release, WasmBackendLike } from './wasmCall';

interface Attrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

export function conv2dBackpropInputWasm(args: { inputs: { dy: Info; filter: Info }; backend: WasmBackendLike; attrs: Attrs }): Info {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const info = convGradInfo('Conv2DBackpropInput', attrs, attrs.inputShape, filter.shape as [number, number, number, number], dy, filter);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const kh = Math.ceil(fh / sh);
  const kw = Math.ceil(fw / sw);

  // Combined filter F[jh, jw, co, (ph, pw, ci)] = W[ph + s·(K−1−jh), pw + s·(K−1−jw), ci, co], zero past F.
  const f = phaseFilterHeap(backend as HeapBackend, filter, sh, sw, kh, kw);

  // Phase rows needed: q = 0 … ⌈(H + top)/s⌉ − 1; the convolution yields oh + bottom rows.
  const qh = Math.max(Math.ceil((h + top) / sh), oh);
  const qw = Math.max(Math.ceil((w + left) / sw), ow);
  const y = conv2dExplicit(backend, dy, f, { top: kh - 1, bottom: qh - oh, left: kw - 1, right: qw - ow });
  const temps: Info[] = [f, y];
  const dx = depthToSpaceCropHeap(backend as HeapBackend, y, sh, sw, top, left, [n, h, w, cin]);
  release(backend, ...temps);
  return dx;
}
