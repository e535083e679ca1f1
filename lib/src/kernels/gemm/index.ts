/**
 * gemm.c and layout.c on tfjs's wasm heap: C = op(A)·op(B) (+ bias) straight from tensor memory with any
 * transposes, the im2col / col2im / channel-sum moves of the convolution kernels, the row-wise
 * element kernels of rows.c and the optimiser updates of optimizers.c.
 * One instance per wasm backend, importing that backend's memory. When the heap is shared (the threaded
 * tfjs build, TSGAN_WASM_THREADS ≥ 2) the product is split between this thread and worker threads that
 * run the same module on the same memory: columns of C when it is wide enough, else rows.
 */
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import type { HeapBackend } from '../heapLayout';
import { wasmThreadsStatus } from '../wasmThreads';
import { GEMM_WASM, GEMM_WASM_RELAXED } from './gemmWasm';
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
  sgdMomentum(theta: number, grad: number, vel: number, n: number, momentum: number, lr: number, thetaOut: number, velOut: number): void;
  /** One Adam step of n floats (optimizers.c; argument order as tsgan_adam). */
  adam(...args: number[]): void;
  /** n dropout-mask floats from the xoshiro128** state at `state` (4 words, advanced in place; rows.c). */
  bernoulli(state: number, n: number, threshold: number, value: number, out: number): void;
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
}

// The register tile of gemm.c: splits stay on tile boundaries so no tile is shared.
const MR = 4;
const NR = 8;
// Below this many multiply-adds per thread, waking a worker costs more than it saves.
const MIN_MACS_PER_THREAD = 200_000;

const ARGS = 13; // tsgan_gemm's parameters, the last being the work pointer
// Control block of a helper: the call number to run, the last call done, a failure flag, the arguments.
const SEQ = 0;
const DONE = 1;
const FAILED = 2;
const FIRST_ARG = 3;

