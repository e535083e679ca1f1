// `npm run setup`: makes this checkout ready for `npm start` and `npm run notebooks`.
//  1. checks Node >= 20 and that `npm install` ran;
//  2. finds a Python with Jupyter Notebook + nbclient + nbconvert (one already installed; else
//     Debian's packages through apt-get when root; else a project-local .venv through pip);
//  3. registers the tslab kernel inside the project (.jupyter/, nothing global);
//  4. builds the lib when lib/src is newer than lib/dist;
//  5. starts the kernel once and imports 'tsgan' to prove the whole chain works.
//  6. with --user-kernel, registers the same kernel for this user's other Jupyter front-ends.
// Running it again only re-checks (a few seconds). TSGAN_PYTHON=/path/to/python forces a Python.
// --tests also makes sure Chromium is there for the HTML checks; --no-check skips step 5; --no-apt never calls apt-get.
// --user-kernel also registers the kernel for every Jupyter front-end of this user (VS Code, JupyterLab):
// see user-kernel.mjs; --remove-user-kernel only removes that registration.
import fs from 'node:fs';
import path from 'node:path';
import {
  repoRoot,
  jupyterDir,
  kernelDir,
  setupFile,
  tslabBin,
  kernelArgv,
  jupyterEnv,
  libBuildState,
  makePrivateDirs,
  rel,
  run,
} from './jupyter-env.mjs';
import { FlagError, parseFlags } from './args.mjs';
import { installUserKernel, removeUserKernel, USER_KERNEL_NAME, USER_KERNEL_DISPLAY_NAME } from './user-kernel.mjs';

const APT_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient'];
const PIP_PACKAGES = ['notebook', 'nbclient', 'nbconvert'];
const FLAGS = ['tests', 'no-check', 'no-apt', 'user-kernel', 'remove-user-kernel'];
const done = []; // what this run changed, printed at the end

function say(msg) {
  console.log(`[setup] ${msg}`);
}
function fail(msg) {
  console.error(`\n[setup] FAILED: ${msg}`);
  process.exit(1);
}

let flags;
try {
  flags = parseFlags(process.argv.slice(2), Object.fromEntries(FLAGS.map((f) => [f, { type: 'boolean' }]))).values;
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  fail(`unknown option ${e.arg}; setup takes ${FLAGS.map((f) => `--${f}`).join(', ')}.`);
}
if (flags['user-kernel'] && flags['remove-user-kernel']) {
  fail('--user-kernel and --remove-user-kernel contradict each other: give one.');
}

// 1. Node and node_modules ---------------------------------------------------------------------
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 20) {
  fail(`Node ${process.versions.node} is too old: tsgan needs Node >= 20 (https://nodejs.org, or nvm install 20).`);
}
say(`node ${process.versions.node} (${process.execPath})`);
if (!fs.existsSync(tslabBin) || !fs.existsSync(path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs'))) {
  fail(
    'node_modules is incomplete (tslab or @tensorflow/tfjs missing): run `npm install` (or `npm ci`) first, then `npm run setup`.',
  );
}

// 2. A Python with Jupyter ---------------------------------------------------------------------
const PROBE = [
  'import json, sys',
  'import notebook, nbclient, nbformat, nbconvert, jupyter_client',
  'print(json.dumps({"python": sys.executable, "pythonVersion": sys.version.split()[0],',
  '  "notebook": notebook.__version__, "nbclient": nbclient.__version__, "nbformat": nbformat.__version__,',
  '  "nbconvert": nbconvert.__version__, "jupyter_client": jupyter_client.__version__}))',
].join('\n');

function probe(python) {
  const r = run(python, ['-c', PROBE], { timeout: 60_000 });
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n').pop() || `exit ${r.status}`;
    return { ok: false, why };
  }
  try {
    return { ok: true, info: JSON.parse(r.stdout.trim().split('\n').pop()) };
  } catch {
    return { ok: false, why: `unexpected output: ${r.stdout.slice(0, 200)}` };
  }
}

function which(name) {
  const r = run('sh', ['-c', `command -v ${name}`]);
  return r.status === 0 ? r.stdout.trim() : null;
}

function candidates() {
  const list = [];
  if (process.env.TSGAN_PYTHON) return [process.env.TSGAN_PYTHON];
  try {
    const prev = JSON.parse(fs.readFileSync(setupFile, 'utf8'));
    if (prev.python) list.push(prev.python);
  } catch {
    /* first run */
  }
  // /usr/bin/python3 before PATH: on Debian that is where apt's Jupyter lives, while `python3`
  // on PATH is often a pyenv/conda interpreter without it.
  list.push(path.join(repoRoot, '.venv', 'bin', 'python'), '/usr/bin/python3');
  for (const name of ['python3', 'python', 'jupyter-python']) {
    const p = which(name);
    if (p) list.push(p);
  }
  list.push('/usr/local/bin/python3', '/opt/conda/bin/python');
  return [...new Set(list)].filter((p) => fs.existsSync(p));
}

function findJupyter(verbose) {
  for (const py of candidates()) {
    const r = probe(py);
    if (r.ok) return r.info;
    if (verbose) say(`  ${py}: not usable (${r.why})`);
  }
  return null;
}

