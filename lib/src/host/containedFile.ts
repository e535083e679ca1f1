/**
 * The one way tsgan reads a file that a manifest names (a checkpoint's weights.bin, the classifier's
 * weights, and any weight file of a future model format): the name comes from a file anyone can edit, so
 * before anything is read it must resolve inside the model's folder, be a regular file (no symlink out of
 * the folder, no device such as /dev/zero, no FIFO that blocks forever) and have the size declared. A
 * manifest that names `../../../../dev/zero` is an error, not a read until memory runs out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeFsError } from './fsError';

/** What a manifest may name: a plain relative path inside the folder, without `..`, absolute or empty parts. */
export function containedPathProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'is not a file name';
  if (path.isAbsolute(name) || name.includes('\\') || name.includes('\0')) return 'is not a relative path';
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..'))
    return 'leaves the folder or has empty parts (only plain names such as weights.bin are allowed)';
  return null;
}

/**
 * Reads `name` inside `dir`, which must be a regular file of exactly `bytes` bytes (or at most `maxBytes`
 * when the size is not declared, as for a manifest). `fail` receives the problem in words and throws.
 * Opened with O_NOFOLLOW and O_NONBLOCK and checked with fstat on the opened descriptor, so a file swapped
 * for a symlink or a FIFO between the check and the read is refused too, and opening a FIFO never hangs.
 */
export function readContainedFile(
  dir: string,
  name: string,
  size: { bytes: number } | { maxBytes: number },
  fail: (problem: string) => never,
): Buffer {
  const problem = containedPathProblem(name);
  if (problem) fail(`the file name ${JSON.stringify(name)} ${problem}`);
  const folder = realFolder(dir, fail);
  const file = path.join(folder, name);
  // a symlinked folder part could lead outside even with plain names: the real parent must still be inside
  let parent: string;
  try {
    parent = fs.realpathSync(path.dirname(file));
  } catch (e) {
    return fail(says(name, e));
  }
  if (parent !== folder && !parent.startsWith(folder + path.sep))
    fail(`${name} lies outside the folder (through a symbolic link); copy the file into the folder`);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return fail(`${name} is a symbolic link; only a regular file in the folder is read`);
    return fail(says(name, e));
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) fail(`${name} is not a regular file (a device, FIFO, socket or folder); nothing was read`);
    if ('bytes' in size && st.size !== size.bytes) {
      fail(`${name} has ${st.size} bytes, the manifest says ${size.bytes} (truncated or replaced)`);
    }
    if ('maxBytes' in size && st.size > size.maxBytes)
      fail(`${name} has ${st.size} bytes, more than the ${size.maxBytes} such a file may have; it is not one`);
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = fs.readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) fail(`${name} became shorter while it was read (${at} of ${buf.length} bytes)`);
      at += n;
    }
    return buf;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e; // fail()'s own error
    return fail(says(name, e));
  } finally {
    fs.closeSync(fd);
  }
}

function says(name: string, e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${name} is missing` : `${name}: ${describeFsError(e)}`;
}

function realFolder(dir: string, fail: (problem: string) => never): string {
  try {
    const real = fs.realpathSync(dir);
    if (!fs.statSync(real).isDirectory()) fail('is not a folder');
    return real;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    return fail(describeFsError(e, 'the folder does not exist'));
  }
}
