/**
 * The one way tsgan writes a file that must never be seen half-written (a PNG the notebook or the gallery
 * reads, results.json, a trimmed metrics.jsonl): write a temporary file beside it, fsync it, rename it over
 * the target, fsync the folder. A crash or a reader sees the old file or the new one, never a mix. The
 * steps (named, writeFileSynced, fsyncPath) are shared with checkpoint/atomicDir.ts, which replaces whole
 * folders the same way. Errors name the path and what was being done.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { describeFsError } from './fsError';
import { makeDirectory } from './makeDirectory';

/** Writes `data` to `file` atomically (see above), creating its folder if needed. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const target = path.resolve(file);
  makeDirectory(path.dirname(target));
  // pid and a random part: two writers of one file (two processes, or two calls in one) never share a temporary
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSynced(tmp, data);
    named(target, `move ${tmp} to`, () => fs.renameSync(tmp, target));
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPath(path.dirname(target));
}

/** Runs a file-system step; its error then names the path and what was being done (ENOSPC alone says neither). */
export function named<T>(p: string, doing: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const wrapped = new Error(`Could not ${doing} ${p}: ${describeFsError(e, 'no such file or folder (ENOENT)')}.`);
    (wrapped as NodeJS.ErrnoException).code = (e as NodeJS.ErrnoException).code;
    throw wrapped;
  }
}

/** Creates (or truncates) `file`, writes `data` and fsyncs it. */
export function writeFileSynced(file: string, data: Buffer | string): void {
  const fd = named(file, 'create', () => fs.openSync(file, 'w'));
  try {
    named(file, 'write', () => {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    });
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncs a file or folder (a folder: so that a rename inside it is on disk). */
export function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on directories; the data files themselves were synced
  } finally {
    fs.closeSync(fd);
  }
}
