/**
 * Max, Equal, Multiply and Greater for the shapes a GAN step gives them, as loops over rows (gemm/rows.c);
 * every other case goes to the shipped kernel. The shipped ones broadcast with per-element index
 * arithmetic, 3–5 ns per element here:
 * - maxout (the paper's D): Max over the last axis of z [batch, units, pieces], and Max's gradient
 *   dy · (z == max), where max and dy are [batch, units, 1] broadcast along the pieces (≈ 9 ms of a paper
 *   GAN iteration on one thread, 0.6 ms here);
 * - LeakyReLU's gradient (the DCGAN's D): x > 0 against a scalar (≈ 17 ms of a DCGAN iteration).
 */
import * as tf from '@tensorflow/tfjs';
import { addressOf, gemmOf, type GemmBackend } from './gemm';
import { Info, runWasm } from './wasmCall';

/** [rows, p] when `m` is `x` with its last axis 1 (same rank, p > 1), else null. */
function rowsAgainst(x: Info, m: Info): { rows: number; p: number } | null {
  const r = x.shape.length;
  if (r < 2 || m.shape.length !== r || m.shape[r - 1] !== 1 || x.shape[r - 1] === 1) return null;
  for (let i = 0; i < r - 1; i++) if (m.shape[i] !== x.shape[i]) return null;
  if (x.dtype !== 'float32' || m.dtype !== 'float32') return null;
  const p = x.shape[r - 1];
  return { rows: tf.util.sizeFromShape(x.shape) / p, p };
}

type BinaryArgs = { inputs: { a: Info; b: Info }; backend: GemmBackend; attrs: Record<string, never> };

/** x [..., p] op m [..., 1] in either order, by rows.c; shipped kernel otherwise. */
function rowBinary(name: typeof tf.Equal | typeof tf.Multiply, args: BinaryArgs): Info {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  const aRows = rowsAgainst(a, b);
  const shape = aRows ?? rowsAgainst(b, a);
  if (!shape) return runWasm(name, inputs, {}, backend);
  const [x, m] = aRows ? [a, b] : [b, a];
  const out = backend.makeOutput(x.shape, name === 'Equal' ? 'bool' : 'float32');
  if (shape.rows === 0) return out;
  const gemm = gemmOf(backend);
  const run = name === tf.Equal ? gemm.equalRows : gemm.mulRows;
  run(addressOf(backend, x), addressOf(backend, m), shape.rows, shape.p, addressOf(backend, out));
  return out;
}

export const equalWasm = (args: BinaryArgs): Info => rowBinary(tf.Equal, args);
export const multiplyWasm = (args: BinaryArgs): Info => rowBinary(tf.Multiply, args);

type MaxArgs = {
  inputs: { x: Info };
  backend: GemmBackend;
  attrs: tf.MaxAttrs;
};

export function maxWasm(args: MaxArgs): Info {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const r = x.shape.length;
  const axes = r > 0 ? tf.util.parseAxisParam(attrs.reductionIndices, x.shape) : [];
  const p = x.shape[r - 1];
  if (x.dtype !== 'float32' || axes.length !== 1 || axes[0] !== r - 1 || !(p > 0)) {
    return runWasm(tf.Max, inputs, attrs, backend);
  }
  const out = backend.makeOutput(attrs.keepDims ? [...x.shape.slice(0, -1), 1] : x.shape.slice(0, -1), 'float32');
  const rows = tf.util.sizeFromShape(x.shape) / p;
  if (rows > 0) gemmOf(backend).maxRows(addressOf(backend, x), rows, p, addressOf(backend, out));
  return out;
}

export function greaterWasm(args: BinaryArgs): Info {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  const n = tf.util.sizeFromShape(a.shape);
  if (
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    tf.util.sizeFromShape(b.shape) !== 1 ||
    b.shape.length > a.shape.length ||
    n === 0
  ) {
    return runWasm(tf.Greater, inputs, {}, backend);
  }
  const out = backend.makeOutput(a.shape, 'bool');
  const s = backend.typedArrayFromHeap(b)[0];
  gemmOf(backend).greaterScalar(addressOf(backend, a), n, s, addressOf(backend, out));
  return out;
}
