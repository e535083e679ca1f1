// `npm run notebooks -- [--rerun] [notebook.ipynb | folder ...]`: executes notebooks headless with the
// tslab kernel (default: every notebooks/*.ipynb, sorted). Outputs are cleared first; executed copies go to
// build/notebooks/<name>.ipynb (signed only when the notebook passed) and .html; notebooks/ is never
// written. Every chart of a copy also gets an image/png (headless Chromium, one browser per run) so the
// copy shows its figures in viewers that run no JavaScript; --no-pictures skips that step. A notebook
// fails when a cell fails or a claim (gan.claim/claimTrue) prints ✘; the message names the notebook, the
// cell and the claim. Ends with "N passed, N failed"; exit 1 if any failed, 130 on Ctrl-C.
//   --rerun, TSGAN_RERUN=1 execute every code cell twice in a row (cells must be safe to re-run)
//   TSGAN_QUICK=1          quick mode; default: full mode (the tests run both)
//   TSGAN_CELL_TIMEOUT=s   per-cell timeout in seconds (default 600 quick, 1800 full; ×4 on TSGAN_BACKEND=cpu,
//                          the pure-JS backend is 10-300× slower than wasm)
//   TSGAN_BACKEND=...      passed to the kernel like every other variable
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  repoRoot,
  notebooksDir,
  buildNotebooksDir,
  jupyterEnv,
  readSetup,
  libBuildState,
  rel,
  onCpuBackend,
} from './jupyter-env.mjs';
import { readCommandLine, userPath } from './args.mjs';

const usage = 'usage: npm run notebooks -- [--rerun] [--no-pictures] [--out <folder>] [notebook.ipynb | folder ...]';
const flags = readCommandLine(
  process.argv.slice(2),
  { rerun: { type: 'boolean' }, 'no-pictures': { type: 'boolean' }, out: { type: 'string' } },
  {
    usage,
    help:
      `${usage}\n` +
      '  default: every notebooks/*.ipynb. --rerun (or TSGAN_RERUN=1): execute every code cell twice in a row.\n' +
      `  --out: folder for the executed copies (default ${rel(buildNotebooksDir)}).\n` +
      '  --no-pictures: do not add an image/png of every chart to the copies (scripts/figure-pictures.mjs).\n' +
      '  Env: TSGAN_QUICK=1 (quick mode), TSGAN_CELL_TIMEOUT=<seconds>, TSGAN_BACKEND=tensorflow|wasm|cpu.\n' +
      '  Executed copies: <out>/<name>.ipynb (signed when the notebook passed) and .html.',
    allowPositionals: true,
    describe: (e) => (e.kind === 'missing' ? `${e.arg} needs a folder` : e.message),
  },
);
// The lib's one parser of on/off variables (TSGAN_QUICK=off means off, an unknown word is an error).
const isSet = (name) => {
  try {
    return createRequire(import.meta.url)('../lib/dist/host/flags.js').envFlag(name, false);
  } catch (e) {
    console.error(
      e.code === 'MODULE_NOT_FOUND' ? 'lib/dist is missing: run `npm run build` (or `npm ci`) first.' : e.message,
    );
    process.exit(2);
  }
};
const rerun = isSet('TSGAN_RERUN') || Boolean(flags.values.rerun);
const pictures = !flags.values['no-pictures'];
const outDir = flags.values.out === undefined ? buildNotebooksDir : userPath(flags.values.out);
const argv = flags.positionals;

// --out is checked before anything runs: a file there, or a folder that cannot be made, used to fail
// only after every notebook had been executed
try {
  createRequire(import.meta.url)('../lib/dist/host/makeDirectory.js').makeDirectory(outDir);
  fs.accessSync(outDir, fs.constants.W_OK);
} catch (e) {
  console.error(
    `--out ${outDir}: ${e.code === 'EACCES' || e.code === 'EPERM' ? 'no permission to write there' : e.message.replace(/ Choose another path\.$/, '')}. Choose another folder (nothing was run).\n${usage}`,
  );
  process.exit(2);
}

const { setup, problem } = readSetup();
if (!setup) {
  console.error(problem);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const listIpynb = (dir) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(dir, f));
