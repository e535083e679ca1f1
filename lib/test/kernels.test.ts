/**
 * tsgan's wasm kernels (lib/src/kernels): every replaced kernel must give the cpu backend's result to float32
 * tolerance on random shapes (strides, 'same'/'valid'/explicit padding, batch > 1, non-square), free all its
 * intermediates, and refuse what it cannot do with a clear error. Then the gradients of small conv nets and
 * a full DCGAN training step on wasm. Always runs on wasm (the kernels exist for it), whatever TSGAN_BACKEND says;
 * the cpu backend is the reference.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  adam,
  bernoulliMask,
  dcganDiscriminator,
  dcganGenerator,
  discriminatorStep,
  generatorStep,
  initBackend,
  installedWasmKernels,
  installWasmKernels,
  paperSgdMomentum,
  Rng,
  trainableVariables,
  uninstallWasmKernels,
} from '../src';
import { split } from '../src/kernels/gemm';
import { GEMM_SOURCE_SHA256 } from '../src/kernels/gemm/gemmWasm';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

const rng = new Rng(20140610);

function randomArray(n: number): Float32Array {
  return rng.fillUniform(new Float32Array(n), -1, 1);
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs fn on a backend and copies its outputs out as plain arrays; returns to wasm. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  try {
    const outs = tf.tidy(fn);
    const arrays = outs.map((t) => t.dataSync().slice() as Float32Array);
    tf.dispose(outs);
    return arrays;
  } finally {
    await tf.setBackend('wasm');
  }
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string, rtol = 2e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(
    worst <= rtol * scale,
    `${what}: wasm differs from cpu by ${worst} at ${at} (wasm ${actual[at]}, cpu ${expected[at]}, scale ${scale})`,
  );
}

function wasmDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

/** Checks that fn frees every tensor and every wasm buffer it makes. */
function assertNoLeak(fn: () => void, what: string): void {
  fn(); // first call may create cached state
  const tensors = tf.memory().numTensors;
  const ids = wasmDataIds();
  fn();
  assert.equal(tf.memory().numTensors, tensors, `${what}: tensors leaked`);
  assert.equal(wasmDataIds(), ids, `${what}: wasm buffers leaked`);
}

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const fixedCases: ConvCase[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [3, 10, 11, 2], f: [4, 4, 2, 5], strides: 2, pad: 'same' }, // DCGAN's 4×4 stride 2
  { x: [3, 10, 11, 2], f: [4, 3, 2, 5], strides: [2, 3], pad: 'valid' },
  { x: [2, 8, 7, 3], f: [3, 2, 3, 2], strides: 3, pad: 'valid' }, // rows the forward pass never reads
  {
    x: [2, 8, 7, 3],
    f: [5, 5, 3, 2],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { x: [2, 6, 6, 2], f: [1, 1, 2, 3], strides: 2, pad: 'valid' },
  { x: [2, 7, 7, 1], f: [7, 7, 1, 2], strides: 1, pad: 'valid' }, // filter as large as the input
  { x: [4, 14, 14, 8], f: [4, 4, 8, 16], strides: 2, pad: 'same' },
];

function randomCase(): ConvCase {
  const fh = 1 + rng.int(5);
  const fw = 1 + rng.int(5);
  const sh = 1 + rng.int(3);
  const sw = 1 + rng.int(3);
  const h = fh + rng.int(9);
  const w = fw + rng.int(9);
  const pads: Pad[] = [
    'same',
    'valid',
    [
      [0, 0],
      [rng.int(3), rng.int(3)],
      [rng.int(3), rng.int(3)],
      [0, 0],
    ],
  ];
  const cin = 1 + rng.int(4);
  return {
    x: [1 + rng.int(3), h, w, cin],
    f: [fh, fw, cin, 1 + rng.int(5)],
    strides: [sh, sw],
    pad: pads[rng.int(3)],
  };
}

function describeCase(c: ConvCase): string {
  return `x [${c.x}] filter [${c.f}] strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`;
}

describe('wasm kernel registry', () => {
  test('initBackend on wasm installs the replacements', () => {
    const names = installedWasmKernels().map((k) => k.kernelName);
    for (const k of [
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'BatchMatMul',
      '_FusedMatMul',
      'Conv2D',
      'FusedConv2D',
      'Sum',
      'Mean',
      'Tile',
      'Max',
      'Equal',
      'Multiply',
      'Greater',
      'LeakyRelu',
      'Select',
      'FusedBatchNorm',
    ]) {
      assert.ok(names.includes(k), `${k} not installed (got ${names.join(', ')})`);
      assert.ok(tf.getKernel(k, 'wasm'), `${k} not registered for wasm`);
    }
  });

  test('uninstall restores the shipped kernels, install puts ours back', () => {
    const ours = tf.getKernel('BatchMatMul', 'wasm');
    uninstallWasmKernels();
    try {
      assert.equal(
        tf.getKernel('Conv2DBackpropFilter', 'wasm'),
        undefined,
        'the shipped backend has no Conv2DBackpropFilter',
      );
      assert.notEqual(tf.getKernel('BatchMatMul', 'wasm'), ours);
      assert.deepEqual(installedWasmKernels(), []);
    } finally {
      installWasmKernels();
    }
    assert.equal(tf.getKernel('BatchMatMul', 'wasm').kernelFunc, ours.kernelFunc);
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  });
});

