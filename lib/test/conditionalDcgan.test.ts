import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  conditionalDcganGenerator,
  conditionalDcganDiscriminator,
  dcganDiscriminator,
  dcganGenerator,
  jointConditionalPair,
  oneHotLabels,
  trainConditionalGan,
  adam,
  uniformPrior,
  Rng,
  loadMnistPackage,
  subset,
  trainableVariables,
} from '../src';

before(async () => {
  await initBackend();
});

// small widths keep the tests fast; the notebook's pair is [32, 16] / [16, 32]
const G_FILTERS: [number, number] = [8, 4];
const D_FILTERS: [number, number] = [4, 8];
const pair = (seed: number) => ({
  generator: conditionalDcganGenerator({ seed, classes: 10, latentDim: 6, filters: G_FILTERS }),
  discriminator: conditionalDcganDiscriminator({ seed: seed + 100, classes: 10, filters: D_FILTERS }),
});
const sameValues = (a: tf.Tensor[], b: tf.Tensor[]) =>
  a.length === b.length &&
  a.every((t, i) => tf.util.arraysEqual(t.shape, b[i].shape) && tf.util.arraysEqual(t.dataSync(), b[i].dataSync()));
/** The joint core of a conditional D (the model inside its `_joint` model that holds φ, ψ and E). */
const core = (d: tf.LayersModel) => {
  const joint = d.layers.find((l) => l.name.endsWith('_joint')) as tf.LayersModel;
  return joint.layers.find((l) => l instanceof tf.LayersModel) as tf.LayersModel;
};

