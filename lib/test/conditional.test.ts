import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, conditionalGenerator, conditionalDiscriminator, oneHotLabels } from '../src';

before(async () => {
  await initBackend();
});

describe('conditional G and D (label given to both)', () => {
  test("shapes; the label changes G's output for the same z; the same seed gives the same model", () => {
    const G = conditionalGenerator({ latentDim: 4, classes: 10, hidden: [16], outputDim: 784, seed: 1 });
    const G2 = conditionalGenerator({ latentDim: 4, classes: 10, hidden: [16], outputDim: 784, seed: 1 });
    const D = conditionalDiscriminator({ inputDim: 784, classes: 10, hidden: [16], seed: 2 });
    const before = tf.memory().numTensors;
    const r = tf.tidy(() => {
      const z = tf.ones([2, 4]);
      const y = oneHotLabels([1, 7], 10);
      const x = G.predict([z, y]) as tf.Tensor;
      const other = G.predict([z, oneHotLabels([2, 7], 10)]) as tf.Tensor;
      const rowDiff = tf.abs(tf.sub(x, other)).max(1).arraySync() as number[];
      return {
        gShape: x.shape,
        dShape: (D.predict([x, y]) as tf.Tensor).shape,
        rowDiff,
        inRange: x.min().dataSync()[0] >= 0 && x.max().dataSync()[0] <= 1,
        sameSeed:
          tf
            .equal(x, G2.predict([z, y]) as tf.Tensor)
            .all()
            .dataSync()[0] === 1,
      };
    });
    assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    assert.deepEqual(r.gShape, [2, 784]);
    assert.deepEqual(r.dShape, [2, 1]);
    assert.ok(r.rowDiff[0] > 0, 'label 1 vs 2 must give different images');
    assert.equal(r.rowDiff[1], 0, 'the same label and z give the same image');
    assert.ok(r.inRange && r.sameSeed);
    [G, G2, D].forEach((m) => m.dispose());
  });

  test('oneHotLabels: rows of zeros with a single 1; bad labels are refused', () => {
    const t = oneHotLabels([0, 2], 3);
    assert.deepEqual(t.arraySync(), [
      [1, 0, 0],
      [0, 0, 1],
    ]);
    t.dispose();
    assert.throws(() => oneHotLabels([3], 3), /not a class 0\.\.2/);
    assert.throws(
      () => conditionalGenerator({ latentDim: 0, classes: 10, hidden: [8], outputDim: 2, seed: 1 }),
      /latentDim/,
    );
    assert.throws(() => conditionalDiscriminator({ inputDim: 2, classes: 10, hidden: [0], seed: 1 }), /hidden/);
  });

  test("labelInput 'projection' takes mlpDiscriminator's options as it does: dropoutKeep in (0, 1], initRange, a hidden layer needed", () => {
    const projection = (o: Partial<Parameters<typeof conditionalDiscriminator>[0]>) =>
      conditionalDiscriminator({ inputDim: 6, classes: 3, hidden: [4], labelInput: 'projection', seed: 1, ...o });
    assert.throws(
      () => projection({ dropoutKeep: 1.5 }),
      /dropoutKeep values are probabilities of KEEPING a unit, in \(0, 1\]/,
    );
    assert.throws(() => projection({ dropoutKeep: [0.8] }), /dropoutKeep must be one number or 2 numbers/);
    assert.throws(() => projection({ hidden: [] }), /labelInput 'projection' needs at least one hidden layer/);
    // U(−0.01, 0.01) kernels (as mlpDiscriminator's initRange), the class vectors e_y included
    const D = projection({ initRange: 0.01 });
    const kernels = D.weights.filter((w) => w.name.includes('kernel'));
    assert.deepEqual(kernels.map((w) => w.name.split('/')[0].replace(/^.*_/, '')).sort(), ['embed', 'h0', 'y']);
    for (const w of kernels) {
      const v = Array.from(w.read().dataSync());
      assert.ok(v.every((a) => Math.abs(a) <= 0.01) && v.some((a) => a !== 0), `${w.name} must be in [−0.01, 0.01]`);
    }
    D.dispose();
  });
});