describe('conv2d gradients on wasm equal cpu', () => {
  const cases = [...fixedCases];
  for (let i = 0; i < 12; i++) cases.push(randomCase());
  for (const c of cases) {
    test(describeCase(c), async () => {
      const xs = randomArray(size(c.x));
      const fs = randomArray(size(c.f));
      const run = () => {
        const x = tf.tensor4d(xs, c.x);
        const f = tf.tensor4d(fs, c.f);
        const y = tf.conv2d(x, f, c.strides, c.pad);
        const dy = tf.tensor4d(dyValues(y.shape), y.shape);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy)),
        )([x, f]);
        // conv2dTranspose is Conv2DBackpropInput as a forward op
        const t = tf.conv2dTranspose(dy, f, c.x, c.strides, c.pad);
        const fused = tf.fused.conv2d({
          x,
          filter: f,
          strides: c.strides,
          pad: c.pad,
          bias: tf.fill([c.f[3]], 0.1),
          activation: 'relu',
        });
        return [y, dx, df, t, fused];
      };
      let dyCache: Float32Array | null = null;
      const dyValues = (shape: number[]) => (dyCache ??= randomArray(size(shape)));
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      assertClose(wasm[0], cpu[0], 'conv2d');
      assertClose(wasm[1], cpu[1], 'input gradient (Conv2DBackpropInput)');
      assertClose(wasm[2], cpu[2], 'filter gradient (Conv2DBackpropFilter)');
      assertClose(wasm[3], cpu[3], 'conv2dTranspose');
      assertClose(wasm[4], cpu[4], 'fused conv2d + bias + relu');
    });
  }

  test('the conv kernels free every intermediate buffer', () => {
    const x = tf.tensor4d(randomArray(2 * 10 * 11 * 3), [2, 10, 11, 3]);
    const f = tf.tensor4d(randomArray(4 * 4 * 3 * 5), [4, 4, 3, 5]);
    const dy = tf.tensor4d(randomArray(2 * 5 * 6 * 5), [2, 5, 6, 5]);
    assertNoLeak(() => tf.conv2dTranspose(dy, f, [2, 10, 11, 3], 2, 'same').dispose(), 'Conv2DBackpropInput');
    const filterGrad = () =>
      tf
        .tidy(() => tf.grad((ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, ff as tf.Tensor4D, 2, 'same'), dy)))(f))
        .dispose();
    assertNoLeak(filterGrad, 'Conv2DBackpropFilter');
    tf.dispose([x, f, dy]);
  });
});

