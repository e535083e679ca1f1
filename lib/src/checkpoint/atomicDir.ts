/**
 * Replacing a directory so that a crash at any moment leaves a complete old or a complete new one:
 * write everything into `<dir>.tmp-<pid>`, fsync, move the old directory aside to `<dir>.old-<pid>`,
 * move the new one in, fsync the parent, delete the old one. The only moment without `<dir>` is between
 * the two renames; findInterruptedSave() then finds the complete directory under its temporary name.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface DirFile {
  name: string;
  data: Buffer | string;
}

/**
 * Writes `files` (in order: put the file that marks completeness last) as directory `dir`, replacing it.
 * `isReplaceable(dir)` must say yes before an existing directory is moved aside and deleted.
 */
export function writeDirectoryAtomically(dir: string, files: DirFile[], isReplaceable: (dir: string) => boolean): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  if (fs.existsSync(target) && !isReplaceable(target)) {
    throw new Error(`Refusing to replace ${target}: it exists and is not a tsgan checkpoint. Choose another directory.`);
  }
  const tmp = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  for (const f of files) writeFileSynced(path.join(tmp, f.name), f.data);
  fsyncPath(tmp);
  if (fs.existsSync(target)) {
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    fsyncPath(parent);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(tmp, target);
    fsyncPath(parent);
  }
  removeLeftovers(target);
}

/**
 * When `dir` is missing because a save was interrupted between its two renames, the complete checkpoint
 * is `<dir>.tmp-<pid>` (new, if `isComplete` says so) or `<dir>.old-<pid>` (the previous one). Returns it.
 */
export function findInterruptedSave(dir: string, isComplete: (candidate: string) => boolean): string | null {
  const target = path.resolve(dir);
  const siblings = leftovers(target);
  const newer = siblings.filter((s) => s.kind === 'tmp' && isComplete(s.path));
  const older = siblings.filter((s) => s.kind === 'old' && isComplete(s.path));
  return (newer[0] ?? older[0])?.path ?? null;
}

function writeFileSynced(file: string, data: Buffer | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on directories; the data files themselves were synced
  } finally {
    fs.closeSync(fd);
  }
}

function leftovers(target: string): { path: string; kind: 'tmp' | 'old'; pid: number }[] {
  const parent = path.dirname(target);
  const base = path.basename(target);
  if (!fs.existsSync(parent)) return [];
  const out: { path: string; kind: 'tmp' | 'old'; pid: number }[] = [];
  for (const name of fs.readdirSync(parent)) {
    const m = /^\.(tmp|old)-(\d+)$/.exec(name.slice(base.length));
    if (name.startsWith(base) && m) out.push({ path: path.join(parent, name), kind: m[1] as 'tmp' | 'old', pid: Number(m[2]) });
  }
  return out;
}

/** After a successful save: leftovers of earlier interrupted saves are superseded (unless their process still runs). */
function removeLeftovers(target: string): void {
  for (const s of leftovers(target)) {
    if (s.pid !== process.pid && processAlive(s.pid)) continue;
    fs.rmSync(s.path, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
