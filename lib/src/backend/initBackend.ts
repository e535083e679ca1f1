/**
 * Picks the fastest TensorFlow.js backend that really works on this machine:
 * tfjs-node-gpu ("tensorflow", CUDA) → tfjs-node ("tensorflow", CPU) → wasm → cpu.
 * TSGAN_BACKEND=tensorflow|wasm|cpu forces one; a forced backend that cannot start is an error,
 * never a silent fallback, because a user who asked for the GPU must not train for hours on the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { afterWasmStarted, beforeWasmStarts } from '../kernels';
import { withProcessHandlersKept } from './processHandlers';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendAttempt {
  backend: BackendName;
  /** npm package that provides it (tfjs-node-gpu, tfjs-node, tfjs-backend-wasm, tfjs). */
  package: string;
  ok: boolean;
  /** Why it was not used, when ok is false. */
  reason?: string;
}

export interface BackendReport {
  backend: BackendName;
  /** The npm package that provides the active backend. */
  package: string;
  tfjsVersion: string;
  /** 'GPU (CUDA)' or 'CPU'. */
  device: string;
  gpu: boolean;
  /** True when TSGAN_BACKEND or the `backend` option chose it. */
  forced: boolean;
  /** Who forced it: 'TSGAN_BACKEND' or 'the backend option'; undefined when picked automatically. */
  forcedBy?: string;
  attempts: BackendAttempt[];
  /** Extra facts (e.g. which wasm kernels tsgan replaced). */
  notes: string[];
}

export interface InitBackendOptions {
  /** Overrides TSGAN_BACKEND. */
  backend?: string;
  /** Print the report (default: false). */
  print?: boolean;
}

const CUDA_NEEDS =
  'tfjs-node-gpu 4.x needs Linux x64, CUDA 11.2, cuDNN 8.1, an NVIDIA driver >= 450, and internet access ' +
  'while `npm install` downloads libtensorflow';

let current: BackendReport | null = null;

/**
 * Chooses and activates a backend, once per process (later calls return the same report unless a
 * different backend is forced). Returns a report saying which backend and device really run.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const requested = (options.backend ?? process.env.TSGAN_BACKEND ?? '').trim().toLowerCase();
  if (requested && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new Error(
      `Unknown backend "${requested}" (from ${options.backend ? 'the backend option' : 'TSGAN_BACKEND'}). ` +
        `Use one of: ${BACKENDS.join(', ')}, or leave it unset to pick the fastest available.`,
    );
  }
  if (current && (!requested || requested === current.backend)) {
    if (options.print) console.log(formatBackendReport(current));
    return current;
  }
  // Silences tfjs' "install tfjs-node" banner and its debug checks; must run before the first op.
  tf.enableProdMode();

  const order: BackendName[] = requested ? [requested as BackendName] : [...BACKENDS];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const tried = await tryBackend(name);
    attempts.push(...tried);
    const ok = tried.find((a) => a.ok);
    if (ok) {
      const gpu =
        name === 'tensorflow' && Boolean((tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice);
      const report: BackendReport = {
        backend: name,
        package: ok.package,
        tfjsVersion: tf.version.tfjs,
        device: gpu ? 'GPU (CUDA)' : 'CPU',
        gpu,
        forced: Boolean(requested),
        forcedBy: requested ? (options.backend ? 'the backend option' : 'TSGAN_BACKEND') : undefined,
        attempts,
        notes: [],
      };
      if (ok.package === '@tensorflow/tfjs-node-gpu' && !gpu) {
        report.notes.push(
          'tfjs-node-gpu loaded but TensorFlow found no usable GPU, so it runs on the CPU. ' +
            `Check that CUDA 11.2 and cuDNN 8.1 libraries are on LD_LIBRARY_PATH (${CUDA_NEEDS}).`,
        );
      }
      if (name === 'wasm') report.notes.push(...afterWasmStarted()); // tsgan's kernels (kernels/)
      current = report;
      if (options.print) console.log(formatBackendReport(report));
      return report;
    }
  }
  const why = attempts.map((a) => `  - ${a.backend} (${a.package}): ${a.reason}`).join('\n');
  if (requested) {
    const available = await availableBackends();
    throw new Error(
      `The requested backend "${requested}" is not available:\n${why}\n` +
        `Available here: ${available.length ? available.join(', ') : 'none'}. ` +
        `Unset TSGAN_BACKEND to use the fastest available one, or install what is missing ` +
        `(tensorflow: \`npm install @tensorflow/tfjs-node-gpu\` (${CUDA_NEEDS}) or \`npm install @tensorflow/tfjs-node\`).`,
    );
  }
  throw new Error(`No TensorFlow.js backend could start:\n${why}`);
}

/** The report of the active backend, or null before initBackend(). */
export function backendReport(): BackendReport | null {
  return current;
}

