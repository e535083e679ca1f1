import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, mixtureMetrics, ringMixture2D, Rng } from '../src';

before(async () => {
  await initBackend();
});

const ring = ringMixture2D(8, 2, 0.02);
const opts = { centres: ring.modes, std: 0.02 };

describe('mixtureMetrics', () => {
  test('samples of the mixture itself: every mode covered, high-quality share = 1 − e^(−9/2) within sampling error', () => {
    const n = 20000;
    const m = mixtureMetrics(ring.sample(n, new Rng(3)), opts);
    // |x − c|²/σ² is χ² with 2 degrees of freedom: P(|x − c| ≤ 3σ) = 1 − exp(−9/2) = 0.98889
    const p = 1 - Math.exp(-4.5);
    assert.ok(
      Math.abs(m.highQualityShare - p) < 4 * Math.sqrt((p * (1 - p)) / n),
      `share ${m.highQualityShare} vs ${p}`,
    );
    assert.equal(m.modesCovered, 8);
    assert.equal(m.modes, 8);
    assert.equal(m.samples, n);
    assert.equal(
      m.perMode.reduce((a, b) => a + b, 0),
      m.highQuality,
    );
    assert.ok(m.klToUniform < 0.002, `KL ${m.klToUniform}`);
    // spread evenly round a ring of radius 2: the RMS distance from the centre is √(4 + σ²·2)
    assert.ok(Math.abs(m.centroidSpread - Math.sqrt(4 + 2 * 0.02 ** 2)) < 0.02, `spread ${m.centroidSpread}`);
  });

  test("centroidSpread: the RMS distance from the samples' mean point, NaN points left out", () => {
    // (0, 0), (2, 0), (0, 2), (2, 2): mean (1, 1), every point √2 from it
    const m = mixtureMetrics([0, 0, 2, 0, 0, 2, 2, 2, NaN, 5], opts);
    assert.ok(Math.abs(m.centroidSpread - Math.SQRT2) < 1e-12);
    assert.ok(Number.isNaN(mixtureMetrics([NaN, NaN], opts).centroidSpread));
  });

  test('all samples on one centre: one mode, share 1, KL = log 8 (the collapsed generator)', () => {
    const pts = new Float32Array(2 * 100);
    for (let i = 0; i < 100; i++) pts.set(ring.modes[3], 2 * i);
    const m = mixtureMetrics(pts, opts);
    assert.deepEqual(m.perMode, [0, 0, 0, 100, 0, 0, 0, 0]);
    assert.equal(m.modesCovered, 1);
    assert.equal(m.highQualityShare, 1);
    assert.ok(Math.abs(m.klToUniform - Math.log(8)) < 1e-12);
    assert.ok(m.centroidSpread < 1e-6, 'one clump: no spread');
  });

  test('the 3σ boundary and the fair-share threshold, on hand-placed points', () => {
    const [cx, cy] = ring.modes[0]; // (2, 0)
    // 0.059 inside 3σ = 0.06, 0.061 outside; (0, 0) is 2 from every centre
    const pts = [cx + 0.059, cy, cx, cy - 0.061, 0, 0, ...ring.modes[1], ...ring.modes[1]];
    const m = mixtureMetrics(pts, opts);
    assert.deepEqual(m.perMode, [1, 2, 0, 0, 0, 0, 0, 0]);
    // every sample has a nearest mode; (0, 0) is equally far from all 8 and goes to the first
    assert.deepEqual(m.nearestPerMode, [3, 2, 0, 0, 0, 0, 0, 0]);
    assert.equal(m.highQualityShare, 3 / 5);
    // fair share 5/8; a fifth of it is 0.125: both modes with samples are covered
    assert.equal(m.modesCovered, 2);
    // a threshold of 2 fair shares (1.25 samples) leaves only mode 1
    assert.equal(mixtureMetrics(pts, { ...opts, minFairShare: 2 }).modesCovered, 1);
    assert.equal(mixtureMetrics(pts, { ...opts, sigmas: 4 }).perMode[0], 2);
  });

  test('reads an [n, 2] tensor without disposing it or leaking', () => {
    const t = tf.tensor2d([2, 0, 0, 2, 5, 5], [3, 2]);
    const before = tf.memory().numTensors;
    const m = mixtureMetrics(t, opts);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(t.isDisposed, false);
    assert.equal(m.highQuality, 2);
    assert.ok(Number.isNaN(mixtureMetrics([5, 5], opts).klToUniform));
    t.dispose();
  });

  test('bad input gets errors that say what to pass', () => {
    assert.throws(() => mixtureMetrics([1, 2, 3], opts), /even length/);
    assert.throws(() => mixtureMetrics([], opts), /no samples/);
    assert.throws(() => mixtureMetrics([1, 2], { centres: [], std: 0.02 }), /centres/);
    assert.throws(() => mixtureMetrics([1, 2], { centres: ring.modes, std: 0 }), /std/);
    const t = tf.zeros([4, 3]);
    assert.throws(() => mixtureMetrics(t, opts), /\[n, 2\]/);
    t.dispose();
  });
});
