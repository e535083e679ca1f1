/**
 * The paper-mnist config against PAPER.md and against the constants the other modules use, and the
 * pieces the CLI builds from it: seeded runs, Figure 2's nearest neighbours, Figure 3's interpolation.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  PAPER_MNIST,
  PAPER_MNIST_DISCRIMINATOR,
  PAPER_MNIST_GENERATOR,
  logspace,
  paperSgdMomentum,
  makeImageSet,
  Rng,
} from '../src';
import {
  PAPER_MNIST_EXPERIMENT as E,
  createRun,
  defaultRunSettings,
  describeTraining,
  figure2,
  figure3,
  generateImages,
  getExperiment,
  trainConfigOf,
  stepsPerEpoch,
} from '../src/experiments';

before(async () => {
  await initBackend();
});

/** A small stand-in for the training set (the models only read its pixel means). */
function fakeTrain(count: number, seed: number) {
  const rng = new Rng(seed);
  return makeImageSet(
    rng.fillUniform(new Float32Array(count * 784)),
    new Uint8Array(count),
    28,
    28,
    'random test images',
  );
}

describe('the paper-mnist experiment config', () => {
  test('says what PAPER.md says', () => {
    assert.equal(getExperiment('paper-mnist'), E);
    assert.deepEqual([E.data.trainCount, E.data.validationCount, E.data.testCount], [50_000, 10_000, 10_000]);
    assert.equal(E.data.binarised, false);
    assert.deepEqual(E.prior, { kind: 'uniform', dim: 100, halfWidth: Math.sqrt(3) });
    assert.deepEqual(E.generator.hidden, [1200, 1200]);
    assert.equal(E.generator.initRange, 0.05);
    assert.deepEqual(E.discriminator.hidden, [240, 240]);
    assert.equal(E.discriminator.pieces, 5);
    assert.equal(E.discriminator.initRange, 0.005);
    assert.deepEqual(E.discriminator.dropoutKeep, [0.8, 0.5, 0.5]);
    assert.equal(E.losses.discriminatorScale, 0.5);
    assert.equal(E.losses.generator, 'nonSaturating');
    assert.deepEqual(E.update, { mode: 'simultaneous', k: 1, sharedForward: false });
    assert.equal(E.batchSize, 100);
    assert.equal(E.data.trainCount / E.batchSize, 500);
    assert.deepEqual([E.parzen.centres, E.parzen.validationCount, E.parzen.testCount], [10_000, 1_000, 10_000]);
    assert.deepEqual(
      E.table1.map((r) => [r.model, r.mean, r.stdErr]),
      [
        ['DBN', 138, 2],
        ['Stacked CAE', 121, 1.6],
        ['Deep GSN', 214, 1.1],
        ['Adversarial nets', 225, 2],
      ],
    );
    assert.deepEqual([E.figures.figure2.rows, E.figures.figure2.samples], [4, 5]);
  });

  test("the paper's nets by name are the experiment's own objects (not copies); mnist.yaml's optimiser numbers", () => {
    assert.equal(E.generator, PAPER_MNIST_GENERATOR);
    assert.equal(E.discriminator, PAPER_MNIST_DISCRIMINATOR);
    assert.equal(PAPER_MNIST.generatorHidden, E.generator.hidden);
    assert.equal(PAPER_MNIST.dropoutKeep, E.discriminator.dropoutKeep);
    assert.equal(E.prior.dim, PAPER_MNIST.latentDim);
    assert.deepEqual(E.optimizer, {
      kind: 'sgdMomentum',
      learningRate: 0.1,
      decayFactor: 1.000004,
      minLearningRate: 1e-6,
      momentumSchedule: { start: 0.5, end: 0.7, startEpoch: 1, endEpoch: 250 },
    });
    const opt = paperSgdMomentum();
    assert.deepEqual([opt.learningRate, opt.momentum], [Math.fround(0.1), Math.fround(0.5)]);
    assert.equal(
      logspace(E.parzen.sigmaGrid.start, E.parzen.sigmaGrid.stop, E.parzen.sigmaGrid.num)[3].toFixed(4),
      '0.2154',
    );
    opt.dispose();
  });
});

