/**
 * Worker threads that run functions of the gemm module on the wasm heap they share with this thread:
 * run(fn, parts) calls fn(...parts[0]) here and fn(...parts[t]) on helper t at the same time, and returns
 * when all are done. The parts must touch disjoint memory (the callers split products, images, ranges).
 * Hand-off: per helper a control block of SEQ (the call number to run), DONE (the last call done), FAILED,
 * FN (which export), NARGS, then the arguments as float64 (wasm i32 and f32 parameters both fit exactly).
 */
import { Worker } from 'node:worker_threads';

const SEQ = 0;
const DONE = 1;
const FAILED = 2;
const FN = 3;
const NARGS = 4;
const HEADER_BYTES = 8 * 4; // Int32 slots above, padded to keep the float64 arguments aligned
const MAX_ARGS = 16;

// After each call a helper spins this long before it sleeps: calls come in bursts, and waking a sleeping
// thread (Atomics.notify) cost 0.2–0.7 ms here, 7–20 ms per paper GAN iteration in all; with the spin
// 4–5 ms (measured: main thread's part of each product vs the product's whole time).
const SPIN_MS = 2;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, names } = workerData;
const header = new Int32Array(ctl, 0, ${HEADER_BYTES / 4});
const args = new Float64Array(ctl, ${HEADER_BYTES}, ${MAX_ARGS});
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
let seen = 0;
for (;;) {
  const until = performance.now() + ${SPIN_MS};
  while (Atomics.load(header, ${SEQ}) === seen && performance.now() < until);
  Atomics.wait(header, ${SEQ}, seen); // returns at once when a call came while spinning
  seen = Atomics.load(header, ${SEQ});
  try {
    fns[header[${FN}]](...args.subarray(0, header[${NARGS}]));
  } catch {
    Atomics.store(header, ${FAILED}, 1);
  }
  Atomics.store(header, ${DONE}, seen);
  Atomics.notify(header, ${DONE});
}`;

interface Helper {
  header: Int32Array;
  args: Float64Array;
  seq: number;
}

export interface Pool {
  /** This thread plus the helpers. */
  threads: number;
  run(fn: string, parts: number[][]): void;
}

/** Helpers for `threads` − 1 extra threads, running `module` (instantiated on `memory`) exports `names`. */
export function startPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  exports: Record<string, unknown>,
  names: string[],
  threads: number,
): Pool {
  const helpers: Helper[] = [];
  for (let t = 1; t < threads; t++) {
    const ctl = new SharedArrayBuffer(HEADER_BYTES + 8 * MAX_ARGS);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctl, names } });
    worker.unref(); // idle helpers must not keep the process alive
    helpers.push({
      header: new Int32Array(ctl, 0, HEADER_BYTES / 4),
      args: new Float64Array(ctl, HEADER_BYTES, MAX_ARGS),
      seq: 0,
    });
  }
  return {
    threads,
    run(fn, parts) {
      const index = names.indexOf(fn);
      if (index < 0 || parts.length > threads)
        throw new Error(`tsgan gemm pool: cannot run ${fn} in ${parts.length} parts on ${threads} threads`);
      for (let t = 1; t < parts.length; t++) {
        const h = helpers[t - 1];
        h.args.set(parts[t]);
        h.header[FN] = index;
        h.header[NARGS] = parts[t].length;
        h.seq++;
        Atomics.store(h.header, SEQ, h.seq);
        Atomics.notify(h.header, SEQ);
      }
      (exports[fn] as (...a: number[]) => void)(...parts[0]);
      for (let t = 1; t < parts.length; t++) {
        const h = helpers[t - 1];
        // Wait on the very value found unequal: re-reading it could see the new value and sleep forever.
        for (let done = Atomics.load(h.header, DONE); done !== h.seq; done = Atomics.load(h.header, DONE))
          Atomics.wait(h.header, DONE, done);
        if (h.header[FAILED])
          throw new Error(
            `tsgan gemm: a worker thread failed in ${fn} (out-of-bounds operand?); its part of the result is missing.`,
          );
      }
    },
  };
}
