/**
 * Multi-threaded wasm in Node: tsgan's gemm (kernels/gemm) splits every matrix product and convolution
 * between this thread and worker threads that share the wasm heap. A shared heap needs tfjs's threaded
 * build (its memory is a SharedArrayBuffer), which tfjs-backend-wasm 4.22 ships but never uses in Node:
 *  1. its WASM_HAS_MULTITHREAD_SUPPORT flag is false in Node by design (tfjs issue 3830);
 *  2. forced on, Emscripten creates each pthread's Worker from a blob: URL, and Node's worker_threads
 *     cannot load blob: URLs; the worker is then sent its main script as a Blob, which it cannot import;
 *  3. running pthreads `ref()` their workers, so a process that used them would never exit by itself.
 * prepareWasmThreads() works around all three before the backend starts: it wraps the registered 'wasm'
 * backend factory so that it tries the threaded build first (Worker shim below), and falls back to the
 * single-threaded build, with the reason in wasmThreadsStatus(), if anything fails or the start takes
 * longer than START_TIMEOUT_MS.
 * XNNPACK itself (the few kernels tsgan does not replace) stays on one thread: its pool spins between
 * operations, and measured here it took the cores from the gemm threads (paper GAN 125 → 98 ms, DCGAN
 * 422 → 331 ms per iteration with it on one thread). The results do not depend on the thread count: each
 * thread computes whole tiles of the product in the same order, so they are identical bit for bit.
 * TSGAN_WASM_THREADS: unset or auto = one thread per logical core (at most 4) that other processes leave
 * idle when the backend starts (see idleCores); N = N threads; on = one per logical core; 0, 1 or off = one.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { ENV_FLAG_WORDS, parseOnOff } from '../host/flags';

export interface WasmThreadsStatus {
  /** Threads XNNPACK really uses (1 = single-threaded build). */
  threads: number;
  requested: number;
  /** Why it is single-threaded, when it is. */
  reason?: string;
}

const START_TIMEOUT_MS = 30_000;
const WORKER_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const MAIN_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

let prepared = false;
let status: WasmThreadsStatus | null = null;

/** What prepareWasmThreads() achieved, once the wasm backend has started (null before). */
export function wasmThreadsStatus(): WasmThreadsStatus | null {
  return status ? { ...status } : null;
}

/**
 * The backend report's note on threads. The reason goes with any count: "2 of 4 cores idle" explains
 * 2 threads as much as "one logical core" explains 1.
 */
export function wasmThreadsNote(s: WasmThreadsStatus): string {
  const why = [s.reason, s.threads > 1 ? 'TSGAN_WASM_THREADS=0 for one' : undefined].filter(Boolean).join('; ');
  return `wasm threads: ${s.threads}${why ? ` (${why})` : ''}`;
}

export interface WasmThreadsSetting {
  /** Threads wanted (1 = single-threaded). */
  threads: number;
  /** Unset or auto: fewer threads when other processes keep cores busy (see idleCores). */
  auto: boolean;
  /** Why fewer threads than asked for are used (a count above the logical cores). */
  warning?: string;
}

/**
 * Reads a TSGAN_WASM_THREADS value: unset/auto, on/off (the shared words of host/flags.ts), or a thread count.
 * A count above the logical cores is lowered to them, with a warning: the threads of one product wait for
 * each other, so threads that cannot run at once only slow it down. Anything else is an error.
 */
export function parseWasmThreads(value: string | undefined, cores = os.cpus().length): WasmThreadsSetting {
  const v = (value ?? '').trim().toLowerCase();
  const perCore = Math.max(1, Math.min(cores, 4));
  if (v === '' || v === 'auto') return { threads: perCore, auto: true };
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 64) throw new Error(`TSGAN_WASM_THREADS must be off, on, auto or a thread count 1–64, got "${value}"`);
    if (n > cores) {
      return {
        threads: Math.max(1, cores),
        auto: false,
        warning: `TSGAN_WASM_THREADS=${n} but this machine has ${cores} logical core${cores === 1 ? '' : 's'}: using ${Math.max(1, cores)} threads (more would only wait for each other)`,
      };
    }
    return { threads: Math.max(1, n), auto: false };
  }
  const on = parseOnOff(v);
  if (on === undefined) {
    throw new Error(
      `TSGAN_WASM_THREADS must be off, on, auto or a thread count 1–64 (on/off words: ${ENV_FLAG_WORDS}), got "${value}"`,
    );
  }
  return { threads: on ? perCore : 1, auto: false };
}

