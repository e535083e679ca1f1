// `npm run setup -- --user-kernel` (issue 19): the kernel becomes visible to Jupyter front-ends started
// outside the project (VS Code, JupyterLab, a plain `jupyter`), runs a notebook that imports tsgan from a
// folder deep in the checkout, and `--remove-user-kernel` takes it away again, touching nothing else.
// HOME points at a temporary folder, so the real user's Jupyter data dir is never written.
// Needs `npm run setup` and a built lib (npm test builds first; its pretest runs setup).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, readSetup } from '../scripts/jupyter-env.mjs';

const NAME = 'tsgan-typescript';
const DISPLAY = 'TypeScript (tsgan)';
const { setup, problem } = readSetup();
const projectBin = path.join(repoRoot, 'node_modules', '.bin');
const temps = [];
after(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

/** A shell outside the project: no JUPYTER_* variables, none of the project's folders on PATH, HOME = home. */
function outside(home) {
  const env = { ...process.env, HOME: home };
  for (const k of Object.keys(env)) if (k.startsWith('JUPYTER_') || k === 'XDG_DATA_HOME') delete env[k];
  env.PATH = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((p) => p && !p.startsWith(repoRoot))
    .join(path.delimiter);
  return env;
}

function freshHome() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-user-kernel-'));
  temps.push(home);
  return home;
}