// After each product a helper spins this long before it sleeps: products come in bursts, and waking a
// sleeping thread (Atomics.notify) cost 0.2–0.7 ms here, 7–20 ms per paper GAN iteration in all; with the
// spin 4–5 ms (measured: main thread's part of each product vs the product's whole time).
const SPIN_MS = 2;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl } = workerData;
const ctlI = new Int32Array(ctl);
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.tsgan_gemm;
let seen = 0;
for (;;) {
  const until = performance.now() + ${SPIN_MS};
  while (Atomics.load(ctlI, ${SEQ}) === seen && performance.now() < until);
  Atomics.wait(ctlI, ${SEQ}, seen); // returns at once when a call came while spinning
  seen = Atomics.load(ctlI, ${SEQ});
  const a = [];
  for (let i = 0; i < ${ARGS}; i++) a.push(ctlI[${FIRST_ARG} + i]);
  try {
    gemm(...a);
  } catch {
    Atomics.store(ctlI, ${FAILED}, 1);
  }
  Atomics.store(ctlI, ${DONE}, seen);
  Atomics.notify(ctlI, ${DONE});
}`;

interface Helper {
  ctl: Int32Array;
  seq: number;
  worker: Worker;
}

const instances = new WeakMap<object, Gemm>();

function memoryOf(module: EmscriptenModule): WebAssembly.Memory {
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error('tsgan gemm: cannot find the memory of the tfjs wasm module (tfjs-backend-wasm 4.22 layout expected).');
  }
  return memory;
}

/** The gemm of this wasm backend (created on first use). threads > 1 only when its memory is shared. */
export function gemmFor(wasmModule: object, threads: number): Gemm {
  const found = instances.get(wasmModule);
  if (found) return found;
  const module = wasmModule as EmscriptenModule;
  const memory = memoryOf(module);
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const build = relaxedSimd().relaxed ? GEMM_WASM_RELAXED : GEMM_WASM;
  const compiled = new WebAssembly.Module(Buffer.from(shared ? build.shared : build.memory, 'base64'));
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as GemmExports;
  const workBytes = exports.tsgan_gemm_work_floats() * 4;
  const parts = shared ? Math.max(1, threads) : 1;
  const work: number[] = [];
  for (let t = 0; t < parts; t++) {
    const p = module._malloc(workBytes);
    if (!p) throw new Error(`tsgan gemm: the wasm heap could not give ${workBytes} bytes of scratch space.`);
    work.push(p);
  }
  const helpers: Helper[] = [];
  for (let t = 1; t < parts; t++) {
    const ctl = new Int32Array(new SharedArrayBuffer(4 * (FIRST_ARG + ARGS)));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: compiled, memory, ctl: ctl.buffer } });
    worker.unref(); // idle helpers must not keep the process alive
    helpers.push({ ctl, seq: 0, worker });
  }
  const geometry = (g: PatchGeometry) => [g.n, g.h, g.w, g.cin, g.fh, g.fw, g.sh, g.sw, g.dh, g.dw, g.top, g.left, g.oh, g.ow];
  const gemm: Gemm = {
    threads: parts,
    im2col: (x, g, col) => exports.tsgan_im2col(x, ...geometry(g), col),
    col2im: (col, g, dx) => exports.tsgan_col2im(col, ...geometry(g), dx),
    sumRows: (x, rows, cols, out) => exports.tsgan_sum_rows(x, rows, cols, out),
    maxRows: (x, rows, p, out) => exports.tsgan_max_rows(x, rows, p, out),
    equalRows: (x, m, rows, p, out) => exports.tsgan_equal_rows(x, m, rows, p, out),
    mulRows: (x, m, rows, p, out) => exports.tsgan_mul_rows(x, m, rows, p, out),
    greaterScalar: (x, n, v, out) => exports.tsgan_greater_scalar(x, n, v, out),
    sgdMomentum: exports.tsgan_sgd_momentum,
    adam: exports.tsgan_adam,
    bernoulli: exports.tsgan_bernoulli,
    run(call) {
      const slices = split(call, parts);
      for (let t = 1; t < slices.length; t++) {
        const h = helpers[t - 1];
        h.ctl.set(argsOf(slices[t], work[t]), FIRST_ARG);
        h.seq++;
        Atomics.store(h.ctl, SEQ, h.seq);
        Atomics.notify(h.ctl, SEQ);
      }
      exports.tsgan_gemm(...argsOf(slices[0], work[0]));
      for (let t = 1; t < slices.length; t++) {
        const h = helpers[t - 1];
        // Wait on the very value found unequal: re-reading it could see the new value and sleep forever.
        for (let done = Atomics.load(h.ctl, DONE); done !== h.seq; done = Atomics.load(h.ctl, DONE)) Atomics.wait(h.ctl, DONE, done);
        if (h.ctl[FAILED]) throw new Error('tsgan gemm: a worker thread failed (out-of-bounds operand?); its part of the product is missing.');
      }
    },
  };
  instances.set(wasmModule, gemm);
  return gemm;
}

function argsOf(c: GemmCall, work: number): number[] {
  return [c.m, c.n, c.k, c.a, c.aRs, c.aCs, c.b, c.bRs, c.bCs, c.c, c.ldc, c.bias, work];
}

/** Cuts a product into at most `parts` independent ones along C's columns (if wide) or rows. */
export function split(call: GemmCall, parts: number): GemmCall[] {
  const use = Math.min(parts, Math.max(1, Math.floor((call.m * call.n * call.k) / MIN_MACS_PER_THREAD)));
  if (use <= 1) return [call];
  const byColumns = call.n >= call.m || call.m < MR * use;
  const extent = byColumns ? call.n : call.m;
  const unit = byColumns ? NR : MR;
  const units = Math.ceil(extent / unit);
  if (units < use) return [call];
  const out: GemmCall[] = [];
  for (let t = 0; t < use; t++) {
    const from = Math.floor((units * t) / use) * unit;
    const to = Math.min(extent, Math.floor((units * (t + 1)) / use) * unit);
    if (to <= from) continue;
    out.push(
      byColumns
        ? { ...call, n: to - from, b: call.b + 4 * from * call.bCs, c: call.c + 4 * from, bias: call.bias && call.bias + 4 * from }
        : { ...call, m: to - from, a: call.a + 4 * from * call.aRs, c: call.c + 4 * from * call.ldc },
    );
  }
  return out;
}
