/**
 * Faster and missing TensorFlow.js wasm kernels, installed automatically when initBackend() activates wasm.
 * Importing this module registers the hooks (lib/src/index.ts re-exports it, so `import 'tsgan'` suffices).
 */
import * as backend from '../backend';
import { installWasmKernels, wasmKernelsWanted } from './install';
import { prepareWasmThreads, wasmThreadsNote, wasmThreadsStatus } from './wasmThreads';
import { relaxedSimd } from './gemm/relaxedSimd';

export { installWasmKernels, uninstallWasmKernels, installedWasmKernels, wasmKernelsWanted } from './install';
export type { WasmKernelInfo } from './install';
export { prepareWasmThreads, wasmThreadsStatus, wasmThreadsWanted } from './wasmThreads';
export type { WasmThreadsStatus } from './wasmThreads';
export { relaxedSimd } from './gemm/relaxedSimd';
export type { RelaxedSimdStatus } from './gemm/relaxedSimd';

let threadsNote: string | undefined;

// Multi-threading must be arranged before the wasm backend starts: initBackend runs these hooks after
// loading @tensorflow/tfjs-backend-wasm and before tf.setBackend('wasm') (when it offers them).
type StartingHook = (name: string) => void | Promise<void>;
const onBackendStarting = (backend as unknown as { onBackendStarting?: (hook: StartingHook) => void })
  .onBackendStarting;
if (typeof onBackendStarting === 'function') {
  onBackendStarting((name) => {
    if (name === 'wasm' && wasmKernelsWanted()) threadsNote = prepareWasmThreads();
  });
}

backend.onBackendReady((name, report) => {
  if (name !== 'wasm') return;
  if (!wasmKernelsWanted()) {
    report.notes.push('TSGAN_WASM_KERNELS=0: wasm kernels as shipped (conv layers cannot train)');
    return;
  }
  const kernels = installWasmKernels();
  report.notes.push(`tsgan wasm kernels: ${kernels.map((k) => k.kernelName).join(', ')}`);
  const threads = wasmThreadsStatus();
  if (threadsNote) report.notes.push(threadsNote);
  else if (threads) report.notes.push(wasmThreadsNote(threads));
  const simd = relaxedSimd();
  report.notes.push(
    simd.relaxed
      ? 'matrix products: relaxed-SIMD fused multiply-add (TSGAN_WASM_FMA=0 for plain SIMD)'
      : `matrix products: plain SIMD (${simd.reason})`,
  );
});
