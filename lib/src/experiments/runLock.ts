/**
 * A `tsgan train --out` folder is claimed before anything is written to it:
 *  - a marker file (.tsgan-run) says "this folder is a tsgan run": an existing non-empty folder without
 *    it is refused (it may be someone's unrelated folder whose settings.json and metrics.jsonl a run
 *    would replace); run folders from before the marker existed are recognised by their checkpoint or
 *    settings.json and marked;
 *  - a lock file (.tsgan-run.lock) holds the training process's pid while it runs: a second trainer on
 *    the same folder is refused (two used to interleave metrics.jsonl); the lock of a process that no
 *    longer runs (killed) is taken over.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeDirectory, processAlive, readCheckpointManifest } from '../checkpoint';
import { RUN_MARKER_FILE, SETTINGS_FILE, isRunMeta } from './runFolder';

export const RUN_MARKER = RUN_MARKER_FILE;
export const RUN_LOCK = '.tsgan-run.lock';

export interface RunFolderClaim {
  dir: string;
  /** Removes the lock (also done at process exit). Idempotent. */
  release(): void;
}

/** Creates or checks `dir` as a run folder and locks it for this process; throws a clear error otherwise. */
export function claimRunFolder(dir: string): RunFolderClaim {
  if (typeof dir !== 'string' || dir.trim() === '')
    throw new Error('The run folder is empty: give a folder name (e.g. --out runs/my-run)');
  const abs = path.resolve(dir);
  checkRunFolder(abs);
  makeDirectory(abs);
  const lock = takeLock(abs);
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
  // (a lock without the marker: another trainer is claiming the folder right now; takeLock tells)
  if (
    entries.length === 0 ||
    entries.includes(RUN_MARKER) ||
    entries.includes(RUN_LOCK) ||
    isRunFromBeforeTheMarker(abs, entries)
  )
    return;
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

/** Creates the lock file with this pid (exclusive create), taking over a lock whose process is gone. */
function takeLock(abs: string): () => void {
  const file = path.join(abs, RUN_LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(file, e);
      const holder = Number.parseInt(readOr(file, ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new Error(
          `Another tsgan train (process ${holder}) is training in ${abs}: wait for it to finish (or stop it), or choose another --out. ` +
            `If no such process is running, delete ${file}.`,
          { cause: e },
        );
      }
      fs.rmSync(file, { force: true }); // left by a process that was killed (or by this one)
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readOr(file, '').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}

function lockError(file: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EEXIST')
    return new Error(`Another process took the lock ${file} at the same moment: try again, or choose another --out`);
  return new Error(`Cannot create the lock file ${file}: ${err.code ?? ''} ${err.message ?? String(e)}`.trim());
}

function readOr(file: string, dflt: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return dflt;
  }
}
