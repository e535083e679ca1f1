import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  Rng,
  logspace,
  parzenLogLikelihood,
  parzenLogLikelihoods,
  selectParzenSigma,
  parzenEvaluate,
  parzenProtocol,
  meanAndStdErr,
  nearestNeighbours,
  kMeans,
} from '../src';

before(async () => {
  await initBackend();
});

function randomMatrix(rng: Rng, rows: number, dim: number): Float32Array {
  return rng.fillUniform(new Float32Array(rows * dim), 0, 1);
}

/** parzen_ll.py in float64, one point and one centre at a time. */
function bruteParzen(centres: Float32Array, points: Float32Array, d: number, sigma: number): Float64Array {
  const m = centres.length / d;
  const n = points.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const z = (points[i * d + c] - centres[j * d + c]) / sigma;
        s += z * z;
      }
      a[j] = -0.5 * s;
    }
    const max = Math.max(...a);
    let sum = 0;
    for (let j = 0; j < m; j++) sum += Math.exp(a[j] - max);
    out[i] = max + Math.log(sum / m) - d * Math.log(sigma * Math.sqrt(2 * Math.PI));
  }
  return out;
}

function bruteNearest(q: Float32Array, s: Float32Array, d: number): { index: number; dist: number }[] {
  const out = [];
  for (let i = 0; i < q.length / d; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < s.length / d; j++) {
      let t = 0;
      for (let c = 0; c < d; c++) t += (q[i * d + c] - s[j * d + c]) ** 2;
      if (t < bestD) {
        bestD = t;
        best = j;
      }
    }
    out.push({ index: best, dist: bestD });
  }
  return out;
}