say('looking for a Python with Jupyter Notebook, nbclient and nbconvert...');
let jupyter = findJupyter(true);
let how = 'found';

// --remove-user-kernel needs only a Jupyter to ask where the user's data dir is; nothing else changes.
if (flags['remove-user-kernel']) {
  if (!jupyter) fail('no Python with Jupyter found to ask where its per-user kernels live; nothing was removed.');
  try {
    const { dir, removed, kept } = removeUserKernel(jupyter.python);
    say(
      removed
        ? `removed the user kernel "${USER_KERNEL_DISPLAY_NAME}" (${dir}${kept.length ? `/kernel.json; your files there were kept: ${kept.join(', ')}` : ''}); other kernels untouched.`
        : `no user kernel to remove (${dir} does not exist); nothing changed.`,
    );
  } catch (e) {
    fail(e.message);
  }
  process.exit(0);
}

if (!jupyter && process.env.TSGAN_PYTHON) {
  fail(
    `TSGAN_PYTHON=${process.env.TSGAN_PYTHON} has no usable Jupyter. Install into it: ` +
      `\`${process.env.TSGAN_PYTHON} -m pip install ${PIP_PACKAGES.join(' ')}\`, or unset TSGAN_PYTHON.`,
  );
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const aptGet = which('apt-get');
if (!jupyter && isRoot && aptGet && !flags['no-apt']) {
  const cmd = `apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`;
  say(`no Jupyter found; running as root with apt-get, so installing Debian's packages: ${cmd}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = run('apt-get', ['update'], { stdio: 'inherit', env });
  if (r.status === 0) r = run('apt-get', ['install', '-y', ...APT_PACKAGES], { stdio: 'inherit', env });
  if (r.status === 0) {
    jupyter = findJupyter(true);
    if (jupyter) {
      how = 'apt';
      done.push(`installed Debian packages: ${APT_PACKAGES.join(' ')}`);
    }
  } else {
    say(`apt-get failed (exit ${r.status}); trying a project-local Python venv instead`);
  }
}

if (!jupyter) {
  const venv = path.join(repoRoot, '.venv');
  const venvPython = path.join(venv, 'bin', 'python');
  const base = ['/usr/bin/python3', which('python3')]
    .filter(Boolean)
    .find((p) => run(p, ['-c', 'import venv, ensurepip']).status === 0);
  const manual =
    'Install Jupyter yourself, then run `npm run setup` again. Either\n' +
    `  Debian/Ubuntu: sudo apt-get install -y ${APT_PACKAGES.join(' ')}\n` +
    `  any system:    python3 -m venv .venv && .venv/bin/python -m pip install ${PIP_PACKAGES.join(' ')}\n` +
    '  or point TSGAN_PYTHON at a Python that has them (TSGAN_PYTHON=/path/to/python npm run setup).';
  if (!base) fail(`no Jupyter found and no Python with the venv module to create one.\n${manual}`);
  if (!fs.existsSync(venvPython)) {
    say(`no Jupyter found; creating a project-local venv: ${base} -m venv .venv`);
    const r = run(base, ['-m', 'venv', venv], { stdio: 'inherit' });
    if (r.status !== 0) fail(`\`${base} -m venv .venv\` failed.\n${manual}`);
    done.push('created .venv');
  }
  say(`installing into .venv: .venv/bin/python -m pip install ${PIP_PACKAGES.join(' ')}`);
  const r = run(venvPython, ['-m', 'pip', 'install', ...PIP_PACKAGES], { stdio: 'inherit' });
  if (r.status !== 0) fail(`pip install into .venv failed (no internet?).\n${manual}`);
  const p = probe(venvPython);
  if (!p.ok) fail(`.venv still has no usable Jupyter (${p.why}).\n${manual}`);
  jupyter = p.info;
  how = 'venv';
  done.push(`pip-installed ${PIP_PACKAGES.join(' ')} into .venv`);
}
say(
  `using ${jupyter.python} (Python ${jupyter.pythonVersion}, notebook ${jupyter.notebook}, nbclient ${jupyter.nbclient}, ` +
    `nbconvert ${jupyter.nbconvert}, nbformat ${jupyter.nbformat})`,
);

// 2b. With --tests: the HTML checks drive a system Chromium (never a downloaded browser build).
if (flags.tests) {
  const chromium = ['/usr/bin/chromium', which('chromium'), which('chromium-browser')].find(
    (p) => p && fs.existsSync(p),
  );
  if (chromium) {
    say(`chromium for the HTML checks: ${chromium}`);
  } else if (isRoot && aptGet && !flags['no-apt']) {
    say("no Chromium found; running as root with apt-get, so installing Debian's package: apt-get install -y chromium");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    if (r.status !== 0) {
      r = run('apt-get', ['update'], { stdio: 'inherit', env });
      if (r.status === 0)
        r = run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    }
    if (r.status !== 0)
      fail('apt-get could not install chromium, which the HTML checks of `npm test` need. Install it and re-run.');
    done.push('installed Debian package: chromium');
  } else {
    fail(
      'the HTML checks of `npm test` need Chromium at /usr/bin/chromium: `sudo apt-get install -y chromium` (Debian/Ubuntu), then re-run.',
    );
  }
}