describe('matMul with transposed operands on wasm equals cpu', () => {
  const shapes: Array<[number[], number[], number, number, number]> = [
    // [batch dims of a, batch dims of b, m, k, n]
    [[], [], 1, 1, 1],
    [[], [], 7, 5, 3],
    [[], [], 100, 64, 120],
    [[3], [3], 6, 4, 5],
    [[1], [3], 6, 4, 5],
    [[3], [1], 6, 4, 5],
    [[2, 2], [2, 2], 3, 4, 2],
    // edges of every gemm block: k > KC = 256, m > MC = 96, n > NC = 1024, none a multiple of the 4×8 tile
    [[], [], 130, 300, 1030],
    [[], [], 8, 150, 120],
    [[1], [1], 8, 150, 120],
    [[], [], 120, 150, 8],
  ];
  for (const [batchA, batchB, m, k, n] of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      test(`a [${batchA}], b [${batchB}], ${m}×${k}·${k}×${n}, transposeA ${ta}, transposeB ${tb}`, async () => {
        const aShape = [...batchA, ...(ta ? [k, m] : [m, k])];
        const bShape = [...batchB, ...(tb ? [n, k] : [k, n])];
        const as = randomArray(size(aShape));
        const bs = randomArray(size(bShape));
        const bias = randomArray(n);
        const run = () => {
          const a = tf.tensor(as, aShape);
          const b = tf.tensor(bs, bShape);
          const plain = tf.matMul(a, b, ta, tb);
          const fused = tf.fused.matMul({
            a,
            b,
            transposeA: ta,
            transposeB: tb,
            bias: tf.tensor1d(bias),
            activation: 'relu',
          });
          return [plain, fused];
        };
        const cpu = await on('cpu', run);
        const wasm = await on('wasm', run);
        assertClose(wasm[0], cpu[0], 'matMul');
        assertClose(wasm[1], cpu[1], 'fused matMul + bias + relu');
        assertNoLeak(() => tf.dispose(tf.tidy(run)), 'matMul');
      });
    }
  }

  // Batch shapes that broadcast with more than one entry on both sides (tfjs's op test "A has more batch
  // dimensions than B"). tf.fused.matMul reshapes its operands to rank 3 first and refuses these on every backend.
  for (const [batchA, batchB] of [
    [[2, 2], [2]],
    [[2], [3, 2]],
  ]) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      test(`a [${batchA}], b [${batchB}] broadcast, transposeA ${ta}, transposeB ${tb}`, async () => {
        const [m, k, n] = [3, 4, 2];
        const aShape = [...batchA, ...(ta ? [k, m] : [m, k])];
        const bShape = [...batchB, ...(tb ? [n, k] : [k, n])];
        const as = randomArray(size(aShape));
        const bs = randomArray(size(bShape));
        const run = () => [tf.matMul(tf.tensor(as, aShape), tf.tensor(bs, bShape), ta, tb)];
        assertClose((await on('wasm', run))[0], (await on('cpu', run))[0], 'matMul');
      });
    }
  }

  test('batch shapes [3, 1] and [1, 2] broadcast to [3, 2] like numpy (reference: cpu on operands broadcast first)', async () => {
    // The cpu backend maps batch entries by a modulo, right only when one batch shape is a suffix of the
    // other, so the reference broadcasts the operands itself and multiplies equal batch shapes.
    const [m, k, n] = [3, 4, 5];
    const as = randomArray(3 * m * k);
    const bs = randomArray(2 * k * n);
    const a = () => tf.tensor4d(as, [3, 1, m, k]);
    const b = () => tf.tensor4d(bs, [1, 2, k, n]);
    const wasm = await on('wasm', () => [tf.matMul(a(), b())]);
    const cpu = await on('cpu', () => [
      tf.matMul(tf.broadcastTo(a(), [3, 2, m, k]), tf.broadcastTo(b(), [3, 2, k, n])),
    ]);
    assertClose(wasm[0], cpu[0], 'matMul [3, 1] × [1, 2]');
    assertNoLeak(() => tf.dispose(tf.tidy(() => tf.matMul(a(), b()))), 'broadcast matMul');
  });

  test('dense layer gradients (x·W + b, sigmoid) equal cpu and do not leak', async () => {
    const xs = randomArray(16 * 30);
    const ws = randomArray(30 * 20);
    const bs = randomArray(20);
    const run = () => {
      const x = tf.tensor2d(xs, [16, 30]);
      const w = tf.tensor2d(ws, [30, 20]);
      const b = tf.tensor1d(bs);
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(
          tf.square(tf.fused.matMul({ a: xx as tf.Tensor2D, b: ww as tf.Tensor2D, bias: bb, activation: 'sigmoid' })),
        );
      return tf.grads(f)([x, w, b]);
    };
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    ['dx', 'dW', 'db'].forEach((name, i) => assertClose(wasm[i], cpu[i], name));
    assertNoLeak(() => tf.dispose(tf.tidy(run)), 'dense gradients');
  });
});

describe('the gemm module', () => {
  test('gemmWasm.ts was built from the C sources as they are (else: npm run build:gemm)', () => {
    const hash = createHash('sha256');
    const dir = path.join(__dirname, '../src/kernels/gemm');
    for (const f of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.c'))
      .sort())
      hash.update(fs.readFileSync(path.join(dir, f)));
    assert.equal(hash.digest('hex'), GEMM_SOURCE_SHA256);
  });

  test('a product split between threads covers C exactly once, on whole 4×8 tiles', () => {
    for (const [m, n, k, parts] of [
      [100, 1200, 1200, 2],
      [3136, 16, 64, 3],
      [13, 9, 5000, 4],
      [5, 5, 5, 2],
      [1024, 128, 3136, 2],
    ]) {
      const call = { m, n, k, a: 1000, aRs: k, aCs: 1, b: 900_000, bRs: n, bCs: 1, c: 5_000_000, ldc: n, bias: 64 };
      const slices = split(call, parts);
      const covered = new Uint8Array(m * n);
      for (const s of slices) {
        const offset = (s.c - call.c) / 4;
        const row0 = Math.floor(offset / n);
        const col0 = offset % n;
        assert.ok(
          Number.isInteger(offset) && row0 % 4 === 0 && col0 % 8 === 0,
          `slice at ${row0},${col0} is not on a tile boundary`,
        );
        assert.equal(s.a, call.a + 4 * row0 * k);
        assert.equal(s.b, call.b + 4 * col0);
        assert.equal(s.bias, call.bias + 4 * col0);
        for (let i = 0; i < s.m; i++) for (let j = 0; j < s.n; j++) covered[(row0 + i) * n + col0 + j]++;
      }
      assert.ok(
        covered.every((c) => c === 1),
        `${m}×${n}: an entry computed ${covered.find((c) => c !== 1)} times`,
      );
      assert.ok(slices.length <= parts);
    }
    assert.equal(
      split({ m: 4, n: 8, k: 4, a: 0, aRs: 4, aCs: 1, b: 0, bRs: 8, bCs: 1, c: 0, ldc: 8, bias: 0 }, 2).length,
      1,
      'tiny products stay on one thread',
    );
  });

  test('dilated convolution forward equals cpu', async () => {
    const xs = randomArray(2 * 9 * 9 * 3);
    const fs3 = randomArray(3 * 3 * 3 * 4);
    const run = () => [
      tf.conv2d(tf.tensor4d(xs, [2, 9, 9, 3]), tf.tensor4d(fs3, [3, 3, 3, 4]), 1, 'same', 'NHWC', [2, 2]),
    ];
    assertClose((await on('wasm', run))[0], (await on('cpu', run))[0], 'dilated conv2d');
  });

  const reductions: Array<[number[], number | number[], boolean]> = [
    [[64, 7, 7, 12], [0, 1, 2], false], // bias and batch-norm gradients
    [[6, 5, 4, 3], [0, 1, 2], true],
    [[7, 3], 0, false],
    [[2, 3, 4], [1, 0], true],
    [[2, 3, 4], [-3], false],
    [[2, 3, 4], [1], false], // not leading: the shipped kernel
    [[2, 3, 4], [0, 1, 2], false], // everything: the shipped kernel
    [[0, 3], 0, false],
  ];
  for (const [shape, axis, keepDims] of reductions) {
    test(`sum and mean of [${shape}] over ${JSON.stringify(axis)}, keepDims ${keepDims}`, async () => {
      const xs = randomArray(size(shape));
      const run = () => {
        const x = tf.tensor(xs, shape);
        return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)];
      };
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      const shapes = tf.tidy(() => run().map((t) => t.shape));
      assert.deepEqual(
        shapes[0],
        tf.tidy(() => tf.sum(tf.zeros(shape), axis, keepDims).shape),
      );
      assertClose(wasm[0], cpu[0], 'sum');
      assertClose(wasm[1], cpu[1], 'mean');
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Sum/Mean');
    });
  }
});

