/** projectPath: the same checkout path from any working directory; nothing outside the checkout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath, projectPath, projectRoot } from '../src';

test('projectPath resolves from the checkout root, whatever the working directory', () => {
  const here = process.cwd();
  try {
    process.chdir(path.join(projectRoot(), 'notebooks'));
    const a = projectPath('models/paper-mnist');
    process.chdir(path.join(projectRoot(), 'lib', 'src'));
    assert.equal(projectPath('models', 'paper-mnist'), a);
    assert.ok(fs.existsSync(path.join(a, 'manifest.json')) || fs.existsSync(a), a);
    assert.equal(JSON.parse(fs.readFileSync(projectPath('package.json'), 'utf8')).name, 'tsgan-workspace');
  } finally {
    process.chdir(here);
  }
});

test('projectPath refuses absolute paths and paths that leave the checkout', () => {
  assert.throws(() => projectPath('/etc/passwd'), /is absolute/);
  assert.throws(() => projectPath('../outside'), /leads outside the checkout/);
  assert.throws(() => projectPath('models/../../x'), /leads outside the checkout/);
});

test('displayPath prints checkout paths relative to the root, others unchanged', () => {
  assert.equal(displayPath(projectPath('models/paper-mnist')), 'models/paper-mnist');
  assert.equal(displayPath(projectRoot()), '.');
  assert.equal(displayPath('/somewhere/else'), '/somewhere/else');
});
