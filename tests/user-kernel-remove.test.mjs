// `npm run setup -- --remove-user-kernel` removes only what setup wrote for this checkout (issue 28, item 11):
// the user's own files in the kernel folder stay, and a kernel of another checkout (also a missing one) is
// left alone. Runs without Jupyter: the folder logic is removeUserKernelAt, which removeUserKernel calls.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../scripts/jupyter-env.mjs';
import { removeUserKernelAt, userKernelSpec } from '../scripts/user-kernel.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-remove-kernel-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function kernelDir(name, spec) {
  const dir = path.join(tmp, name, 'tsgan-typescript');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec));
  return dir;
}

test("removal keeps the user's own files in the kernel folder, and the folder with them", () => {
  const dir = kernelDir('with-logo', userKernelSpec());
  fs.writeFileSync(path.join(dir, 'logo-64x64.png'), 'my logo');
  assert.deepEqual(removeUserKernelAt(dir), { dir, removed: true, kept: ['logo-64x64.png'] });
  assert.deepEqual(fs.readdirSync(dir), ['logo-64x64.png']);
  assert.equal(fs.readFileSync(path.join(dir, 'logo-64x64.png'), 'utf8'), 'my logo');
  const plain = kernelDir('plain', userKernelSpec());
  assert.deepEqual(removeUserKernelAt(plain), { dir: plain, removed: true, kept: [] });
  assert.ok(!fs.existsSync(plain));
});

test('a kernel naming another checkout is left alone, also when that checkout no longer exists', () => {
  for (const checkout of [path.join(tmp, 'gone-checkout'), tmp]) {
    const spec = userKernelSpec();
    spec.metadata.tsgan.checkout = checkout;
    const dir = kernelDir(`other-${path.basename(checkout)}`, spec);
    assert.notEqual(checkout, repoRoot);
    assert.throws(() => removeUserKernelAt(dir), /belongs to the checkout in .*: left alone/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8')), spec);
  }
});
