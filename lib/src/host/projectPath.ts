/**
 * Paths inside the tsgan checkout, whatever folder the caller runs in: `projectPath('models/paper-mnist')`
 * is the same file from notebooks/, from a translated edition in notebooks/zh-CN/, from a homework folder or
 * from a shell. Notebook cells use it instead of '../models/…', which resolves against the kernel's working
 * directory (the notebook's folder) and so breaks one folder down.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The workspace's package name, which marks the checkout's root folder. */
const WORKSPACE_NAME = 'tsgan-workspace';

let root: string | undefined;

/** The checkout's root: the lib lives in <root>/lib (compiled to lib/dist/host, or run from lib/src/host). */
export function projectRoot(): string {
  if (root !== undefined) return root;
  const candidate = path.resolve(__dirname, '..', '..', '..');
  let name: unknown;
  try {
    name = JSON.parse(fs.readFileSync(path.join(candidate, 'package.json'), 'utf8')).name;
  } catch {
    name = undefined;
  }
  if (name !== WORKSPACE_NAME) {
    throw new Error(
      `projectPath: tsgan is not running from a tsgan checkout (${candidate} has no package.json named ` +
        `"${WORKSPACE_NAME}"). Use an absolute path, or run the notebooks from a clone of the repository.`,
    );
  }
  root = candidate;
  return root;
}

/** An absolute path from the checkout's root; segments as for path.join ('models/paper-mnist' or 'models', 'paper-mnist'). */
export function projectPath(...segments: string[]): string {
  for (const s of segments) {
    if (path.isAbsolute(s)) throw new Error(`projectPath: "${s}" is absolute; give a path inside the checkout`);
  }
  const p = path.resolve(projectRoot(), ...segments);
  const rel = path.relative(projectRoot(), p);
  if (rel.startsWith('..')) throw new Error(`projectPath: "${segments.join('/')}" leads outside the checkout`);
  return p;
}

/** How to print a path inside the checkout: relative to its root ('models/paper-mnist'), never a machine's own folders. */
export function displayPath(p: string): string {
  const rel = path.relative(projectRoot(), path.resolve(p));
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel.split(path.sep).join('/');
}
