/**
 * Which folders a command may write into. A run folder, its checkpoint/ and best/, and any checkpoint
 * that can be resumed belong to `tsgan train`: `tsgan export` writing its weights-only copy there would
 * destroy the only resumable checkpoint (optimiser state and random streams gone for good), and `eval` or
 * `figures` writing results into a checkpoint folder would leave stray files that make the next save fail.
 * Both commands are checked here before they compute anything, and the error says where to write instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CHECKPOINT_FORMAT, MANIFEST_FILE, isSaveLeftoverName } from '../checkpoint';
import { describeFsError } from '../host/fsError';
import { makeDirectory } from '../host/makeDirectory';
import { CHECKPOINT_DIR, RUN_MARKER_FILE } from './runFolder';
import { RUN_LOCK } from './runLock';
import { BEST_DIR } from './validation';

function isRunFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, RUN_MARKER_FILE)) || fs.existsSync(path.join(dir, RUN_LOCK));
}

function manifestOf(dir: string): { format?: unknown; optimizers?: { [role: string]: unknown } } | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** What `tsgan train` owns at `dir` (in words), or null. */
function trainerOwned(dir: string): string | null {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  if (isRunFolder(abs)) return `${abs} is a run folder of \`tsgan train\``;
  if (isRunFolder(parent) && [CHECKPOINT_DIR, BEST_DIR].includes(path.basename(abs)))
    return `${abs} is the ${path.basename(abs)} of the run in ${parent}`;
  if (isSaveLeftoverName(path.basename(abs))) return `${abs} is a copy left by a checkpoint save`;
  const m = manifestOf(abs);
  if (m?.format === CHECKPOINT_FORMAT && Object.keys(m.optimizers ?? {}).length > 0)
    return `${abs} holds a resumable checkpoint (with optimiser state)`;
  return null;
}

/**
 * Throws unless `out` may receive an export of `source`: not the source itself, not a folder `tsgan
 * train` owns; an existing folder must be empty or an exported model (which the export replaces).
 */
export function checkExportTarget(out: string, source: string): void {
  const abs = path.resolve(out);
  if (abs === path.resolve(source))
    throw new Error(`--out ${abs} is the checkpoint being exported. Give another --out (e.g. models/<name>).`);
  const owned = trainerOwned(abs);
  if (owned)
    throw new Error(
      `${owned}; an export there would replace it with weights only (no optimiser state, no random streams), and the run could never be resumed. Give another --out (e.g. models/<name>).`,
    );
}

/**
 * Throws unless `out` may receive results and figures: no checkpoint folder (a stray file there makes the
 * next save fail) and writable. Creates it, so that a folder that cannot be written fails now, not after
 * minutes of computing.
 */
export function prepareReportFolder(out: string): void {
  const abs = path.resolve(out);
  const owned = trainerOwned(abs);
  const m = manifestOf(abs);
  if (owned && !isRunFolder(abs))
    throw new Error(`${owned}: results are not written into checkpoint folders. Give another --out (or none).`);
  if (m !== null && typeof m.format === 'string')
    throw new Error(
      `${abs} is a model folder (${String(m.format)}): results are not written into it. Give another --out (or none).`,
    );
  makeDirectory(abs);
  try {
    fs.accessSync(abs, fs.constants.W_OK);
  } catch (e) {
    throw new Error(`Cannot write into ${abs}: ${describeFsError(e)}. Nothing was computed.`, { cause: e });
  }
}