describe('memory-bound kernels on wasm equal cpu', () => {
  const tileCases: Array<[number[], number[], tf.DataType]> = [
    [[1, 1, 1, 5], [3, 4, 2, 1], 'float32'], // batch norm's gradient
    [[2, 3], [3, 2], 'float32'],
    [[2, 1, 3], [1, 4, 2], 'int32'],
    [[3], [5], 'bool'],
    [[2, 2, 2], [1, 1, 1], 'float32'],
    [[1, 2, 1, 3, 1], [2, 1, 3, 1, 2], 'float32'],
    [[4, 3], [2, 1], 'int32'],
  ];
  for (const [shape, reps, dtype] of tileCases) {
    test(`tile [${shape}] by [${reps}] (${dtype})`, async () => {
      const values = Array.from({ length: size(shape) }, (_, i) =>
        dtype === 'bool' ? i % 2 : dtype === 'int32' ? i - 3 : i * 0.5 - 1,
      );
      const run = () => [tf.tile(tf.tensor(values, shape, dtype), reps)];
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      assert.deepEqual(Array.from(wasm[0]), Array.from(cpu[0]));
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Tile');
    });
  }
  const equalCases: Array<[number[], number[]]> = [
    [
      [10, 24, 5],
      [10, 24, 1],
    ], // max's gradient in maxout
    [
      [10, 24, 1],
      [10, 24, 5],
    ],
    [
      [7, 3],
      [7, 1],
    ],
    [
      [3, 1],
      [1, 4],
    ],
    [[2, 3, 4], [4]],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [[5], [5]],
    [[4, 3], []],
  ];
  for (const [sa, sb] of equalCases) {
    test(`equal [${sa}] vs [${sb}] with broadcasting`, async () => {
      // few distinct values so that many entries are equal
      const av = Array.from({ length: size(sa) }, () => rng.int(3));
      const bv = Array.from({ length: size(sb) }, () => rng.int(3));
      const run = () => [
        tf.equal(tf.tensor(av, sa), tf.tensor(bv, sb)),
        tf.equal(tf.tensor(av, sa, 'int32'), tf.tensor(bv, sb, 'int32')),
      ];
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      assert.deepEqual(Array.from(wasm[0]), Array.from(cpu[0]));
      assert.deepEqual(Array.from(wasm[1]), Array.from(cpu[1]));
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Equal');
    });
  }
  const multiplyCases: Array<[number[], number[]]> = [
    [
      [10, 24, 1],
      [10, 24, 5],
    ], // max's gradient in maxout: dy · mask
    [
      [10, 24, 5],
      [10, 24, 1],
    ],
    [
      [7, 1],
      [7, 3],
    ],
    [
      [3, 1],
      [1, 4],
    ],
    [[2, 3], [3]],
    [[4, 3], []],
    [
      [0, 3],
      [0, 1],
    ],
  ];
  for (const [sa, sb] of multiplyCases) {
    test(`multiply [${sa}] by [${sb}] with broadcasting`, async () => {
      const av = randomArray(size(sa));
      const bv = randomArray(size(sb));
      const run = () => [
        tf.mul(tf.tensor(av, sa), tf.tensor(bv, sb)),
        tf.mul(tf.tensor(av.map(Math.round), sa, 'int32'), tf.tensor(bv.map(Math.round), sb, 'int32')),
      ];
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      assert.deepEqual(Array.from(wasm[0]), Array.from(cpu[0]));
      assert.deepEqual(Array.from(wasm[1]), Array.from(cpu[1]));
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Multiply');
    });
  }
  const maxCases: Array<[number[], number | number[], boolean]> = [
    [[10, 24, 5], -1, false], // maxout
    [[10, 24, 5], 2, true],
    [[6, 1], -1, false],
    [[9], 0, false],
    [[4, 5, 3], 1, false], // not the last axis: the shipped kernel
    [[4, 5, 3], [1, 2], true],
  ];
  for (const [shape, axis, keepDims] of maxCases) {
    test(`max of [${shape}] over ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''}`, async () => {
      const xs = randomArray(size(shape));
      xs[3] = NaN; // a NaN anywhere in a row makes its max NaN, as on cpu
      const run = () => [tf.max(tf.tensor(xs, shape), axis, keepDims)];
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      assert.deepEqual(Array.from(wasm[0]), Array.from(cpu[0]));
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Max');
    });
  }
  test('greater than a scalar (LeakyReLU gradient) equals cpu, NaN and ties included', async () => {
    const xs = randomArray(3 * 7 * 5);
    xs[0] = NaN;
    xs[1] = 0;
    xs[2] = 0.25;
    for (const [b, shape] of [
      [0, []],
      [0.25, [1]],
      [-0.5, [1, 1, 1]],
    ] as Array<[number, number[]]>) {
      const run = () => [
        tf.greater(tf.tensor(xs, [3, 7, 5]), tf.tensor([b], shape)),
        tf.greater(tf.tensor(xs.map(Math.round), [3, 7, 5], 'int32'), tf.scalar(0, 'int32')),
      ];
      const cpu = await on('cpu', run);
      const wasm = await on('wasm', run);
      assert.deepEqual(Array.from(wasm[0]), Array.from(cpu[0]), `> ${b} of shape [${shape}]`);
      assert.deepEqual(Array.from(wasm[1]), Array.from(cpu[1]), 'int32');
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Greater');
    }
  });
  test('LeakyReLU, its gradient and Select equal cpu exactly (negatives, zeros, NaN)', async () => {
    const xs = randomArray(4 * 6 * 6 * 5);
    xs[0] = 0;
    xs[1] = NaN;
    xs[2] = -0;
    const cond = Array.from(xs, (_, i) => i % 3 === 0);
    const run = () => {
      const x = tf.tensor4d(xs, [4, 6, 6, 5]);
      const t = tf.mul(x, 2);
      return [
        tf.leakyRelu(x, 0.2),
        tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(v, 0.2), tf.range(0, v.size).reshape(v.shape))))(x),
        tf.where(tf.tensor4d(cond, [4, 6, 6, 5], 'bool'), t, x),
      ];
    };
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    wasm.forEach((w, i) => assert.deepEqual(w, cpu[i], ['leakyRelu', 'its gradient', 'where'][i]));
    assertNoLeak(() => tf.dispose(tf.tidy(run)), 'LeakyRelu/Select');
  });

  test('batch norm with per-channel statistics equals cpu, with and without scale and offset', async () => {
    const shape = [3, 5, 4, 6];
    const xs = randomArray(size(shape));
    const [m, v, sc, off] = [randomArray(6), randomArray(6).map(Math.abs), randomArray(6), randomArray(6)];
    const run = () => {
      const x = tf.tensor4d(xs, shape as [number, number, number, number]);
      const [mean, variance, scale, offset] = [m, v, sc, off].map((a) => tf.tensor1d(a));
      return [
        tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
        tf.batchNorm(x, mean, variance, undefined, undefined, 1e-5),
        tf.batchNorm(
          x,
          mean.reshape([1, 1, 1, 6]),
          variance.reshape([1, 1, 1, 6]),
          offset.reshape([1, 1, 1, 6]),
          scale.reshape([1, 1, 1, 6]),
        ),
        tf.batchNorm(x, mean, variance, tf.scalar(0.5).reshape([1]), undefined), // offset of length 1: shipped kernel
      ];
    };
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    wasm.forEach((w, i) => assertClose(w, cpu[i], `batchNorm case ${i}`));
    assertNoLeak(() => tf.dispose(tf.tidy(run)), 'FusedBatchNorm');
  });

  test('maxout-style max gradient equals cpu', async () => {
    const xs = randomArray(6 * 12 * 5);
    const run = () => [
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.max(x, -1), tf.range(1, 73).reshape([6, 12]))))(
        tf.tensor3d(xs, [6, 12, 5]),
      ),
    ];
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    assertClose(wasm[0], cpu[0], 'max gradient');
  });
});

