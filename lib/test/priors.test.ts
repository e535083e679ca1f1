import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, normalPrior, Rng, uniformPrior } from '../src';

before(async () => {
  await initBackend();
});

function moments(a: Float32Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of a) s += v;
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - mean) * (v - mean);
  return { mean, variance: q / a.length };
}

const SQRT3 = Math.sqrt(3);

describe("uniformPrior (the paper's U(−√3, √3))", () => {
  test('sample is a float32 [n, dim] tensor with mean ≈ 0 and variance ≈ 1', () => {
    const prior = uniformPrior(100);
    assert.equal(prior.kind, 'uniform');
    assert.equal(prior.halfWidth, SQRT3);
    assert.ok(Math.abs(prior.variance - 1) < 1e-15, `variance h²/3 = ${prior.variance}`);
    const before = tf.memory().numTensors;
    const z = prior.sample(1000, new Rng(1));
    assert.deepEqual(z.shape, [1000, 100]);
    assert.equal(z.dtype, 'float32');
    const values = z.dataSync() as Float32Array;
    z.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
    // n = 100,000: the standard error of the mean is 1/√n ≈ 0.0032 and of the variance √(0.8/n) ≈ 0.0028,
    // so ±0.02 is over 6 standard errors.
    const m = moments(values);
    assert.ok(Math.abs(m.mean) < 0.02, `mean ${m.mean} should be within 0.02 of 0`);
    assert.ok(Math.abs(m.variance - 1) < 0.02, `variance ${m.variance} should be within 0.02 of 1`);
  });

  test('every value lies in [−√3, √3] (bounds rounded to float32) and the range is filled', () => {
    const a = uniformPrior(10).sampleArray(20000, new Rng(2));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.ok(lo >= -Math.fround(SQRT3) && hi <= Math.fround(SQRT3), `[${lo}, ${hi}] must be inside ±√3`);
    assert.ok(lo < -1.73 && hi > 1.73, `200,000 draws should reach near both ends, got [${lo}, ${hi}]`);
  });

  test('a custom halfWidth sets the range and variance h²/3', () => {
    const p = uniformPrior(4, 0.5);
    assert.ok(Math.abs(p.variance - 0.25 / 3) < 1e-15);
    const a = p.sampleArray(5000, new Rng(3));
    assert.ok(a.every((v) => Math.abs(v) <= 0.5));
    assert.equal(p.pdf1(0.2), 1);
    assert.equal(p.pdf1(0.6), 0);
  });
});

describe('normalPrior', () => {
  test('sample has mean ≈ 0 and variance ≈ 1', () => {
    const z = normalPrior(50).sample(2000, new Rng(4));
    assert.deepEqual(z.shape, [2000, 50]);
    const m = moments(z.dataSync() as Float32Array);
    z.dispose();
    // n = 100,000: standard errors 0.0032 (mean) and √(2/n) ≈ 0.0045 (variance); tolerances ≈ 6 of them.
    assert.ok(Math.abs(m.mean) < 0.02, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1) < 0.03, `variance ${m.variance}`);
  });
});

describe('seeding', () => {
  for (const prior of [uniformPrior(8), normalPrior(8)]) {
    test(`${prior.kind}: same seed ⇒ same numbers; different seeds and later draws differ`, () => {
      const a = prior.sampleArray(16, new Rng(7));
      const b = prior.sampleArray(16, new Rng(7));
      assert.deepEqual(a, b);
      assert.notDeepEqual(prior.sampleArray(16, new Rng(8)), a);
      const rng = new Rng(7);
      const first = prior.sampleArray(16, rng);
      const second = prior.sampleArray(16, rng);
      assert.deepEqual(first, a);
      assert.notDeepEqual(second, first, 'the Rng state advances between calls');
      // the tensor path gives the same numbers as the array path
      const t = prior.sample(16, new Rng(7));
      assert.deepEqual(t.dataSync(), a);
      t.dispose();
    });
  }
});

describe('Rng bulk fills (dropout masks, priors)', () => {
  test('fillUint32, fillUniform and fillBernoulli continue the very stream of nextUint32 and uniform', () => {
    const one = new Rng(2014);
    const bulk = new Rng(2014);
    const n = 1001;
    const bits = Array.from({ length: n }, () => one.nextUint32());
    assert.deepEqual(Array.from(bulk.fillUint32(new Uint32Array(n))), bits);
    const uniforms = Float32Array.from({ length: n }, () => -2 + 3 * one.uniform());
    assert.deepEqual(bulk.fillUniform(new Float32Array(n), -2, 1), uniforms);
    const mask = Float32Array.from({ length: n }, () => (one.uniform() < 0.8 ? 1.25 : 0));
    assert.deepEqual(bulk.fillBernoulli(new Float32Array(n), 0.8, 1.25), mask);
    assert.deepEqual(bulk.getState(), one.getState());
    const kept = mask.filter((v) => v === 1.25).length / n;
    assert.ok(kept > 0.75 && kept < 0.85, `fraction kept ${kept}`);
  });

  test('a fill into part of a larger array leaves the rest alone', () => {
    const whole = new Float32Array(10).fill(7);
    new Rng(1).fillUniform(whole.subarray(2, 5));
    assert.deepEqual(Array.from(whole.subarray(0, 2)), [7, 7]);
    assert.deepEqual(Array.from(whole.subarray(5)), [7, 7, 7, 7, 7]);
    assert.ok(whole.subarray(2, 5).every((v) => v >= 0 && v < 1));
  });
});

test('bad arguments give clear errors', () => {
  assert.throws(() => uniformPrior(0), /dim must be a positive integer/);
  assert.throws(() => normalPrior(2.5), /dim must be a positive integer/);
  assert.throws(() => uniformPrior(3, -1), /halfWidth must be a positive/);
  assert.throws(() => uniformPrior(3).sample(-1, new Rng(0)), /n must be a non-negative integer/);
  assert.throws(() => normalPrior(3).sample(2, undefined as unknown as Rng), /pass a tsgan Rng/);
});
