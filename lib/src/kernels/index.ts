/**
 * Faster and missing TensorFlow.js wasm kernels, installed automatically when initBackend() activates wasm.
 * Importing this module registers the hook (lib/src/index.ts re-exports it, so `import 'tsgan'` suffices).
 */
import { onBackendReady } from '../backend';
import { installWasmKernels, wasmKernelsWanted } from './install';

export { installWasmKernels, uninstallWasmKernels, installedWasmKernels, wasmKernelsWanted } from './install';
export type { WasmKernelInfo } from './install';

onBackendReady((name, report) => {
  if (name !== 'wasm') return;
  if (!wasmKernelsWanted()) {
    report.notes.push('TSGAN_WASM_KERNELS=0: wasm kernels as shipped (conv layers cannot train)');
    return;
  }
  const kernels = installWasmKernels();
  report.notes.push(`tsgan wasm kernels: ${kernels.map((k) => k.kernelName).join(', ')}`);
});