describe('fused optimiser updates on wasm are the op-by-op updates, bit for bit', () => {
  const shapes = [[37, 29], [5], []];
  const makers = {
    'SGD with momentum (paper schedule)': () => paperSgdMomentum(),
    'Adam (DCGAN settings)': () => adam({ learningRate: 2e-4, beta1: 0.5 }),
  };
  for (const [label, make] of Object.entries(makers)) {
    test(label, async () => {
      const starts = shapes.map((s) => randomArray(size(s)));
      const grads = [0, 1, 2].map(() => shapes.map((s) => randomArray(size(s))));
      // Three steps on a fresh optimiser; returns the variables and every slot value.
      const train = async (backend: 'cpu' | 'wasm'): Promise<{ values: Float32Array[]; kernels: string[] }> => {
        await tf.setBackend(backend);
        try {
          const opt = make();
          const vars = shapes.map((s, i) =>
            tf.variable(tf.tensor(starts[i], s), true, `fused_${backend}_${label}_${i}`),
          );
          const kernels: string[] = [];
          for (const step of grads) {
            const g = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(step[i], shapes[i])]));
            const info = await tf.profile(() => opt.applyGradients(g, vars));
            kernels.push(...info.kernelNames);
            tf.dispose(Object.values(g));
            opt.onMinibatchEnd();
          }
          const state = await opt.getState();
          const values = [...vars.map((v) => v.dataSync().slice() as Float32Array)];
          for (const slot of Object.values(state.slots)) values.push(...Object.values(slot).map((sv) => sv.values));
          opt.dispose();
          tf.dispose(vars);
          return { values, kernels };
        } finally {
          await tf.setBackend('wasm');
        }
      };
      const cpu = await train('cpu');
      const wasm = await train('wasm');
      assert.ok(
        wasm.kernels.some((k) => k.startsWith('Tsgan')),
        `wasm ran ${[...new Set(wasm.kernels)]}`,
      );
      assert.ok(!cpu.kernels.some((k) => k.startsWith('Tsgan')), 'cpu has no fused kernel');
      assert.equal(wasm.values.length, cpu.values.length);
      wasm.values.forEach((w, i) => assert.deepEqual(w, cpu.values[i], `tensor ${i} (variables, then slots)`));
    });
  }

  test('no leaks, and wrong inputs are refused', () => {
    const opt = adam({ learningRate: 1e-3 });
    const v = tf.variable(tf.ones([4, 3]), true, 'fused_leak');
    const g = { [v.name]: tf.ones([4, 3]) };
    assertNoLeak(() => opt.applyGradients(g, [v]), 'Adam step');
    assert.throws(
      () =>
        tf
          .engine()
          .runKernel(
            'TsganSgdMomentum',
            { variable: v, grad: tf.ones([4, 3], 'int32'), velocity: v },
            { momentum: 0.5, learningRate: 0.1 },
          ),
      /every input must be float32 of shape \[4,3\], got int32/,
    );
    opt.dispose();
    tf.dispose([v, ...Object.values(g)]);
  });
});