function run(cmd, args, env, cwd) {
  const r = spawnSync(cmd, args, { env, cwd, encoding: 'utf8', timeout: 300_000 });
  return {
    status: r.status,
    out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`,
    stdout: r.stdout ?? '',
  };
}

const runSetup = (home, flag) =>
  run(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'setup.mjs'), flag, '--no-check', '--no-apt'],
    outside(home),
    home,
  );

/** `jupyter kernelspec list --json` as a shell outside the project sees it (Debian ships the
 * `jupyter kernelspec` command in the jupyter-client package; the module is the same app). */
function kernelspecs(home) {
  const r = run(setup.python, ['-m', 'jupyter_client.kernelspecapp', 'list', '--json'], outside(home), home);
  assert.equal(r.status, 0, r.out);
  return JSON.parse(r.stdout).kernelspecs;
}

/** Every file and folder under dir: relative path -> content hash ('dir' for folders). */
function snapshot(dir) {
  const snap = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const key = path.relative(dir, p);
      if (e.isDirectory()) {
        snap[key] = 'dir';
        walk(p);
      } else {
        snap[key] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return snap;
}

test('setup is done', () => assert.ok(setup, problem));

test(
  '--user-kernel: listed outside the project, runs a notebook importing tsgan, removed without touching anything else',
  { skip: !setup, timeout: 600_000 },
  () => {
    const home = freshHome();
    const data = path.join(home, '.local', 'share', 'jupyter'); // what `jupyter --data-dir` gives for this HOME
    const otherKernel = path.join(data, 'kernels', 'someone-elses');
    fs.mkdirSync(otherKernel, { recursive: true });
    fs.writeFileSync(
      path.join(otherKernel, 'kernel.json'),
      JSON.stringify({ argv: ['x', '{connection_file}'], display_name: 'Other', language: 'x' }),
    );
    fs.writeFileSync(path.join(data, 'unrelated.txt'), 'left alone\n');
    const realHomeKernels = snapshot(path.join(os.homedir(), '.local', 'share', 'jupyter', 'kernels'));

    // Before: the kernel is not there, and the project's own kernel is invisible outside the project.
    const before = kernelspecs(home);
    assert.ok(!(NAME in before) && !('tslab' in before), `unexpected kernels before: ${Object.keys(before)}`);
    const snap0 = snapshot(data);

    let r = runSetup(home, '--user-kernel');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /registered the user kernel "TypeScript \(tsgan\)"/);
    const kernelJson = path.join(data, 'kernels', NAME, 'kernel.json');
    const snap1 = snapshot(data);
    assert.deepEqual(
      snap1,
      {
        ...snap0,
        [path.join('kernels', NAME)]: 'dir',
        [path.join('kernels', NAME, 'kernel.json')]: snap1[path.join('kernels', NAME, 'kernel.json')],
      },
      'the opt-in step must add its kernel folder and nothing else',
    );

    // Twice is harmless: nothing rewritten.
    const mtime = fs.statSync(kernelJson).mtimeMs;
    r = runSetup(home, '--user-kernel');
    assert.equal(r.status, 0, r.out);
    assert.doesNotMatch(r.out, /registered the user kernel/);
    assert.equal(fs.statSync(kernelJson).mtimeMs, mtime);
    assert.deepEqual(snapshot(data), snap1);

    // Listed by a Jupyter outside the project, under this project's name, running this checkout's node and tslab.
    const listed = kernelspecs(home);
    assert.ok(NAME in listed, `kernelspec list outside the project: ${Object.keys(listed)}`);
    assert.equal(listed[NAME].resource_dir, path.dirname(kernelJson));
    assert.equal(listed[NAME].spec.display_name, DISPLAY);
    assert.equal(listed[NAME].spec.argv[1], path.join(repoRoot, 'node_modules', 'tslab', 'bin', 'tslab'));
    const text = run(setup.python, ['-m', 'jupyter_client.kernelspecapp', 'list'], outside(home), home);
    assert.match(text.stdout, new RegExp(`^\\s*${NAME}\\s+${path.dirname(kernelJson)}$`, 'm'));

    // A notebook deep inside the checkout, executed by nbconvert started from outside the project.
    const deep = path.join(repoRoot, 'build', `user-kernel-test-${process.pid}`, 'a', 'b');
    temps.push(path.dirname(path.dirname(deep)));
    fs.mkdirSync(deep, { recursive: true });
    const outsidePathEntry = outside(home).PATH.split(path.delimiter)[0];
    const source = [
      "import * as gan from 'tsgan';",
      "const bins = (process.env.PATH ?? '').split(':');",
      "console.log('tsgan initBackend: ' + typeof gan.initBackend);",
      `console.log('project bin on PATH: ' + bins.includes(${JSON.stringify(projectBin)}));`,
      `console.log('outside PATH kept: ' + bins.includes(${JSON.stringify(outsidePathEntry)}));`,
      "console.log('runtime dir: ' + process.env.JUPYTER_RUNTIME_DIR);",
    ].join('\n');
    const nb = {
      cells: [{ cell_type: 'code', execution_count: null, id: 'import-tsgan', metadata: {}, outputs: [], source }],
      metadata: { kernelspec: { name: NAME, display_name: DISPLAY, language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const input = path.join(deep, 'import.ipynb');
    fs.writeFileSync(input, JSON.stringify(nb));
    const outDir = freshHome();
    r = run(
      setup.python,
      [
        '-m',
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        '--ExecutePreprocessor.timeout=180',
        '--output-dir',
        outDir,
        input,
      ],
      outside(home),
      home,
    );
    assert.equal(r.status, 0, `nbconvert --execute with the user kernel failed:\n${r.out}`);
    const executed = JSON.parse(fs.readFileSync(path.join(outDir, 'import.ipynb'), 'utf8'));
    const stdout = executed.cells[0].outputs
      .filter((o) => o.name === 'stdout')
      .map((o) => [].concat(o.text).join(''))
      .join('');
    assert.match(stdout, /tsgan initBackend: function/);
    assert.match(stdout, /project bin on PATH: true/, 'the kernel gets the PATH npm start gives it');
    assert.match(stdout, /outside PATH kept: true/, "${PATH} in the spec must expand to the front-end's PATH");
    assert.match(stdout, new RegExp(`runtime dir: ${path.join(repoRoot, '.jupyter', 'runtime')}`));

    // Removal: gone, and the data dir is exactly what it was before the removal minus the kernel's folder.
    const snapBefore = snapshot(data);
    r = runSetup(home, '--remove-user-kernel');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /removed the user kernel/);
    const expected = { ...snapBefore };
    delete expected[path.join('kernels', NAME)];
    delete expected[path.join('kernels', NAME, 'kernel.json')];
    assert.deepEqual(snapshot(data), expected);
    assert.ok(!(NAME in kernelspecs(home)), 'still listed after removal');
    assert.ok('someone-elses' in kernelspecs(home));
    r = runSetup(home, '--remove-user-kernel');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /no user kernel to remove/);

    assert.deepEqual(
      snapshot(path.join(os.homedir(), '.local', 'share', 'jupyter', 'kernels')),
      realHomeKernels,
      "the real user's kernels must not change",
    );
  },
);

test(
  '--remove-user-kernel leaves alone a tsgan-typescript folder that setup did not write',
  { skip: !setup, timeout: 120_000 },
  () => {
    const home = freshHome();
    const dir = path.join(home, '.local', 'share', 'jupyter', 'kernels', NAME);
    fs.mkdirSync(dir, { recursive: true });
    const foreign = JSON.stringify({ argv: ['y', '{connection_file}'], display_name: 'Mine', language: 'y' });
    fs.writeFileSync(path.join(dir, 'kernel.json'), foreign);
    for (const flag of ['--remove-user-kernel', '--user-kernel']) {
      const r = runSetup(home, flag);
      assert.equal(r.status, 1, `${flag}: ${r.out}`);
      assert.match(r.out, /did not write: left alone/);
      assert.equal(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8'), foreign);
    }
  },
);
