/**
 * gemm.c and layout.c on tfjs's wasm heap: C = op(A)·op(B) (+ bias) straight from tensor memory with any
 * transposes, the im2col / col2im / channel-sum moves of the convolution kernels, the element-wise
 * kernels of rows.c and activations.c, and the optimiser updates of optimizers.c.
 * One instance per wasm backend, importing that backend's memory. When the heap is shared (the threaded
 * tfjs build, TSGAN_WASM_THREADS ≥ 2) the work is split between this thread and worker threads that run
 * the same module on the same memory (pool.ts): a product by columns of C when it is wide enough, else
 * rows; im2col / col2im by images; optimiser updates by element ranges.
 */
import type * as tf from '@tensorflow/tfjs';
import type {
  ADAM_KERNEL,
  AdamAttrs,
  OwnOpInputs,
  OwnOpName,
  OwnOpOutputs,
  SGD_MOMENTUM_KERNEL,
  SgdMomentumAttrs,
} from '../ownOps';
import type { HeapBackend } from '../heapLayout';
import { wasmThreadsStatus } from '../wasmThreads';
import { GEMM_WASM, GEMM_WASM_RELAXED } from './gemmWasm';
import { startPool } from './pool';
import { relaxedSimd } from './relaxedSimd';

/** The wasm backend as the gemm kernels see it: tensors on the heap, and its Emscripten module. */
export interface GemmBackend extends HeapBackend {
  wasm: object;
}

/** Byte address of a tensor's data in the wasm heap. */
export function addressOf(backend: GemmBackend, x: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(x).byteOffset;
}

/** The gemm of this backend, with as many threads as the wasm backend got (TSGAN_WASM_THREADS). */
export function gemmOf(backend: GemmBackend): Gemm {
  return gemmFor(backend.wasm, wasmThreadsStatus()?.threads ?? 1);
}

/** Pointers are byte addresses in the wasm heap; strides count floats. bias 0 = none. */
export interface GemmCall {
  m: number;
  n: number;
  k: number;
  a: number;
  aRs: number;
  aCs: number;
  b: number;
  bRs: number;
  bCs: number;
  c: number;
  ldc: number;
  bias: number;
}

/** A convolution's geometry (NHWC) for im2col / col2im; x is [n, h, w, cin], the patch rows [n·oh·ow]. */
export interface PatchGeometry {
  n: number;
  h: number;
  w: number;
  cin: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  top: number;
  left: number;
  oh: number;
  ow: number;
}

/** Byte addresses on the heap of an op's inputs and outputs (named as in OwnOps). */
export interface OpAddresses<K extends OwnOpName> {
  inputs: OwnOpInputs<K, number>;
  outputs: OwnOpOutputs<K, number>;
}

export interface Gemm {
  run(call: GemmCall): void;
  threads: number;
  /** col [n·oh·ow, fh·fw·cin] = the patches of x (addresses in bytes). */
  im2col(x: number, g: PatchGeometry, col: number): void;
  /** dx [n, h, w, cin] = the sum of the patch entries back where im2col read them. */
  col2im(col: number, g: PatchGeometry, dx: number): void;
  /** out[c] = Σ_r x[r, c]. */
  sumRows(x: number, rows: number, cols: number, out: number): void;
  /** out[r] = max_j x[r, j] for x [rows, p]. */
  maxRows(x: number, rows: number, p: number, out: number): void;
  /** out[r, j] = x[r, j] == m[r] (bool bytes). */
  equalRows(x: number, m: number, rows: number, p: number, out: number): void;
  /** out[r, j] = x[r, j] · m[r]. */
  mulRows(x: number, m: number, rows: number, p: number, out: number): void;
  /** out[i] = x[i] > s for n floats (bool bytes). */
  greaterScalar(x: number, n: number, s: number, out: number): void;
  /** One SGD-with-momentum step of n floats (optimizers.c); scalars are rounded to float32. */
  sgdMomentum(at: OpAddresses<typeof SGD_MOMENTUM_KERNEL>, n: number, attrs: SgdMomentumAttrs): void;
  /** One Adam step of n floats (optimizers.c); scalars are rounded to float32. */
  adam(at: OpAddresses<typeof ADAM_KERNEL>, n: number, attrs: AdamAttrs): void;
  /** n dropout-mask floats from the xoshiro128** state at `state` (4 words, advanced in place; rows.c). */
  bernoulli(state: number, n: number, threshold: number, value: number, out: number): void;
  /** activations.c: LeakyReLU, select, batch norm over the last axis (scale/offset 0 = none). */
  leakyRelu(x: number, n: number, alpha: number, out: number): void;
  select(condition: number, t: number, e: number, n: number, out: number): void;
  batchNorm(
    x: number,
    rows: number,
    channels: number,
    mean: number,
    variance: number,
    scale: number,
    offset: number,
    epsilon: number,
    out: number,
  ): void;
}

