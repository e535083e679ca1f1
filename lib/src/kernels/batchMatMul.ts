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

export function batchMatMulWasm(args: MatMulArgs): Info {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  if (isBatched(a) || isBatched(b)) return batchedProduct(backend, a, b, attrs.transposeA, attrs.transposeB);
  if (!attrs.transposeA && !attrs.transposeB) return runWasm('BatchMatMul', inputs, attrs, backend);
  const temps: Info[] = [];
  const a1 = attrs.transposeA ? swapLastTwo(backend, a) : a;
  const b1 = attrs.transposeB ? swapLastTwo(backend, b) : b;
  if (a1 !== a) temps.push(a1);
  if (b1 !== b) temps.push(b1);
  const out = runWasm('BatchMatMul', { a: a1, b: b1 }, { ...attrs, transposeA: false, transposeB: false }, backend);
  release(backend, ...temps);
  return out;
}

export function fusedMatMulWasm(args: MatMulArgs): Info {
  const { inputs, backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = inputs;
  if (isBatched(a) || isBatched(b)) {
    const product = batchedProduct(backend, a, b, attrs.transposeA, attrs.transposeB);
    let withBias = product;
    if (bias) withBias = runWasm('Add', { a: product, b: bias }, {}, backend);
    const out = activate(backend, withBias, attrs, preluActivationWeights);
    if (withBias !== product) release(backend, product);
    if (out !== withBias) release(backend, withBias);
    return out;
  }
  if (!attrs.transposeA && !attrs.transposeB) return runWasm('_FusedMatMul', inputs, attrs, backend);
  const temps: Info[] = [];
  const a1 = attrs.transposeA ? swapLastTwo(backend, a) : a;
  const b1 = attrs.transposeB ? swapLastTwo(backend, b) : b;
  if (a1 !== a) temps.push(a1);
  if (b1 !== b) temps.push(b1);
  const out = runWasm('_FusedMatMul', { ...inputs, a: a1, b: b1 }, { ...attrs, transposeA: false, transposeB: false }, backend);
  release(backend, ...temps);
  return out;
}
