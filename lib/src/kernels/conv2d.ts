/**
 * Conv2D / FusedConv2D for wasm: y = col · W (+ bias) on tsgan's gemm (convGemm.ts), then the activation.
 * The shipped kernels run XNNPACK on one thread, and hand 'same' padding to XNNPACK's TensorFlow-SAME mode,
 * which disagrees with tfjs (and the cpu backend) for some shapes, e.g. x [1, 8, 8, 3], filter [4, 1],
 * stride 3. Here the pads are the ones tfjs computes (computeConv2DInfo), as on cpu. NCHW and non-float32
 * inputs still go to the shipped kernels, with those pads made explicit.
 */
import * as tf from '@tensorflow/tfjs';
import { convForward, patchGeometry } from './convGemm';
import { finishFused, isColumnBias, type FusedAttrs } from './fused';
import type { GemmBackend } from './gemm';
import { Info, runWasm } from './wasmCall';

/** Conv2D's attributes, and FusedConv2D's activation on top. */
type ConvAttrs = tf.Conv2DAttrs & FusedAttrs;

type ConvArgs = { inputs: Record<string, Info>; backend: GemmBackend; attrs: ConvAttrs };

function infoOf(inputs: Record<string, Info>, attrs: ConvAttrs, dataFormat: 'channelsLast' | 'channelsFirst') {
  return tf.backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    inputs.filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
}

function shippedWithExplicitPads(kernelName: string, { inputs, backend, attrs }: ConvArgs): Info {
  if (attrs.pad !== 'same') return runWasm(kernelName, inputs, attrs, backend);
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  const { top, bottom, left, right } = infoOf(inputs, attrs, dataFormat).padInfo;
  const pad: tf.backend_util.ExplicitPadding =
    dataFormat === 'channelsLast'
      ? [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ]
      : [
          [0, 0],
          [0, 0],
          [top, bottom],
          [left, right],
        ];
  return runWasm(kernelName, inputs, { ...attrs, pad }, backend);
}

function onGemm(args: ConvArgs): boolean {
  const { x, filter } = args.inputs;
  const format = args.attrs.dataFormat ?? 'NHWC';
  return (
    x.dtype === 'float32' && filter.dtype === 'float32' && (format === 'NHWC' || format === ('channelsLast' as string))
  );
}

export function conv2dWasm(args: ConvArgs): Info {
  if (!onGemm(args)) return shippedWithExplicitPads(tf.Conv2D, args);
  const { inputs, backend, attrs } = args;
  return convForward(backend, inputs.x, inputs.filter, patchGeometry(infoOf(inputs, attrs, 'channelsLast')));
}

export function fusedConv2dWasm(args: ConvArgs): Info {
  if (!onGemm(args)) return shippedWithExplicitPads(tf.FusedConv2D, args);
  const { inputs, backend, attrs } = args;
  const { x, filter, bias, preluActivationWeights } = inputs;
  const columnBias = isColumnBias(bias, filter.shape[3]);
  const y = convForward(
    backend,
    x,
    filter,
    patchGeometry(infoOf(inputs, attrs, 'channelsLast')),
    columnBias ? bias : undefined,
  );
  return finishFused(backend, y, bias, columnBias, attrs, preluActivationWeights);
}