describe('conditionalDcganGenerator / conditionalDcganDiscriminator', () => {
  test("shapes and widths; the label changes G's image for the same z; the same seed gives the same weights, another seed others", () => {
    const { generator: G, discriminator: D } = pair(1);
    const { generator: G2, discriminator: D2 } = pair(1);
    const { generator: G3 } = pair(2);
    const before = tf.memory().numTensors;
    const r = tf.tidy(() => {
      const z = tf.randomUniform([3, 6], -1, 1, 'float32', 3);
      const y = oneHotLabels([1, 7, 7], 10);
      const x = G.predict([z, y]) as tf.Tensor;
      const other = G.predict([z, oneHotLabels([2, 7, 7], 10)]) as tf.Tensor;
      return {
        gShape: x.shape,
        dShape: (D.predict([x, y]) as tf.Tensor).shape,
        rowDiff: tf.abs(tf.sub(x, other)).max(1).arraySync() as number[],
        min: x.min().dataSync()[0],
        max: x.max().dataSync()[0],
      };
    });
    assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    assert.deepEqual(r.gShape, [3, 784]);
    assert.deepEqual(r.dShape, [3, 1]);
    assert.ok(
      r.rowDiff[0] > 0 && r.rowDiff[1] === 0 && r.rowDiff[2] === 0,
      'only the row whose label changed may change',
    );
    assert.ok(r.min >= 0 && r.max <= 1, 'sigmoid pixels');
    // [z | y] → 7·7·8 maps, then 4 channels at 14×14; D: 4 then 8 channels, φ = 7·7·8 features, e_y as wide
    const shapes = (m: tf.LayersModel) => m.weights.map((w) => w.shape);
    assert.deepEqual(shapes(G)[0], [16, 7 * 7 * 8]);
    assert.ok(
      shapes(G).some((s) => tf.util.arraysEqual(s as number[], [4, 4, 4, 8])),
      'ConvT 8 → 4 channels',
    );
    assert.ok(
      shapes(D).some((s) => tf.util.arraysEqual(s as number[], [4, 4, 4, 8])),
      'Conv 4 → 8 channels',
    );
    assert.ok(
      shapes(D).some((s) => tf.util.arraysEqual(s as number[], [10, 7 * 7 * 8])),
      'one e_y per class, as wide as φ(x)',
    );
    assert.ok(sameValues(G.getWeights(), G2.getWeights()) && sameValues(D.getWeights(), D2.getWeights()));
    assert.ok(!sameValues(G.getWeights(), G3.getWeights()));
    [G, G2, G3, D, D2].forEach((m) => m.dispose());
  });

  test("built from dcgan.ts's pieces: the same seed gives dcganGenerator's and dcganDiscriminator's weights", () => {
    const G = conditionalDcganGenerator({ seed: 5, classes: 10, latentDim: 6, filters: G_FILTERS });
    const plainG = dcganGenerator({ seed: 5, latentDim: 16, filters: G_FILTERS });
    const D = conditionalDcganDiscriminator({ seed: 6, classes: 10, filters: D_FILTERS });
    const plainD = dcganDiscriminator({ seed: 6, filters: D_FILTERS });
    assert.ok(sameValues(G.getWeights(), plainG.getWeights()), 'G = dcganGenerator on [z | y]');
    // D: φ's layers and ψ are dcganDiscriminator's layers of the same names (E is drawn after them)
    const layers = core(D).layers;
    const withWeights = plainD.layers.filter((l) => l.getWeights().length > 0);
    assert.equal(withWeights.length, 4, 'conv1, conv2, bn2, y');
    for (const l of withWeights) {
      const twin = layers.find(
        (t) => t.name === `conditional_discriminator_dcgan_core${l.name.slice('discriminator'.length)}`,
      );
      assert.ok(twin && sameValues(twin.getWeights(), l.getWeights()), `${l.name} = the conditional D's`);
    }
    [G, plainG, D, plainD].forEach((m) => m.dispose());
  });

  test("D's logit is ψ(φ(x)) + e_y · φ(x)", () => {
    const D = conditionalDcganDiscriminator({ seed: 3, classes: 10, filters: D_FILTERS });
    const c = core(D);
    // φ(x) read from D's own layers (not disposed on its own: it shares D's weights, D.dispose frees them)
    const phiModel = tf.model({
      inputs: c.inputs,
      outputs: c.layers.find((l) => l.name.endsWith('_flat'))!.output as tf.SymbolicTensor,
    });
    const psi = c.layers.find((l) => l.name.endsWith('_y'))!.getWeights();
    const [E] = c.layers.find((l) => l.name.endsWith('_embed'))!.getWeights();
    const gap = tf.tidy(() => {
      const x = tf.randomUniform([4, 784], 0, 1, 'float32', 9);
      const labels = [0, 3, 3, 9];
      const y = oneHotLabels(labels, 10);
      const phi = phiModel.predict(tf.concat([x, y], 1)) as tf.Tensor2D;
      const byHand = tf.add(tf.add(tf.matMul(phi, psi[0]), psi[1]), tf.sum(tf.mul(tf.matMul(y, E), phi), 1, true));
      const logit = D.predict([x, y]) as tf.Tensor;
      const otherLabel = D.predict([x, oneHotLabels([1, 3, 4, 9], 10)]) as tf.Tensor;
      return {
        err: tf.max(tf.abs(tf.sub(logit, byHand))).dataSync()[0],
        scale: tf.max(tf.abs(logit)).dataSync()[0],
        labelMoves: tf.abs(tf.sub(logit, otherLabel)).arraySync() as number[][],
      };
    });
    assert.ok(gap.err <= 1e-5 * Math.max(1, gap.scale), `logit vs ψ(φ(x)) + e_y·φ(x): ${gap.err}`);
    assert.ok(gap.labelMoves[0][0] > 0 && gap.labelMoves[2][0] > 0, 'another label, another logit');
    assert.equal(gap.labelMoves[1][0], 0);
    assert.equal(gap.labelMoves[3][0], 0);
    D.dispose();
  });

  test('bad options are refused with what to do', () => {
    const g = (o: object) => () =>
      conditionalDcganGenerator({ seed: 1, classes: 10, ...o } as Parameters<typeof conditionalDcganGenerator>[0]);
    const d = (o: object) => () =>
      conditionalDcganDiscriminator({ seed: 1, classes: 10, ...o } as Parameters<
        typeof conditionalDcganDiscriminator
      >[0]);
    assert.throws(
      () => conditionalDcganGenerator(undefined as never),
      /conditionalDcganGenerator: pass an options object/,
    );
    assert.throws(
      () => conditionalDcganDiscriminator(undefined as never),
      /conditionalDcganDiscriminator: pass an options object/,
    );
    assert.throws(g({ classes: 0 }), /conditionalDcganGenerator: classes must be a positive integer, got 0/);
    assert.throws(g({ latentDim: 2.5 }), /latentDim must be a positive integer/);
    assert.throws(g({ seed: undefined }), /seed must be a finite number/);
    assert.throws(g({ filters: [32] }), /filters must be two positive integers/);
    assert.throws(d({ classes: -1 }), /conditionalDcganDiscriminator: classes must be a positive integer/);
    assert.throws(d({ filters: [16, 0] }), /conditionalDcganDiscriminator: filters must be two positive integers/);
    assert.throws(d({ seed: 'one' }), /conditionalDcganDiscriminator: seed must be a finite number/);
    assert.throws(
      () => dcganGenerator({ seed: 1, filters: [1.5, 2] as never }),
      /dcganGenerator: filters must be two positive integers/,
    );
  });
});

