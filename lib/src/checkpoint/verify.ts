/**
 * Reading a checkpoint directory back with every check that does not need the target models: files,
 * sizes, the sha256 of weights.bin and each tensor entry. Shared by loading, listing and by the save
 * that must tell a complete leftover of an interrupted save from an unfinished one.
 */
import * as crypto from 'crypto';
import { containedPathProblem, readContainedFile } from '../host/containedFile';
import { checksumStatus } from '../host/manifestChecksum';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, CheckpointManifest, MANIFEST_FILE } from './format';

export class CheckpointError extends Error {
  constructor(dir: string, problem: string) {
    super(`Checkpoint ${dir}: ${problem}`);
    this.name = 'CheckpointError';
  }
}

export function sha256(buf: Buffer): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/** True when `dir` is a complete, intact checkpoint (every check of readVerified passes). */
export function isCompleteCheckpoint(dir: string): boolean {
  try {
    readVerified(dir, (p) => {
      throw new Error(p);
    });
    return true;
  } catch {
    return false;
  }
}

/** Larger than any manifest tsgan writes (the paper run's, with its data order, is under 1 MB). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface VerifiedCheckpoint {
  manifest: CheckpointManifest;
  weights: Buffer;
  /** False for a checkpoint saved before manifests had a checksum: readable, but its manifest is unverified. */
  sealed: boolean;
}

/**
 * Every check that needs no target model (`ignoreChecksum`: all but the checksum, for `tsgan seal --force`), before anything else trusts the folder: the manifest's
 * checksum (which covers weights.bin through its sha256), the weight file's place, type and size, then the
 * sha256, and the consistency of every field a loader uses.
 */
export function readVerified(
  dir: string,
  fail: (problem: string) => never,
  ignoreChecksum = false,
): VerifiedCheckpoint {
  const raw = readContainedFile(dir, MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES }, (problem) =>
    fail(problem === `${MANIFEST_FILE} is missing` ? `${problem} (an unfinished save, or not a checkpoint)` : problem),
  );
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    return fail(
      `${MANIFEST_FILE} is not valid JSON (${e instanceof Error ? e.message : String(e)}); the file is damaged`,
    );
  }
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== CHECKPOINT_FORMAT)
    fail(`${MANIFEST_FILE} is not a tsgan checkpoint manifest`);
  if (manifest.version !== CHECKPOINT_VERSION) {
    fail(`format version ${manifest.version} is not supported (this tsgan reads version ${CHECKPOINT_VERSION})`);
  }
  const checksum = ignoreChecksum ? 'missing' : checksumStatus(manifest);
  if (checksum === 'mismatch')
    fail(
      `${MANIFEST_FILE} fails its checksum: it was changed or damaged after it was saved (a step, an epoch, a ` +
        'random-stream state or a tensor offset differs), so it cannot be resumed exactly. Use an intact copy',
    );
  const problem = manifestProblem(manifest);
  if (problem) fail(problem);
  const w = manifest.weights;
  const weights = readContainedFile(dir, w.file, { bytes: w.bytes }, fail);
  if (sha256(weights) !== w.sha256) fail(`${w.file} fails its sha256 check (the file is corrupted)`);
  return { manifest, weights, sealed: checksum === null };
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The first inconsistency of the fields a loader reads, in words, or null (the checksum cannot tell an old file's). */
function manifestProblem(m: CheckpointManifest): string | null {
  for (const k of ['step', 'epoch'] as const)
    if (!isCount(m[k]))
      return `its ${k} is ${JSON.stringify(m[k])}, not a non-negative integer; ${MANIFEST_FILE} is damaged`;
  const w = m.weights as Partial<CheckpointManifest['weights']> | undefined;
  if (!w || typeof w !== 'object' || !isCount(w.bytes) || typeof w.sha256 !== 'string' || !Array.isArray(m.tensors))
    return `${MANIFEST_FILE} lacks its weights {file, bytes, sha256} or tensors fields`;
  const fileProblem = containedPathProblem(w.file);
  if (fileProblem) return `its weights.file ${JSON.stringify(w.file)} ${fileProblem}`;
  for (const role of ['generator', 'discriminator'] as const) {
    const e = m.models?.[role];
    if (!e || typeof e !== 'object' || !isCount(e.weights) || !Array.isArray(e.dropout ?? []))
      return `its models.${role} is not a {name, weights, dropout} entry`;
  }
  for (const [role, o] of Object.entries(m.optimizers ?? {})) {
    if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.slots !== 'object' || o.slots === null)
      return `its optimizers.${role} is not a {kind, config, counters, slots} entry`;
    for (const [slot, indices] of Object.entries(o.slots))
      if (!Array.isArray(indices) || !indices.every(isCount))
        return `its optimizers.${role}.slots.${slot} is not a list of weight indices`;
  }
  if (m.states !== undefined && (typeof m.states !== 'object' || m.states === null))
    return 'its states field is not an object';
  const keys = new Set<string>();
  const ranges: [number, number, string][] = [];
  for (const [i, t] of m.tensors.entries()) {
    // a hand-edited or damaged manifest must give this message, not a TypeError from inside the check
    if (!t || typeof t !== 'object' || typeof t.key !== 'string')
      return `tensor entry ${i} of ${MANIFEST_FILE} is not a {key, shape, offset, bytes} object`;
    if (keys.has(t.key)) return `tensor ${t.key} appears twice in ${MANIFEST_FILE}`;
    keys.add(t.key);
    if (!Array.isArray(t.shape) || !t.shape.every(isCount))
      return `tensor ${t.key} has no valid shape in ${MANIFEST_FILE} (got ${JSON.stringify(t.shape)}); the file is damaged`;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (
      t.dtype !== 'float32' ||
      t.bytes !== 4 * n ||
      !isCount(t.offset) ||
      t.offset + t.bytes > w.bytes ||
      t.offset % 4 !== 0
    ) {
      return `tensor ${t.key} has an inconsistent entry in ${MANIFEST_FILE} (dtype ${t.dtype}, shape [${t.shape}], offset ${t.offset}, ${t.bytes} bytes)`;
    }
    if (t.bytes > 0) ranges.push([t.offset, t.offset + t.bytes, t.key]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++)
    if (ranges[i][0] < ranges[i - 1][1])
      return `tensors ${ranges[i - 1][2]} and ${ranges[i][2]} overlap in ${w.file} (bytes ${ranges[i][0]}..${ranges[i - 1][1]}); ${MANIFEST_FILE} is damaged`;
  return null;
}
