/**
 * Faster and missing TensorFlow.js wasm kernels. initBackend() (backend/initBackend.ts) calls the two
 * functions below when it starts wasm: nothing is installed by importing this module.
 */
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

/**
 * Before the wasm backend starts (after its package is loaded): multi-threading must be arranged then,
 * because the backend reads the thread count once, when it initialises.
 */
export function beforeWasmStarts(): void {
  if (wasmKernelsWanted()) threadsNote = prepareWasmThreads();
}

/** After the wasm backend started: installs tsgan's kernels; returns what the backend report should say. */
export function afterWasmStarted(): string[] {
  if (!wasmKernelsWanted()) return ['TSGAN_WASM_KERNELS=0: wasm kernels as shipped (conv layers cannot train)'];
  const kernels = installWasmKernels();
  const notes = [`tsgan wasm kernels: ${kernels.map((k) => k.kernelName).join(', ')}`];
  const threads = wasmThreadsStatus();
  if (threadsNote) notes.push(threadsNote);
  else if (threads) notes.push(wasmThreadsNote(threads));
  const simd = relaxedSimd();
  notes.push(
    simd.relaxed
      ? 'matrix products: relaxed-SIMD fused multiply-add (TSGAN_WASM_FMA=0 for plain SIMD)'
      : `matrix products: plain SIMD (${simd.reason})`,
  );
  return notes;
}
