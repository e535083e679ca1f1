import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  conditionalGenerator,
  conditionalDiscriminator,
  oneHotLabels,
  jointConditionalPair,
  trainableVariables,
  conditionalDiscriminatorStep,
  conditionalGeneratorStep,
  trainConditionalGan,
  discriminatorLoss,
  generatorLoss,
  adam,
  uniformPrior,
  Rng,
  loadMnistPackage,
  subset,
  TrainingDivergedError,
  emptyHistory,
  leastSquaresLoss,
  minimaxLoss,
} from '../src';

before(async () => {
  await initBackend();
});

const LATENT = 4;
const pair = (seed: number) => ({
  generator: conditionalGenerator({ latentDim: LATENT, classes: 10, hidden: [8], outputDim: 784, seed }),
  discriminator: conditionalDiscriminator({ inputDim: 784, classes: 10, hidden: [8], seed: seed + 100 }),
});
const firstKernel = (m: tf.LayersModel) => m.getWeights()[0].arraySync() as number[][];
const rowsChanged = (a: number[][], b: number[][]) => a.map((row, i) => row.some((v, j) => v !== b[i][j]));

describe('jointConditionalPair: the conditional pair as one GAN on (x, y)', () => {
  test('G⁺([z | y]) = [G(z, y) | y], D⁺([x | y]) = D(x, y), and the joint models train the same variables', () => {
    const { generator, discriminator } = pair(1);
    const joint = jointConditionalPair(generator, discriminator);
    assert.deepEqual([joint.latentDim, joint.dataDim, joint.classes], [LATENT, 784, 10]);
    const before = tf.memory().numTensors;
    const r = tf.tidy(() => {
      const z = tf.randomUniform([3, LATENT], -1, 1, 'float32', 7);
      const y = oneHotLabels([0, 4, 9], 10);
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
    assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    assert.equal(r.g, 0);
    assert.equal(r.d, 0);
    assert.deepEqual(trainableVariables(joint.generator), trainableVariables(generator));
    assert.deepEqual(trainableVariables(joint.discriminator), trainableVariables(discriminator));
    assert.throws(
      () => jointConditionalPair(discriminator, discriminator),
      /generator must be built by conditionalGenerator/,
    );
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    assert.throws(
      () => jointConditionalPair(generator, plain),
      /discriminator must be built by conditionalDiscriminator/,
    );
    const small = conditionalDiscriminator({ inputDim: 100, classes: 10, hidden: [4], seed: 1 });
    assert.throws(
      () => jointConditionalPair(generator, small),
      /G makes 784 values for 10 classes, D reads 100 values/,
    );
    // G and D own their joint forms: disposing the two frees every weight
    const tensors = tf.memory().numTensors;
    const weights = [generator, discriminator].reduce((n, m) => n + m.getWeights().length, 0);
    [generator, discriminator].forEach((m) => m.dispose());
    assert.equal(tf.memory().numTensors, tensors - weights);
    [plain, small].forEach((m) => m.dispose());
  });
});

describe('conditional steps', () => {
  test("D's step: its loss is −V(D, G) with the labels given to D, only D changes, and the label reaches D's weights", () => {
    const { generator, discriminator } = pair(2);
    const real = tf.randomUniform([6, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const z = tf.randomUniform([6, LATENT], -1, 1, 'float32', 2) as tf.Tensor2D;
    const realLabels = oneHotLabels([1, 1, 1, 1, 1, 1], 10);
    const fakeLabels = oneHotLabels([5, 5, 5, 5, 5, 5], 10);
    const expected = tf.tidy(
      () =>
        discriminatorLoss(
          discriminator.apply([real, realLabels], { training: true }) as tf.Tensor,
          discriminator.apply([generator.predict([z, fakeLabels]) as tf.Tensor, fakeLabels], {
            training: true,
          }) as tf.Tensor,
        ).dataSync()[0],
    );
    const [g0, d0] = [generator.getWeights().map((w) => w.dataSync().slice()), firstKernel(discriminator)];
    const optimizer = adam({ learningRate: 1e-2 });
    const tensors = tf.memory().numTensors;
    const r = conditionalDiscriminatorStep({ generator, discriminator, optimizer, real, realLabels, z, fakeLabels });
    optimizer.dispose(); // its moment estimates are the only tensors the step may add
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    assert.ok(Math.abs(r.dLoss - expected) < 1e-5, `dLoss ${r.dLoss} vs −V ${expected}`);
    generator.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), g0[i], "G must not change in D's step"));
    // D's first kernel: rows 0..783 read x, rows 784..793 read the one-hot label. Only the rows of the two
    // classes in the batch (1 and 5) receive a gradient: the label goes where the model says it goes.
    const changed = rowsChanged(d0, firstKernel(discriminator)).slice(784);
    assert.deepEqual(
      changed.map((c, k) => (c ? k : -1)).filter((k) => k >= 0),
      [1, 5],
    );
    tf.dispose([real, z, realLabels, fakeLabels]);
    [generator, discriminator].forEach((m) => m.dispose());
  });

  test("G's step: its loss is −log D(G(z | y) | y), only G changes, and only the requested class's label weights move", () => {
    const { generator, discriminator } = pair(3);
    const z = tf.randomUniform([5, LATENT], -1, 1, 'float32', 3) as tf.Tensor2D;
    const labels = oneHotLabels([7, 7, 7, 7, 7], 10);
    const expected = tf.tidy(
      () =>
        generatorLoss(
          discriminator.apply([generator.apply([z, labels]) as tf.Tensor, labels], { training: true }) as tf.Tensor,
        ).dataSync()[0],
    );
    const [g0, d0] = [firstKernel(generator), discriminator.getWeights().map((w) => w.dataSync().slice())];
    const optimizer = adam({ learningRate: 1e-2 });
    const tensors = tf.memory().numTensors;
    const r = conditionalGeneratorStep({ generator, discriminator, optimizer, z, labels });
    optimizer.dispose(); // its moment estimates are the only tensors the step may add
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    assert.ok(Math.abs(r.gLoss - expected) < 1e-5, `gLoss ${r.gLoss} vs ${expected}`);
    discriminator
      .getWeights()
      .forEach((w, i) => assert.deepEqual(w.dataSync(), d0[i], "D must not change in G's step"));
    const changed = rowsChanged(g0, firstKernel(generator));
    assert.ok(changed.slice(0, LATENT).every(Boolean), 'the rows reading z change');
    assert.deepEqual(
      changed
        .slice(LATENT)
        .map((c, k) => (c ? k : -1))
        .filter((k) => k >= 0),
      [7],
    );
    const one = oneHotLabels([7], 10);
    assert.throws(
      () =>
        conditionalGeneratorStep({ generator, discriminator, optimizer: adam({ learningRate: 1e-2 }), z, labels: one }),
      /z has 5 rows but labels has 1/,
    );
    tf.dispose([z, labels, one]);
    [generator, discriminator].forEach((m) => m.dispose());
  });
});

describe("labelInput 'projection': D(x, y) = ψ(φ(x)) + e_yᵀ φ(x)", () => {
  test("the logit is the MLP logit plus e_y·φ(x); a D step moves only the requested classes' e_y; G and D train as a pair", () => {
    const generator = conditionalGenerator({ latentDim: LATENT, classes: 10, hidden: [8], outputDim: 784, seed: 7 });
    const discriminator = conditionalDiscriminator({
      inputDim: 784,
      classes: 10,
      hidden: [8],
      labelInput: 'projection',
      seed: 8,
    });
    const byName = (n: string) => discriminator.weights.find((w) => w.name.includes(n))!.read();
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 5) as tf.Tensor2D;
    const labels = [0, 3, 3, 9];
    const y = oneHotLabels(labels, 10);
    const r = tf.tidy(() => {
      const phi = tf.leakyRelu(tf.add(tf.matMul(x, byName('_h0/kernel')), byName('_h0/bias')), 0.2);
      const psi = tf.add(tf.matMul(phi, byName('_y/kernel')), byName('_y/bias'));
      const byHand = tf.add(psi, tf.sum(tf.mul(phi, tf.gather(byName('_embed/kernel'), labels)), 1, true));
      return tf.max(tf.abs(tf.sub(byHand, discriminator.predict([x, y]) as tf.Tensor))).dataSync()[0];
    });
    assert.ok(r < 1e-5, `largest difference from ψ(φ(x)) + e_y·φ(x): ${r}`);
    const embed0 = byName('_embed/kernel').arraySync() as number[][];
    const z = tf.randomUniform([4, LATENT], -1, 1, 'float32', 6) as tf.Tensor2D;
    const optimizer = adam({ learningRate: 1e-2 });
    conditionalDiscriminatorStep({
      generator,
      discriminator,
      optimizer,
      real: x,
      realLabels: y,
      z,
      fakeLabels: oneHotLabels([5, 5, 5, 5], 10),
    });
    const moved = rowsChanged(embed0, byName('_embed/kernel').arraySync() as number[][]);
    assert.deepEqual(
      moved.map((c, k) => (c ? k : -1)).filter((k) => k >= 0),
      [0, 3, 5, 9],
    );
    assert.throws(
      () =>
        conditionalDiscriminator({
          inputDim: 784,
          classes: 10,
          hidden: [8],
          labelInput: 'projection',
          activation: 'maxout',
          seed: 1,
        }),
      /leaky-ReLU/,
    );
    assert.throws(
      () =>
        conditionalDiscriminator({ inputDim: 784, classes: 10, hidden: [8], labelInput: 'sum' as 'concat', seed: 1 }),
      /labelInput must be/,
    );
    tf.dispose([x, y, z]);
    optimizer.dispose();
    [generator, discriminator].forEach((m) => m.dispose());
  });
});