describe('Parzen-window log-likelihood', () => {
  const d = 20;
  const rng = new Rng(1);
  const centres = randomMatrix(rng, 37, d);
  const points = randomMatrix(rng, 23, d);

  test("logspace is numpy.logspace: the paper's σ grid logspace(-1, 0, 10) and an exact one", () => {
    const expected = [0.1, 0.1292, 0.1668, 0.2154, 0.2783, 0.3594, 0.4642, 0.5995, 0.7743, 1.0];
    const grid = logspace(-1, 0, 10);
    assert.equal(grid.length, 10);
    grid.forEach((s, i) => assert.ok(Math.abs(s - expected[i]) < 1e-4, `${s} vs ${expected[i]}`));
    assert.deepEqual(logspace(0, 2, 3), [1, 10, 100]);
  });

  for (const sigma of [0.01, 0.1, 0.2154, 1, 5]) {
    for (const batchSize of [1, 7, 23, 100]) {
      test(`matches a float64 brute force, σ = ${sigma}, batch ${batchSize}`, async () => {
        const before = tf.memory().numTensors;
        const got = await parzenLogLikelihood(centres, points, sigma, { dim: d, batchSize });
        assert.equal(tf.memory().numTensors, before, 'no leaked tensors');
        const ref = bruteParzen(centres, points, d, sigma);
        assert.equal(got.length, ref.length);
        for (let i = 0; i < ref.length; i++) {
          assert.ok(Number.isFinite(got[i]), `point ${i}: ${got[i]} is not finite`);
          const tol = 1e-4 * Math.abs(ref[i]) + 1e-3;
          assert.ok(Math.abs(got[i] - ref[i]) <= tol, `point ${i}: ${got[i]} vs ${ref[i]}`);
        }
      });
    }
  }

  test('MNIST-like data far from the origin: centring keeps float32 accurate (d = 784, σ = 0.1)', async () => {
    const r = new Rng(5);
    const dim = 784;
    const c = randomMatrix(r, 50, dim).map((v) => 0.8 + 0.2 * v);
    // points close to some centres, where ‖x‖² − 2x·μ + ‖μ‖² cancels most
    const p = new Float32Array(10 * dim);
    for (let i = 0; i < 10; i++)
      for (let k = 0; k < dim; k++) p[i * dim + k] = c[i * dim + k] + 0.01 * (r.uniform() - 0.5);
    const got = await parzenLogLikelihood(c, p, 0.1, { dim, batchSize: 3 });
    const ref = bruteParzen(c, p, dim, 0.1);
    for (let i = 0; i < ref.length; i++)
      assert.ok(Math.abs(got[i] - ref[i]) <= 1e-4 * Math.abs(ref[i]) + 1e-2, `${got[i]} vs ${ref[i]}`);
  });

  test('a point on a centre with tiny σ: the log-mean-exp stays finite (no log 0, no NaN)', async () => {
    const got = await parzenLogLikelihood(centres, centres.slice(0, 3 * d), 1e-3, { dim: d });
    const ref = bruteParzen(centres, centres.slice(0, 3 * d), d, 1e-3);
    for (let i = 0; i < 3; i++) {
      assert.ok(Number.isFinite(got[i]));
      assert.ok(Math.abs(got[i] - ref[i]) < 1e-3 * Math.abs(ref[i]) + 1e-2, `${got[i]} vs ${ref[i]}`);
    }
  });

  test('tensors are accepted as well as flat arrays', async () => {
    const ct = tf.tensor2d(centres, [37, d]);
    const pt = tf.tensor2d(points, [23, d]);
    const a = await parzenLogLikelihood(ct, pt, 0.3);
    const b = await parzenLogLikelihood(centres, points, 0.3, { dim: d });
    assert.deepEqual(Array.from(a), Array.from(b));
    ct.dispose();
    pt.dispose();
  });

  test('several σ at once equal one σ at a time', async () => {
    const sig = [0.1, 0.5, 2];
    const all = await parzenLogLikelihoods(centres, points, sig, { dim: d, batchSize: 5 });
    for (let k = 0; k < sig.length; k++) {
      const one = await parzenLogLikelihood(centres, points, sig[k], { dim: d, batchSize: 5 });
      assert.deepEqual(Array.from(all[k]), Array.from(one));
    }
  });

  test('σ selection returns the grid maximum and all grid scores', async () => {
    const grid = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6];
    const sel = await selectParzenSigma(centres, points, grid, { dim: d, batchSize: 6 });
    assert.equal(sel.scores.length, grid.length);
    const means = grid.map((s) => meanAndStdErr(bruteParzen(centres, points, d, s)).mean);
    const bestK = means.indexOf(Math.max(...means));
    assert.equal(sel.sigma, grid[bestK]);
    sel.scores.forEach((s, k) => {
      assert.equal(s.sigma, grid[k]);
      assert.ok(Math.abs(s.meanLogLikelihood - means[k]) < 1e-3 * Math.abs(means[k]) + 1e-3);
    });
    assert.equal(sel.meanLogLikelihood, Math.max(...sel.scores.map((s) => s.meanLogLikelihood)));
    // no grid is assumed: the experiment's config holds it
    await assert.rejects(() => parzenProtocol(centres, points, points, { dim: d } as never), /options\.grid must be/);
  });

  test('± is the population std over √N (parzen_ll.py: numpy std, ddof 0)', async () => {
    assert.deepEqual(meanAndStdErr([1, 3]), { mean: 2, std: 1, stdErr: 1 / Math.SQRT2, n: 2 });
    const r = await parzenEvaluate(centres, points, 0.3, { dim: d, batchSize: 4 });
    const ll = bruteParzen(centres, points, d, 0.3);
    const mean = ll.reduce((a, b) => a + b, 0) / ll.length;
    const std = Math.sqrt(ll.reduce((a, b) => a + (b - mean) ** 2, 0) / ll.length);
    assert.equal(r.sigma, 0.3);
    assert.equal(r.n, 23);
    assert.ok(Math.abs(r.mean - mean) < 1e-3);
    assert.ok(Math.abs(r.stdErr - std / Math.sqrt(23)) < 1e-4);
  });

  test('the protocol chooses σ on validation and scores the test set with it', async () => {
    const val = randomMatrix(new Rng(9), 11, d);
    const res = await parzenProtocol(centres, val, points, { dim: d, grid: [0.1, 0.3, 1] });
    const sel = await selectParzenSigma(centres, val, [0.1, 0.3, 1], { dim: d });
    assert.equal(res.sigma, sel.sigma);
    assert.equal(res.centres, 37);
    assert.equal(res.validationCount, 11);
    assert.equal(res.n, 23);
  });

  test('bad input gives clear errors', async () => {
    await assert.rejects(parzenLogLikelihood(centres, points, 0, { dim: d }), /σ must be a positive/);
    await assert.rejects(parzenLogLikelihood(centres, points, 0.1, { dim: 21 }), /not a whole number of rows of 21/);
    await assert.rejects(
      parzenLogLikelihood(centres, points.subarray(0, 19 * 10), 0.1, { dim: d }),
      /not a whole number/,
    );
    await assert.rejects(
      parzenLogLikelihood(centres, points, 0.1, { dim: d, batchSize: 0 }),
      /batchSize must be a positive integer/,
    );
  });
});

