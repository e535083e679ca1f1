/**
 * mkdir -p without Node's recursive mkdirSync, which loops forever at 100 % CPU on a path it can never
 * create (measured here: `mkdirSync('/proc/x', { recursive: true })` never returns, Node 20). This walks
 * up to the nearest existing folder and creates each level below it once, and its errors name the path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeFsError } from './fsError';

export function makeDirectory(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch {
      st = undefined;
    }
    if (st) {
      if (!st.isDirectory()) {
        throw new Error(`Cannot create the folder ${target}: ${p} is a file, not a folder. Choose another path.`);
      }
      break;
    }
    missing.push(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST' && fs.statSync(d).isDirectory()) continue; // made meanwhile by another process
      const why = describeFsError(e, 'no such file or folder (ENOENT)');
      const wrapped = new Error(`Cannot create the folder ${d}: ${why}. Choose another path.`);
      (wrapped as NodeJS.ErrnoException).code = err.code;
      throw wrapped;
    }
  }
}
