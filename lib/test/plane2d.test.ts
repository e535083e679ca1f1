import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  generatorSampleGradient,
  snapshot2D,
  planeFigure,
  planeTraces,
  mlpGenerator,
  normalPrior,
  Rng,
} from '../src';

before(async () => {
  await initBackend();
});

/** D(x) = σ(w·x + b): a logistic regression, whose gradients have closed forms. */
function linearD(w: [number, number], b: number): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  m.layers[0].setWeights([tf.tensor2d([[w[0]], [w[1]]]), tf.tensor1d([b])]);
  return m;
}
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

describe('generatorSampleGradient', () => {
  const w: [number, number] = [1.5, -0.5];
  const b = 0.25;
  const pts = [
    [0, 0],
    [1, 2],
    [-2, 0.5],
  ];

  for (const variant of ['nonSaturating', 'saturating'] as const) {
    test(`${variant}: per sample −(1 − D)·w (non-saturating) or −D·w (saturating), whatever the batch size`, () => {
      const D = linearD(w, b);
      const x = tf.tensor2d(pts);
      const before = tf.memory().numTensors;
      const g = generatorSampleGradient({ discriminator: D, samples: x, variant });
      const got = g.arraySync();
      g.dispose();
      assert.equal(tf.memory().numTensors, before, 'leaked tensors');
      pts.forEach(([p, q], i) => {
        const d = sigmoid(w[0] * p + w[1] * q + b);
        const factor = variant === 'nonSaturating' ? -(1 - d) : -d;
        assert.ok(
          Math.abs(got[i][0] - factor * w[0]) < 1e-5 && Math.abs(got[i][1] - factor * w[1]) < 1e-5,
          `${variant} sample ${i}: ${got[i]}`,
        );
      });
      tf.dispose(x);
      D.dispose();
    });
  }

  test('rejects what is not a live [N, dim] tensor', () => {
    const D = linearD(w, b);
    const x = tf.tensor2d(pts);
    x.dispose();
    assert.throws(() => generatorSampleGradient({ discriminator: D, samples: x }), /live \[N, dim\] tensor/);
    D.dispose();
  });
});

describe('snapshot2D and planeFigure', () => {
  test('a grid of D, the samples G(z) and one gradient per arrow; nothing leaks', () => {
    const G = mlpGenerator({
      latentDim: 3,
      hidden: [8],
      outputDim: 2,
      activation: 'relu',
      outputActivation: 'linear',
      seed: 1,
    });
    const D = linearD([1, 0], 0); // D depends on x₁ only: every row of the heat map is the same
    const z = normalPrior(3).sample(10, new Rng(1));
    const before = tf.memory().numTensors;
    const s = snapshot2D({
      generator: G,
      discriminator: D,
      z,
      real: [2, 0, 0, 2],
      range: [
        [-3, 3],
        [-2, 2],
      ],
      gridPoints: 5,
      arrows: 4,
    });
    assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    assert.deepEqual(s.gridX, [-3, -1.5, 0, 1.5, 3]);
    assert.deepEqual(s.gridY, [-2, -1, 0, 1, 2]);
    assert.equal(s.d.length, 5);
    s.d.forEach((row) => row.forEach((v, i) => assert.ok(Math.abs(v - sigmoid(s.gridX[i])) < 1e-6)));
    assert.deepEqual(s.real, { x: [2, 0], y: [0, 2] });
    const fake = tf.tidy(() => (G.predict(z) as tf.Tensor).arraySync() as number[][]);
    assert.equal(s.fake.x.length, 10);
    fake.forEach(([p, q], i) => assert.ok(Math.abs(s.fake.x[i] - p) < 1e-6 && Math.abs(s.fake.y[i] - q) < 1e-6));
    assert.equal(s.gradient!.x.length, 4);
    s.gradient!.x.forEach((gx, i) => assert.ok(Math.abs(gx + (1 - sigmoid(s.fake.x[i]))) < 1e-5));
    s.gradient!.y.forEach((gy) => assert.ok(Math.abs(gy) < 1e-7));

    const fig = planeFigure(s, { title: 'test', arrowLength: 0.1 });
    assert.deepEqual(
      fig.data.map((t) => t.type),
      ['heatmap', 'scatter', 'scatter', 'scatter'],
    );
    // arrows: tail, head, gap for each; the longest is 10% of the plot's width (0.6), all point along −∇ (to +x₁ here)
    const ax = fig.data[3].x as (number | null)[];
    assert.equal(ax.length, 12);
    const lengths = [0, 1, 2, 3].map((i) => (ax[3 * i + 1] as number) - (ax[3 * i] as number));
    assert.ok(Math.abs(Math.max(...lengths) - 0.6) < 1e-4, `${lengths}`);
    assert.ok(lengths.every((l) => l > 0));
    assert.equal(ax[2], null);
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [-3, 3]);
    tf.dispose(z);
    G.dispose();
    D.dispose();
  });

  test('bad snapshots and ranges are refused with a message', () => {
    assert.throws(
      () =>
        planeTraces({ gridX: [0, 1], gridY: [0, 1], d: [[0.5, 0.5]], real: { x: [], y: [] }, fake: { x: [], y: [] } }),
      /2 rows/,
    );
    const G = mlpGenerator({ latentDim: 2, hidden: [4], outputDim: 2, outputActivation: 'linear', seed: 1 });
    const D = linearD([1, 0], 0);
    const z = tf.zeros([2, 2]) as tf.Tensor2D;
    assert.throws(
      () =>
        snapshot2D({
          generator: G,
          discriminator: D,
          z,
          real: [],
          range: [
            [1, 0],
            [0, 1],
          ],
        }),
      /x0 < x1/,
    );
    tf.dispose(z);
    G.dispose();
    D.dispose();
  });
});
