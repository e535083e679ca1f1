/**
 * LeakyRelu, Select and FusedBatchNorm as single loops (gemm/activations.c) for what the DCGAN gives them:
 * float32 tensors of one shape (Select: condition of the same shape; batch norm: mean, variance, scale and
 * offset with one value per channel of the last axis). The shipped kernels took 2–3 ns per element here
 * (≈ 34 ms of a DCGAN iteration on one thread). Anything else goes to the shipped kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { addressOf, gemmOf, type GemmBackend } from './gemm';
import { Info, runWasm } from './wasmCall';

const floats = (...ts: Info[]) => ts.every((t) => t.dtype === 'float32');

export function leakyReluWasm(args: { inputs: { x: Info }; backend: GemmBackend; attrs: tf.LeakyReluAttrs }): Info {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (!floats(x)) return runWasm(tf.LeakyRelu, inputs, attrs, backend);
  const out = backend.makeOutput(x.shape, 'float32');
  const n = tf.util.sizeFromShape(x.shape);
  if (n > 0) gemmOf(backend).leakyRelu(addressOf(backend, x), n, attrs.alpha, addressOf(backend, out));
  return out;
}

export function selectWasm(args: {
  inputs: { condition: Info; t: Info; e: Info };
  backend: GemmBackend;
  attrs: Record<string, never>;
}): Info {
  const { inputs, backend } = args;
  const { condition, t, e } = inputs;
  const same = (a: Info) => tf.util.arraysEqual(a.shape, t.shape);
  if (condition.dtype !== 'bool' || !floats(t, e) || !same(condition) || !same(e))
    return runWasm(tf.Select, inputs, {}, backend);
  const out = backend.makeOutput(t.shape, 'float32');
  const n = tf.util.sizeFromShape(t.shape);
  if (n > 0)
    gemmOf(backend).select(
      addressOf(backend, condition),
      addressOf(backend, t),
      addressOf(backend, e),
      n,
      addressOf(backend, out),
    );
  return out;
}

type BatchNormInputs = { x: Info; mean: Info; variance: Info; scale?: Info; offset?: Info };

export function batchNormWasm(args: {
  inputs: BatchNormInputs;
  backend: GemmBackend;
  attrs: tf.FusedBatchNormAttrs;
}): Info {
  const { inputs, backend, attrs } = args;
  const { x, mean, variance, scale, offset } = inputs;
  const channels = x.shape[x.shape.length - 1];
  const params = [mean, variance, scale, offset].filter((p): p is Info => p != null);
  const perChannel = params.every(
    (p) =>
      p.dtype === 'float32' && tf.util.sizeFromShape(p.shape) === channels && p.shape[p.shape.length - 1] === channels,
  );
  if (x.shape.length < 1 || !floats(x) || !perChannel || !(channels > 0))
    return runWasm(tf.FusedBatchNorm, inputs as never, attrs, backend);
  const out = backend.makeOutput(x.shape, 'float32');
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  const at = (p?: Info) => (p ? addressOf(backend, p) : 0);
  if (rows > 0) {
    gemmOf(backend).batchNorm(
      at(x),
      rows,
      channels,
      at(mean),
      at(variance),
      at(scale),
      at(offset),
      attrs.varianceEpsilon ?? 0.001,
      at(out),
    );
  }
  return out;
}
