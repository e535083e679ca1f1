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

/** The Jupyter variables every process of this project runs with (`npm start`, the runner, the kernels). */
export const projectJupyterVars = {
  JUPYTER_PATH: dataDir,
  JUPYTER_DATA_DIR: dataDir,
  JUPYTER_CONFIG_DIR: configDir,
  JUPYTER_RUNTIME_DIR: runtimeDir,
};
/** Put in front of PATH: the kernel specs use absolute paths, but code in cells may spawn `node` or npm bins. */
export const pathPrefix = [path.dirname(process.execPath), path.join(repoRoot, 'node_modules', '.bin')];

/** The environment every Jupyter process of this project runs with (the kernel inherits it). */
export function jupyterEnv(base = process.env) {
  const env = { ...base, ...projectJupyterVars };
  env.PATH = [...pathPrefix, env.PATH ?? ''].join(path.delimiter);
  return env;
}

/** The environment of a Jupyter started outside the project: `base` without the project's Jupyter variables. */
export function outsideEnv(base = process.env) {
  const env = { ...base };
  for (const name of Object.keys(projectJupyterVars)) {
    if (env[name] !== undefined && env[name].split(path.delimiter).some((p) => isInside(p, jupyterDir)))
      delete env[name];
  }
  return env;
}

function isInside(p, dir) {
  const r = path.relative(dir, path.resolve(p));
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/** How every kernel of this project starts: absolute paths to node and tslab, so it starts even when
 * the front-end's PATH has neither (a desktop launcher, VS Code). */
export const kernelArgv = [process.execPath, tslabBin, 'kernel', '--config-path', '{connection_file}'];

/**
 * The folders holding secrets: runtime/ gets the server's token (nbserver-*.json, written 0644 by
 * Notebook 6), its cookie secret and the kernels' connection keys; the data dir the notebook-signing
 * key. Owner-only (0700), created so and tightened when an older setup made them 0755, so another
 * local user cannot read the token and run code as this user. Returns the folders it changed.
 */
export function makePrivateDirs() {
  const changed = [];
  for (const dir of [jupyterDir, dataDir, configDir, runtimeDir]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if ((fs.statSync(dir).mode & 0o777) !== 0o700) {
      try {
        fs.chmodSync(dir, 0o700);
      } catch (e) {
        throw new Error(
          `cannot make ${rel(dir)} private (chmod 700): ${e.message}. Its owner can run \`chmod 700 ${dir}\`.`,
          { cause: e },
        );
      }
      changed.push(dir);
    }
  }
  return changed;
}

/** What `npm run setup` recorded, or null with a message for the user. */
export function readSetup() {
  let setup;
  try {
    setup = JSON.parse(fs.readFileSync(setupFile, 'utf8'));
  } catch {
    return {
      setup: null,
      problem: `Jupyter is not set up for this project (no ${rel(setupFile)}): run \`npm run setup\` first.`,
    };
  }
  if (!fs.existsSync(setup.python)) {
    return {
      setup: null,
      problem: `The Python recorded by setup (${setup.python}) is gone: run \`npm run setup\` again.`,
    };
  }
  if (!fs.existsSync(path.join(kernelDir, 'kernel.json'))) {
    return {
      setup: null,
      problem: `The tslab kernel spec is missing (${rel(kernelDir)}): run \`npm run setup\` again.`,
    };
  }
  return { setup, problem: null };
}

/** Warns when lib/src changed after the last build: notebooks import the compiled lib (lib/dist). */
export function libBuildState() {
  const dist = path.join(repoRoot, 'lib', 'dist', 'index.js');
  if (!fs.existsSync(dist))
    return { ok: false, message: 'lib/dist is missing: run `npm run build` (notebooks import the compiled lib).' };
  const built = fs.statSync(dist).mtimeMs;
  const newer = newestMtime(path.join(repoRoot, 'lib', 'src'));
  const tsconfig = fs.statSync(path.join(repoRoot, 'lib', 'tsconfig.json')).mtimeMs;
  if (Math.max(newer, tsconfig) > built) {
    return {
      ok: false,
      message: 'lib/src changed after the last build: run `npm run build` (notebooks import lib/dist).',
    };
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
  return {
    status: r.error ? -1 : r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? String(r.error.message) : ''),
  };
}

/** TSGAN_BACKEND=cpu: the pure-JS backend is 10-300× slower than wasm, so timeouts grow with it. */
export function onCpuBackend(env = process.env) {
  return (env.TSGAN_BACKEND ?? '').trim().toLowerCase() === 'cpu';
}
