/**
 * One benchmark configuration in its own process: `node --import tsx scripts/bench/worker.ts <json>`,
 * json = { model: 'paper' | 'dcgan', backend, iters, warmup, warmupSeconds }. Builds the lib's models, optimisers and
 * train steps (what the notebooks run), times whole iterations (D step then G step) and prints one JSON
 * line prefixed with BENCH_RESULT. Env TSGAN_WASM_KERNELS=0 selects wasm as shipped.
 */
import * as tf from '@tensorflow/tfjs';
import { envFlag, initBackend, installedWasmKernels, prepareWasmThreads, wasmThreadsStatus } from '../../lib/src';
import { BenchModel, ganIteration } from './ganIteration';

interface Config {
  model: BenchModel;
  backend: 'tensorflow' | 'wasm' | 'cpu';
  iters: number;
  /** Warm-up: at least this many iterations, and until warmupSeconds have passed. */
  warmup: number;
  warmupSeconds: number;
}

function dataIds(): number | null {
  const b = tf.backend() as unknown as { numDataIds?: () => number };
  return typeof b.numDataIds === 'function' ? b.numDataIds() : null;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as Config;
  if (cfg.backend === 'wasm' && envFlag('TSGAN_WASM_KERNELS', true)) {
    // Threads must be arranged before the backend starts (initBackend does it too once it offers the hook).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend for its side effect
    require('@tensorflow/tfjs-backend-wasm');
    prepareWasmThreads();
  }
  const report = await initBackend({ backend: cfg.backend });
  const threads = cfg.backend === 'wasm' ? (wasmThreadsStatus()?.threads ?? 1) : undefined;
  const gan = ganIteration(cfg.model);
  const iteration = gan.run;

  const warmStart = performance.now();
  let warmupIters = 0;
  while (warmupIters < cfg.warmup || performance.now() - warmStart < cfg.warmupSeconds * 1000) {
    iteration();
    warmupIters++;
  }
  const tensors0 = tf.memory().numTensors;
  const ids0 = dataIds();
  const times: number[] = [];
  for (let i = 0; i < cfg.iters; i++) {
    const t0 = performance.now();
    iteration();
    times.push(performance.now() - t0);
  }
  const ids1 = dataIds();
  const result = {
    model: cfg.model,
    backend: cfg.backend,
    variant:
      cfg.backend === 'wasm'
        ? installedWasmKernels().length
          ? `tsgan kernels, ${threads} thread${threads === 1 ? '' : 's'}`
          : 'as shipped'
        : '',
    batch: gan.batch,
    warmup: warmupIters,
    timesMs: times,
    tensorsLeakedPerIter: (tf.memory().numTensors - tensors0) / cfg.iters,
    buffersLeakedPerIter: ids0 === null || ids1 === null ? null : (ids1 - ids0) / cfg.iters,
    notes: report.notes,
  };
  console.log('BENCH_RESULT ' + JSON.stringify(result));
}

main().catch((e) => {
  console.log('BENCH_ERROR ' + JSON.stringify({ message: e instanceof Error ? e.message.split('\n')[0] : String(e) }));
  process.exit(1);
});
