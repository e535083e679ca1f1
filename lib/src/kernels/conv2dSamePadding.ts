/**
 * Conv2D / FusedConv2D for wasm with 'same' padding passed as explicit pads. The shipped kernels hand
 * 'same' to XNNPACK's TensorFlow-SAME mode, which disagrees with tfjs (and the cpu backend) for some
 * shapes, e.g. x [1, 8, 8, 3], filter [4, 1], stride 3 gives zeros where cpu does not. The pads tfjs computes
 * itself (computeConv2DInfo) are what the cpu backend uses, so passing them explicitly makes wasm agree.
 */
import * as tf from '@tensorflow/tfjs';
import { Info, runWasm, WasmBackendLike } from './wasmCall';

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations: number | [number, number];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  [key: string]: unknown;
}

function explicitSame(kernelName: string) {
  return (args: { inputs: Record<string, Info>; backend: WasmBackendLike; attrs: ConvAttrs }): Info => {
    const { inputs, backend, attrs } = args;
    if (attrs.pad !== 'same') return runWasm(kernelName, inputs, attrs, backend);
    const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
    const info = tf.backend_util.computeConv2DInfo(
      inputs.x.shape as [number, number, number, number],
      inputs.filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      'same',
      undefined,
      false,
      dataFormat,
    );
    const { top, bottom, left, right } = info.padInfo;
    const pad: tf.backend_util.ExplicitPadding =
      dataFormat === 'channelsLast'
        ? [[0, 0], [top, bottom], [left, right], [0, 0]]
        : [[0, 0], [0, 0], [top, bottom], [left, right]];
    return runWasm(kernelName, inputs, { ...attrs, pad }, backend);
  };
}

export const conv2dWasm = explicitSame('Conv2D');
export const fusedConv2dWasm = explicitSame('FusedConv2D');