describe('trainConditionalGan', () => {
  const digits = subset(loadMnistPackage({ seed: 0 }).train, 0, 64);
  const run = async (seed: number, steps: number) => {
    const { generator, discriminator } = pair(seed);
    const [dOptimizer, gOptimizer] = [
      adam({ learningRate: 1e-3, beta1: 0.5 }),
      adam({ learningRate: 1e-3, beta1: 0.5 }),
    ];
    const root = new Rng(seed);
    const seen: number[] = [];
    const history = await trainConditionalGan({
      generator,
      discriminator,
      prior: uniformPrior(LATENT),
      data: digits,
      batchSize: 16,
      steps,
      k: 2,
      dOptimizer,
      gOptimizer,
      rng: root.fork(),
      dataRng: root.fork(),
      stopOnInterrupt: false,
      onStep: (s) => void seen.push(s.step),
    });
    const weights = [...generator.getWeights(), ...discriminator.getWeights()].map((w) => Array.from(w.dataSync()));
    [dOptimizer, gOptimizer].forEach((o) => o.dispose());
    [generator, discriminator].forEach((m) => m.dispose());
    return { history, weights, seen };
  };

  test('the same seeds give the same run bit for bit, another seed another run; k D steps per G step; nothing leaks', async () => {
    const tensors = tf.memory().numTensors;
    const a = await run(4, 5);
    assert.equal(tf.memory().numTensors, tensors, 'leaked tensors');
    const b = await run(4, 5);
    const c = await run(5, 5);
    assert.deepEqual(a.seen, [1, 2, 3, 4, 5]);
    assert.deepEqual(a.history.step, [1, 2, 3, 4, 5]);
    // k = 2 on 64 images in batches of 16: 10 D batches = 2.5 epochs
    assert.equal(a.history.finalEpoch, 2);
    assert.ok(a.history.dLoss.every(Number.isFinite) && a.history.gLoss.every(Number.isFinite));
    assert.deepEqual(b.history, a.history);
    assert.deepEqual(b.weights, a.weights);
    assert.notDeepEqual(c.history.dLoss, a.history.dLoss);
  });

  // Reference numbers of a seeded run (recorded before trainConditionalGan became a layer over trainGan, and
  // before projectionCore reused mlp.ts's layers): a refactor must reproduce them bit for bit.
  const PINNED = {
    concat: {
      dLoss: [0.9139503240585327, 0.6808821558952332, 0.5252005457878113],
      gLoss: [1.8951622247695923, 2.4534711837768555, 2.58296275138855],
      dReal: [0.5657841563224792, 0.5811851024627686, 0.6519744992256165],
      dFake: [0.27185770869255066, 0.10136264562606812, 0.0747559666633606],
      w: [
        [0.3937167823314667, -0.4664326608181],
        [0.0031434856355190277, 0.0031441538594663143],
        [-0.0818195790052414, 0.06926920264959335],
        [-0.003079629736021161, 0.002999453339725733],
        [-0.029587209224700928, 0.035095833241939545],
        [0.0025656437501311302, -0.0008314508013427258],
        [0.23195472359657288, -0.8062927722930908],
        [0.003224641550332308],
      ],
    },
    projection: {
      dLoss: [1.1380512714385986, 0.8622287511825562, 0.5207653641700745],
      gLoss: [2.0272371768951416, 3.3583576679229736, 3.238494873046875],
      dReal: [0.5642591118812561, 0.5369787812232971, 0.6696009635925293],
      dFake: [0.3498980402946472, 0.16559699177742004, 0.07851419597864151],
      w: [
        [0.39254045486450195, -0.4660347104072571],
        [0.0030767126008868217, 0.003110802499577403],
        [-0.08134239912033081, 0.06892368942499161],
        [-0.0027029700577259064, 0.0029988684691488743],
        [-0.030528580769896507, 0.03534235805273056],
        [-0.0027872095815837383, -0.001523967832326889],
        [0.30237284302711487, 0.5353619456291199],
        [0.23127076029777527, -0.8067269325256348],
        [0.0041906991973519325],
      ],
    },
  };
  for (const labelInput of ['concat', 'projection'] as const) {
    test(`a seeded run (labelInput '${labelInput}') reproduces its recorded losses and weights bit for bit`, async () => {
      const seed = 4;
      const generator = conditionalGenerator({ latentDim: LATENT, classes: 10, hidden: [8], outputDim: 784, seed });
      const discriminator = conditionalDiscriminator({
        inputDim: 784,
        classes: 10,
        hidden: [8],
        seed: seed + 100,
        ...(labelInput === 'projection' ? { labelInput, dropoutKeep: 0.8 } : {}),
      });
      const [dOptimizer, gOptimizer] = [
        adam({ learningRate: 1e-3, beta1: 0.5 }),
        adam({ learningRate: 1e-3, beta1: 0.5 }),
      ];
      const root = new Rng(seed);
      const h = await trainConditionalGan({
        generator,
        discriminator,
        prior: uniformPrior(LATENT),
        data: digits,
        batchSize: 16,
        steps: 3,
        k: 2,
        dOptimizer,
        gOptimizer,
        rng: root.fork(),
        dataRng: root.fork(),
        stopOnInterrupt: false,
      });
      const w = [...generator.getWeights(), ...discriminator.getWeights()].map((t) =>
        Array.from(t.dataSync()).slice(0, 2),
      );
      assert.deepEqual({ dLoss: h.dLoss, gLoss: h.gLoss, dReal: h.dReal, dFake: h.dFake, w }, PINNED[labelInput]);
      [dOptimizer, gOptimizer].forEach((o) => o.dispose());
      [generator, discriminator].forEach((m) => m.dispose());
    });
  }

  test("a non-finite loss ends the run with trainGan's TrainingDivergedError and the history up to the last good step", async () => {
    const { generator, discriminator } = pair(7);
    const [dOptimizer, gOptimizer] = [adam({ learningRate: 1e-3 }), adam({ learningRate: 1e-3 })];
    const root = new Rng(7);
    const history = emptyHistory();
    const run = trainConditionalGan({
      generator,
      discriminator,
      prior: uniformPrior(LATENT),
      data: digits,
      batchSize: 16,
      steps: 5,
      dOptimizer,
      gOptimizer,
      rng: root.fork(),
      dataRng: root.fork(),
      stopOnInterrupt: false,
      // after the first step D's first kernel turns NaN, so the second step's losses are NaN
      onStep: (s) => {
        history.step.push(s.step);
        if (s.step === 1) discriminator.weights[0].write(tf.fill(discriminator.weights[0].shape as number[], NaN));
      },
    });
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof TrainingDivergedError, `expected a TrainingDivergedError, got ${String(e)}`);
      assert.equal(e.step, 2);
      assert.equal(e.history.finalStep, 1);
      assert.deepEqual(e.history.step, [1]);
      return true;
    });
    assert.deepEqual(history.step, [1]);
    [dOptimizer, gOptimizer].forEach((o) => o.dispose());
    [generator, discriminator].forEach((m) => m.dispose());
  });

  test('the loss is passed to trainGan: least squares gives another run, and its history says what D outputs', async () => {
    const losses = await Promise.all(
      [undefined, leastSquaresLoss()].map(async (loss) => {
        const { generator, discriminator } = pair(8);
        const [dOptimizer, gOptimizer] = [adam({ learningRate: 1e-3 }), adam({ learningRate: 1e-3 })];
        const root = new Rng(8);
        const h = await trainConditionalGan({
          generator,
          discriminator,
          prior: uniformPrior(LATENT),
          data: digits,
          batchSize: 16,
          steps: 1,
          loss,
          dOptimizer,
          gOptimizer,
          rng: root.fork(),
          dataRng: root.fork(),
          stopOnInterrupt: false,
        });
        [dOptimizer, gOptimizer].forEach((o) => o.dispose());
        [generator, discriminator].forEach((m) => m.dispose());
        return h;
      }),
    );
    assert.equal(losses[0].output.axisTitle, minimaxLoss().output.axisTitle);
    assert.equal(losses[1].output.axisTitle, leastSquaresLoss().output.axisTitle);
    // same seeds, same first batch: only the loss differs
    assert.notEqual(losses[1].dLoss[0], losses[0].dLoss[0]);
  });

  test('bad configurations are refused with what to do', async () => {
    const { generator, discriminator } = pair(6);
    const base = {
      generator,
      discriminator,
      prior: uniformPrior(LATENT),
      data: digits,
      batchSize: 8,
      steps: 1,
      rng: new Rng(1),
      dataRng: new Rng(2),
    };
    const opt = adam({ learningRate: 1e-3 });
    await assert.rejects(trainConditionalGan({ ...base, dOptimizer: opt, gOptimizer: opt }), /same object/);
    await assert.rejects(
      trainConditionalGan({ ...base, steps: 0, dOptimizer: opt, gOptimizer: adam({ learningRate: 1e-3 }) }),
      /steps must be a positive integer/,
    );
    await assert.rejects(
      trainConditionalGan({ ...base, dataRng: undefined as unknown as Rng, dOptimizer: opt, gOptimizer: opt }),
      /missing dataRng/,
    );
    opt.dispose();
    [generator, discriminator].forEach((m) => m.dispose());
  });
});
