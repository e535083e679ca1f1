import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  mnistClassifier,
  trainClassifier,
  predictDigits,
  classifierAccuracy,
  saveClassifier,
  loadClassifier,
  loadMnistPackage,
  loadMnistIdx,
  subset,
  batchTensor,
  Rng,
  requestedDigitShares,
  conditionalGenerator,
  mlpGenerator,
  uniformPrior,
} from '../src';

before(async () => {
  await initBackend();
});

describe('mnistClassifier', () => {
  test('784 pixels in, 10 logits out; the same seed gives the same weights', () => {
    const a = mnistClassifier(1);
    const b = mnistClassifier(1);
    const c = mnistClassifier(2);
    const out = tf.tidy(() => (a.predict(tf.zeros([3, 784])) as tf.Tensor).shape);
    assert.deepEqual(out, [3, 10]);
    // 5·5·16 + 16, 5·5·16·32 + 32, 512·128 + 128, 128·10 + 10
    assert.equal(a.countParams(), 416 + 12832 + 65664 + 1290);
    const same = (m: tf.LayersModel, n: tf.LayersModel) =>
      m.getWeights().every((w, i) => tf.tidy(() => tf.equal(w, n.getWeights()[i]).all().dataSync()[0] === 1));
    assert.ok(same(a, b));
    assert.ok(!same(a, c));
    [a, b, c].forEach((m) => m.dispose());
  });

  test('learningRateDecay out of (0, 1] is refused', async () => {
    const model = mnistClassifier(1);
    const digits = subset(loadMnistPackage({ seed: 0 }).train, 0, 8);
    await assert.rejects(
      trainClassifier({ model, train: digits, epochs: 1, learningRateDecay: 0, rng: new Rng(1) }),
      /learningRateDecay must be in \(0, 1\]/,
    );
    model.dispose();
  });

  test('training changes the weights, reports finite losses and leaks nothing; predictions are digits', async () => {
    const digits = subset(loadMnistPackage({ seed: 0 }).train, 0, 128);
    const model = mnistClassifier(3);
    const before = model.getWeights()[0].dataSync().slice();
    const tensors = tf.memory().numTensors;
    const losses = await trainClassifier({ model, train: digits, epochs: 1, batchSize: 64, rng: new Rng(1) });
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    assert.equal(losses.length, 1);
    assert.ok(Number.isFinite(losses[0]) && losses[0] > 0);
    assert.ok(
      model
        .getWeights()[0]
        .dataSync()
        .some((v, i) => v !== before[i]),
    );
    const x = batchTensor(digits, [0, 1, 2, 3, 4]);
    const predicted = predictDigits(model, x, 2); // batches of 2: the last one is partial
    x.dispose();
    assert.equal(predicted.length, 5);
    assert.ok(predicted.every((d) => d >= 0 && d <= 9));
    const acc = classifierAccuracy(model, digits);
    assert.ok(acc >= 0 && acc <= 1);
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    model.dispose();
  });

  test('saved weights load back bit for bit; a damaged copy is refused with a message', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-classifier-'));
    try {
      const model = mnistClassifier(5);
      const manifest = saveClassifier(path.join(dir, 'c'), model, { testAccuracy: 0.5, command: 'node make-it.js' });
      assert.equal(manifest.weights.bytes, 4 * model.countParams());
      const readme = fs.readFileSync(path.join(dir, 'c', 'README.md'), 'utf8');
      assert.match(readme, /- command: `node make-it\.js`/);
      assert.match(readme, new RegExp(`sha256 ${manifest.weights.sha256}`));
      const { model: loaded, manifest: read } = loadClassifier(path.join(dir, 'c'));
      assert.equal(read.meta.testAccuracy, 0.5);
      model
        .getWeights()
        .forEach((w, i) => assert.deepEqual(Array.from(loaded.getWeights()[i].dataSync()), Array.from(w.dataSync())));
      const bin = path.join(dir, 'c', 'weights.bin');
      const bytes = fs.readFileSync(bin);
      bytes[10] ^= 0xff;
      fs.writeFileSync(bin, bytes);
      assert.throws(() => loadClassifier(path.join(dir, 'c')), /damaged/);
      assert.throws(
        () => loadClassifier(path.join(dir, 'missing')),
        /cannot read manifest\.json.*tsgan train-classifier --out/,
      );
      [model, loaded].forEach((m) => m.dispose());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the shipped classifier (models/mnist-classifier)', () => {
  test('classifies at least 99 % of the 10,000 MNIST test images correctly, as its manifest says', () => {
    const { model, manifest } = loadClassifier(path.resolve(__dirname, '../../models/mnist-classifier'));
    const tensors = tf.memory().numTensors;
    const accuracy = classifierAccuracy(model, loadMnistIdx().test);
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    assert.ok(accuracy >= 0.99, `test accuracy ${accuracy}`);
    // the same weights on the same images give the number recorded when they were made
    assert.ok(
      Math.abs(accuracy - (manifest.meta.testAccuracy as number)) < 1e-9,
      `measured ${accuracy}, manifest ${String(manifest.meta.testAccuracy)}`,
    );
    assert.ok(manifest.weights.bytes < 400_000, `${manifest.weights.bytes} bytes`);
    model.dispose();
  });
});

describe('requestedDigitShares', () => {
  // a "classifier" with `outputs` logits that always says `digit` (zero kernel, one-hot bias)
  const always = (digit: number, outputs: number) => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ units: outputs, inputShape: [784], kernelInitializer: 'zeros' })],
    });
    const bias = tf.oneHot([digit], outputs).reshape([outputs]).toFloat();
    m.layers[0].weights[1].write(bias);
    bias.dispose();
    return m;
  };

  test("counts per requested class with the classifier's own width; a G that is not conditional, or too few outputs, is refused", () => {
    const G = conditionalGenerator({ latentDim: 3, classes: 4, hidden: [5], outputDim: 784, seed: 1 });
    const [judge, wide, narrow] = [always(2, 4), always(5, 6), always(0, 3)];
    const o = { prior: uniformPrior(3), rng: new Rng(1), perClass: 7 };
    const tensors = tf.memory().numTensors;
    const r = requestedDigitShares(judge, G, o);
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    assert.deepEqual(
      r.counts,
      [0, 1, 2, 3].map(() => [0, 0, 7, 0]),
    );
    assert.deepEqual(r.share, [0, 0, 1, 0]);
    assert.equal(r.mean, 0.25);
    // a classifier that knows more classes than G asks for: its rows are as wide as its outputs
    assert.deepEqual(
      requestedDigitShares(wide, G, o).counts,
      [0, 1, 2, 3].map(() => [0, 0, 0, 0, 0, 7]),
    );
    assert.throws(
      () => requestedDigitShares(narrow, G, o),
      /classifier must output one logit per class of G \(4\), got 3/,
    );
    const plain = mlpGenerator({ latentDim: 3, hidden: [5], outputDim: 784, seed: 1 });
    assert.throws(
      () => requestedDigitShares(judge, plain, o),
      /requestedDigitShares: the generator must be built by conditionalGenerator/,
    );
    [G, judge, wide, narrow, plain].forEach((m) => m.dispose());
  });
});
