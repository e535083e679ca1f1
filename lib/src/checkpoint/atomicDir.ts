/**
 * Replacing a directory so that a crash at any moment leaves a complete old or a complete new one:
 * write everything into `<dir>.tmp-<pid>`, fsync, move the old directory aside to `<dir>.old-<pid>`,
 * move the new one in, fsync the parent, delete the old one. The only moment without `<dir>` is between
 * the two renames; findInterruptedSave() then finds the complete directory under its temporary name.
 * Leftovers of processes that died mid-save are cleared before the next save (not only after it
 * succeeds), so a full disk or a kill never blocks the saves and resumes that follow.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fsyncPath, named, writeFileSynced } from '../host/atomicFile';
import { makeDirectory } from '../host/makeDirectory';
import { processAlive } from '../host/processIdentity';

export interface DirFile {
  name: string;
  data: Buffer | string;
}

/**
 * Writes `files` (in order: put the file that marks completeness last) as directory `dir`, replacing it.
 * `isReplaceable(dir)` must say yes before an existing directory is moved aside and deleted;
 * `isComplete(candidate)` says whether a leftover of an interrupted save is a complete directory (it is
 * then moved back into place first, and replaced like any old one). Errors name the path that failed.
 */
export function writeDirectoryAtomically(
  dir: string,
  files: DirFile[],
  isReplaceable: (dir: string) => boolean,
  isComplete: (candidate: string) => boolean = () => false,
): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  makeDirectory(parent);
  if (fs.existsSync(target) && !isReplaceable(target)) {
    if (!fs.statSync(target).isDirectory())
      throw new Error(`Refusing to replace ${target}: it is a file, not a folder. Choose another directory.`);
    const entries = fs.readdirSync(target);
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
    throw new Error(
      `Refusing to replace ${target}: it exists and is not a tsgan checkpoint (it holds ${shown}). ` +
        'Move those files elsewhere, or choose another directory.',
    );
  }
  clearDeadLeftovers(target, isComplete);
  const tmp = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  try {
    named(tmp, 'remove', () => fs.rmSync(tmp, { recursive: true, force: true }));
    named(tmp, 'create', () => fs.mkdirSync(tmp));
    for (const f of files) writeFileSynced(path.join(tmp, f.name), f.data);
    fsyncPath(tmp);
  } catch (e) {
    // nothing of the new directory is kept: a half-written copy only fills the disk further
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (fs.existsSync(target)) {
    named(old, 'remove', () => fs.rmSync(old, { recursive: true, force: true }));
    named(target, `move aside to ${old}`, () => fs.renameSync(target, old));
    named(target, `move ${tmp} to`, () => fs.renameSync(tmp, target));
    fsyncPath(parent);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    named(target, `move ${tmp} to`, () => fs.renameSync(tmp, target));
    fsyncPath(parent);
  }
}

/**
 * When `dir` is missing because a save was interrupted between its two renames, the complete checkpoint
 * is `<dir>.tmp-<pid>` (new, if `isComplete` says so) or `<dir>.old-<pid>` (the previous one). Returns it.
 */
export function findInterruptedSave(dir: string, isComplete: (candidate: string) => boolean): string | null {
  const target = path.resolve(dir);
  const siblings = saveLeftovers(target);
  const newer = siblings.filter((s) => s.kind === 'tmp' && isComplete(s.path));
  const older = siblings.filter((s) => s.kind === 'old' && isComplete(s.path));
  return (newer[0] ?? older[0])?.path ?? null;
}

export interface SaveLeftover {
  path: string;
  /** tmp: the new copy being written; old: the previous copy moved aside. */
  kind: 'tmp' | 'old';
  /** The process that was saving, and whether it still runs. */
  pid: number;
  alive: boolean;
}

/** The one pattern of a save's leftovers beside `<dir>`: `<dir>.tmp-<pid>` and `<dir>.old-<pid>`. */
const LEFTOVER = /^\.(tmp|old)-(\d+)$/;

/** Whether a folder's name is that of a save's leftover (`<name>.tmp-<pid>` or `<name>.old-<pid>`). */
export function isSaveLeftoverName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && LEFTOVER.test(name.slice(dot));
}

/** Leftovers of saves of `dir` (interrupted, or still running in another process). */
export function saveLeftovers(dir: string): SaveLeftover[] {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return []; // no parent folder (or not a folder): nothing was ever saved here
  }
  const out: SaveLeftover[] = [];
  for (const name of names) {
    const m = name.startsWith(base) ? LEFTOVER.exec(name.slice(base.length)) : null;
    if (m) {
      const pid = Number(m[2]);
      out.push({
        path: path.join(parent, name),
        kind: m[1] as 'tmp' | 'old',
        pid,
        alive: pid !== process.pid && processAlive(pid),
      });
    }
  }
  return out;
}

/**
 * Before a save: leftovers of processes that no longer run (and of this one) go, except a complete copy
 * that is the only one left (`dir` missing), which first takes `dir`'s name again.
 */
function clearDeadLeftovers(target: string, isComplete: (candidate: string) => boolean): void {
  const dead = () => saveLeftovers(target).filter((s) => !s.alive);
  if (!fs.existsSync(target)) {
    const recovered = findInterruptedSave(target, (c) => dead().some((s) => s.path === c) && isComplete(c));
    if (recovered) named(target, `move ${recovered} back to`, () => fs.renameSync(recovered, target));
  }
  for (const s of dead())
    named(s.path, 'remove the leftover', () => fs.rmSync(s.path, { recursive: true, force: true }));
}