describe('runs built from the config', () => {
  test('the same seed gives the same models and streams; another seed does not', async () => {
    const train = fakeTrain(30, 1);
    const settings = { ...defaultRunSettings(E), trainCount: 30, batchSize: 10 };
    const a = createRun(settings, train);
    const b = createRun(settings, train);
    const c = createRun({ ...settings, seed: 2 }, train);
    const w = (r: typeof a) =>
      r.generator.weights.concat(r.discriminator.weights).map((v) => Array.from(v.read().dataSync().slice(0, 50)));
    assert.deepEqual(w(a), w(b));
    assert.notDeepEqual(w(a), w(c));
    assert.deepEqual(Array.from(a.fixedNoise), Array.from(b.fixedNoise));
    assert.deepEqual(a.noise.getState(), b.noise.getState());
    const cfg = trainConfigOf(a);
    assert.equal(cfg.mode, 'simultaneous');
    assert.equal(cfg.loss?.name, 'minimax, non-saturating G, D loss × 0.5');
    assert.equal(cfg.batchSize, 10);
    assert.equal(stepsPerEpoch(settings), 3);
    assert.equal(describeTraining(2, 6, settings), '2 epochs');
    assert.equal(describeTraining(1, 5, settings), '1 epoch + 2 steps');
    // the untrained G draws the pixel means (output bias = logit of the means, weights tiny)
    const img = generateImages(a.generator, new Float32Array(100), 100);
    const means = new Float64Array(784);
    for (let i = 0; i < 30; i++) for (let p = 0; p < 784; p++) means[p] += train.images[i * 784 + p] / 30;
    for (let p = 0; p < 784; p += 97)
      assert.ok(Math.abs(img[p] - means[p]) < 1e-4, `pixel ${p}: ${img[p]} vs ${means[p]}`);
    [a, b, c].forEach((r) => r.dispose());
  });

  test("Figure 2: the framed image is the nearest training image of each row's last sample", async () => {
    const train = fakeTrain(40, 3);
    const run = createRun({ ...defaultRunSettings(E), trainCount: 40, batchSize: 10 }, train);
    const before = tf.memory().numTensors;
    const f = await figure2(run.generator, run.prior, train, new Rng(4), { rows: 3, samples: 4, scale: 1 });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(f.samples.length, 12 * 784);
    for (let r = 0; r < 3; r++) {
      const s = f.samples.subarray((r * 4 + 3) * 784, (r * 4 + 4) * 784);
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < 40; j++) {
        let d = 0;
        for (let p = 0; p < 784; p++) d += (s[p] - train.images[j * 784 + p]) ** 2;
        if (d < bestD) [best, bestD] = [j, d];
      }
      assert.equal(f.nearest[r], best);
      assert.ok(Math.abs(f.distances[r] - bestD) < 1e-6 * bestD);
    }
    assert.equal(f.png.subarray(1, 4).toString(), 'PNG');
    run.dispose();
  });

  test('Figure 3: each row runs from G(z_a) to G(z_b) through G of the straight line', () => {
    const run = createRun({ ...defaultRunSettings(E), trainCount: 20, batchSize: 10 }, fakeTrain(20, 5));
    const f = figure3(run.generator, run.prior, new Rng(6), { rows: 2, steps: 5, scale: 1 });
    const ends = run.prior.sampleArray(4, new Rng(6)); // the same draws: z_a, z_b of row 0, then of row 1
    const ga = generateImages(run.generator, ends.slice(0, 100), 100);
    const gb = generateImages(run.generator, ends.slice(100, 200), 100);
    const mid = new Float32Array(100).map((_, i) => 0.5 * ends[i] + 0.5 * ends[100 + i]);
    const gm = generateImages(run.generator, mid, 100);
    const row0 = (k: number) => Array.from(f.images.subarray(k * 784, (k + 1) * 784));
    assert.deepEqual(row0(0), Array.from(ga));
    assert.deepEqual(row0(4), Array.from(gb));
    row0(2).forEach((v, p) => assert.ok(Math.abs(v - gm[p]) < 1e-6));
    assert.throws(
      () => figure3(run.generator, run.prior, new Rng(1), { rows: 2, steps: 1 }),
      /steps must be an integer ≥ 2/,
    );
    run.dispose();
  });
});