/** Threads wanted from TSGAN_WASM_THREADS: 1 means single-threaded. */
export function wasmThreadsWanted(): number {
  return parseWasmThreads(process.env.TSGAN_WASM_THREADS).threads;
}

/**
 * Logical cores left idle by other processes, sampled over SAMPLE_MS (a blocking wait: this runs once, as
 * the backend starts). Unless TSGAN_WASM_THREADS is on or a number, only that many threads are used: the
 * threads of one product wait for each other, so on a busy machine (measured here at load 6–10 on 2 cores)
 * two threads were 15–25% slower per GAN iteration than one. (The load average lags by a minute; this does not.)
 */
function idleCores(): number {
  const before = os.cpus().map((c) => c.times);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SAMPLE_MS);
  const after = os.cpus().map((c) => c.times);
  let idle = 0;
  let total = 0;
  after.forEach((t, i) => {
    const b = before[i] ?? t;
    idle += t.idle - b.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq - (b.user + b.nice + b.sys + b.idle + b.irq);
  });
  return total > 0 ? (idle / total) * after.length : after.length;
}

const SAMPLE_MS = 200;

interface WasmPackage {
  setThreadsCount(n: number): void;
}

interface FactoryEntry {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  priority: number;
}

export interface PrepareWasmThreadsOptions {
  /** Overrides TSGAN_WASM_THREADS. */
  threads?: number;
  /** Replaces tfjs's pthread worker script (tests use a broken one to check the fallback). */
  workerSource?: string;
}

/**
 * Call after '@tensorflow/tfjs-backend-wasm' is loaded and before tf.setBackend('wasm'). Idempotent.
 * Returns a note for the backend report when it changed nothing (else the result is known only once the
 * backend has started: wasmThreadsStatus()).
 */
export function prepareWasmThreads(options: PrepareWasmThreadsOptions = {}): string | undefined {
  if (prepared) return undefined;
  prepared = true;
  const setting = parseWasmThreads(process.env.TSGAN_WASM_THREADS);
  const requested = options.threads ?? setting.threads;
  let threads = requested;
  let reason: string | undefined;
  if (options.threads === undefined && setting.warning) {
    reason = setting.warning;
    process.emitWarning(setting.warning, { code: 'TSGAN_WASM_THREADS' });
  }
  if (requested >= 2 && options.threads === undefined && setting.auto) {
    const idle = idleCores();
    threads = Math.max(1, Math.min(requested, Math.floor(idle + 0.5)));
    if (threads < requested) {
      reason = `${idle.toFixed(1)} of ${os.cpus().length} cores idle as the backend started; TSGAN_WASM_THREADS=${requested} forces ${requested} threads`;
    }
  }
  if (threads < 2) {
    reason ??= (process.env.TSGAN_WASM_THREADS ?? '').trim()
      ? 'TSGAN_WASM_THREADS asks for one thread'
      : 'one logical core';
    status = { threads: 1, requested, reason };
    return undefined;
  }
  const engine = tf.engine() as unknown as {
    registryFactory: Record<string, FactoryEntry | undefined>;
    registry: Record<string, unknown>;
  };
  const entry = engine.registryFactory.wasm;
  if (!entry) return 'wasm threads: the wasm backend is not registered yet (load @tensorflow/tfjs-backend-wasm first)';
  if (engine.registry.wasm) return 'wasm threads: the wasm backend had already started single-threaded';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  const original = entry.factory;
  const factory = async (): Promise<tf.KernelBackend> => {
    // (its own name: a `reason` here once shadowed the busy-cores reason above, which was then lost)
    const missing = await threadedPrerequisites();
    if (!missing) {
      const started = await startThreaded(original, wasm, options.workerSource);
      if ('backend' in started) {
        status = { threads, requested, ...(reason ? { reason } : {}) };
        return started.backend;
      }
      status = { threads: 1, requested, reason: started.reason };
    } else {
      status = { threads: 1, requested, reason: missing };
    }
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return original();
  };
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, entry.priority);
  return undefined;
}

async function threadedPrerequisites(): Promise<string | undefined> {
  if (typeof SharedArrayBuffer === 'undefined') return 'no SharedArrayBuffer in this Node';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('node:worker_threads');
  } catch {
    return 'no worker_threads in this Node';
  }
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) return 'no wasm SIMD (the threaded build needs it)';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  } catch {
    return 'no shared wasm memory in this Node';
  }
  return undefined;
}

type Started = { backend: tf.KernelBackend } | { reason: string };

