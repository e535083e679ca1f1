/** The wasm backend as the JavaScript heap kernels see it, and row-major strides. */
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
