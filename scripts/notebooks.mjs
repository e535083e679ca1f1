// `npm run notebooks -- [notebook.ipynb | folder ...]`: executes notebooks headless with the tslab
// kernel (default: every notebooks/*.ipynb, sorted). Executed copies go to build/notebooks/<name>.ipynb
// (signed) and .html; notebooks/ is never written. Ends with "N passed, N failed"; exit 1 if any failed.
//   TSGAN_QUICK=1          quick mode (what the tests use); default: full mode
//   TSGAN_CELL_TIMEOUT=s   per-cell timeout in seconds (default 600 quick, 1800 full; ×4 on TSGAN_BACKEND=cpu,
//                          the pure-JS backend is 10-300× slower than wasm)
//   TSGAN_BACKEND=...      passed to the kernel like every other variable
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, notebooksDir, buildNotebooksDir, jupyterEnv, readSetup, libBuildState, rel, onCpuBackend } from './jupyter-env.mjs';

const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  console.log('usage: npm run notebooks -- [notebook.ipynb | folder ...]\n' +
    '  default: every notebooks/*.ipynb. Env: TSGAN_QUICK=1 (quick mode), TSGAN_CELL_TIMEOUT=<seconds>, TSGAN_BACKEND=tensorflow|wasm|cpu.\n' +
    `  Executed copies: ${rel(buildNotebooksDir)}/<name>.ipynb (signed) and .html.`);
  process.exit(0);
}

const { setup, problem } = readSetup();
if (!setup) {
  console.error(problem);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// npm runs scripts from the package root; paths the user typed are relative to where they typed them.
const userCwd = process.env.INIT_CWD || process.cwd();
const listIpynb = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
let files = [];
const missing = [];
for (const a of argv.length ? argv : [notebooksDir]) {
  const p = path.resolve(userCwd, a);
  if (!fs.existsSync(p)) missing.push(a);
  else if (fs.statSync(p).isDirectory()) files.push(...listIpynb(p));
  else files.push(p);
}
if (missing.length) {
  console.error(`No such notebook or folder: ${missing.join(', ')}`);
  console.log(`0 passed, ${missing.length} failed`);
  process.exit(1);
}
if (!files.length) {
  console.error(`No notebooks found in ${argv.length ? argv.join(', ') : rel(notebooksDir)}.`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

// Same rule as the lib's isQuickMode() (lib/src/backend/mode.ts).
const quickValue = (process.env.TSGAN_QUICK ?? '').trim().toLowerCase();
const quick = quickValue !== '' && quickValue !== '0' && quickValue !== 'false';
const timeoutEnv = process.env.TSGAN_CELL_TIMEOUT;
const timeout = timeoutEnv ? Number(timeoutEnv) : (quick ? 600 : 1800) * (onCpuBackend() ? 4 : 1);
if (!Number.isFinite(timeout) || timeout <= 0) {
  console.error(`TSGAN_CELL_TIMEOUT=${timeoutEnv} is not a positive number of seconds.`);
  process.exit(1);
}
const build = libBuildState();
if (!build.ok) console.warn(`warning: ${build.message}`);
console.log(`Running ${files.length} notebook(s) in ${quick ? 'quick mode (TSGAN_QUICK=1)' : 'full mode (set TSGAN_QUICK=1 for quick)'}, ` +
  `cell timeout ${timeout} s${process.env.TSGAN_BACKEND ? `, TSGAN_BACKEND=${process.env.TSGAN_BACKEND}` : ''}; ` +
  `executed copies in ${rel(buildNotebooksDir)}/`);

const child = spawn(setup.python,
  [path.join(repoRoot, 'scripts', 'run_notebooks.py'), '--out', buildNotebooksDir, '--timeout', String(Math.ceil(timeout)), '--repo', repoRoot, ...files],
  { stdio: 'inherit', env: jupyterEnv(), cwd: repoRoot });
// Ctrl-C reaches the Python runner through the process group; it then shuts its kernel down.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => {
  if (signal) {
    console.log(`0 passed, ${files.length} failed`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
child.on('error', (e) => {
  console.error(`Cannot start ${setup.python}: ${e.message}. Run \`npm run setup\` again.`);
  console.log(`0 passed, ${files.length} failed`);
  process.exit(1);
});