async function startThreaded(
  original: FactoryEntry['factory'],
  wasm: WasmPackage,
  workerSource?: string,
): Promise<Started> {
  let shim: WorkerShim;
  try {
    shim = installWorkerShim(workerSource);
  } catch (e) {
    return { reason: `cannot prepare pthread workers (${e instanceof Error ? e.message : String(e)})` };
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(1); // XNNPACK on one thread: see the top of this file
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      timer.unref();
    });
    const backend = await Promise.race([Promise.resolve(original()), timeout, shim.failed]);
    if (shim.failures.length) throw new Error(shim.failures[0]);
    const heap = (backend as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.buffer;
    if (!(heap instanceof SharedArrayBuffer)) {
      backend.dispose();
      throw new Error('its heap is not shared memory');
    }
    return { backend };
  } catch (e) {
    shim.terminateAll();
    const msg =
      e instanceof Error
        ? e.message
        : typeof e === 'object' && e && 'message' in e
          ? String((e as { message: unknown }).message)
          : String(e);
    return { reason: `threaded wasm failed to start (${msg.split('\n')[0]}); single-threaded instead` };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

interface WorkerShim {
  failures: string[];
  /** Rejects when a pthread worker fails. */
  failed: Promise<never>;
  terminateAll(): void;
}

let shimState: WorkerShim | null = null;

/**
 * Makes `new Worker(blob: URL)` (what Emscripten's pthread pool does) start tfjs's pthread worker script
 * from its source, hands it the glue script by path instead of as a Blob, and keeps pthread workers from
 * holding the process open. The class is Node's Worker for every other use.
 */
function installWorkerShim(workerSource?: string): WorkerShim {
  if (shimState) return shimState;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker: NodeWorker } = require('node:worker_threads') as typeof import('node:worker_threads');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const source = workerSource ?? (require(WORKER_SCRIPT) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  if (typeof source !== 'string' || !source.includes('importScripts(e.data.urlOrBlob)')) {
    throw new Error('the pthread worker script of tfjs-backend-wasm is not the one tsgan knows (4.22)');
  }
  // As tfjs does before making its Blob: the script's string literals hold "\n" escapes.
  const workerCode = source.replace(/\n/g, '\\n');
  // The worker imports Emscripten's glue from a path; tfjs sends its rollup copy as a Blob, whose code
  // refers to the bundle's module variables and cannot run on its own. This file is the same glue unbundled.
  const mainScript = require.resolve(MAIN_SCRIPT);
  const workers: InstanceType<typeof NodeWorker>[] = [];
  const failures: string[] = [];
  let fail: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  const onFailure = (what: string) => {
    failures.push(what);
    fail(new Error(what));
  };

  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      const blob = typeof url === 'string' && url.startsWith('blob:');
      super(blob ? workerCode : url, blob ? { eval: true } : options);
      if (blob) {
        workers.push(this);
        // A pthread worker must never keep the process alive (Emscripten ref()s running ones).
        super.unref();
        super.on('error', (e: Error) => onFailure(`pthread worker: ${e.message.split('\n')[0]}`));
      }
    }
    override ref(): void {
      if (!workers.includes(this)) super.ref();
    }
    override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string' && workers.includes(this)) {
        return super.postMessage({ ...m, urlOrBlob: mainScript }, transfer);
      }
      return super.postMessage(message, transfer);
    }
    // Emscripten's own 'error' listener rethrows, which would crash the process instead of falling back.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's own Worker.on overload takes any[]
    override on(event: string | symbol, listener: (...args: any[]) => void): this {
      if (event === 'error' && workers.includes(this)) return this;
      return super.on(event, listener);
    }
  }

  // Why a global at all: Emscripten's pthread pool calls `new Worker(...)` from the global scope, and
  // tfjs gives no way to pass it a class. Why an accessor: on start, Emscripten's Node code assigns
  // `global.Worker = require('worker_threads').Worker`, which would replace the shim before the first
  // pthread starts. The setter lets exactly that value go (the shim already is Node's Worker for any
  // non-blob URL); any other value, e.g. user code assigning its own Worker, replaces the shim as a plain
  // assignment would, and stays.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    enumerable: true,
    get: () => PthreadWorker,
    set: (value: unknown) => {
      if (value === NodeWorker) return;
      Object.defineProperty(globalThis, 'Worker', { value, writable: true, configurable: true, enumerable: true });
    },
  });
  shimState = {
    failures,
    failed,
    terminateAll: () => {
      for (const w of workers.splice(0)) void w.terminate();
    },
  };
  return shimState;
}
