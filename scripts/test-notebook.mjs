#!/usr/bin/env node
// npm run test:notebook -- 05 [07 …]: the notebook test (tests/notebooks.test.mjs) for the named notebooks only,
// both modes as npm test runs them (quick with every cell twice, then full, then the HTML check).
// TSGAN_NOTEBOOK_MODES=quick (or full) narrows it to one mode.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCommandLine } from './args.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const all = fs.readdirSync(path.join(repo, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
const usage = `Usage: npm run test:notebook -- <name or number> [...]   e.g. npm run test:notebook -- 05\nNotebooks: ${all.join(', ')}`;
const names = readCommandLine(process.argv.slice(2), {}, { usage, allowPositionals: true }).positionals;
if (names.length === 0) {
  console.error(usage);
  process.exit(2);
}
const unknown = names.filter((n) => !all.some((f) => f.startsWith(n.replace(/\.ipynb$/, ''))));
if (unknown.length) {
  console.error(`No notebook in notebooks/ starts with: ${unknown.join(', ')}\n${usage}`);
  process.exit(2);
}
const env = { ...process.env, TSGAN_NOTEBOOKS: names.map((n) => path.basename(n).replace(/\.ipynb$/, '')).join(',') };
const r = spawnSync(process.execPath, ['--test', path.join(repo, 'tests', 'notebooks.test.mjs')], {
  stdio: 'inherit',
  env,
  cwd: repo,
});
process.exit(r.status ?? 1);
