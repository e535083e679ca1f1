// scripts/check-imports.mjs finds what it promises: a cycle, an upward arrow, a same-layer arrow; and the
// lib as it is passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cycles, upwardImports } from '../scripts/check-imports.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const f = (rel) => path.join(repo, 'lib', 'src', rel);

test('a cycle of files is found, a chain is not', () => {
  const chain = new Map([
    [f('a/x.ts'), [f('a/y.ts')]],
    [f('a/y.ts'), []],
  ]);
  assert.deepEqual(cycles(chain), []);
  const loop = new Map([
    [f('a/x.ts'), [f('a/y.ts')]],
    [f('a/y.ts'), [f('a/z.ts')]],
    [f('a/z.ts'), [f('a/x.ts')]],
  ]);
  assert.equal(cycles(loop).length, 1);
  assert.equal(cycles(loop)[0].length, 3);
});

test('upward and same-layer arrows are found, downward ones pass', () => {
  const graph = new Map([
    [f('train/trainGan.ts'), [f('losses/ganLoss.ts'), f('random/rng.ts')]],
    [f('random/rng.ts'), [f('experiments/run.ts')]],
    [f('models/mlp.ts'), [f('losses/ganLoss.ts')]],
    [f('nowhere/x.ts'), [f('random/rng.ts')]],
  ]);
  const arrows = upwardImports(graph).map((u) => u.arrow + (u.unlisted ? ` (unlisted ${u.unlisted})` : ''));
  assert.deepEqual(arrows.sort(), [
    'models -> losses',
    'nowhere -> random (unlisted nowhere)',
    'random -> experiments',
  ]);
});

test('the lib passes', () => {
  const out = execFileSync(process.execPath, [path.join(repo, 'scripts', 'check-imports.mjs')], { encoding: 'utf8' });
  assert.match(out, /no cycle, no upward import/);
});
