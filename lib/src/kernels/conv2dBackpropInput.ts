/**
 * Conv2DBackpropInput for wasm (the input gradient of a convolution, and the forward pass of
 * Conv2DTranspose). The shipped kernel is a scalar C++ loop; here dx = col2im(dy · Wᵀ), one gemm and one
 * scatter-add pass (convGemm.ts).
 */
import { convInputGradient, patchGeometry } from './convGemm';
import type { GemmBackend } from './gemm';
import { ConvGradAttrs, convGradInfo, Info } from './wasmCall';

interface Attrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

export function conv2dBackpropInputWasm(args: { inputs: { dy: Info; filter: Info }; backend: GemmBackend; attrs: Attrs }): Info {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const info = convGradInfo('Conv2DBackpropInput', attrs, attrs.inputShape, filter.shape as [number, number, number, number], dy, filter);
  return convInputGradient(backend, dy, filter, patchGeometry(info));
}
