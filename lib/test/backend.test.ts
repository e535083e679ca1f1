// Backend selection (lib/src/backend). initBackend() caches its choice per process, so each
// variation of TSGAN_BACKEND runs in a fresh child process; formatting and error texts that do not
// depend on the cache are tested in this process.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  formatBackendReport,
  availableBackends,
  backendReport,
  isQuickMode,
  quickOrFull,
  BACKENDS,
  envFlag,
  wasmKernelsWanted,
} from '../src';
import { parseWasmThreads } from '../src/kernels/wasmThreads';
import type { BackendReport } from '../src';

const libDir = path.resolve(__dirname, '..');
const srcDir = path.join(libDir, 'src');

before(async () => {
  await initBackend(); // honours TSGAN_BACKEND=cpu|wasm
});

/** Installed AND loadable: an install whose libtensorflow download failed leaves a package without its binding. */
function installed(pkg: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package, absent on most machines
    require(pkg);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node');

interface ChildResult {
  report?: BackendReport;
  error?: string;
  extra?: unknown;
  stderr: string;
}

/**
 * Runs `body` (JS, with `b` = lib/src/backend and top-level await) in a fresh node process with the given
 * TSGAN_BACKEND (undefined = unset). The body sets `out.report`, `out.extra`; a throw becomes `error`.
 */
function inChild(backendEnv: string | undefined, body: string): ChildResult {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TSGAN_BACKEND;
  if (backendEnv !== undefined) env.TSGAN_BACKEND = backendEnv;
  const code =
    `const b = require(${JSON.stringify(path.join(srcDir, 'backend'))});\n` +
    `const out = {};\n` +
    `(async () => { ${body} })()\n` +
    `  .catch((e) => { out.error = e instanceof Error ? e.message : String(e); })\n` +
    `  .then(() => { process.stdout.write('\\n@@RESULT@@' + JSON.stringify(out)); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    env,
    cwd: libDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const marker = r.stdout.lastIndexOf('@@RESULT@@');
  assert.ok(marker >= 0, `child process failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ...JSON.parse(r.stdout.slice(marker + '@@RESULT@@'.length)), stderr: r.stderr };
}

test('default order: the fastest available backend, with the reasons the others were skipped', () => {
  const r = inChild(undefined, 'out.report = await b.initBackend();');
  assert.equal(r.error, undefined);
  const report = r.report!;
  assert.equal(report.forced, false);
  assert.equal(report.tfjsVersion, tf.version.tfjs);
  if (nativeInstalled) {
    // A machine with tfjs-node(-gpu): the report must say which device really runs.
    assert.ok(['tensorflow', 'wasm'].includes(report.backend));
    return;
  }
  assert.equal(report.backend, 'wasm');
  assert.equal(report.package, '@tensorflow/tfjs-backend-wasm');
  assert.equal(report.device, 'CPU');
  assert.equal(report.gpu, false);
  const skipped = report.attempts.filter((a) => !a.ok);
  assert.deepEqual(
    skipped.map((a) => a.package),
    ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  );
  const gpuReason = skipped[0].reason ?? '';
  assert.match(gpuReason, /not installed/);
  assert.match(gpuReason, /CUDA 11\.2/);
  assert.match(gpuReason, /cuDNN 8\.1/);
  assert.match(skipped[1].reason ?? '', /npm install @tensorflow\/tfjs-node/);
  // The tfjs "install tfjs-node" banner is silenced (prod mode before the first op).
  assert.doesNotMatch(r.stderr, /tfjs-node/);
});

test('TSGAN_BACKEND=cpu forces the cpu backend, and really computes on it', () => {
  const r = inChild(
    'cpu',
    "out.report = await b.initBackend(); const tf = require('@tensorflow/tfjs'); out.extra = { active: tf.getBackend(), sum: tf.tensor([1, 2, 3]).sum().dataSync()[0] };",
  );
  assert.equal(r.error, undefined);
  assert.equal(r.report!.backend, 'cpu');
  assert.equal(r.report!.package, '@tensorflow/tfjs');
  assert.equal(r.report!.forced, true);
  assert.equal(r.report!.forcedBy, 'TSGAN_BACKEND');
  assert.deepEqual(r.extra, { active: 'cpu', sum: 6 });
});

test('TSGAN_BACKEND is case- and space-insensitive', () => {
  const r = inChild(' CPU ', 'out.report = await b.initBackend();');
  assert.equal(r.error, undefined);
  assert.equal(r.report!.backend, 'cpu');
});

test('TSGAN_BACKEND=wasm forces wasm', () => {
  const r = inChild(
    'wasm',
    "out.report = await b.initBackend(); out.extra = require('@tensorflow/tfjs').getBackend();",
  );
  assert.equal(r.error, undefined);
  assert.equal(r.report!.backend, 'wasm');
  assert.equal(r.report!.forced, true);
  assert.equal(r.extra, 'wasm');
});

