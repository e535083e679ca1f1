// docs/paper-mnist-results.md's model-selection table is generated from the run's records: a hand edit of a
// score, or new records without the table, fails here (and names the command that fixes it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = (cwd) =>
  spawnSync(process.execPath, [path.join(cwd, 'scripts', 'paper-results.mjs'), '--check'], { encoding: 'utf8' });

test('the validation table in docs/paper-mnist-results.md is the one the records give', () => {
  const r = check(root);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /validation table matches \d+ records \(best epoch \d+\)/);
});

test('a score typed into the table by hand is caught', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-docs-'));
  try {
    for (const dir of ['scripts', 'docs']) fs.mkdirSync(path.join(copy, dir));
    fs.copyFileSync(path.join(root, 'scripts', 'paper-results.mjs'), path.join(copy, 'scripts', 'paper-results.mjs'));
    fs.copyFileSync(
      path.join(root, 'docs', 'paper-mnist-validation.jsonl'),
      path.join(copy, 'docs', 'paper-mnist-validation.jsonl'),
    );
    const doc = fs.readFileSync(path.join(root, 'docs', 'paper-mnist-results.md'), 'utf8');
    const edited = doc.replace(/\| 120 \| [\d.]+ ±/, '| 120 | 225.0 ±');
    assert.notEqual(edited, doc, 'the table has a row for epoch 120 to edit');
    fs.writeFileSync(path.join(copy, 'docs', 'paper-mnist-results.md'), edited);
    const r = check(copy);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /the validation table differs from docs\/paper-mnist-validation\.jsonl; run node scripts\/paper-results\.mjs/,
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});