describe('the convolutional pair in the joint-pair machinery', () => {
  test('jointConditionalPair: G⁺([z | y]) = [G(z, y) | y], D⁺([x | y]) = D(x, y), the same variables', () => {
    const { generator, discriminator } = pair(7);
    const joint = jointConditionalPair(generator, discriminator);
    assert.deepEqual([joint.latentDim, joint.dataDim, joint.classes], [6, 784, 10]);
    const r = tf.tidy(() => {
      const z = tf.randomUniform([2, 6], -1, 1, 'float32', 1);
      const y = oneHotLabels([4, 8], 10);
      const gx = generator.predict([z, y]) as tf.Tensor;
      const joined = joint.generator.predict(tf.concat([z, y], 1)) as tf.Tensor;
      return {
        g: tf.max(tf.abs(tf.sub(joined, tf.concat([gx, y], 1)))).dataSync()[0],
        d: tf
          .max(
            tf.abs(
              tf.sub(joint.discriminator.predict(joined) as tf.Tensor, discriminator.predict([gx, y]) as tf.Tensor),
            ),
          )
          .dataSync()[0],
      };
    });
    assert.equal(r.g, 0);
    assert.equal(r.d, 0);
    assert.deepEqual(trainableVariables(joint.generator), trainableVariables(generator));
    assert.deepEqual(trainableVariables(joint.discriminator), trainableVariables(discriminator));
    assert.throws(
      () => jointConditionalPair(discriminator, discriminator),
      /generator must be built by conditionalGenerator or conditionalDcganGenerator/,
    );
    // disposing G and D frees every weight of the joint models too
    const tensors = tf.memory().numTensors;
    const weights = [generator, discriminator].reduce((n, m) => n + m.getWeights().length, 0);
    [generator, discriminator].forEach((m) => m.dispose());
    assert.equal(tf.memory().numTensors, tensors - weights);
  });

  const digits = subset(loadMnistPackage({ seed: 0 }).train, 0, 32);
  const run = async (seed: number) => {
    const { generator, discriminator } = pair(seed);
    const [dOptimizer, gOptimizer] = [
      adam({ learningRate: 1e-3, beta1: 0.5 }),
      adam({ learningRate: 1e-3, beta1: 0.5 }),
    ];
    const start = [...generator.getWeights(), ...discriminator.getWeights()].map((w) => w.clone());
    const root = new Rng(seed);
    const history = await trainConditionalGan({
      generator,
      discriminator,
      prior: uniformPrior(6),
      data: digits,
      batchSize: 8,
      steps: 3,
      dOptimizer,
      gOptimizer,
      rng: root.fork(),
      dataRng: root.fork(),
      stopOnInterrupt: false,
    });
    const end = [...generator.getWeights(), ...discriminator.getWeights()];
    const moved = {
      g: generator.getWeights().some((w, i) => !sameValues([w], [start[i]])),
      d: discriminator.getWeights().some((w, i) => !sameValues([w], [start[generator.getWeights().length + i]])),
    };
    const weights = end.map((w) => Array.from(w.dataSync()));
    tf.dispose(start);
    [dOptimizer, gOptimizer].forEach((o) => o.dispose());
    [generator, discriminator].forEach((m) => m.dispose());
    return { history, weights, moved };
  };

  test('trainConditionalGan trains both players; the same seed gives the same run bit for bit, another seed another; nothing leaks', async () => {
    const tensors = tf.memory().numTensors;
    const a = await run(11);
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    const b = await run(11);
    const c = await run(12);
    assert.deepEqual(a.history.step, [1, 2, 3]);
    assert.ok(a.history.dLoss.every(Number.isFinite) && a.history.gLoss.every(Number.isFinite));
    assert.ok(a.moved.g && a.moved.d, 'both G and D must change');
    assert.deepEqual(b.history, a.history);
    assert.deepEqual(b.weights, a.weights);
    assert.notDeepEqual(c.history.dLoss, a.history.dLoss);
  });
});
