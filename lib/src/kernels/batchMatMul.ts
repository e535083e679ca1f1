/**
 * BatchMatMul / _FusedMatMul for wasm, on XNNPACK in every case.
 * - Transposed operands: the shipped kernels use XNNPACK only when neither operand is transposed; every
 *   dense layer's backward pass multiplies by a transpose (dW = xᵀ·dy, dx = dy·Wᵀ) and fell to a scalar loop
 *   (≈ 2 GFLOP/s here vs ≈ 27). Materialising the transpose costs one pass over the operand.
 * - Batched products (rank 3+, batch > 1) also fell to the scalar loop, and the shipped _FusedMatMul adds
 *   the bias wrongly when batch > 1. They run here as one 2-D product per batch entry (or one product when
 *   B is shared), then bias and activation through their own kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { Info, release, reshape, runWasm, slice, transpose, WasmBackendLike } from './wasmCall';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
  [key: string]: unknown;
}

type MatMulArgs = { inputs: Record<string, Info>; backend: WasmBackendLike; attrs: MatMulAttrs };

function sizeOf(shape: number[]): number {
  return shape.reduce((p, v) => p * v, 1);
}

function swapLastTwo(backend: WasmBackendLike, x: Info): Info {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose(backend, x, perm);
}

/** a·b for plain (untransposed) operands of rank 2, on the shipped XNNPACK path. */
function product2d(backend: WasmBackendLike, a: Info, b: Info): Info {
  return runWasm('BatchMatMul', { a, b }, { transposeA: false, transposeB: false }, backend);
}

/** op(a)·op(b) with broadcasting batch dims (one of them 1, or equal), as [...outer, m, n]. */
function batchedProduct(backend: WasmBackendLike, a: Info, b: Info, ta: boolean, tb: boolean): Info {
  const temps: Info[] = [];
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const outOuter = tf.broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const batchA = sizeOf(aOuter);
  const batchB = sizeOf(bOuter);
  const batch = sizeOf(outOuter);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new Error(
      `matMul on wasm (tsgan kernels): batch shapes [${aOuter}] and [${bOuter}] broadcast in more than one way; ` +
        `reshape them to equal batch shapes, or a batch of 1 on one side.`,
    );
  }
  // Plain 3-D operands [batch, rows, cols].
  let a3 = reshape(backend, a, [batchA, a.shape[a.shape.length - 2], a.shape[a.shape.length - 1]]);
  let b3 = reshape(backend, b, [batchB, b.shape[b.shape.length - 2], b.shape[b.shape.length - 1]]);
  temps.push(a3, b3);
  if (ta) temps.push((a3 = swapLastTwo(backend, a3)));
  if (tb) temps.push((b3 = swapLastTwo(backend, b3)));
  const [, m, k] = a3.shape;
  const n = b3.shape[2];
  let out: Info;
  if (batchB === 1) {
    // B shared by all: one [batch·m, k]·[k, n] product.
    const a2 = reshape(backend, a3, [batchA * m, k]);
    const b2 = reshape(backend, b3, [k, n]);
    const p = product2d(backend, a2, b2);
    out = reshape(backend, p, [...outOuter, m, n]);
    temps.push(a2, b2, p);
  } else {
    const parts: Info[] = [];
    for (let i = 0; i < batch; i++) {
      const ai = slice(backend, a3, [batchA === 1 ? 0 : i, 0, 0], [1, m, k]);
      const bi = slice(backend, b3, [i, 0, 0], [1, k, n]);
      const a2 = reshape(backend, ai, [m, k]);
      const b2 = reshape(backend, bi, [k, n]);
      const p = product2d(backend, a2, b2);
      parts.push(reshape(backend, p, [1, m, n]));
      temps.push(ai, bi, a2, b2, p);
    }
    const joined = runWasm('Concat', parts as unknown as Record<string, Info>, { axis: 0 }, backend);
    out = reshape(backend, joined, [...outOuter, m, n]);
    temps.push(...parts, joined);
  }
  release(backend, ...temps);
  return out;
}

