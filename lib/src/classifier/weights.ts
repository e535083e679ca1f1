/**
 * The shipped classifier on disk: weights.bin (every weight as float32 little endian, back to back),
 * manifest.json (what each byte range is, the sha256 of weights.bin, how the weights were made and how
 * well they classify) and a README.md for people, written from the same meta. The directory is replaced
 * atomically, as checkpoints are.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { writeDirectoryAtomically } from '../checkpoint/atomicDir';
import { sha256 } from '../checkpoint/verify';
import { writeFileAtomic } from '../host/atomicFile';
import { readContainedFile } from '../host/containedFile';
import { ManifestChecksum, checksumStatus, warnUnverified, withChecksum } from '../host/manifestChecksum';
import { mnistClassifier } from './model';

export const CLASSIFIER_FORMAT = 'tsgan-mnist-classifier';
const MANIFEST = 'manifest.json';
const WEIGHTS = 'weights.bin';

export interface ClassifierManifest {
  format: typeof CLASSIFIER_FORMAT;
  version: 1;
  weights: { file: string; bytes: number; sha256: string };
  tensors: { shape: number[]; offset: number; bytes: number }[];
  /** How the weights were made (the command, seed, epochs) and what they scored. */
  meta: { [key: string]: unknown };
  /** Over this manifest and, through weights.sha256, the weights (host/manifestChecksum.ts); absent in old saves. */
  checksum?: ManifestChecksum;
}

/** Writes the model's weights and `meta` to `dir` (replacing an earlier classifier there, nothing else). */
export function saveClassifier(
  dir: string,
  model: tf.LayersModel,
  meta: { [key: string]: unknown } = {},
): ClassifierManifest {
  const values = model.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
  let offset = 0;
  const tensors = values.map((v) => {
    const entry = { shape: v.shape, offset, bytes: v.data.length * 4 };
    offset += entry.bytes;
    return entry;
  });
  const bin = Buffer.alloc(offset);
  values.forEach((v, i) =>
    Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).copy(bin, tensors[i].offset),
  );
  const manifest: ClassifierManifest = withChecksum({
    format: CLASSIFIER_FORMAT,
    version: 1 as const,
    weights: { file: WEIGHTS, bytes: bin.length, sha256: sha256(bin) },
    tensors,
    meta,
  });
  const isClassifierDir = (d: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(d, MANIFEST), 'utf8')).format === CLASSIFIER_FORMAT;
    } catch {
      return false;
    }
  };
  writeDirectoryAtomically(
    dir,
    [
      { name: WEIGHTS, data: bin },
      { name: MANIFEST, data: JSON.stringify(manifest, null, 1) + '\n' },
      { name: 'README.md', data: readme(manifest) },
    ],
    isClassifierDir,
  );
  return manifest;
}

