/**
 * Reading a checkpoint directory back with every check that does not need the target models: files,
 * sizes, the sha256 of weights.bin and each tensor entry. Shared by loading, listing and by the save
 * that must tell a complete leftover of an interrupted save from an unfinished one.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, CheckpointManifest, MANIFEST_FILE, WEIGHTS_FILE } from './format';

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

export function readVerified(
  dir: string,
  fail: (problem: string) => never,
): { manifest: CheckpointManifest; weights: Buffer } {
  if (!fs.statSync(dir).isDirectory()) fail('is not a directory');
  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(manifestPath)) fail(`${MANIFEST_FILE} is missing (an unfinished save, or not a checkpoint)`);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    return fail(
      `${MANIFEST_FILE} is not valid JSON (${e instanceof Error ? e.message : String(e)}); the file is damaged`,
    );
  }
  if (manifest?.format !== CHECKPOINT_FORMAT) fail(`${MANIFEST_FILE} is not a tsgan checkpoint manifest`);
  if (manifest.version !== CHECKPOINT_VERSION) {
    fail(`format version ${manifest.version} is not supported (this tsgan reads version ${CHECKPOINT_VERSION})`);
  }
  if (!manifest.weights || typeof manifest.weights !== 'object' || !Array.isArray(manifest.tensors))
    fail(`${MANIFEST_FILE} lacks its weights/tensors fields`);
  const weightsPath = path.join(dir, manifest.weights.file ?? WEIGHTS_FILE);
  if (!fs.existsSync(weightsPath)) fail(`${path.basename(weightsPath)} is missing`);
  const weights = fs.readFileSync(weightsPath);
  if (weights.length !== manifest.weights.bytes) {
    fail(
      `${path.basename(weightsPath)} has ${weights.length} bytes, the manifest says ${manifest.weights.bytes} (truncated or replaced)`,
    );
  }
  if (sha256(weights) !== manifest.weights.sha256)
    fail(`${path.basename(weightsPath)} fails its sha256 check (the file is corrupted)`);
  for (const [i, t] of manifest.tensors.entries()) {
    // a hand-edited or damaged manifest must give this message, not a TypeError from inside the check
    if (!t || typeof t !== 'object' || typeof t.key !== 'string')
      fail(`tensor entry ${i} of ${MANIFEST_FILE} is not a {key, shape, offset, bytes} object`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(
        `tensor ${t.key} has no valid shape in ${MANIFEST_FILE} (got ${JSON.stringify(t.shape)}); the file is damaged`,
      );
    }
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (
      t.dtype !== 'float32' ||
      t.bytes !== 4 * n ||
      t.offset < 0 ||
      t.offset + t.bytes > weights.length ||
      t.offset % 4 !== 0
    ) {
      fail(
        `tensor ${t.key} has an inconsistent entry in ${MANIFEST_FILE} (dtype ${t.dtype}, shape [${t.shape}], offset ${t.offset}, ${t.bytes} bytes)`,
      );
    }
  }
  return { manifest, weights };
}