describe('Sum and Mean gradients broadcast dy instead of multiplying by tf.ones', () => {
  const cases: Array<[number[], number | number[], boolean]> = [
    [[4, 5, 6, 3], [0, 1, 2], true], // batch norm's moments
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[7, 3], 0, false],
    [[7, 3], -1, true],
    [[2, 3, 4], [0, 2], false],
    [[5], 0, false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    test(`x [${shape}] over ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''}: the same bits as tfjs's own gradients`, async () => {
      const xs = randomArray(size(shape));
      const run = () => {
        const x = tf.tensor(xs, shape);
        // weights so that every entry of dy differs
        const f = (reduce: typeof tf.sum) => (t: tf.Tensor) => {
          const r = reduce(t, axis, keepDims);
          return tf.sum(tf.mul(r, tf.range(1, r.size + 1).reshape(r.shape)));
        };
        return [tf.grad(f(tf.sum))(x), tf.grad(f(tf.mean))(x)];
      };
      const ours = await on('cpu', run);
      const kernels = (await tf.profile(() => tf.dispose(run()))).kernelNames;
      uninstallWasmKernels();
      try {
        const theirs = await on('cpu', run);
        ours.forEach((g, i) => assert.deepEqual(g, theirs[i], i === 0 ? 'sum' : 'mean'));
      } finally {
        installWasmKernels();
      }
      assert.ok(kernels.includes('Tile'), `broadcast by Tile: ${kernels}`);
      assertNoLeak(() => tf.dispose(tf.tidy(run)), 'Sum/Mean gradients');
    });
  }
});

