/**
 * Multi-threaded wasm in Node (lib/src/kernels/wasmThreads.ts). Each case runs in a child process,
 * because threads must be arranged before the wasm backend starts, once per process. Checks: the threaded
 * build starts with the threads asked for and gives the cpu backend's results; a broken pthread worker
 * falls back to one thread with the reason; TSGAN_WASM_THREADS=0 keeps one thread; two threads and one give
 * identical bits; relaxed SIMD (FMA) is on unless TSGAN_WASM_FMA=0; and in every case the
 * process exits by itself (pthread workers must not keep Node alive).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { initBackend, wasmThreadsWanted } from '../src';
import { wasmThreadsNote } from '../src/kernels/wasmThreads';

before(async () => {
  await initBackend();
});

interface ChildResult {
  note?: string;
  status: { threads: number; requested: number; reason?: string } | null;
  notes: string[];
  errors: Record<string, number>;
  digest: string;
  /** After the run: whether the pthread shim survived Emscripten's assignment, and a user's assignment stuck. */
  worker: { shimKept: boolean; userKept: boolean };
}

const EXIT_TIMEOUT_MS = 60_000;

function runChild(opts: object, env: NodeJS.ProcessEnv = {}): ChildResult {
  const child = path.join(__dirname, 'kernels-threads.child.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(opts)], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, TSGAN_BACKEND: 'wasm', ...env },
    encoding: 'utf8',
    timeout: EXIT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  assert.equal(
    r.error,
    undefined,
    `child did not exit by itself within ${EXIT_TIMEOUT_MS / 1000} s (${String(r.error)}); stderr: ${r.stderr}`,
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('THREADS_RESULT '));
  assert.ok(
    line,
    `child printed no result (exit ${r.status}); stdout: ${r.stdout.slice(-2000)} stderr: ${r.stderr.slice(-2000)}`,
  );
  assert.equal(r.status, 0, `child exit code; stderr: ${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice('THREADS_RESULT '.length)) as ChildResult;
}

function assertAllClose(errors: Record<string, number>): void {
  for (const [what, err] of Object.entries(errors))
    assert.ok(err <= 2e-5, `${what}: wasm differs from cpu by ${err} (relative)`);
}

describe('multi-threaded wasm in Node', () => {
  test('two threads start, compute what cpu computes, and the process exits', () => {
    const r = runChild({ threads: 2 });
    assert.equal(r.status?.threads, 2, `threads: ${JSON.stringify(r.status)}`);
    assert.ok(
      r.notes.some((n) => /wasm threads: 2/.test(n)) || !r.notes.some((n) => /wasm threads/.test(n)),
      r.notes.join('; '),
    );
    assertAllClose(r.errors);
    assert.ok(
      r.worker.shimKept,
      "Emscripten's `global.Worker = worker_threads.Worker` must not replace the pthread shim",
    );
    assert.ok(
      r.worker.userKept,
      'a later assignment to globalThis.Worker by user code must be kept, not silently dropped',
    );
  });

  test("the report's thread note keeps the reason for fewer threads, whatever the count", () => {
    const busy = '1.6 of 4 cores idle as the backend started; TSGAN_WASM_THREADS=4 forces 4 threads';
    assert.equal(
      wasmThreadsNote({ threads: 2, requested: 4, reason: busy }),
      `wasm threads: 2 (${busy}; TSGAN_WASM_THREADS=0 for one)`,
    );
    assert.equal(wasmThreadsNote({ threads: 1, requested: 4, reason: busy }), `wasm threads: 1 (${busy})`);
    assert.equal(wasmThreadsNote({ threads: 2, requested: 2 }), 'wasm threads: 2 (TSGAN_WASM_THREADS=0 for one)');
    assert.equal(
      wasmThreadsNote({ threads: 1, requested: 1, reason: 'one logical core' }),
      'wasm threads: 1 (one logical core)',
    );
  });

  test('the results do not depend on the thread count, bit for bit', () => {
    const two = runChild({ threads: 2 });
    const one = runChild({}, { TSGAN_WASM_THREADS: '0' });
    assert.equal(two.status?.threads, 2);
    assert.equal(one.status?.threads, 1);
    assert.equal(two.digest, one.digest);
  });

  test('a pthread worker that fails falls back to one thread, with the reason', () => {
    const r = runChild({ threads: 2, brokenWorker: true });
    assert.equal(r.status?.threads, 1);
    assert.match(r.status?.reason ?? '', /threaded wasm failed to start.*broken on purpose.*single-threaded/);
    assertAllClose(r.errors);
  });

  test('TSGAN_WASM_THREADS=0 keeps one thread', () => {
    const r = runChild({}, { TSGAN_WASM_THREADS: '0' });
    assert.equal(r.status?.threads, 1);
    assert.match(r.status?.reason ?? '', /TSGAN_WASM_THREADS/);
    assertAllClose(r.errors);
  });

  test('products use relaxed-SIMD fused multiply-add (Node ≥ 20 has it), and TSGAN_WASM_FMA=0 plain SIMD', () => {
    const fma = runChild({ threads: 2 });
    assert.ok(
      fma.notes.some((n) => /matrix products: relaxed-SIMD fused multiply-add/.test(n)),
      fma.notes.join('; '),
    );
    assertAllClose(fma.errors);
    const plain = runChild({ threads: 2 }, { TSGAN_WASM_FMA: '0' });
    assert.ok(
      plain.notes.some((n) => /matrix products: plain SIMD \(TSGAN_WASM_FMA=0/.test(n)),
      plain.notes.join('; '),
    );
    assertAllClose(plain.errors);
  });

  test('TSGAN_WASM_THREADS is parsed strictly', () => {
    const saved = process.env.TSGAN_WASM_THREADS;
    try {
      // A count above the logical cores is lowered to them (parseWasmThreads), hence min(3, cores).
      for (const [v, want] of [
        ['off', 1],
        ['0', 1],
        ['3', Math.min(3, os.cpus().length)],
        ['', null],
        ['on', null],
        ['auto', null],
      ] as const) {
        process.env.TSGAN_WASM_THREADS = v;
        const got = wasmThreadsWanted();
        if (want === null) assert.equal(got, Math.min(os.cpus().length, 4), `TSGAN_WASM_THREADS=${v}`);
        else assert.equal(got, want, `TSGAN_WASM_THREADS=${v}`);
      }
      process.env.TSGAN_WASM_THREADS = 'lots';
      assert.throws(() => wasmThreadsWanted(), /TSGAN_WASM_THREADS must be off, on, auto or a thread count/);
    } finally {
      if (saved === undefined) delete process.env.TSGAN_WASM_THREADS;
      else process.env.TSGAN_WASM_THREADS = saved;
    }
  });
});
