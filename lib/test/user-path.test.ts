/**
 * The one rule for paths a user typed (cli/userPath.ts), used by tsgan and the scripts: relative to npm's
 * INIT_CWD when npm started us, to the working directory otherwise; absolute paths stay as they are.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveUserPath, userCwd, userCwdNote } from '../src/cli/userPath';
import { userPath } from '../src/cli/args';

const saved = { INIT_CWD: process.env.INIT_CWD, npm_package_json: process.env.npm_package_json };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
const typedIn = path.join(path.parse(process.cwd()).root, 'where', 'npm', 'was', 'started');

/** As `npm run` sets the environment: INIT_CWD where the user typed, the package's package.json in the cwd. */
function underNpm(): void {
  process.env.INIT_CWD = typedIn;
  process.env.npm_package_json = path.join(process.cwd(), 'package.json');
}

test('under npm run, a relative path is taken from INIT_CWD, where the user typed it', () => {
  underNpm();
  assert.equal(userCwd(), typedIn);
  assert.equal(resolveUserPath('some/dir'), path.join(typedIn, 'some', 'dir'));
  assert.equal(userPath('some/dir'), path.join(typedIn, 'some', 'dir'));
  assert.match(userCwdNote()!, /relative paths are taken from .*started, where npm was started/);
});

test('an absolute path stays as it is', () => {
  underNpm();
  assert.equal(resolveUserPath('/abs/dir'), '/abs/dir');
  delete process.env.INIT_CWD;
  assert.equal(resolveUserPath('/abs/dir'), '/abs/dir');
});

test('without INIT_CWD, or with one npm did not set for this package, relative paths are taken from the cwd', () => {
  delete process.env.INIT_CWD;
  delete process.env.npm_package_json;
  assert.equal(resolveUserPath('x/y'), path.resolve('x/y'));
  assert.equal(userCwdNote(), null);
  // inherited from an outer npm (a Jupyter server started by npm start): its package.json is not in our cwd
  process.env.INIT_CWD = typedIn;
  process.env.npm_package_json = path.join(typedIn, 'elsewhere', 'package.json');
  assert.equal(resolveUserPath('x'), path.resolve('x'));
  delete process.env.npm_package_json;
  assert.equal(resolveUserPath('x'), path.resolve('x'));
});