interface EmscriptenModule {
  asm?: { memory?: WebAssembly.Memory };
  wasmMemory?: WebAssembly.Memory;
  _malloc(bytes: number): number;
}

type WasmFn = (...args: number[]) => void;
interface GemmExports {
  tsgan_gemm: WasmFn;
  tsgan_gemm_work_floats(): number;
  tsgan_im2col: WasmFn;
  tsgan_col2im: WasmFn;
  tsgan_sum_rows: WasmFn;
  tsgan_max_rows: WasmFn;
  tsgan_equal_rows: WasmFn;
  tsgan_mul_rows: WasmFn;
  tsgan_greater_scalar: WasmFn;
  tsgan_sgd_momentum: WasmFn;
  tsgan_adam: WasmFn;
  tsgan_bernoulli: WasmFn;
  tsgan_leaky_relu: WasmFn;
  tsgan_select: WasmFn;
  tsgan_batch_norm: WasmFn;
}

// The register tile of gemm.c: splits stay on tile boundaries so no tile is shared.
const MR = 4;
const NR = 8;
// Below this many multiply-adds per thread, waking a worker costs more than it saves.
const MIN_MACS_PER_THREAD = 200_000;

// Element-wise work (optimiser updates, im2col, col2im) is split only above this many floats per thread.
const MIN_FLOATS_PER_THREAD = 1 << 16;
// The exports the pool runs on several threads.
const POOLED = ['tsgan_gemm', 'tsgan_im2col', 'tsgan_col2im', 'tsgan_sgd_momentum', 'tsgan_adam'];

const instances = new WeakMap<object, Gemm>();

function memoryOf(module: EmscriptenModule): WebAssembly.Memory {
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error(
      'tsgan gemm: cannot find the memory of the tfjs wasm module (tfjs-backend-wasm 4.22 layout expected).',
    );
  }
  return memory;
}