function activate(backend: WasmBackendLike, x: Info, attrs: MatMulAttrs, prelu: Info | undefined): Info {
  switch (attrs.activation ?? 'linear') {
    case 'linear':
      return x;
    case 'relu':
      return runWasm('Relu', { x }, {}, backend);
    case 'relu6':
      return runWasm('Relu6', { x }, {}, backend);
    case 'elu':
      return runWasm('Elu', { x }, {}, backend);
    case 'sigmoid':
      return runWasm('Sigmoid', { x }, {}, backend);
    case 'leakyrelu':
      return runWasm('LeakyRelu', { x }, { alpha: attrs.leakyreluAlpha ?? 0.2 }, backend);
    case 'prelu':
      if (!prelu) throw new Error('fused matMul with prelu activation needs preluActivationWeights');
      return runWasm('Prelu', { x, alpha: prelu }, {}, backend);
    default:
      throw new Error(`fused matMul on wasm (tsgan kernels): unknown activation '${String(attrs.activation)}'`);
  }
}

function isBatched(x: Info): boolean {
  return sizeOf(x.shape.slice(0, -2)) > 1;
}

/**
 * XNNPACK packs the right operand (the "weights") into its own layout every time it meets a new tensor,
 * at several ns per element in tfjs's build, while reading the left operand costs nothing extra. With a
 * batch of 100 and a 1200×1200 weight, packing the weight cost as much as the product. So for a 2-D
 * product we pick the orientation that packs the smaller operand:
 *   direct:      C  = op(A) · op(B)         packs op(B)  (k × n)
 *   transposed:  Cᵀ = op(B)ᵀ · op(A)ᵀ       packs op(A)ᵀ (k × m), then one transpose of C (m × n)
 * counting every copy (transposes) as 1 per element and every packed element as PACK_COST.
 * dx = dy·Wᵀ of a dense layer thus multiplies W itself by dyᵀ: no transposed copy of W, and only dyᵀ
 * is packed. Measured inside the paper GAN step here: packing ≈ 4× a transpose per element.
 */
const PACK_COST = 4;

interface Plan2d {
  transposed: boolean;
}

function plan2d(m: number, k: number, n: number, ta: boolean, tb: boolean): Plan2d {
  // An untransposed right operand is often a weight used again before it changes (XNNPACK caches its
  // packing per tensor): charge it half.
  const direct = (ta ? m * k : 0) + (tb ? k * n : 0) + (tb ? PACK_COST : PACK_COST / 2) * k * n;
  const transposed = (tb ? 0 : k * n) + (ta ? 0 : m * k) + PACK_COST * k * m + m * n;
  return { transposed: transposed < direct };
}

/** Flattens [1, …, 1, r, c] to [r, c] (no copy). */
function as2d(backend: WasmBackendLike, x: Info): Info {
  const r = x.shape.length;
  return r === 2 ? x : reshape(backend, x, [x.shape[r - 2], x.shape[r - 1]]);
}

/**
 * op(a)·op(b) for operands whose batch dims are all 1, via XNNPACK; returns [m, n] and whether the bias
 * and activation are still to be applied (the transposed orientation cannot fuse a per-column bias).
 */
