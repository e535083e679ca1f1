/**
 * File-system errors in words, once: Node's messages repeat the code ("ENOENT: no such file or directory,
 * open 'x'") and say nothing about what to do. Every tsgan message about a failed file operation is
 * built from this, so a code is printed once and permission or disk problems say how to get past them.
 */
export function describeFsError(e: unknown, missing = 'does not exist'): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return missing;
    case 'EACCES':
    case 'EPERM':
      return 'no permission (EACCES): give yourself access (chmod u+rwx on the folder, u+rw on the file) or choose another path';
    case 'EROFS':
      return 'the file system is read-only (EROFS): choose another path';
    case 'ENOSPC':
      return 'the disk is full (ENOSPC): free some space and run again';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder (ENOTDIR)';
    case 'EISDIR':
      return 'is a folder, not a file (EISDIR)';
    default: {
      const text = String(err?.message ?? e).replace(/^[A-Z][A-Z0-9_]+: /, '');
      return err?.code ? `${text} (${err.code})` : text;
    }
  }
}
