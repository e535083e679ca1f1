// The paper run's numbers in README.md and docs/paper-mnist-results.md are generated from its records
// (scripts/paper-results.mjs): a hand edit of a score, or new records without the tables, fails here (and
// names the command that fixes it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(repo, 'scripts', 'paper-results.mjs');
const run = (root, ...args) => spawnSync(process.execPath, [script, ...args, '--root', root], { encoding: 'utf8' });

/** A copy of the documents and records the script reads, to edit. */
function copyOfDocs() {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-docs-'));
  fs.cpSync(path.join(repo, 'docs'), path.join(copy, 'docs'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'README.md'), path.join(copy, 'README.md'));
  return copy;
}

/** Appends a validation record 10 epochs after the last one, its validation score moved by `delta` nats. */
function appendRecord(copy, delta) {
  const records = path.join(copy, 'docs', 'paper-mnist-validation.jsonl');
  const last = JSON.parse(fs.readFileSync(records, 'utf8').trim().split('\n').at(-1));
  const next = {
    ...last,
    epoch: last.epoch + 10,
    validation: { ...last.validation, mean: last.validation.mean + delta },
  };
  fs.appendFileSync(records, JSON.stringify(next) + '\n');
  return next;
}

test('the generated blocks of README.md and docs/paper-mnist-results.md are the ones the records give', () => {
  const r = run(repo, '--check');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /checked \d+ generated block\(s\): \d+ validation records, best epoch \d+/);
});

test('a score typed into a table by hand is caught, and the script puts it back', () => {
  const copy = copyOfDocs();
  try {
    const file = path.join(copy, 'docs', 'paper-mnist-results.md');
    const doc = fs.readFileSync(file, 'utf8');
    const edited = doc.replace(/\| 120 \| [\d.]+ ±/, '| 120 | 225.0 ±');
    assert.notEqual(edited, doc, 'the table has a row for epoch 120 to edit');
    fs.writeFileSync(file, edited);
    const r = run(copy, '--check');
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /docs\/paper-mnist-results\.md: generated blocks differ from the records; run node scripts\/paper-results\.mjs/,
    );
    assert.equal(run(copy).status, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), doc);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test('a new validation record changes the table and the trend, so the check fails until they are regenerated', () => {
  const copy = copyOfDocs();
  try {
    const next = appendRecord(copy, -30);
    const doc = () => fs.readFileSync(path.join(copy, 'docs', 'paper-mnist-results.md'), 'utf8');
    const trend = () =>
      doc()
        .match(/Validation's slope over epochs (\d+)–(\d+)/)
        .slice(1)
        .map(Number);
    const before = trend();
    assert.equal(run(copy, '--check').status, 1);
    assert.equal(run(copy).status, 0);
    assert.match(doc(), new RegExp(`\\| ${next.epoch} \\| ${next.validation.mean.toFixed(1)} ±`));
    assert.deepEqual(trend(), [before[0] + 10, before[1] + 10], 'the trend window moves with the last record');
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test('a new best epoch without fresh draws of its centres is refused, naming what is missing', () => {
  const copy = copyOfDocs();
  try {
    const next = appendRecord(copy, +30);
    const r = run(copy);
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      new RegExp(`paper-mnist-fresh-draws\\.jsonl has no draws of the selected epoch ${next.epoch}`),
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});
