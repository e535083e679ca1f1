/**
 * Data-layout moves for the convolution kernels, in JavaScript on the wasm heap. The shipped Transpose,
 * Reverse and Slice kernels compute an N-d index per element (rank 6 transposes ran at ≈ 200 ns per
 * element here); these loops copy contiguous channel vectors instead, so they cost a few ms per DCGAN layer.
 */
import * as tf from '@tensorflow/tfjs';
import { Info } from './wasmCall';
import type { WasmBackendLike } from './wasmCall';

export interface HeapBackend extends WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): Float32Array | Int32Array | Uint8Array;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** out = transpose(x, perm) for float32 x. */
export function permuteHeap(backend: HeapBackend, x: Info, perm: number[]): Info {
  const rank = x.shape.length;
  const outShape = perm.map((p) => x.shape[p]);
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const total = dst.length;
  if (total === 0) return out;
  const inStrides = stridesOf(x.shape);
  // Source stride of each output axis.
  const st = perm.map((p) => inStrides[p]);
  const idx = new Array<number>(rank).fill(0);
  const innerLen = outShape[rank - 1];
  const innerStride = st[rank - 1];
  let s = 0;
  for (let o = 0; o < total; o += innerLen) {
    if (innerStride === 1) {
      dst.set(src.subarray(s, s + innerLen), o);
    } else {
      for (let k = 0, p = s; k < innerLen; k++, p += innerStride) dst[o + k] = src[p];
    }
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      s += st[d];
      if (idx[d] < outShape[d]) break;
      s -= st[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * The phase filter of conv2dBackpropInput: F[jh, jw, co, (ph, pw, ci)] = W[ph + sh·(kh−1−jh), pw + sw·(kw−1−jw), ci, co],
 * zero where that tap lies outside W.
 */
export function phaseFilterHeap(backend: HeapBackend, w: Info, sh: number, sw: number, kh: number, kw: number): Info {
  const [fh, fw, cin, cout] = w.shape;
  const depth = sh * sw * cin;
  const out = backend.makeOutput([kh, kw, cout, depth], 'float32');
  const src = backend.typedArrayFromHeap(w);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  for (let jh = 0; jh < kh; jh++) {
    for (let jw = 0; jw < kw; jw++) {
      for (let ph = 0; ph < sh; ph++) {
        const h = ph + sh * (kh - 1 - jh);
        if (h >= fh) continue;
        for (let pw = 0; pw < sw; pw++) {
          const ww = pw + sw * (kw - 1 - jw);
          if (ww >= fw) continue;
          for (let ci = 0; ci < cin; ci++) {
            const from = ((h * fw + ww) * cin + ci) * cout;
            let to = (jh * kw + jw) * cout * depth + (ph * sw + pw) * cin + ci;
            for (let co = 0; co < cout; co++, to += depth) dst[to] = src[from + co];
          }
        }
      }
    }
  }
  return out;
}

/**
 * dx[n, y, x, :] = phases[n, ⌊(y+top)/sh⌋, ⌊(x+left)/sw⌋, ((y+top) mod sh, (x+left) mod sw), :]:
 * depth-to-space of the phase outputs and the crop to the input size, in one pass.
 */
export function depthToSpaceCropHeap(
  backend: HeapBackend,
  phases: Info,
  sh: number,
  sw: number,
  top: number,
  left: number,
  outShape: [number, number, number, number],
): Info {
  const [n, h, w, cin] = outShape;
  const [, qh, qw, depth] = phases.shape;
  const out = backend.makeOutput(outShape, 'float32');
  const src = backend.typedArrayFromHeap(phases);
  const dst = backend.typedArrayFromHeap(out);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const t = y + top;
      const q = Math.floor(t / sh);
      const p = t - q * sh;
      const rowBase = (b * qh + q) * qw;
      for (let x = 0; x < w; x++) {
        const u = x + left;
        const r = Math.floor(u / sw);
        const pc = u - r * sw;
        const from = (rowBase + r) * depth + (p * sw + pc) * cin;
        if (cin === 1) dst[o] = src[from];
        else for (let c = 0; c < cin; c++) dst[o + c] = src[from + c];
        o += cin;
      }
    }
  }
  return out;
}
