import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  figure1,
  gaussian1D,
  initBackend,
  normalPrior,
  snapshot1D,
  summarize1D,
  summarizeRegion1D,
  uniformPrior,
} from '../src';

before(async () => {
  await initBackend();
});

/** x = a·z + b as a one-unit dense layer; with a constant-logit D. */
function linear(a: number, b: number, inputDim = 1): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [inputDim] })] });
  tf.tidy(() => m.setWeights([tf.fill([inputDim, 1], a), tf.tensor1d([b])]));
  return m;
}

test('snapshot1D: a linear G maps U(−√3, √3) to the uniform density 1/(2√3·a) on b ± √3·a; D* and the summary agree', () => {
  const before = tf.memory().numTensors;
  const generator = linear(0.5, 2);
  const discriminator = linear(0, 0); // logit 0: D = 1/2 everywhere
  const pData = gaussian1D(2, 0.5);
  const s = snapshot1D({
    generator,
    discriminator,
    prior: uniformPrior(1),
    pData: pData.pdf,
    range: [0, 4],
    points: 400,
  });
  const half = Math.sqrt(3) * 0.5;
  const height = 1 / (2 * half);
  s.x.forEach((x, i) => {
    const dx = s.x[1] - s.x[0];
    if (Math.abs(x - 2) < half - dx)
      assert.ok(Math.abs(s.pG[i] - height) < 1e-3 * height, `p_g(${x}) = ${s.pG[i]}, expected ${height}`);
    if (Math.abs(x - 2) > half + dx) assert.equal(s.pG[i], 0);
    assert.ok(Math.abs(s.dStar[i] - pData.pdf(x) / (pData.pdf(x) + s.pG[i])) < 1e-12);
    assert.ok(Math.abs(s.d[i] - 0.5) < 1e-7);
  });
  const mass = s.pG.reduce((a, p) => a + p * (s.x[1] - s.x[0]), 0);
  assert.ok(Math.abs(mass - 1) < 1e-9);
  // arrows: equally spaced z, x = a·z + b
  s.arrows.z.forEach((z, j) => assert.ok(Math.abs(s.arrows.x[j] - (0.5 * z + 2)) < 1e-5));
  const sum = summarize1D(s);
  assert.ok(Math.abs(sum.meanDReal - 0.5) < 1e-3 && Math.abs(sum.meanDFake - 0.5) < 1e-6);
  assert.ok(sum.jsd > 0 && sum.jsd < Math.log(2));
  const fig = figure1([
    { title: '(a)', snapshot: s },
    { title: '(b)', snapshot: s },
  ]);
  assert.equal(fig.data.length, 12);
  assert.equal((fig.layout.annotations as unknown[]).length, 2 * (15 + 2));
  generator.dispose();
  discriminator.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('snapshot1D: a G that sends every z to one x is one spike holding all the mass (mode collapse)', () => {
  const generator = linear(0, 1.3);
  const discriminator = linear(0, 0);
  const s = snapshot1D({
    generator,
    discriminator,
    prior: uniformPrior(1),
    pData: gaussian1D(2, 0.5).pdf,
    range: [0, 4],
    points: 100,
  });
  const dx = s.x[1] - s.x[0];
  const peak = s.pG.indexOf(Math.max(...s.pG));
  assert.ok(Math.abs(s.x[peak] - 1.3) <= dx / 2);
  assert.ok(Math.abs(s.pG[peak] * dx - 1) < 1e-9);
  generator.dispose();
  discriminator.dispose();
});

test('snapshot1D needs a 1-D uniform prior', () => {
  const g = linear(1, 0);
  assert.throws(
    () => snapshot1D({ generator: g, discriminator: g, prior: normalPrior(1), pData: () => 0, range: [0, 1] }),
    /1-D uniform prior/,
  );
  assert.throws(
    () => snapshot1D({ generator: g, discriminator: g, prior: uniformPrior(2), pData: () => 0, range: [0, 1] }),
    /1-D uniform prior/,
  );
  g.dispose();
});

test('summarizeRegion1D: D against D* point by point in an interval, and the crossings of the two densities', () => {
  // a hand-made snapshot: p_data falls, p_g rises, they cross once between x = 1 and x = 2
  const s = {
    x: [0, 1, 2, 3],
    pData: [0.4, 0.3, 0.1, 0],
    pG: [0, 0.1, 0.3, 0.4],
    d: [0.9, 0.7, 0.3, 0.5],
    dStar: [1, 0.75, 0.25, 0],
    arrows: { z: [], x: [] },
    zRange: [-1, 1] as [number, number],
  };
  const all = summarizeRegion1D(s, [0, 3]);
  assert.equal(all.points, 4);
  assert.equal(all.crossings, 1);
  assert.ok(Math.abs(all.maxDistanceToDStar - 0.5) < 1e-12, 'x = 3: D = 0.5, D* = 0');
  assert.ok(Math.abs(all.meanDistanceToDStar - (0.1 + 0.05 + 0.05 + 0.5) / 4) < 1e-12);
  assert.deepEqual([all.minD, all.maxD, all.minDStar, all.maxDStar], [0.3, 0.9, 0, 1]);
  const left = summarizeRegion1D(s, [-1, 1.5]);
  assert.equal(left.points, 2);
  assert.equal(left.crossings, 0);
  assert.throws(() => summarizeRegion1D(s, [5, 6]), /no grid point/);
  assert.throws(() => summarizeRegion1D(s, [2, 1]), /low ≤ high/);
});