function product2dPlanned(
  backend: WasmBackendLike,
  a: Info,
  b: Info,
  ta: boolean,
  tb: boolean,
  fused: { bias?: Info; attrs: MatMulAttrs; prelu?: Info } | null,
): { out: Info; fusedDone: boolean } {
  const temps: Info[] = [];
  const a2 = as2d(backend, a);
  const b2 = as2d(backend, b);
  if (a2 !== a) temps.push(a2);
  if (b2 !== b) temps.push(b2);
  const m = ta ? a2.shape[1] : a2.shape[0];
  const k = ta ? a2.shape[0] : a2.shape[1];
  const n = tb ? b2.shape[0] : b2.shape[1];
  let out: Info;
  let fusedDone = false;
  if (plan2d(m, k, n, ta, tb).transposed) {
    const left = tb ? b2 : transpose(backend, b2, [1, 0]); // op(B)ᵀ [n, k]
    const right = ta ? a2 : transpose(backend, a2, [1, 0]); // op(A)ᵀ [k, m]
    if (left !== b2) temps.push(left);
    if (right !== a2) temps.push(right);
    const outT = product2d(backend, left, right); // [n, m]
    temps.push(outT);
    out = transpose(backend, outT, [1, 0]);
  } else {
    const left = ta ? transpose(backend, a2, [1, 0]) : a2;
    const right = tb ? transpose(backend, b2, [1, 0]) : b2;
    if (left !== a2) temps.push(left);
    if (right !== b2) temps.push(right);
    if (fused) {
      // The shipped _FusedMatMul reads rank-3 shapes only.
      const l3 = reshape(backend, left, [1, m, k]);
      const r3 = reshape(backend, right, [1, k, n]);
      const o3 = runWasm(
        '_FusedMatMul',
        { a: l3, b: r3, ...(fused.bias ? { bias: fused.bias } : {}), ...(fused.prelu ? { preluActivationWeights: fused.prelu } : {}) },
        { ...fused.attrs, transposeA: false, transposeB: false },
        backend,
      );
      out = reshape(backend, o3, [m, n]);
      temps.push(l3, r3, o3);
      fusedDone = true;
    } else {
      out = product2d(backend, left, right);
    }
  }
  release(backend, ...temps);
  return { out, fusedDone };
}

/** Reshapes a 2-D result to the broadcast batch shape of a and b (all ones here). */
function withOuterShape(backend: WasmBackendLike, out: Info, a: Info, b: Info): Info {
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (outer.length === 0) return out;
  const shaped = reshape(backend, out, [...outer, ...out.shape]);
  release(backend, out);
  return shaped;
}

function checkInner(a: Info, b: Info, ta: boolean, tb: boolean): void {
  const ka = ta ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const kb = tb ? b.shape[b.shape.length - 1] : b.shape[b.shape.length - 2];
  if (ka !== kb) {
    throw new Error(
      `Error in matMul: inner shapes (${ka}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} ` +
        `and transposeA=${ta} and transposeB=${tb} must match.`,
    );
  }
}

export function batchMatMulWasm(args: MatMulArgs): Info {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runWasm('BatchMatMul', inputs, attrs, backend);
  if (isBatched(a) || isBatched(b)) return batchedProduct(backend, a, b, attrs.transposeA, attrs.transposeB);
  checkInner(a, b, attrs.transposeA, attrs.transposeB);
  const { out } = product2dPlanned(backend, a, b, attrs.transposeA, attrs.transposeB, null);
  return withOuterShape(backend, out, a, b);
}

export function fusedMatMulWasm(args: MatMulArgs): Info {
  const { inputs, backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runWasm('_FusedMatMul', inputs, attrs, backend);
  let product: Info;
  if (isBatched(a) || isBatched(b)) {
    product = batchedProduct(backend, a, b, attrs.transposeA, attrs.transposeB);
  } else {
    checkInner(a, b, attrs.transposeA, attrs.transposeB);
    const r = product2dPlanned(backend, a, b, attrs.transposeA, attrs.transposeB, { bias, attrs, prelu: preluActivationWeights });
    if (r.fusedDone) return withOuterShape(backend, r.out, a, b);
    product = withOuterShape(backend, r.out, a, b);
  }
  let withBias = product;
  if (bias) withBias = runWasm('Add', { a: product, b: bias }, {}, backend);
  const out = activate(backend, withBias, attrs, preluActivationWeights);
  if (withBias !== product) release(backend, product);
  if (out !== withBias) release(backend, withBias);
  return out;
}
