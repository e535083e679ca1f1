/**
 * Conv2DBackpropInput for wasm (the input gradient of a convolution, and the forward pass of
 * Conv2DTranspose). The shipped kernel is a scalar C++ loop; here dx = col2im(dy · Wᵀ), one gemm and one
 * scatter-add pass (convGemm.ts). What the gemm path does not take (NCHW, other dtypes, a dy larger than the
 * convolution's output, which tfjs's kernels accept and read the leading part of) goes to the shipped
 * kernel, so tsgan accepts whatever tfjs-backend-wasm accepts and computes right.
 */
import * as tf from '@tensorflow/tfjs';
import { convInputGradient, patchGeometry } from './convGemm';
import type { GemmBackend } from './gemm';
import { ConvGradAttrs, convGradGeometry, Info, runWasm, shippedKernels } from './wasmCall';

type Attrs = ConvGradAttrs & Pick<tf.Conv2DBackpropInputAttrs, 'inputShape'>;

export function conv2dBackpropInputWasm(args: {
  inputs: { dy: Info; filter: Info };
  backend: GemmBackend;
  attrs: Attrs;
}): Info {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const g = convGradGeometry(
    tf.Conv2DBackpropInput,
    attrs,
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    dy,
    filter,
  );
  if (!('problem' in g)) return convInputGradient(backend, dy, filter, patchGeometry(g.info));
  // A dy smaller than the convolution's output would make the shipped kernel read past its end: refused.
  const readsPastDy =
    g.info !== undefined &&
    [g.info.batchSize, g.info.outHeight, g.info.outWidth, g.info.outChannels].some((d, i) => dy.shape[i] < d);
  if (shippedKernels.has(tf.Conv2DBackpropInput) && !readsPastDy)
    return runWasm(tf.Conv2DBackpropInput, inputs, attrs, backend);
  throw new Error(g.problem);
}