let files = [];
const missing = [];
for (const a of argv.length ? argv : [notebooksDir]) {
  const p = userPath(a);
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

// Same rule as the lib's isQuickMode() (lib/src/host/quickMode.ts).
const quick = isSet('TSGAN_QUICK');
const timeoutEnv = process.env.TSGAN_CELL_TIMEOUT;
const timeout = timeoutEnv ? Number(timeoutEnv) : (quick ? 600 : 1800) * (onCpuBackend() ? 4 : 1);
if (!Number.isFinite(timeout) || timeout <= 0) {
  console.error(`TSGAN_CELL_TIMEOUT=${timeoutEnv} is not a positive number of seconds.`);
  process.exit(1);
}
const build = libBuildState();
if (!build.ok) console.warn(`warning: ${build.message}`);
console.log(
  `Running ${files.length} notebook(s) in ${quick ? 'quick mode (TSGAN_QUICK=1)' : 'full mode (set TSGAN_QUICK=1 for quick)'}, ` +
    `cell timeout ${timeout} s${rerun ? ', every code cell twice (re-run test)' : ''}${process.env.TSGAN_BACKEND ? `, TSGAN_BACKEND=${process.env.TSGAN_BACKEND}` : ''}; ` +
    `executed copies in ${rel(outDir)}/`,
);

// The Python runner's stdout is passed through line by line, except its closing "N passed, N failed"
// line, which is printed last, after the pictures (a chart that cannot be drawn fails its notebook).
const runStarted = Date.now();
const child = spawn(
  setup.python,
  [
    path.join(repoRoot, 'scripts', 'run_notebooks.py'),
    '--out',
    outDir,
    '--timeout',
    String(Math.ceil(timeout)),
    '--repo',
    repoRoot,
    ...(rerun ? ['--rerun'] : []),
    ...files,
  ],
  { stdio: ['inherit', 'pipe', 'inherit'], env: { ...jupyterEnv(), PYTHONUNBUFFERED: '1' }, cwd: repoRoot },
);
const SUMMARY = /^(\d+) passed, (\d+) failed(.*)$/;
let summary = null;
let pending = '';
child.stdout.setEncoding('utf8'); // a ✔ or σ split between two chunks stays one character
child.stdout.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) {
    if (SUMMARY.test(line)) summary = line;
    else console.log(line);
  }
});
// Ctrl-C reaches the Python runner through the process group; it shuts its kernel down, prints the
// summary line and exits 130. SIGTERM is passed on so that it can do the same.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('close', async (code, signal) => {
  if (pending) {
    if (SUMMARY.test(pending)) summary = pending;
    else console.log(pending);
  }
  if (signal) {
    console.log(`0 passed, ${files.length} failed (runner ended by ${signal})`);
    process.exit(1);
  }
  let bad = 0;
  if (pictures && code !== 130) {
    // The runner has exited: Ctrl-C or SIGTERM now stop the picture step, and the run counts as interrupted.
    const stop = (name, exitCode) => () => {
      console.log(`${name}: chart pictures not finished.`);
      console.log(
        summary
          ? `${summary} (interrupted while drawing chart pictures)`
          : `0 passed, ${files.length} failed (interrupted)`,
      );
      process.exit(exitCode);
    };
    process.removeAllListeners('SIGINT').on('SIGINT', stop('Ctrl-C', 130));
    process.removeAllListeners('SIGTERM').on('SIGTERM', stop('SIGTERM', 143));
    try {
      // Pictures for the copies this run wrote for notebooks that passed (signed copies); each is signed again.
      const { addPicturesToFiles, isSigned } = await import('./figure-pictures.mjs');
      const passed = files
        .map((f) => path.join(outDir, path.basename(f)))
        .filter((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= runStarted && isSigned(f));
      bad = await addPicturesToFiles(passed);
    } catch (e) {
      console.error(
        `Chart pictures not added: ${String(e.message ?? e).split('\n')[0]} (the copies show their charts only where JavaScript runs; --no-pictures skips this step).`,
      );
    }
  }
  const m = summary && SUMMARY.exec(summary);
  if (m && bad)
    console.log(
      `${Number(m[1]) - bad} passed, ${Number(m[2]) + bad} failed${m[3]} (${bad} with a chart that could not be drawn as a picture, see above)`,
    );
  else if (summary) console.log(summary);
  process.exit(bad ? 1 : (code ?? 1));
});
child.on('error', (e) => {
  console.error(`Cannot start ${setup.python}: ${e.message}. Run \`npm run setup\` again.`);
  console.log(`0 passed, ${files.length} failed`);
  process.exit(1);
});