// 3. The tslab kernel, registered inside the project -------------------------------------------
let tightened;
try {
  tightened = makePrivateDirs();
} catch (e) {
  fail(e.message);
}
if (tightened.length) {
  say(`made ${tightened.map(rel).join(', ')} private (0700): the server's token and the signing key live there`);
  done.push('made the Jupyter folders private');
}
// Same content as `tslab install --prefix .jupyter`, but with absolute paths to node and tslab.
const kernelSpec = {
  argv: kernelArgv,
  display_name: 'TypeScript',
  language: 'typescript',
  metadata: { tsgan: 'written by npm run setup; rerun it if node or the checkout moves' },
};
const kernelJson = path.join(kernelDir, 'kernel.json');
const kernelText = JSON.stringify(kernelSpec, null, 2) + '\n';
if (!fs.existsSync(kernelJson) || fs.readFileSync(kernelJson, 'utf8') !== kernelText) {
  fs.mkdirSync(kernelDir, { recursive: true });
  fs.writeFileSync(kernelJson, kernelText);
  done.push(`registered the tslab kernel in ${rel(kernelDir)}`);
}
const ks = run(
  jupyter.python,
  [
    '-c',
    'from jupyter_client.kernelspec import KernelSpecManager; print(KernelSpecManager().find_kernel_specs().get("tslab", ""))',
  ],
  { env: jupyterEnv() },
);
const ksDir = ks.stdout.trim();
if (!ksDir) fail(`Jupyter does not see the tslab kernel spec in ${kernelDir}:\n${ks.stderr}`);
if (path.resolve(ksDir) !== path.resolve(kernelDir)) {
  fail(`Jupyter resolves the kernel "tslab" to ${ksDir}, not ${kernelDir}. Check JUPYTER_PATH.`);
}
say(`tslab kernel spec: ${rel(kernelJson)} (TypeScript; node ${process.execPath})`);

const record = {
  python: jupyter.python,
  how,
  versions: {
    python: jupyter.pythonVersion,
    notebook: jupyter.notebook,
    nbclient: jupyter.nbclient,
    nbformat: jupyter.nbformat,
    nbconvert: jupyter.nbconvert,
    jupyter_client: jupyter.jupyter_client,
  },
  node: process.execPath,
  tslab: tslabBin,
};
const recordText = JSON.stringify(record, null, 2) + '\n';
if (!fs.existsSync(setupFile) || fs.readFileSync(setupFile, 'utf8') !== recordText) {
  fs.writeFileSync(setupFile, recordText);
  done.push(`recorded the chosen Python in ${rel(setupFile)}`);
}

// 4. The lib ----------------------------------------------------------------------------------
const build = libBuildState();
if (build.ok) {
  say(build.message);
} else {
  say('building the lib: npm run build');
  const r = run(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(repoRoot, 'lib')],
    { stdio: 'inherit', cwd: repoRoot },
  );
  if (r.status !== 0) fail('`npm run build` failed (TypeScript errors above).');
  done.push('built lib/dist');
}

// 5. Prove the chain: Jupyter starts the kernel, tslab compiles a cell, the cell imports 'tsgan'.
if (!flags['no-check']) {
  say('checking the kernel: starting tslab and importing tsgan...');
  const r = run(jupyter.python, [path.join(repoRoot, 'scripts', 'run_notebooks.py'), '--check'], {
    env: jupyterEnv(),
    cwd: repoRoot,
    timeout: 180_000,
  });
  if (r.status !== 0) {
    fail(
      `the tslab kernel did not run a cell:\n${r.stdout}${r.stderr}\n` +
        'Kernel spec and Python are recorded; fix the problem above and run `npm run setup` again.',
    );
  }
  say(r.stdout.trim().split('\n').pop());
}

// 6. With --user-kernel: the same kernel, for Jupyter front-ends outside the project.
if (flags['user-kernel']) {
  try {
    const { dir, changed, replaced } = installUserKernel(jupyter.python);
    if (replaced)
      say(`the user kernel "${USER_KERNEL_NAME}" pointed to the checkout in ${replaced}; it now points here.`);
    if (changed) done.push(`registered the user kernel "${USER_KERNEL_DISPLAY_NAME}" in ${dir}`);
    say(
      `user kernel "${USER_KERNEL_DISPLAY_NAME}" (${USER_KERNEL_NAME}): ${dir}; VS Code, JupyterLab and any Jupyter ` +
        'of this user list it. Undo with `npm run setup -- --remove-user-kernel`.',
    );
  } catch (e) {
    fail(e.message);
  }
}

console.log('');
say(done.length ? `done. This run: ${done.join('; ')}.` : 'done. Nothing to change: everything was already set up.');
say(`Jupyter lives in ${rel(jupyterDir)}/ (kernel spec, config, signing secret); Python: ${jupyter.python} (${how}).`);
say('Next: `npm start` opens the notebooks; `npm run notebooks` runs them headless; `npm test` runs all tests.');
