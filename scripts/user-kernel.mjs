// The opt-in per-user kernel (`npm run setup -- --user-kernel`, `--remove-user-kernel`).
// VS Code, JupyterLab and any Jupyter started outside `npm start` do not see the project-local
// kernel in .jupyter/; all of them look in the per-user data dir (`jupyter --data-dir`, e.g.
// ~/.local/share/jupyter/kernels/). This registers one kernel there, named for this project, that
// starts this checkout's node and tslab with the environment `npm start` gives its kernels.
// It writes and removes only its own kernel.json in kernels/tsgan-typescript (and that folder when it is empty).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, kernelArgv, projectJupyterVars, pathPrefix, outsideEnv, run } from './jupyter-env.mjs';

export const USER_KERNEL_NAME = 'tsgan-typescript';
export const USER_KERNEL_DISPLAY_NAME = 'TypeScript (tsgan)';

/** The kernel spec; `${PATH}` is expanded by the front-end at launch (jupyter_client >= 7, VS Code),
 * so the student's own PATH follows the project's folders instead of being frozen at setup time. */
export function userKernelSpec() {
  return {
    argv: kernelArgv,
    display_name: USER_KERNEL_DISPLAY_NAME,
    language: 'typescript',
    env: { ...projectJupyterVars, PATH: [...pathPrefix, '${PATH}'].join(path.delimiter) },
    metadata: {
      tsgan: {
        checkout: repoRoot,
        note:
          'written by `npm run setup -- --user-kernel`; rerun it if node or the checkout moves, ' +
          'remove with `npm run setup -- --remove-user-kernel`',
      },
    },
  };
}

const ASK = [
  'import json',
  'from jupyter_core.paths import jupyter_data_dir',
  'from jupyter_client.kernelspec import KernelSpecManager',
  'print(json.dumps({"dataDir": jupyter_data_dir(), "kernels": KernelSpecManager().find_kernel_specs()}))',
].join('\n');

/** What a Jupyter started outside the project sees: its user data dir and every kernel name -> folder. */
export function userJupyter(python) {
  const r = run(python, ['-c', ASK], { env: outsideEnv(), timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${python} could not tell its Jupyter data dir:\n${r.stderr.trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function userKernelDir(python) {
  return path.join(userJupyter(python).dataDir, 'kernels', USER_KERNEL_NAME);
}

/** The checkout an existing spec was written for, or null when tsgan did not write it. */
function ownerOf(kernelJson) {
  try {
    const checkout = JSON.parse(fs.readFileSync(kernelJson, 'utf8'))?.metadata?.tsgan?.checkout;
    return typeof checkout === 'string' ? checkout : null;
  } catch {
    return null;
  }
}

/** Writes the spec when it differs; returns { dir, changed, replaced } (replaced: the checkout it pointed to before). */
export function installUserKernel(python) {
  const dir = userKernelDir(python);
  const file = path.join(dir, 'kernel.json');
  const text = JSON.stringify(userKernelSpec(), null, 2) + '\n';
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return { dir, changed: false, replaced: null };
  if (fs.existsSync(dir) && !ownerOf(file)) {
    throw new Error(
      `${dir} already holds a kernel that tsgan did not write: left alone. ` +
        `Remove or rename it yourself, then run \`npm run setup -- --user-kernel\` again.`,
    );
  }
  const previous = ownerOf(file);
  fs.mkdirSync(dir, { recursive: true });
  // Written beside and renamed over, so a crash never leaves a half-written spec.
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  const found = userJupyter(python).kernels[USER_KERNEL_NAME];
  if (!found || path.resolve(found) !== path.resolve(dir)) {
    throw new Error(
      `wrote ${file}, but a Jupyter outside the project resolves "${USER_KERNEL_NAME}" to ` +
        `${found || 'nothing'}. Check JUPYTER_PATH / JUPYTER_DATA_DIR in your shell.`,
    );
  }
  return { dir, changed: true, replaced: previous && previous !== repoRoot ? previous : null };
}

/** Removes only tsgan's own kernel; returns { dir, removed, kept } (see removeUserKernelAt). */
export function removeUserKernel(python) {
  return removeUserKernelAt(userKernelDir(python));
}

/**
 * Removes the kernel.json that setup wrote in `dir` for this checkout, and the folder only if nothing else
 * is left in it: files the user put there (a logo, notes) stay, and are listed in `kept`. A kernel that
 * names another checkout is left alone, also when that checkout is gone: it is not this checkout's to
 * remove (its message says how to remove it by hand, or to point it here).
 */
export function removeUserKernelAt(dir) {
  if (!fs.existsSync(dir)) return { dir, removed: false, kept: [] };
  const file = path.join(dir, 'kernel.json');
  const owner = ownerOf(file);
  if (!owner) {
    throw new Error(
      `${dir} holds a kernel that tsgan did not write: left alone. Delete it yourself if you want it gone.`,
    );
  }
  if (owner !== repoRoot) {
    throw new Error(
      `the kernel in ${dir} belongs to the checkout in ${owner}${fs.existsSync(owner) ? '' : ' (which no longer exists)'}: left alone. ` +
        (fs.existsSync(owner)
          ? 'Run `npm run setup -- --remove-user-kernel` there'
          : `Delete ${file} yourself if you want it gone`) +
        ' (or `npm run setup -- --user-kernel` here to point it at this checkout).',
    );
  }
  fs.rmSync(file);
  const kept = fs.readdirSync(dir);
  if (kept.length === 0) fs.rmdirSync(dir);
  return { dir, removed: true, kept };
}