describe('dropout masks drawn in the wasm heap', () => {
  test('are the numbers of Rng.fillBernoulli, and leave the Rng where it would be', async () => {
    for (const [shape, p, value] of [
      [[100, 784], 0.8, 1.25],
      [[7, 3, 5], 0.5, 2],
      [[0, 4], 0.5, 2],
      [[1], 0.999, 1],
    ] as Array<[number[], number, number]>) {
      const kernelRng = new Rng(42);
      const jsRng = new Rng(42);
      kernelRng.normal(); // a cached Box-Muller value is part of the state too
      jsRng.normal();
      let drawn: tf.Tensor | undefined;
      const ran = (await tf.profile(() => void (drawn = bernoulliMask(kernelRng, shape, p, value)))).kernelNames;
      const mask = drawn!;
      assert.ok(ran.includes('TsganBernoulli'), `kernels run: ${ran}`);
      const expected = jsRng.fillBernoulli(new Float32Array(size(shape)), p, value);
      assert.deepEqual(mask.shape, shape);
      assert.deepEqual(mask.dataSync(), expected, `mask [${shape}] p ${p}`);
      assert.deepEqual(kernelRng.getState(), jsRng.getState(), 'Rng state after the draw');
      mask.dispose();
    }
    assertNoLeak(() => bernoulliMask(new Rng(1), [10, 10], 0.5, 2).dispose(), 'bernoulliMask');
  });

  test('a state that is not int32 [4], or p outside [0, 1], is refused', () => {
    assert.throws(() => bernoulliMask(new Rng(1), [3], 1.5, 1), /p is a probability in \[0, 1\], got 1.5/);
    assert.throws(
      () =>
        tf.engine().runKernel('TsganBernoulli', { state: tf.tensor1d([1, 2, 3]) }, { shape: [2], p: 0.5, value: 1 }),
      /state must be an int32 \[4\] tensor/,
    );
  });
});

describe('Identity shares the buffer', () => {
  test('a clone reads the same values, outlives its source, and frees the buffer last', () => {
    const ids = wasmDataIds();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    assert.equal(wasmDataIds(), ids + 1, 'one buffer for both');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
    y.dispose();
    assert.equal(wasmDataIds(), ids);
    // gradients save tensors through Identity: still right and leak-free
    const f = () => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(a), a)))(tf.tensor1d([0.5, -1, 2]));
    const g = f();
    const s = [0.5, -1, 2].map((v) => 1 / (1 + Math.exp(-v)));
    assertClose(
      g.dataSync() as Float32Array,
      new Float32Array([0.5, -1, 2].map((v, i) => s[i] + v * s[i] * (1 - s[i]))),
      'd/da a·σ(a)',
    );
    g.dispose();
    assertNoLeak(() => tf.dispose(tf.tidy(f)), 'Identity in gradients');
  });
});

describe('Conv2DBackpropInput takes what the shipped kernel takes (cases off the gemm path go to it)', () => {
  test("a dy larger than the convolution's output (tfjs's op test 'input=8x8x8,output=4x4x8') equals cpu", async () => {
    const xs = randomArray(8 * 8 * 8);
    const ws = randomArray(8 * 8 * 8 * 8);
    const run = () => [
      tf.conv2dTranspose(tf.tensor4d(xs, [1, 8, 8, 8]), tf.tensor4d(ws, [8, 8, 8, 8]), [1, 4, 4, 8], 1, 'same'),
    ];
    const wasm = await on('wasm', run);
    assert.equal(wasm[0].length, 4 * 4 * 8);
    assertClose(wasm[0], (await on('cpu', run))[0], 'conv2dTranspose, dy 8×8 for a 4×4 output');
    assertNoLeak(() => tf.dispose(tf.tidy(run)), 'conv2dTranspose off the gemm path');
  });

  test('NCHW equals cpu', async () => {
    const dys = randomArray(2 * 3 * 3 * 3);
    const fs4 = randomArray(2 * 2 * 2 * 3);
    const run = () => [
      tf.engine().runKernel(
        'Conv2DBackpropInput',
        { dy: tf.tensor4d(dys, [2, 3, 3, 3]), filter: tf.tensor4d(fs4, [2, 2, 2, 3]) },
        {
          strides: 1,
          pad: 'valid',
          dataFormat: 'NCHW',
          inputShape: [2, 2, 4, 4],
        },
      ) as tf.Tensor,
    ];
    assertClose((await on('wasm', run))[0], (await on('cpu', run))[0], 'Conv2DBackpropInput NCHW');
  });
});

describe('clear errors', () => {
  test('NCHW filter gradients are refused with a hint (wasm has no filter gradient to fall back to)', () => {
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 2, 3, 3]);
    assert.throws(
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [2, 2, 2, 2] },
          ),
      /supports dataFormat 'NHWC' only.*channels last/,
    );
    tf.dispose([x, dy]);
  });

  test("a dy smaller than the convolution's output is refused (the shipped kernel would read past its end)", () => {
    const dy = tf.zeros([1, 2, 2, 1]);
    const filter = tf.zeros([2, 2, 1, 1]);
    assert.throws(
      () =>
        tf
          .engine()
          .runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 1, pad: 'valid', inputShape: [1, 4, 4, 1] }),
      /dy has shape \[1,2,2,1\] but input \[1,4,4,1\] with filter \[2,2,1,1\] gives outputs \[1,3,3,1\]/,
    );
    tf.dispose([dy, filter]);
  });

  test('dilated convolution gradients are refused with a hint', () => {
    const x = tf.zeros([1, 5, 5, 1]);
    const dy = tf.zeros([1, 3, 3, 1]);
    assert.throws(
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 1, 1], dilations: [2, 2] },
          ),
      /supports dilations = 1 only/,
    );
    tf.dispose([x, dy]);
  });
});

