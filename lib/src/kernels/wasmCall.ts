/**
 * Calls wasm kernels directly (kernel function to kernel function, the way the wasm backend composes its own
 * kernels): no engine tensors, no tape entries, so a replacement kernel is one node for autodiff and frees its
 * intermediates itself.
 */
import * as tf from '@tensorflow/tfjs';

export type Info = tf.TensorInfo;

/** The part of tfjs-backend-wasm's BackendWasm the replacements use. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** Kernels shipped by tfjs-backend-wasm that a replacement wraps, saved before being unregistered. */
export const shippedKernels = new Map<string, tf.KernelConfig>();

/** Runs a kernel of the wasm backend: the shipped one if we replaced it, else whatever is registered. */
export function runWasm(name: string, inputs: Record<string, Info>, attrs: object, backend: WasmBackendLike): Info {
  const config = shippedKernels.get(name) ?? tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`tsgan kernels: the wasm backend has no '${name}' kernel to build on.`);
  const out = config.kernelFunc({ inputs, backend: backend as never, attrs: attrs as never });
  return (Array.isArray(out) ? out[0] : out) as Info;
}

export function release(backend: WasmBackendLike, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * Attributes that tfjs gives both convolution gradients (its Conv2DBackpropFilterAttrs and
 * Conv2DBackpropInputAttrs share them); dilations, which tfjs does not pass, are refused when given.
 */
export type ConvGradAttrs = Omit<tf.Conv2DBackpropInputAttrs, 'inputShape'> & { dilations?: number | [number, number] };

/**
 * The geometry (NHWC) of the forward convolution a convolution gradient differentiates, or what keeps the
 * gradient off tsgan's gemm (as an error message, with the geometry when only dy's shape is off), so both
 * gradient kernels judge the same cases with the same words.
 */
export function convGradGeometry(
  kernel: string,
  attrs: ConvGradAttrs,
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  dy: Info,
  other: Info,
): { info: tf.backend_util.Conv2DInfo } | { problem: string; info?: tf.backend_util.Conv2DInfo } {
  const { dilations } = attrs;
  // typed 'NHWC' | 'NCHW', but the layers API passes its own 'channelsLast' at run time
  const dataFormat: string | undefined = attrs.dataFormat;
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    return {
      problem:
        `${kernel} on wasm (tsgan kernels) supports dataFormat 'NHWC' only, got '${String(dataFormat)}'. ` +
        `Transpose your tensors to NHWC (channels last), or use the cpu backend.`,
    };
  }
  const d = dilations === undefined ? [1, 1] : typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (d.some((v) => v !== 1)) {
    return {
      problem:
        `${kernel} on wasm (tsgan kernels) supports dilations = 1 only, got [${d.join(', ')}]. ` +
        `Use the cpu backend for dilated convolution gradients.`,
    };
  }
  if (dy.dtype !== 'float32' || other.dtype !== 'float32') {
    return { problem: `${kernel} on wasm needs float32 tensors, got dy ${dy.dtype} and ${other.dtype}.` };
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize: n, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  if (dy.shape[0] !== n || dy.shape[1] !== oh || dy.shape[2] !== ow || dy.shape[3] !== cout) {
    return {
      problem:
        `${kernel}: dy has shape [${dy.shape}] but input [${inputShape}] with filter [${filterShape}] ` +
        `gives outputs [${n},${oh},${ow},${cout}].`,
      info,
    };
  }
  return { info };
}

/** convGradGeometry's geometry, or its problem thrown. */
export function convGradInfo(...args: Parameters<typeof convGradGeometry>): tf.backend_util.Conv2DInfo {
  const g = convGradGeometry(...args);
  if ('problem' in g) throw new Error(g.problem);
  return g.info;
}