test('an unknown backend is an error naming the valid ones and where the name came from', async () => {
  await assert.rejects(initBackend({ backend: 'webgpu' }), (e: Error) => {
    assert.match(e.message, /Unknown backend "webgpu"/);
    assert.match(e.message, /the backend option/);
    for (const name of BACKENDS) assert.ok(e.message.includes(name), `message lacks ${name}: ${e.message}`);
    return true;
  });
  const r = inChild('gpu', 'out.report = await b.initBackend();');
  assert.match(r.error ?? '', /Unknown backend "gpu" \(from TSGAN_BACKEND\)/);
  assert.match(r.error ?? '', /tensorflow, wasm, cpu/);
});

test(
  'forcing an unavailable tensorflow backend fails loudly, naming the package and the CUDA needs',
  { skip: nativeInstalled && 'tfjs-node is installed here' },
  () => {
    const r = inChild('tensorflow', 'out.report = await b.initBackend();');
    assert.equal(r.report, undefined, 'must not fall back silently');
    const msg = r.error ?? '';
    assert.match(msg, /requested backend "tensorflow" is not available/);
    assert.match(msg, /@tensorflow\/tfjs-node-gpu/);
    assert.match(msg, /CUDA 11\.2/);
    assert.match(msg, /cuDNN 8\.1/);
    assert.match(msg, /Available here: wasm, cpu/);
    assert.match(msg, /Unset TSGAN_BACKEND/);
  },
);

test('the backend option overrides TSGAN_BACKEND', () => {
  const r = inChild('wasm', "out.report = await b.initBackend({ backend: 'cpu' });");
  assert.equal(r.error, undefined);
  assert.equal(r.report!.backend, 'cpu');
  assert.equal(r.report!.forcedBy, 'the backend option');
});

test('one choice per process: later calls return it; forcing another backend switches', () => {
  const r = inChild(
    undefined,
    [
      'const first = await b.initBackend();',
      'const again = await b.initBackend();',
      "const cpu = await b.initBackend({ backend: 'cpu' });",
      'const after = await b.initBackend();',
      "out.extra = { first: first.backend, same: first === again, cpu: cpu.backend, after: after.backend, current: b.backendReport().backend, active: require('@tensorflow/tfjs').getBackend() };",
    ].join('\n'),
  );
  assert.equal(r.error, undefined);
  const x = r.extra as Record<string, unknown>;
  assert.equal(x.same, true);
  assert.equal(x.cpu, 'cpu');
  assert.equal(x.after, 'cpu');
  assert.equal(x.current, 'cpu');
  assert.equal(x.active, 'cpu');
});

test('availableBackends lists what can start here, always ending with cpu', async () => {
  const list = await availableBackends();
  assert.equal(list.at(-1), 'cpu');
  assert.ok(list.includes('wasm'));
  assert.equal(list.includes('tensorflow'), nativeInstalled);
});

test('backendReport() is the report of the active backend', () => {
  const r = backendReport();
  assert.ok(r);
  assert.equal(r.backend, tf.getBackend());
});

test('formatBackendReport: backend, device, package, version, skipped backends and notes', () => {
  const report: BackendReport = {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node-gpu',
    tfjsVersion: '4.22.0',
    device: 'CPU',
    gpu: false,
    forced: true,
    attempts: [
      { backend: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', ok: true },
      { backend: 'wasm', package: '@tensorflow/tfjs-backend-wasm', ok: false, reason: 'not tried' },
    ],
    notes: ['no usable GPU'],
  };
  const text = formatBackendReport(report);
  assert.equal(
    text,
    [
      'tsgan backend: tensorflow on CPU (forced by TSGAN_BACKEND)',
      '  package: @tensorflow/tfjs-node-gpu, tfjs 4.22.0',
      '  not used: wasm via @tensorflow/tfjs-backend-wasm: not tried',
      '  note: no usable GPU',
    ].join('\n'),
  );
  const plain = formatBackendReport({
    ...report,
    backend: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    forced: false,
    attempts: [],
    notes: [],
  });
  assert.equal(plain, 'tsgan backend: wasm on CPU\n  package: @tensorflow/tfjs-backend-wasm, tfjs 4.22.0');
});

test('initBackend({ print: true }) prints the report', () => {
  const r = inChild(
    'cpu',
    'const lines = []; const log = console.log; console.log = (s) => lines.push(String(s)); out.report = await b.initBackend({ print: true }); console.log = log; out.extra = lines;',
  );
  assert.equal(r.error, undefined);
  const lines = r.extra as string[];
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^tsgan backend: cpu on CPU \(forced by TSGAN_BACKEND\)/);
});

