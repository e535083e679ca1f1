/**
 * Memory-bound kernels written in JavaScript directly on the wasm heap, where the shipped C++ kernels
 * compute a multi-dimensional index per element (≈ 100–300 ns per element here, measured inside GAN
 * training steps):
 * - Tile: batch norm's gradient tiles a [1, 1, 1, C] tensor to [N, H, W, C] (≈ 25% of a DCGAN step on
 *   wasm). Here: place the input once, then double it with copyWithin (memmove) axis by axis.
 * - Identity: tfjs clones every tensor it saves for the backward pass (≈ 110 per paper GAN iteration),
 *   and the shipped kernel copies the data each time. Tensors are immutable, so the clone shares the
 *   buffer (reference counted), as the cpu backend's Identity does.
 */
import * as tf from '@tensorflow/tfjs';
import { stridesOf, type HeapBackend } from './heapLayout';
import { Info, runWasm } from './wasmCall';

export function tileWasm(args: { inputs: { x: Info }; backend: HeapBackend; attrs: tf.TileAttrs }): Info {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const reps = attrs.reps;
  if (x.dtype === 'string' || reps.length !== x.shape.length) return runWasm(tf.Tile, { x }, attrs, backend);
  const inShape = x.shape;
  const rank = inShape.length;
  const outShape = inShape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  // Views after makeOutput: allocating may grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const os = stridesOf(outShape);
  const is = stridesOf(inShape);
  // 1. Each input row (last axis) goes to its place in the first tile.
  const rowLen = inShape[rank - 1];
  const rows = tf.util.sizeFromShape(inShape) / rowLen;
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < rows; r++) {
    let o = 0;
    let rem = r * rowLen;
    for (let a = 0; a < rank - 1; a++) {
      idx[a] = Math.floor(rem / is[a]);
      rem -= idx[a] * is[a];
      o += idx[a] * os[a];
    }
    dst.set(src.subarray(r * rowLen, (r + 1) * rowLen), o);
  }
  // 2. From the last axis to the first: repeat the filled block along that axis.
  for (let a = rank - 1; a >= 0; a--) {
    const block = inShape[a] * os[a]; // filled part along axis a (inner axes already complete)
    if (reps[a] === 1) continue;
    const prefixes = tf.util.sizeFromShape(inShape.slice(0, a));
    for (let p = 0; p < prefixes; p++) {
      let base = 0;
      let rem = p;
      for (let j = a - 1; j >= 0; j--) {
        const i = rem % inShape[j];
        rem = (rem - i) / inShape[j];
        base += i * os[j];
      }
      // Doubling: copy what is filled so far onto the next free part, ⌈log2 reps⌉ memmoves.
      let filled = block;
      const total = block * reps[a];
      while (filled < total) {
        const n = Math.min(filled, total - filled);
        dst.copyWithin(base + filled, base, base + n);
        filled += n;
      }
    }
  }
  return out;
}

export function identityWasm(args: { inputs: { x: Info }; backend: HeapBackend; attrs: Record<string, never> }): Info {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return runWasm(tf.Identity, inputs, {}, backend);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
