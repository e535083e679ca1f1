/**
 * Child process of kernels-threads.test.ts (multi-threaded wasm must be arranged before the backend
 * starts, once per process). argv[2] = JSON { threads?: number, brokenWorker?: boolean }.
 * Prints one line `THREADS_RESULT {...}` and then simply ends: the parent checks that it exits by itself.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adam, initBackend, paperSgdMomentum, prepareWasmThreads, Rng, wasmThreadsStatus } from '../src';

async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const arrays = outs.map((t) => t.dataSync().slice() as Float32Array);
  tf.dispose(outs);
  return arrays;
}

function worstRelative(a: Float32Array, b: Float32Array): number {
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return a.length === b.length ? worst / scale : Infinity;
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as { threads?: number; brokenWorker?: boolean };
  let workerSource: string | undefined;
  if (opts.brokenWorker) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const w = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
      wasmWorkerContents: string;
    };
    workerSource = 'throw new Error("broken on purpose");' + w.wasmWorkerContents;
  }
  const note = prepareWasmThreads({ threads: opts.threads, workerSource });
  const report = await initBackend({ backend: 'wasm' });
  const rng = new Rng(7);
  const rand = (n: number) => rng.fillUniform(new Float32Array(n), -1, 1);
  const errors: Record<string, number> = {};
  const digest = createHash('sha256');
  // Many products big enough to be split between threads, each waited for: a lost wake-up in the hand-off
  // between threads would hang here (the parent then reports a child that did not exit).
  const a0 = tf.tensor2d(rand(64 * 300), [64, 300]);
  const b0 = tf.tensor2d(rand(300 * 200), [300, 200]);
  for (let i = 0; i < 2000; i++) tf.matMul(a0, b0).dispose();
  tf.dispose([a0, b0]);
  // Large enough for the gemm to split the work between threads.
  for (const [m, k, n] of [
    [64, 300, 200],
    [200, 96, 130],
  ]) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const as = rand(m * k);
      const bs = rand(k * n);
      const bias = rand(n);
      const run = () => {
        const a = tf.tensor2d(as, ta ? [k, m] : [m, k]);
        const b = tf.tensor2d(bs, tb ? [n, k] : [k, n]);
        return [
          tf.matMul(a, b, ta, tb),
          tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: tf.tensor1d(bias), activation: 'relu' }),
        ];
      };
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      errors[`matMul ${m}x${k}x${n} ${ta} ${tb}`] = Math.max(
        worstRelative(wasm[0], cpu[0]),
        worstRelative(wasm[1], cpu[1]),
      );
      wasm.forEach((w) => digest.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength)));
    }
  }
  // 16 images: the patch matrix (200,704 floats) is big enough for im2col / col2im to be split by images
  const xs = rand(16 * 14 * 14 * 16);
  const fs = rand(4 * 4 * 16 * 32);
  const conv = () => {
    const x = tf.tensor4d(xs, [16, 14, 14, 16]);
    const f = tf.tensor4d(fs, [4, 4, 16, 32]);
    const loss = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.sum(tf.square(tf.conv2d(xx, ff, 2, 'same')));
    return tf.grads(loss as (...a: tf.Tensor[]) => tf.Tensor)([x, f]);
  };
  const cpu = await on('cpu', conv);
  const wasm = await on('wasm', conv);
  errors['conv2d gradients'] = Math.max(worstRelative(wasm[0], cpu[0]), worstRelative(wasm[1], cpu[1]));
  wasm.forEach((w) => digest.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength)));
  // Optimiser updates of 160,000 floats: split into ranges between threads (fused kernels on wasm).
  const start = rand(400 * 400);
  const grad = rand(400 * 400);
  const optimisers = { sgdMomentum: () => paperSgdMomentum(), adam: () => adam({ learningRate: 2e-4, beta1: 0.5 }) };
  for (const [label, make] of Object.entries(optimisers)) {
    const update = () => {
      const opt = make();
      const v = tf.variable(tf.tensor2d(start, [400, 400]), true, `threads_${tf.getBackend()}_${label}`);
      const g = { [v.name]: tf.tensor2d(grad, [400, 400]) };
      opt.applyGradients(g, [v]);
      opt.applyGradients(g, [v]);
      const out = tf.clone(v);
      tf.dispose([v, ...Object.values(g)]);
      opt.dispose();
      return [out];
    };
    const [c] = await on('cpu', update);
    const [w] = await on('wasm', update);
    errors[`${label} update`] = worstRelative(w, c);
    digest.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  }
  const status = wasmThreadsStatus();
  // Last, as it may replace the pthread shim: Emscripten's own assignment (Node's Worker) leaves the shim
  // in place, any other assignment to globalThis.Worker is kept.
  const g = globalThis as { Worker?: unknown };
  const { Worker: NodeWorker } = await import('node:worker_threads');
  const shim = g.Worker;
  g.Worker = NodeWorker;
  const shimKept = shim !== undefined && shim !== NodeWorker && g.Worker === shim;
  class UserWorker {}
  g.Worker = UserWorker;
  const worker = { shimKept, userKept: g.Worker === UserWorker };
  console.log(
    'THREADS_RESULT ' +
      JSON.stringify({
        note,
        status,
        notes: report.notes,
        errors,
        digest: digest.digest('hex'),
        numTensors: tf.memory().numTensors,
        worker,
      }),
  );
}

main().catch((e) => {
  console.log('THREADS_ERROR ' + JSON.stringify({ message: e instanceof Error ? e.message : String(e) }));
  process.exitCode = 1;
});
