// Shared by setup, start and the notebook runner: where the project-local Jupyter lives and how
// to reach it. Everything Jupyter writes (kernel spec, config, runtime files, the notebook-signing
// secret and database) stays in <repo>/.jupyter, so nothing global is touched.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const jupyterDir = path.join(repoRoot, '.jupyter');
export const dataDir = path.join(jupyterDir, 'share', 'jupyter');
export const kernelDir = path.join(dataDir, 'kernels', 'tslab');
export const configDir = path.join(jupyterDir, 'config');
export const runtimeDir = path.join(jupyterDir, 'runtime');
export const setupFile = path.join(jupyterDir, 'tsgan.json');
export const notebooksDir = path.join(repoRoot, 'notebooks');
export const buildNotebooksDir = path.join(repoRoot, 'build', 'notebooks');
export const tslabBin = path.join(repoRoot, 'node_modules', 'tslab', 'bin', 'tslab');

/** The environment every Jupyter process of this project runs with (the kernel inherits it). */
export function jupyterEnv(base = process.env) {
  const env = { ...base };
  env.JUPYTER_PATH = dataDir;
  env.JUPYTER_DATA_DIR = dataDir;
  env.JUPYTER_CONFIG_DIR = configDir;
  env.JUPYTER_RUNTIME_DIR = runtimeDir;
  // The tslab kernel spec uses absolute paths, but code in cells may spawn `node` or npm bins.
  const bins = [path.dirname(process.execPath), path.join(repoRoot, 'node_modules', '.bin')];
  env.PATH = [...bins, env.PATH ?? ''].join(path.delimiter);
  return env;
}

/** What `npm run setup` recorded, or null with a message for the user. */
export function readSetup() {
  let setup;
  try {
    setup = JSON.parse(fs.readFileSync(setupFile, 'utf8'));
  } catch {
    return { setup: null, problem: `Jupyter is not set up for this project (no ${rel(setupFile)}): run \`npm run setup\` first.` };
  }
  if (!fs.existsSync(setup.python)) {
    return { setup: null, problem: `The Python recorded by setup (${setup.python}) is gone: run \`npm run setup\` again.` };
  }
  if (!fs.existsSync(path.join(kernelDir, 'kernel.json'))) {
    return { setup: null, problem: `The tslab kernel spec is missing (${rel(kernelDir)}): run \`npm run setup\` again.` };
  }
  return { setup, problem: null };
}

/** Warns when lib/src changed after the last build: notebooks import the compiled lib (lib/dist). */
export function libBuildState() {
  const dist = path.join(repoRoot, 'lib', 'dist', 'index.js');
  if (!fs.existsSync(dist)) return { ok: false, message: 'lib/dist is missing: run `npm run build` (notebooks import the compiled lib).' };
  const built = fs.statSync(dist).mtimeMs;
  const newer = newestMtime(path.join(repoRoot, 'lib', 'src'));
  const tsconfig = fs.statSync(path.join(repoRoot, 'lib', 'tsconfig.json')).mtimeMs;
  if (Math.max(newer, tsconfig) > built) {
    return { ok: false, message: 'lib/src changed after the last build: run `npm run build` (notebooks import lib/dist).' };
  }
  return { ok: true, message: 'lib/dist is up to date' };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function rel(p) {
  const r = path.relative(repoRoot, p);
  return r.startsWith('..') ? p : r || '.';
}

/** Runs a command, returns { status, stdout, stderr } (never throws on a missing binary). */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { status: r.error ? -1 : r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error.message) : '') };
}

/** TSGAN_BACKEND=cpu: the pure-JS backend is 10-300× slower than wasm, so timeouts grow with it. */
export function onCpuBackend(env = process.env) {
  return (env.TSGAN_BACKEND ?? '').trim().toLowerCase() === 'cpu';
}