/** The gemm of this wasm backend (created on first use). threads > 1 only when its memory is shared. */
export function gemmFor(wasmModule: object, threadsWanted: number): Gemm {
  const found = instances.get(wasmModule);
  if (found) return found;
  const module = wasmModule as EmscriptenModule;
  const memory = memoryOf(module);
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const build = relaxedSimd().relaxed ? GEMM_WASM_RELAXED : GEMM_WASM;
  const compiled = new WebAssembly.Module(Buffer.from(shared ? build.shared : build.memory, 'base64'));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as GemmExports;
  const workBytes = exports.tsgan_gemm_work_floats() * 4;
  const threads = shared ? Math.max(1, threadsWanted) : 1;
  const work: number[] = [];
  for (let t = 0; t < threads; t++) {
    const p = module._malloc(workBytes);
    if (!p) throw new Error(`tsgan gemm: the wasm heap could not give ${workBytes} bytes of scratch space.`);
    work.push(p);
  }
  const pool = startPool(compiled, memory, exports as unknown as Record<string, unknown>, POOLED, threads);
  const geometry = (g: PatchGeometry) => [
    g.h,
    g.w,
    g.cin,
    g.fh,
    g.fw,
    g.sh,
    g.sw,
    g.dh,
    g.dw,
    g.top,
    g.left,
    g.oh,
    g.ow,
  ];
  // im2col / col2im image by image: x (or dx) and the patch rows of different images are disjoint.
  const byImages = (fn: string, x: number, g: PatchGeometry, col: number) => {
    const xFloats = g.h * g.w * g.cin;
    const colFloats = g.oh * g.ow * g.fh * g.fw * g.cin;
    const count = Math.min(threads, Math.floor((g.n * colFloats) / MIN_FLOATS_PER_THREAD));
    const calls = ranges(g.n, count, 1).map(([from, to]) => {
      const [xi, ci] = [x + 4 * from * xFloats, col + 4 * from * colFloats];
      return fn === 'tsgan_im2col' ? [xi, to - from, ...geometry(g), ci] : [ci, to - from, ...geometry(g), xi];
    });
    pool.run(fn, calls);
  };
  // An element-wise update of n floats in ranges of whole vectors: args(o, k) are the C arguments for the
  // k floats that start o bytes into every vector.
  const byRanges = (fn: string, n: number, args: (o: number, k: number) => number[]) => {
    const calls = ranges(n, Math.min(threads, Math.floor(n / MIN_FLOATS_PER_THREAD)), 4).map(([from, to]) =>
      args(4 * from, to - from),
    );
    pool.run(fn, calls);
  };
  const gemm: Gemm = {
    threads,
    im2col: (x, g, col) => byImages('tsgan_im2col', x, g, col),
    col2im: (col, g, dx) => byImages('tsgan_col2im', dx, g, col),
    sumRows: (x, rows, cols, out) => exports.tsgan_sum_rows(x, rows, cols, out),
    maxRows: (x, rows, p, out) => exports.tsgan_max_rows(x, rows, p, out),
    equalRows: (x, m, rows, p, out) => exports.tsgan_equal_rows(x, m, rows, p, out),
    mulRows: (x, m, rows, p, out) => exports.tsgan_mul_rows(x, m, rows, p, out),
    greaterScalar: (x, n, v, out) => exports.tsgan_greater_scalar(x, n, v, out),
    // The one place that knows optimizers.c's argument order: the attributes by name, in C's positions.
    sgdMomentum: ({ inputs: x, outputs: [variable, velocity] }, n, a) =>
      byRanges('tsgan_sgd_momentum', n, (o, k) => [
        x.variable + o,
        x.grad + o,
        x.velocity + o,
        k,
        a.momentum,
        a.learningRate,
        variable + o,
        velocity + o,
      ]),
    adam: ({ inputs: x, outputs: [variable, m, v] }, n, a) =>
      byRanges('tsgan_adam', n, (o, k) => [
        x.variable + o,
        x.grad + o,
        x.m + o,
        x.v + o,
        k,
        a.beta1,
        1 - a.beta1,
        a.beta2,
        1 - a.beta2,
        a.c,
        a.epsilon,
        a.step,
        variable + o,
        m + o,
        v + o,
      ]),
    bernoulli: exports.tsgan_bernoulli,
    leakyRelu: exports.tsgan_leaky_relu,
    select: exports.tsgan_select,
    batchNorm: exports.tsgan_batch_norm,
    run: (call) =>
      pool.run(
        'tsgan_gemm',
        split(call, threads).map((slice, t) => argsOf(slice, work[t])),
      ),
  };
  instances.set(wasmModule, gemm);
  return gemm;
}

function argsOf(c: GemmCall, work: number): number[] {
  return [c.m, c.n, c.k, c.a, c.aRs, c.aCs, c.b, c.bRs, c.bCs, c.c, c.ldc, c.bias, work];
}

/** [from, to) ranges covering 0..n in at most `parts` (≥ 1) pieces, boundaries on multiples of `align`. */
export function ranges(n: number, parts: number, align: number): Array<[number, number]> {
  const units = Math.ceil(n / align);
  const use = Math.max(1, Math.min(parts, units));
  const out: Array<[number, number]> = [];
  for (let t = 0; t < use; t++) {
    const from = Math.floor((units * t) / use) * align;
    const to = Math.min(n, Math.floor((units * (t + 1)) / use) * align);
    if (to > from) out.push([from, to]);
  }
  return out.length ? out : [[0, n]];
}

/** Cuts a product into at most `parts` independent ones along C's columns (if wide) or rows. */
export function split(call: GemmCall, parts: number): GemmCall[] {
  const use = Math.min(parts, Math.max(1, Math.floor((call.m * call.n * call.k) / MIN_MACS_PER_THREAD)));
  if (use <= 1) return [call];
  const byColumns = call.n >= call.m || call.m < MR * use;
  const extent = byColumns ? call.n : call.m;
  const unit = byColumns ? NR : MR;
  if (Math.ceil(extent / unit) < use) return [call];
  return ranges(extent, use, unit).map(([from, to]) =>
    byColumns
      ? {
          ...call,
          n: to - from,
          b: call.b + 4 * from * call.bCs,
          c: call.c + 4 * from,
          bias: call.bias && call.bias + 4 * from,
        }
      : { ...call, m: to - from, a: call.a + 4 * from * call.aRs, c: call.c + 4 * from * call.ldc },
  );
}
