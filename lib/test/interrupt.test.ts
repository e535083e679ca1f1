/**
 * Issue 28, item 7: an Interrupt that arrives while a notebook cell still awaits something before
 * trainGan (loading a model) used to be lost: the cell ended, and training then ran in the background
 * until a second Interrupt. Checked in a child process that runs cells the way tslab does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

test('an Interrupt before trainGan starts listening stops it before its first step; the next cell trains', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'interrupt.child.ts')], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('ready\n') && !out.includes('sent')) {
      out += 'sent\n';
      setTimeout(() => child.kill('SIGINT'), 500); // during the cell's 1.5 s await
    }
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, out);
  const results = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  assert.match(out, /cell: Interrupted asynchronously/);
  assert.deepEqual(results[0], { stoppedBy: 'interrupt', finalStep: 0 }, out);
  assert.deepEqual(results[1], { stoppedBy: null, finalStep: 5 }, out);
});
