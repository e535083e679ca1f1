/**
 * Whether the gemm runs with relaxed SIMD, whose f32x4.relaxed_madd V8 compiles to one fused multiply-add
 * on CPUs that have FMA (measured here: the products 20 % faster). Node ≥ 22 validates relaxed SIMD out of
 * the box; Node 20's V8 implements it behind --experimental-wasm-relaxed-simd, which is set here at run
 * time (V8 reads wasm feature flags when it validates a module, so this works after start-up). Otherwise
 * the plain SIMD build runs: same results to float32 rounding, just slower.
 * TSGAN_WASM_FMA=0 (or off) asks for the plain build, e.g. to compare the two.
 */
import v8 from 'node:v8';
import { GEMM_WASM_RELAXED } from './gemmWasm';
import { envFlag } from '../../host/flags';

export interface RelaxedSimdStatus {
  relaxed: boolean;
  /** Why the plain SIMD build runs, when it does. */
  reason?: string;
}

let decided: RelaxedSimdStatus | undefined;

export function relaxedSimd(): RelaxedSimdStatus {
  if (decided) return decided;
  if (!envFlag('TSGAN_WASM_FMA', true)) {
    decided = { relaxed: false, reason: 'TSGAN_WASM_FMA=0 asks for plain SIMD' };
    return decided;
  }
  const probe = Buffer.from(GEMM_WASM_RELAXED.memory, 'base64');
  if (!WebAssembly.validate(probe)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  decided = WebAssembly.validate(probe)
    ? { relaxed: true }
    : { relaxed: false, reason: `this JavaScript engine (Node ${process.versions.node}) has no relaxed SIMD` };
  return decided;
}