test('quick mode: TSGAN_QUICK takes the on/off words of envFlag; off means off, an unknown word is an error', () => {
  const saved = process.env.TSGAN_QUICK;
  try {
    for (const [value, quick] of [
      ['1', true],
      ['true', true],
      ['yes', true],
      ['ON', true],
      ['', false],
      ['0', false],
      ['false', false],
      [' FALSE ', false],
      ['off', false],
      ['no', false],
    ] as const) {
      process.env.TSGAN_QUICK = value;
      assert.equal(isQuickMode(), quick, `TSGAN_QUICK=${JSON.stringify(value)}`);
      assert.equal(quickOrFull('q', 'f'), quick ? 'q' : 'f');
    }
    delete process.env.TSGAN_QUICK;
    assert.equal(isQuickMode(), false);
    process.env.TSGAN_QUICK = 'maybe';
    assert.throws(
      () => isQuickMode(),
      /TSGAN_QUICK="maybe" is not an on\/off value: use 1\/on\/true\/yes or 0\/off\/false\/no/,
    );
  } finally {
    if (saved === undefined) delete process.env.TSGAN_QUICK;
    else process.env.TSGAN_QUICK = saved;
  }
});

test('envFlag: one parser for every on/off variable (TSGAN_WASM_KERNELS, TSGAN_WASM_FMA), default when unset', () => {
  assert.equal(envFlag('X', true, {}), true);
  assert.equal(envFlag('X', false, { X: '  ' }), false);
  assert.equal(envFlag('X', true, { X: 'no' }), false);
  assert.equal(envFlag('X', false, { X: 'Yes' }), true);
  assert.throws(
    () => envFlag('TSGAN_WASM_KERNELS', true, { TSGAN_WASM_KERNELS: 'maybe' }),
    /TSGAN_WASM_KERNELS="maybe" is not an on\/off value.*default, on/,
  );
  const saved = process.env.TSGAN_WASM_KERNELS;
  try {
    process.env.TSGAN_WASM_KERNELS = 'no';
    assert.equal(wasmKernelsWanted(), false);
    process.env.TSGAN_WASM_KERNELS = 'maybe';
    assert.throws(() => wasmKernelsWanted(), /TSGAN_WASM_KERNELS="maybe"/);
  } finally {
    if (saved === undefined) delete process.env.TSGAN_WASM_KERNELS;
    else process.env.TSGAN_WASM_KERNELS = saved;
  }
});

test('TSGAN_WASM_THREADS: counts above the logical cores are lowered with a warning; unknown words are errors', () => {
  assert.deepEqual(parseWasmThreads('64', 2), {
    threads: 2,
    auto: false,
    warning:
      'TSGAN_WASM_THREADS=64 but this machine has 2 logical cores: using 2 threads (more would only wait for each other)',
  });
  assert.deepEqual(parseWasmThreads('2', 2), { threads: 2, auto: false });
  assert.deepEqual(parseWasmThreads('0', 8), { threads: 1, auto: false });
  assert.deepEqual(parseWasmThreads('off', 8), { threads: 1, auto: false });
  assert.deepEqual(parseWasmThreads('on', 8), { threads: 4, auto: false });
  assert.deepEqual(parseWasmThreads(undefined, 2), { threads: 2, auto: true });
  assert.deepEqual(parseWasmThreads('auto', 1), { threads: 1, auto: true });
  assert.throws(
    () => parseWasmThreads('maybe', 2),
    /TSGAN_WASM_THREADS must be off, on, auto or a thread count 1–64.*got "maybe"/,
  );
  assert.throws(() => parseWasmThreads('65', 128), /thread count 1–64, got "65"/);
});

/** Runs `body` (JS, `lib` = lib/src) after initBackend on wasm in a fresh node process; returns what it printed and its exit. */
function afterWasmStart(body: string, before = ''): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, TSGAN_BACKEND: 'wasm' };
  const code =
    `const lib = require(${JSON.stringify(srcDir)});\n${before}\n` +
    `lib.initBackend().then((r) => { console.log('backend ' + r.backend);\n${body}\n});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    env,
    cwd: libDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("after the wasm backend starts, an unhandled rejection ends plain Node as usual, with the user's error (not exit 7 in tf-backend-wasm)", () => {
  const r = afterWasmStart(`function userCode() { Promise.reject(new Error('user boom')); }\nuserCode();`);
  assert.match(r.stdout, /backend wasm/);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /Error: user boom\n\s+at userCode/);
  assert.doesNotMatch(r.stderr, /tf-backend-wasm/);
});

test("a notebook kernel's own handlers (as tslab installs them) keep the process alive through async errors on wasm", () => {
  const tslabLike =
    `process.on('uncaughtException', (e) => console.log('UncaughtException: ' + e.message));\n` +
    `process.on('unhandledRejection', (e) => console.log('UnhandledPromiseRejection: ' + e.message));`;
  const r = afterWasmStart(
    `setTimeout(() => { throw new Error('timer boom'); }, 10);\n` +
      `Promise.reject(new Error('async boom'));\n` +
      `setTimeout(() => console.log('still alive: ' + lib.backendReport().backend), 200);`,
    tslabLike,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /UnhandledPromiseRejection: async boom/);
  assert.match(r.stdout, /UncaughtException: timer boom/);
  assert.match(r.stdout, /still alive: wasm/);
});
