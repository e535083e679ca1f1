/**
 * BatchMatMul / _FusedMatMul for wasm, on tsgan's gemm (gemm/gemm.c) in every case.
 * - Transposed operands: the shipped kernels use XNNPACK only when neither operand is transposed; every
 *   dense layer's backward pass multiplies by a transpose (dW = xᵀ·dy, dx = dy·Wᵀ) and fell to a scalar loop
 *   (≈ 2 GFLOP/s here). The gemm reads a transpose through strides: no copy.
 * - XNNPACK repacks the right operand of every new weight tensor, i.e. every training step; the gemm packs
 *   both operands block by block as part of the product (≈ 40–50 GFLOP/s here with FMA vs XNNPACK's 17–26).
 * - Batched products (rank 3+, batch > 1) also fell to the scalar loop, and the shipped _FusedMatMul adds
 *   the bias wrongly when batch > 1. Here each batch entry is one gemm call on its slice of the heap, and
 *   batch shapes broadcast as tfjs broadcasts them (e.g. [2, 2] with [2]).
 * - A per-column bias is added inside the gemm; other biases and the activation run as their own kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { addressOf, gemmOf, type GemmBackend } from './gemm';
import { finishFused, isColumnBias, type FusedAttrs } from './fused';
import { Info, runWasm } from './wasmCall';

/** BatchMatMul's attributes, and _FusedMatMul's activation on top. */
type MatMulAttrs = tf.BatchMatMulAttrs & FusedAttrs;

type MatMulArgs = { inputs: Record<string, Info>; backend: GemmBackend; attrs: MatMulAttrs };

/**
 * For each entry of the broadcast batch shape `out`, the flat index of the entry of batch shape `side`
 * (aligned to the right of `out`, its size-1 dims repeated) that it reads, as numpy and tfjs broadcast.
 */
function batchIndices(out: number[], side: number[]): number[] {
  const outStrides = tf.util.computeStrides(out);
  const sideStrides = tf.util.computeStrides(side);
  const lead = out.length - side.length;
  const indices: number[] = [];
  for (let i = 0; i < tf.util.sizeFromShape(out); i++) {
    const loc = tf.util
      .indexToLoc(i, out.length, outStrides)
      .slice(lead)
      .map((c, d) => (side[d] === 1 ? 0 : c));
    indices.push(tf.util.locToIndex(loc, side.length, sideStrides));
  }
  return indices;
}

/** op(a)·op(b) over broadcast batch dims, plus bias when it is one value per column of the result. */
function product(backend: GemmBackend, a: Info, b: Info, ta: boolean, tb: boolean, columnBias?: Info): Info {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [aRows, aCols] = [a.shape[ra - 2], a.shape[ra - 1]];
  const [bRows, bCols] = [b.shape[rb - 2], b.shape[rb - 1]];
  const m = ta ? aCols : aRows;
  const k = ta ? aRows : aCols;
  const kb = tb ? bCols : bRows;
  const n = tb ? bRows : bCols;
  if (k !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} ` +
        `and transposeA=${ta} and transposeB=${tb} must match.`,
    );
  }
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const out = backend.makeOutput([...outOuter, m, n], 'float32');
  const batch = tf.util.sizeFromShape(outOuter);
  if (m * n === 0) return out;
  const gemm = gemmOf(backend);
  // Addresses after makeOutput: allocating may have grown the heap (addresses stay valid, views do not).
  const [pa, pb, pc] = [addressOf(backend, a), addressOf(backend, b), addressOf(backend, out)];
  const bias = columnBias ? addressOf(backend, columnBias) : 0;
  const strides = { aRs: ta ? 1 : k, aCs: ta ? m : 1, bRs: tb ? 1 : n, bCs: tb ? k : 1 };
  if (tf.util.sizeFromShape(bOuter) === 1 && !ta && batch > 1) {
    // B shared and A's entries stacked row after row: one [batch·m, k]·[k, n] product.
    gemm.run({ m: batch * m, n, k, a: pa, b: pb, c: pc, ldc: n, bias, ...strides });
    return out;
  }
  const [ia, ib] = [batchIndices(outOuter, aOuter), batchIndices(outOuter, bOuter)];
  for (let i = 0; i < batch; i++) {
    gemm.run({
      m,
      n,
      k,
      a: pa + 4 * ia[i] * m * k,
      b: pb + 4 * ib[i] * k * n,
      c: pc + 4 * i * m * n,
      ldc: n,
      bias,
      ...strides,
    });
  }
  return out;
}

export function batchMatMulWasm(args: MatMulArgs): Info {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runWasm(tf.BatchMatMul, inputs, attrs, backend);
  return product(backend, a, b, attrs.transposeA, attrs.transposeB);
}

export function fusedMatMulWasm(args: MatMulArgs): Info {
  const { inputs, backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runWasm(tf._FusedMatMul, inputs, attrs, backend);
  const n = attrs.transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const columnBias = isColumnBias(bias, n);
  const p = product(backend, a, b, attrs.transposeA, attrs.transposeB, columnBias ? bias : undefined);
  return finishFused(backend, p, bias, columnBias, attrs, preluActivationWeights);
}