/** A DCGAN-shaped pair, small enough for the cpu backend (same layer types as models/dcgan.ts). */
function smallConvNets(seed: number): { g: tf.Sequential; d: tf.Sequential } {
  const init = (s: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.2, seed: seed + s });
  const g = tf.sequential();
  g.add(tf.layers.dense({ inputShape: [6], units: 7 * 7 * 4, useBias: false, kernelInitializer: init(1) }));
  g.add(tf.layers.reshape({ targetShape: [7, 7, 4] }));
  g.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  g.add(tf.layers.reLU());
  g.add(
    tf.layers.conv2dTranspose({
      filters: 3,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(2),
    }),
  );
  g.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  g.add(tf.layers.reLU());
  g.add(
    tf.layers.conv2dTranspose({
      filters: 1,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'sigmoid',
      kernelInitializer: init(3),
    }),
  );
  g.add(tf.layers.flatten());
  const d = tf.sequential();
  d.add(tf.layers.reshape({ inputShape: [784], targetShape: [28, 28, 1] }));
  d.add(tf.layers.conv2d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(4) }));
  d.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  d.add(
    tf.layers.conv2d({
      filters: 5,
      kernelSize: 3,
      strides: 2,
      padding: 'valid',
      useBias: false,
      kernelInitializer: init(5),
    }),
  );
  d.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
  d.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  d.add(tf.layers.flatten());
  d.add(tf.layers.dense({ units: 1, kernelInitializer: init(6) }));
  return { g, d };
}

describe('conv nets on wasm', () => {
  test('gradients of a small DCGAN-shaped G and D equal cpu', async () => {
    const z = randomArray(5 * 6);
    const real = rng.fillUniform(new Float32Array(5 * 784), 0, 1);
    const run = () => {
      const { g, d } = smallConvNets(7);
      const zt = tf.tensor2d(z, [5, 6]);
      const xt = tf.tensor2d(real, [5, 784]);
      const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
      const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
      const dGrads = tf.variableGrads(() => {
        const fake = g.apply(zt, { training: true }) as tf.Tensor;
        const r = d.apply(xt, { training: true }) as tf.Tensor;
        const f = d.apply(fake, { training: true }) as tf.Tensor;
        return tf.add(tf.mean(tf.softplus(tf.neg(r))), tf.mean(tf.softplus(f))) as tf.Scalar;
      }, dVars);
      const gGrads = tf.variableGrads(() => {
        const f = d.apply(g.apply(zt, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor;
        return tf.mean(tf.softplus(tf.neg(f))) as tf.Scalar;
      }, gVars);
      const out = [
        dGrads.value,
        ...dVars.map((v) => dGrads.grads[v.name]),
        gGrads.value,
        ...gVars.map((v) => gGrads.grads[v.name]),
      ];
      const kept = out.map((t) => t.clone());
      g.dispose();
      d.dispose();
      return kept;
    };
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    assert.equal(wasm.length, cpu.length);
    cpu.forEach((c, i) => assertClose(wasm[i], c, `loss/gradient #${i}`, 1e-4));
  });

  test('one full DCGAN training iteration (lib models and steps, Adam 2e-4 β1 0.5) runs without leaks', () => {
    const g = dcganGenerator({ seed: 1 });
    const d = dcganDiscriminator({ seed: 2 });
    const dOpt = adam({ learningRate: 2e-4, beta1: 0.5 });
    const gOpt = adam({ learningRate: 2e-4, beta1: 0.5 });
    const real = tf.tensor2d(rng.fillUniform(new Float32Array(8 * 784), 0, 1), [8, 784]);
    const z = tf.tensor2d(randomArray(8 * 100), [8, 100]);
    const before = trainableVariables(g).map((v) => v.dataSync().slice());
    const iteration = () => {
      const dr = discriminatorStep({ generator: g, discriminator: d, optimizer: dOpt, real, z });
      const gr = generatorStep({ generator: g, discriminator: d, optimizer: gOpt, z });
      for (const v of [dr.dLoss, dr.dReal, dr.dFake, gr.gLoss, gr.dFake])
        assert.ok(Number.isFinite(v), `non-finite metric ${v}`);
    };
    iteration(); // creates the optimiser slots
    const changed = trainableVariables(g).some((v, i) => v.dataSync().some((x, j) => x !== before[i][j]));
    assert.ok(changed, "G's weights did not change");
    assertNoLeak(iteration, 'DCGAN iteration');
    tf.dispose([real, z]);
    g.dispose();
    d.dispose();
    dOpt.dispose();
    gOpt.dispose();
  });
});