describe('nearest neighbours', () => {
  test('match a brute-force search, over several chunks and batches', async () => {
    const d = 16;
    const rng = new Rng(3);
    const set = randomMatrix(rng, 101, d);
    const q = randomMatrix(rng, 13, d);
    const before = tf.memory().numTensors;
    const res = await nearestNeighbours(q, set, { dim: d, batchSize: 4, chunkSize: 30 });
    assert.equal(tf.memory().numTensors, before);
    const ref = bruteNearest(q, set, d);
    ref.forEach((r, i) => {
      assert.equal(res.indices[i], r.index, `query ${i}`);
      assert.ok(Math.abs(res.distances[i] - r.dist) < 1e-9);
    });
  });

  test('a query that is a row of the set finds itself at distance 0', async () => {
    const d = 784;
    const set = randomMatrix(new Rng(4), 60, d);
    const q = set.slice(17 * d, 19 * d);
    const res = await nearestNeighbours(q, set, { dim: d });
    assert.deepEqual(Array.from(res.indices), [17, 18]);
    assert.deepEqual(Array.from(res.distances), [0, 0]);
  });
});

describe('k-means', () => {
  const d = 8;
  // three well separated blobs
  const rng = new Rng(11);
  const n = 300;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) data[i * d + c] = (i % 3) * 3 + 0.3 * rng.normal();

  for (const init of ['random', 'kmeans++'] as const) {
    test(`${init} init: inertia never rises, and a seed makes it deterministic`, async () => {
      const before = tf.memory().numTensors;
      const a = await kMeans(data, 6, { rng: new Rng(5), iterations: 8, init, dim: d, batchSize: 17 });
      assert.equal(tf.memory().numTensors, before);
      assert.ok(a.inertia.length >= 2);
      for (let i = 1; i < a.inertia.length; i++)
        assert.ok(a.inertia[i] <= a.inertia[i - 1] * (1 + 1e-6), `${a.inertia}`);
      assert.ok(a.inertia[a.inertia.length - 1] < a.inertia[0]);
      const b = await kMeans(data, 6, { rng: new Rng(5), iterations: 8, init, dim: d, batchSize: 50 });
      assert.deepEqual(Array.from(b.centroids), Array.from(a.centroids));
      assert.deepEqual(Array.from(b.assignments), Array.from(a.assignments));
      // each row is assigned to its nearest centroid
      const cents = bruteNearest(data, a.centroids, d);
      cents.forEach((c, i) => assert.equal(a.assignments[i], c.index));
    });
  }

  test('k = 3 on three blobs recovers the blobs', async () => {
    const r = await kMeans(data, 3, { rng: new Rng(2), iterations: 20, init: 'kmeans++', dim: d });
    for (let i = 3; i < n; i++) assert.equal(r.assignments[i], r.assignments[i % 3]);
    assert.equal(new Set(Array.from(r.assignments)).size, 3);
  });

  test('bad k and missing rng are clear errors', async () => {
    await assert.rejects(kMeans(data, 0, { rng: new Rng(1), dim: d }), /k must be an integer in \[1, 300\]/);
    await assert.rejects(kMeans(data, 2, { dim: d } as never), /pass \{ rng: new Rng\(seed\) \}/);
  });
});