/** The folder's README: what the files are and the meta (command, settings, accuracy) as a list. */
function readme(m: ClassifierManifest): string {
  const lines = Object.entries(m.meta).map(
    ([k, v]) => `- ${k}: ${typeof v === 'string' ? `\`${v}\`` : JSON.stringify(v)}`,
  );
  return [
    '# mnist-classifier',
    '',
    'The small convolutional MNIST classifier (`mnistClassifier` in lib/src/classifier/) that notebook 09 uses to',
    'check which digit a conditional generator drew. Written by `saveClassifier`; read with `loadClassifier(dir)`,',
    'which checks the sha256 below. `weights.bin` holds every weight as float32 little endian, in the layer order',
    'of `manifest.json`. Made by the `command` below, run from the repository root after `npm run build`.',
    '',
    ...lines,
    `- weights.bin: ${m.weights.bytes} bytes, sha256 ${m.weights.sha256}`,
    '',
  ].join('\n');
}

/**
 * Reads and checks a classifier folder without building the model: the manifest's checksum, the weight
 * file's place, type, size and sha256 (host/containedFile.ts, the rule for every weight file), and every
 * tensor's byte range. `sealed` is false for a folder saved before manifests had a checksum.
 */
export function readClassifierFolder(
  dir: string,
  ignoreChecksum = false,
): { manifest: ClassifierManifest; bin: Buffer; sealed: boolean } {
  const fail = (problem: string): never => {
    throw new Error(
      `loadClassifier(${dir}): ${problem}. Make the weights with \`tsgan train-classifier --out ${dir}\`.`,
    );
  };
  let manifest: ClassifierManifest;
  try {
    const text = readContainedFile(dir, MANIFEST, { maxBytes: 1 << 20 }, (p) => fail(`cannot read ${MANIFEST} (${p})`));
    manifest = JSON.parse(text.toString('utf8'));
  } catch (e) {
    if (/^loadClassifier/.test((e as Error).message)) throw e;
    return fail(`cannot read ${MANIFEST} (${(e as Error).message.split('\n')[0]})`);
  }
  if (manifest?.format !== CLASSIFIER_FORMAT || manifest.version !== 1)
    fail(`${MANIFEST} is not a ${CLASSIFIER_FORMAT} version 1 manifest`);
  const status = ignoreChecksum ? 'missing' : checksumStatus(manifest);
  if (status === 'mismatch') fail(`${MANIFEST} fails its checksum: it was changed or damaged after it was saved`);
  const w = manifest.weights;
  if (
    !w ||
    !Number.isSafeInteger(w.bytes) ||
    w.bytes < 0 ||
    typeof w.sha256 !== 'string' ||
    !Array.isArray(manifest.tensors)
  )
    fail(`${MANIFEST} lacks its weights {file, bytes, sha256} or tensors fields`);
  const bin = readContainedFile(dir, w.file, { bytes: w.bytes }, fail);
  if (sha256(bin) !== w.sha256) fail(`${w.file} does not match its manifest's sha256: a damaged copy`);
  let end = 0;
  for (const [i, t] of manifest.tensors.entries()) {
    const n =
      Array.isArray(t?.shape) && t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)
        ? t.shape.reduce((a, b) => a * b, 1)
        : -1;
    // saved back to back: each tensor starts where the previous one ends, so none overlaps another
    if (n < 0 || t.bytes !== 4 * n || t.offset !== end || t.offset + t.bytes > bin.length)
      fail(
        `tensor ${i} of ${MANIFEST} has an inconsistent entry (shape ${JSON.stringify(t?.shape)}, offset ${t?.offset}, ${t?.bytes} bytes)`,
      );
    end += t.bytes;
  }
  return { manifest, bin, sealed: status === null };
}

/** Reads a classifier saved by saveClassifier into a new mnistClassifier; checks it first (readClassifierFolder). */
export function loadClassifier(dir: string): { model: tf.LayersModel; manifest: ClassifierManifest } {
  const { manifest, bin, sealed } = readClassifierFolder(dir);
  if (!sealed) warnUnverified('Classifier', path.resolve(dir), `tsgan seal ${path.resolve(dir)}`);
  const model = mnistClassifier(1);
  const shapes = model.getWeights().map((w) => w.shape.join('×'));
  if (shapes.join() !== manifest.tensors.map((t) => t.shape.join('×')).join()) {
    model.dispose();
    throw new Error(
      `loadClassifier(${dir}): the weights have shapes [${manifest.tensors.map((t) => t.shape.join('×'))}], mnistClassifier has [${shapes}]`,
    );
  }
  const weights = manifest.tensors.map((t) => {
    const data = new Float32Array(t.bytes / 4);
    Buffer.from(data.buffer).set(bin.subarray(t.offset, t.offset + t.bytes));
    return tf.tensor(data, t.shape, 'float32');
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return { model, manifest };
}

/** Adds the checksum to a classifier folder saved without one (after every check); rewrites manifest.json only. */
export function sealClassifier(dir: string, force = false): boolean {
  const { manifest, sealed } = readClassifierFolder(dir, force);
  if (sealed) return false;
  writeFileAtomic(path.join(dir, MANIFEST), JSON.stringify(withChecksum(manifest), null, 1) + '\n');
  return true;
}
