/**
 * The one rule for paths a user typed, shared by the tsgan CLI and the project's scripts (they load
 * lib/dist/cli/userPath.js). `npm run X -- some/dir` runs X at the package root, not where the user typed
 * it: npm says where that was in INIT_CWD, so relative paths are resolved against it. Only when npm
 * started us (its package.json is in the working directory): an INIT_CWD inherited from an outer npm
 * process (a Jupyter server started by `npm start`, a test) would otherwise send paths elsewhere.
 */
import * as path from 'path';

/** Where relative paths are taken from: INIT_CWD under `npm run`, else the working directory. */
export function userCwd(): string {
  const pkg = process.env.npm_package_json;
  const init = process.env.INIT_CWD;
  return init && pkg && path.dirname(pkg) === process.cwd() ? init : process.cwd();
}

/** A path the user typed, made absolute by userCwd(); an absolute path stays as it is. */
export function resolveUserPath(p: string): string {
  return path.resolve(userCwd(), p);
}

/** A note for messages when relative paths are not taken from the working directory (under `npm run` from a subfolder). */
export function userCwdNote(): string | null {
  const cwd = userCwd();
  return cwd === process.cwd()
    ? null
    : `relative paths are taken from ${cwd}, where npm was started (npm runs tsgan from ${process.cwd()})`;
}
