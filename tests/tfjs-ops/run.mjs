/**
 * `npm run test:tfjs-ops`: TensorFlow.js's own op tests (the jasmine specs @tensorflow/tfjs-core ships in
 * dist/ops/*_test.js) for every wasm kernel tsgan replaces (kernelTests.mjs), run on wasm as shipped and on
 * wasm with tsgan's kernels, each in its own process. A user who imports tsgan gets its kernels for all their
 * tfjs code, so they must accept whatever the shipped kernels accept: the run fails when a spec that passes
 * as shipped does not pass with tsgan's kernels. Specs failing in both are wasm's own limits (NCHW, complex64,
 * strings, ...) and are only counted.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const CONFIGS = [
  { config: 'shipped', title: 'wasm as shipped', kernels: '0' },
  { config: 'tsgan', title: "wasm with tsgan's kernels", kernels: '1' },
];

/** Runs one configuration; resolves to its message, or to { error } when the child died without one. */
function runConfig({ config, kernels }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = fork(CHILD, [config], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, TSGAN_WASM_KERNELS: kernels },
      // The specs' own console noise (wasm's "Aborted()" on expected errors, ...) is shown only if the child fails.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let result = null;
    child.on('message', (m) => (result = m));
    child.on('exit', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      if (result && result.problems.length === 0) resolve({ ...result, seconds });
      else
        resolve({
          ...result,
          config,
          seconds,
          output,
          error: result ? undefined : `exited with ${signal ?? `code ${code}`} before reporting`,
        });
    });
  });
}

const failed = (s) => s.status === 'failed';
const passed = (s) => s.status === 'passed';

const results = [];
for (const c of CONFIGS) results.push(await runConfig(c));
const [shipped, tsgan] = results;

let bad = false;
for (const [i, r] of results.entries()) {
  if (r.output) console.error(`--- output of the ${CONFIGS[i].title} run ---\n${r.output.trimEnd()}\n---`);
  if (r.error) {
    console.error(`✗ ${CONFIGS[i].title}: ${r.error}`);
    bad = true;
  }
  for (const p of r.problems ?? []) {
    console.error(`✗ ${CONFIGS[i].title}: ${p}`);
    bad = true;
  }
}
if (bad) process.exit(1);

const byName = (r) => new Map(r.specs.map((s) => [s.name, s]));
const [a, b] = [byName(shipped), byName(tsgan)];
const fixed = shipped.specs.filter((s) => failed(s) && passed(b.get(s.name) ?? {}));
const broken = shipped.specs.filter((s) => passed(s) && !passed(b.get(s.name) ?? {}));
const onlyTsgan = tsgan.specs.filter((s) => !a.has(s.name));

for (const [i, r] of results.entries()) {
  const n = (f) => r.specs.filter(f).length;
  console.log(
    `${CONFIGS[i].title}: ${r.specs.length} specs, ${n(passed)} passed, ${n(failed)} failed, ` +
      `${r.specs.length - n(passed) - n(failed)} not run (${r.seconds.toFixed(1)} s)`,
  );
}
console.log(`tsgan's kernels: ${tsgan.installed.join(', ')}`);
console.log(`specs that fail as shipped and pass with tsgan's kernels: ${fixed.length}`);
for (const s of fixed) console.log(`  + ${s.name}`);
for (const s of onlyTsgan) console.log(`  (only in the tsgan run: ${s.name}: ${s.status})`);
if (broken.length > 0) {
  console.error(`✗ ${broken.length} spec(s) pass as shipped and fail with tsgan's kernels:`);
  for (const s of broken) {
    const t = b.get(s.name);
    console.error(`  - ${s.name}\n      ${t ? `${t.status}: ${t.message}` : 'did not run'}`);
  }
  process.exit(1);
}
if (shipped.specs.filter(passed).length === 0) {
  console.error('✗ no spec passed as shipped: the run tested nothing');
  process.exit(1);
}
console.log("✓ no spec that passes on wasm as shipped fails with tsgan's kernels");