/** Backends that can start here, without switching to them. */
export async function availableBackends(): Promise<BackendName[]> {
  const out: BackendName[] = [];
  if (loadNative().some((a) => a.ok)) out.push('tensorflow');
  if (loadWasm().ok) out.push('wasm');
  out.push('cpu');
  return out;
}

export function formatBackendReport(r: BackendReport): string {
  const lines = [
    `tsgan backend: ${r.backend} on ${r.device}${r.forced ? ` (forced by ${r.forcedBy ?? 'TSGAN_BACKEND'})` : ''}`,
    `  package: ${r.package}, tfjs ${r.tfjsVersion}`,
  ];
  for (const a of r.attempts.filter((x) => !x.ok)) lines.push(`  not used: ${a.backend} via ${a.package}: ${a.reason}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

async function tryBackend(name: BackendName): Promise<BackendAttempt[]> {
  if (name === 'tensorflow') {
    const attempts = loadNative();
    const ok = attempts.find((a) => a.ok);
    if (ok) {
      const reason = await activate('tensorflow');
      if (reason) {
        ok.ok = false;
        ok.reason = reason;
      }
    }
    return attempts;
  }
  if (name === 'wasm') {
    const attempt = loadWasm();
    if (attempt.ok) {
      // Emscripten's rethrowing process listeners would kill a notebook kernel on any async error
      const reason = await withProcessHandlersKept(async () => {
        beforeWasmStarts(); // threads are arranged before the backend initialises
        return activate('wasm');
      });
      if (reason) Object.assign(attempt, { ok: false, reason });
    }
    return [attempt];
  }
  const reason = await activate('cpu');
  return [{ backend: 'cpu', package: '@tensorflow/tfjs', ok: !reason, reason }];
}

let nativeAttempts: BackendAttempt[] | null = null;
/** Loading a native package registers the "tensorflow" backend; it can only be tried once per process. */
function loadNative(): BackendAttempt[] {
  if (nativeAttempts) return nativeAttempts.map((a) => ({ ...a }));
  const attempts: BackendAttempt[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package: require throws when it is not installed
      require(pkg);
      attempts.push({ backend: 'tensorflow', package: pkg, ok: true });
      break;
    } catch (e) {
      attempts.push({ backend: 'tensorflow', package: pkg, ok: false, reason: explainNativeFailure(pkg, e) });
    }
  }
  nativeAttempts = attempts;
  return attempts.map((a) => ({ ...a }));
}

function explainNativeFailure(pkg: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  if (code === 'MODULE_NOT_FOUND' && msg.includes(`'${pkg}'`)) {
    return pkg.endsWith('-gpu')
      ? `package not installed (its install downloads libtensorflow; ${CUDA_NEEDS})`
      : 'package not installed (`npm install @tensorflow/tfjs-node`; needs internet at install time)';
  }
  if (/libcud|libcublas|libcufft|libcurand|libcusolver|libcusparse/.test(msg)) {
    return `CUDA libraries not found (${msg.split('\n')[0]}); ${CUDA_NEEDS}`;
  }
  if (/libtensorflow|tfjs_binding/.test(msg)) {
    return (
      `native binding missing or broken, its install probably could not download libtensorflow ` +
      `(${msg.split('\n')[0].trim()}); reinstall with internet access` +
      (pkg.endsWith('-gpu') ? `; ${CUDA_NEEDS}` : '')
    );
  }
  return msg.split('\n')[0];
}

let wasmAttempt: BackendAttempt | null = null;
function loadWasm(): BackendAttempt {
  if (!wasmAttempt) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend only when wasm is chosen
      require('@tensorflow/tfjs-backend-wasm');
      wasmAttempt = { backend: 'wasm', package: '@tensorflow/tfjs-backend-wasm', ok: true };
    } catch (e) {
      wasmAttempt = {
        backend: 'wasm',
        package: '@tensorflow/tfjs-backend-wasm',
        ok: false,
        reason: `cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); run \`npm install\``,
      };
    }
  }
  return { ...wasmAttempt };
}

/** Switches to a registered backend; returns why it failed, or undefined. */
async function activate(name: BackendName): Promise<string | undefined> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') returned false (backend failed to initialise)`;
    await tf.ready();
    // A real op proves the backend runs, not just that it registered.
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
}
