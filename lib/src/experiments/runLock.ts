/**
 * A `tsgan train --out` folder is claimed before anything is written to it:
 *  - a marker file (.tsgan-run) says "this folder is a tsgan run": an existing non-empty folder without
 *    it is refused (it may be someone's unrelated folder whose settings.json and metrics.jsonl a run
 *    would replace); run folders from before the marker existed are recognised by their checkpoint or
 *    settings.json and marked;
 *  - a lock file (.tsgan-run.lock) holds a record of the training process while it runs (pid, start time,
 *    boot id: host/processIdentity.ts): a second trainer on the same folder is refused (two used to
 *    interleave metrics.jsonl); the lock of a process that no longer runs (killed, or before a reboot) is
 *    taken over. Every step is atomic: a lock is created by linking a complete file into place (never
 *    seen half-written), and a stale one is removed only under a takeover lock (O_EXCL) after checking
 *    it is still the same stale record, so two claimants never both end up holding the folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeDirectory, readCheckpointManifest } from '../checkpoint';
import { describeFsError } from '../host/fsError';
import { ProcessRecord, parseRecord, recordAlive, thisProcess } from '../host/processIdentity';
import { RUN_MARKER_FILE, SETTINGS_FILE, isRunMeta } from './runFolder';

export const RUN_MARKER = RUN_MARKER_FILE;
export const RUN_LOCK = '.tsgan-run.lock';
/** Held for a moment by the one claimant allowed to remove a stale lock. */
const TAKEOVER = `${RUN_LOCK}.takeover`;
/** Names of the lock's own files (the lock, the takeover lock, a claimant's record before it is linked). */
const isLockFile = (name: string) => name === RUN_LOCK || name.startsWith(`${RUN_LOCK}.`);

/** Test hooks: called between deciding that a lock is stale and removing it (where a race would strike). */
export interface ClaimHooks {
  afterStaleCheck?: () => void;
}

export interface RunFolderClaim {
  dir: string;
  /** Removes the lock (also done at process exit). Idempotent. */
  release(): void;
}

/** Creates or checks `dir` as a run folder and locks it for this process; throws a clear error otherwise. */
export function claimRunFolder(dir: string, hooks: ClaimHooks = {}): RunFolderClaim {
  if (typeof dir !== 'string' || dir.trim() === '')
    throw new Error('The run folder is empty: give a folder name (e.g. --out runs/my-run)');
  const abs = path.resolve(dir);
  checkRunFolder(abs);
  makeDirectory(abs);
  const lock = takeLock(abs, hooks);
  const marker = path.join(abs, RUN_MARKER);
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, JSON.stringify({ format: 'tsgan-run', createdAt: new Date().toISOString() }) + '\n');
  }
  return { dir: abs, release: lock };
}

/** Throws unless `abs` is missing, an empty folder, or a tsgan run folder (marked, or from before the marker). */
export function checkRunFolder(abs: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return; // will be created
  }
  if (!st.isDirectory())
    throw new Error(`${abs} is a file, not a folder: give a folder for the run (a new one, or a tsgan run folder)`);
  const entries = fs.readdirSync(abs);
  // only the lock's files and no marker: another trainer is claiming the folder right now (takeLock tells);
  // a lock beside other files proves nothing (anyone can leave a file of that name in their folder)
  if (entries.every(isLockFile) || entries.includes(RUN_MARKER) || isRunFromBeforeTheMarker(abs, entries)) return;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
  throw new Error(
    `${abs} is not empty and is not a tsgan run folder (no ${RUN_MARKER} in it; it holds ${shown}). ` +
      'A run writes checkpoint/, settings.json, metrics.jsonl and samples.png there, replacing files of those names: ' +
      'choose a new or empty folder for --out.',
  );
}

function isRunFromBeforeTheMarker(abs: string, entries: string[]): boolean {
  if (entries.includes('checkpoint')) {
    try {
      if (isRunMeta(readCheckpointManifest(path.join(abs, 'checkpoint')).meta)) return true;
    } catch {
      // not a readable tsgan checkpoint: decide by settings.json
    }
  }
  try {
    const s = JSON.parse(fs.readFileSync(path.join(abs, SETTINGS_FILE), 'utf8'));
    return (
      typeof s?.settings?.experiment === 'string' &&
      typeof s?.settings?.seed === 'number' &&
      typeof s?.experiment === 'object'
    );
  } catch {
    return false;
  }
}

/**
 * Takes the folder's lock for this process and returns its release. The record is written to a file of
 * its own first and linked into place (link fails if the lock exists: the same guarantee as O_EXCL,
 * without a moment where the lock exists but is empty).
 */
function takeLock(abs: string, hooks: ClaimHooks): () => void {
  const file = path.join(abs, RUN_LOCK);
  const me = thisProcess();
  const text = JSON.stringify(me) + '\n';
  const mine = `${file}.${me.pid}-${me.token}`;
  try {
    fs.writeFileSync(mine, text, { flag: 'wx' });
  } catch (e) {
    throw lockError(file, e);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(mine, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw lockError(file, e);
      }
      const seen = readOr(file, null);
      if (seen === null) continue; // released meanwhile: try again
      const holder = parseRecord(seen);
      if (holder !== null && recordAlive(holder)) throw heldError(abs, file, holder);
      hooks.afterStaleCheck?.();
      removeStaleLock(file, seen, text);
    }
  } finally {
    fs.rmSync(mine, { force: true });
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readOr(file, '') === text) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}

/**
 * Removes the lock if it still holds `stale` (the record judged dead), under the takeover lock, so that
 * a claimant that judged it stale a moment ago never removes the lock another claimant has just taken.
 */
function removeStaleLock(file: string, stale: string, text: string): void {
  const takeover = path.join(path.dirname(file), TAKEOVER);
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      fs.writeFileSync(takeover, text, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(takeover, e);
      const other = readOr(takeover, null);
      const holder = other === null ? null : parseRecord(other);
      if (other !== null && (holder === null || !recordAlive(holder)))
        throw new Error(
          `${takeover} was left by a process that died while taking over the lock of ${path.dirname(file)}: ` +
            'make sure no tsgan train runs there, delete that file, and run again.',
          { cause: e },
        );
      if (Date.now() > deadline)
        throw new Error(`Another process is taking over the lock ${file}: try again, or choose another --out`, {
          cause: e,
        });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // it holds it for a few system calls
    }
  }
  try {
    if (readOr(file, null) === stale) fs.rmSync(file, { force: true });
  } finally {
    if (readOr(takeover, null) === text) fs.rmSync(takeover, { force: true });
  }
}

function heldError(abs: string, file: string, holder: ProcessRecord | number): Error {
  const pid = typeof holder === 'number' ? holder : holder.pid;
  return new Error(
    `Another tsgan train (process ${pid}) is training in ${abs}: wait for it to finish (or stop it), or choose another --out. ` +
      `If no such process is running, delete ${file}.`,
  );
}

function lockError(file: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EEXIST')
    return new Error(`Another process took the lock ${file} at the same moment: try again, or choose another --out`);
  return new Error(`Cannot create the lock file ${file}: ${describeFsError(e)}`, { cause: e });
}

function readOr<T>(file: string, dflt: T): string | T {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return dflt;
  }
}
