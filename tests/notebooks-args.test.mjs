// `npm run notebooks` checks its --out before it runs anything (issue 28, item 13): a file there used to
// fail only after every notebook had been executed. Usage errors exit 2. Needs no Jupyter.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../scripts/jupyter-env.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-notebooks-args-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const runner = (...args) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'notebooks.mjs'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

test('--out naming a file, or under a file, is refused at once with exit 2; nothing runs', () => {
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  for (const out of [file, path.join(file, 'sub')]) {
    const t0 = Date.now();
    const r = runner('--out', out, path.join(repoRoot, 'notebooks', '00_setup.ipynb'));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--out .*a-file.*is a file, not a folder.*Choose another folder \(nothing was run\)/);
    assert.doesNotMatch(r.stdout, /passed/);
    assert.ok(Date.now() - t0 < 30_000);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), 'x');
});

test('an unknown option is a usage error (exit 2)', () => {
  const r = runner('--frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown option --frobnicate/);
});
