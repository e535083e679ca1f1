// The scripts' command lines (scripts/args.mjs): parseArgs underneath, each mistake reported by kind and
// argument, paths by the CLI's rule (lib/src/cli/userPath.ts); a script given a wrong flag says what was
// wrong and how it is used, and exits 2 without doing anything. Needs the built lib, no Jupyter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FlagError, parseFlags, userPath } from '../scripts/args.mjs';
import { repoRoot } from '../scripts/jupyter-env.mjs';

const OPTIONS = { out: { type: 'string' }, rerun: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const mistake = (argv, allowPositionals = true) => {
  try {
    parseFlags(argv, OPTIONS, { allowPositionals });
  } catch (e) {
    assert.ok(e instanceof FlagError, e);
    return [e.kind, e.arg, e.message];
  }
  return null;
};

test('parseFlags: values and positionals as parseArgs gives them', () => {
  const p = parseFlags(['--out', 'o', 'a.ipynb', '--rerun', '-h'], OPTIONS, { allowPositionals: true });
  assert.deepEqual({ ...p.values }, { out: 'o', rerun: true, help: true });
  assert.deepEqual(p.positionals, ['a.ipynb']);
  assert.deepEqual({ ...parseFlags(['--out=-o'], OPTIONS).values }, { out: '-o' }); // a value starting with - must be joined
});

test('parseFlags: each mistake by kind, with the argument as typed', () => {
  assert.deepEqual(mistake(['--frobnicate']), ['unknown', '--frobnicate', 'Unknown option --frobnicate']);
  assert.deepEqual(mistake(['-x']), ['unknown', '-x', 'Unknown option -x']);
  assert.deepEqual(mistake(['--rerun=1']), ['unknown', '--rerun=1', 'Unknown option --rerun=1']);
  assert.deepEqual(mistake(['--out']), ['missing', '--out', '--out needs a value']);
  assert.deepEqual(mistake(['--out', '--rerun']), ['missing', '--out', '--out needs a value']);
  assert.deepEqual(mistake(['stray'], false), ['positional', 'stray', 'Unexpected argument stray']);
  assert.equal(mistake(['stray']), null);
});

test("userPath is the CLI's rule: INIT_CWD under npm run, absolute paths unchanged", () => {
  const saved = { INIT_CWD: process.env.INIT_CWD, npm_package_json: process.env.npm_package_json };
  try {
    process.env.INIT_CWD = path.join(repoRoot, 'notebooks');
    process.env.npm_package_json = path.join(process.cwd(), 'package.json');
    assert.equal(userPath('a.ipynb'), path.join(repoRoot, 'notebooks', 'a.ipynb'));
    assert.equal(userPath('/abs/a.ipynb'), '/abs/a.ipynb');
    delete process.env.npm_package_json;
    assert.equal(userPath('a.ipynb'), path.resolve('a.ipynb'));
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

const script = (name, ...args) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'scripts', name), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });

test('a wrong flag of a script: what was wrong and the usage, exit 2, nothing done', () => {
  const zh = script('zh.mjs', '--chek');
  assert.equal(zh.status, 2, zh.stderr);
  assert.match(zh.stderr, /^Unknown argument --chek\.\nusage: npm run zh -- \[--check\]/);
  assert.equal(zh.stdout, '');
  const init = script('zh.mjs', '--init');
  assert.equal(init.status, 2);
  assert.match(init.stderr, /^--init needs a value\.\nusage: npm run zh/);
  const results = script('paper-results.mjs', '--root');
  assert.equal(results.status, 2);
  assert.match(
    results.stderr,
    /^--root needs a value\.\nusage: node scripts\/paper-results\.mjs \[--check\] \[--root <folder>\]/,
  );
});
