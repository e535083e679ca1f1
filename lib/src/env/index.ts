/**
 * tsgan's environment switches: the one on/off parser (TSGAN_QUICK, TSGAN_WASM_KERNELS, TSGAN_WASM_FMA, …)
 * and quick mode. Kept apart from backend/ (which backend runs) because notebooks, claims and the wasm
 * kernels read these without choosing a backend.
 */
export * from './flags';
export * from './quickMode';
export * from './projectPath';
