/**
 * Sum and Mean over leading axes (every axis before some point, e.g. [0, 1, 2] of NHWC): bias and
 * batch-norm gradients and batch-norm moments. The shipped kernels first transpose the reduced axes to the
 * end with per-element index arithmetic (≈ 3 ns per element here, 25% of a DCGAN step); here one pass adds
 * rows into a vector (gemm/layout.c). Other reductions go to the shipped kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { addressOf, gemmOf, type GemmBackend } from './gemm';
import { Info, runWasm } from './wasmCall';

/** tfjs gives Sum and Mean the same attributes. */
type ReduceArgs = { inputs: { x: Info }; backend: GemmBackend; attrs: tf.SumAttrs };

/** The number of leading axes reduced, or -1 if the reduction is not over a prefix of the axes. */
function leadingAxes(x: Info, axis: number | number[]): number {
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  return axes.length > 0 && axes.every((a, i) => a === i) ? axes.length : -1;
}

function reduceLeading(kernelName: typeof tf.Sum | typeof tf.Mean, args: ReduceArgs): Info {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const p = x.dtype === 'float32' ? leadingAxes(x, attrs.axis) : -1;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, Math.max(p, 0)));
  if (p < 0 || p === x.shape.length || rows === 0) return runWasm(kernelName, inputs as never, attrs as never, backend);
  const kept = x.shape.slice(p);
  const cols = tf.util.sizeFromShape(kept);
  const out = backend.makeOutput(attrs.keepDims ? [...x.shape.slice(0, p).map(() => 1), ...kept] : kept, 'float32');
  if (cols === 0) return out;
  gemmOf(backend).sumRows(addressOf(backend, x), rows, cols, addressOf(backend, out));
  if (kernelName === tf.Mean) {
    const v = backend.typedArrayFromHeap(out);
    for (let c = 0; c < cols; c++) v[c] /= rows;
  }
  return out;
}

export const sumWasm = (args: ReduceArgs): Info => reduceLeading(tf.Sum, args);
export const meanWasm = (args: ReduceArgs): Info => reduceLeading(tf.Mean, args);
