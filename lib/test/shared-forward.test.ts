/**
 * simultaneousStep's sharedForward (issue 12, item 3): D's and G's gradients from one forward pass of D
 * on G(z) must equal those of two passes that draw the same dropout masks (replayed by hand here), for
 * each loss, on the ratio path and on the replay path (D certain a sample is fake); bad setups are
 * refused with a reason, and no tensor is leaked.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  GanLoss,
  initBackend,
  leastSquaresLoss,
  minimaxLoss,
  mlpDiscriminator,
  mlpGenerator,
  Rng,
  SeededDropout,
  trainGan,
  sgdMomentum,
  simultaneousStep,
  trainableVariables,
} from '../src';

before(async () => {
  await initBackend();
});

const [BATCH, LATENT, DIM] = [6, 5, 12];

/** A small paper-like pair: ReLU G, maxout D with dropout on its input and hidden layers. */
function pair(dRng = new Rng(7)) {
  const generator = mlpGenerator({ latentDim: LATENT, hidden: [20], outputDim: DIM, seed: 1 });
  const discriminator = mlpDiscriminator({
    inputDim: DIM,
    hidden: [16, 16],
    activation: 'maxout',
    pieces: 3,
    dropoutKeep: [0.8, 0.5, 0.5],
    seed: 2,
    dropoutRng: dRng,
  });
  return { generator, discriminator, dRng };
}

function batches() {
  const rng = new Rng(11);
  return {
    real: tf.tensor2d(rng.fillUniform(new Float32Array(BATCH * DIM), 0, 1), [BATCH, DIM]),
    z: tf.tensor2d(rng.fillUniform(new Float32Array(BATCH * LATENT), -1, 1), [BATCH, LATENT]),
  };
}

/**
 * The reference: D's gradient of D's loss (masks on the real batch, then on G(z)), and G's gradient of
 * G's loss through a second pass of D whose masks are replayed from the Rng state before D's pass on G(z).
 * Leaves the Rng where it found it. Returns the gradients keyed by variable name, as plain arrays.
 */
function twoPassesSharedMasks(p: ReturnType<typeof pair>, loss: GanLoss, real: tf.Tensor2D, z: tf.Tensor2D) {
  const start = p.dRng.getState();
  let beforeFake = start;
  const out: Record<string, Float32Array> = {};
  let afterDPass = start;
  tf.tidy(() => {
    const d = tf.variableGrads(() => {
      const fake = p.generator.apply(z, { training: true }) as tf.Tensor;
      const realOut = p.discriminator.apply(real, { training: true }) as tf.Tensor;
      beforeFake = p.dRng.getState();
      return loss.discriminatorLoss(realOut, p.discriminator.apply(fake, { training: true }) as tf.Tensor);
    }, trainableVariables(p.discriminator));
    afterDPass = p.dRng.getState();
    p.dRng.setState(beforeFake);
    const g = tf.variableGrads(
      () =>
        loss.generatorLoss(
          p.discriminator.apply(p.generator.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor,
        ),
      trainableVariables(p.generator),
    );
    for (const [name, t] of Object.entries({ ...d.grads, ...g.grads })) out[name] = t.dataSync() as Float32Array;
  });
  p.dRng.setState(start);
  return { grads: out, afterDPass };
}

/** Runs one sharedForward step with plain SGD at learning rate 1, so each variable moves by −gradient. */
function sharedStepGradients(
  p: ReturnType<typeof pair>,
  loss: GanLoss,
  real: tf.Tensor2D,
  z: tf.Tensor2D,
  optimizers = plainSgd(),
) {
  const vars = [...trainableVariables(p.discriminator), ...trainableVariables(p.generator)];
  const before = vars.map((v) => (v.dataSync() as Float32Array).slice());
  const [dOptimizer, gOptimizer] = optimizers;
  const metrics = simultaneousStep({
    generator: p.generator,
    discriminator: p.discriminator,
    dOptimizer,
    gOptimizer,
    real,
    z,
    loss,
    sharedForward: true,
  });
  const out: Record<string, Float32Array> = {};
  vars.forEach((v, i) => (out[v.name] = before[i].map((b, j) => b - v.dataSync()[j])));
  return { grads: out, metrics };
}

const plainSgd = () =>
  [sgdMomentum({ learningRate: 1, momentum: 0 }), sgdMomentum({ learningRate: 1, momentum: 0 })] as const;

function assertSameGradients(actual: Record<string, Float32Array>, expected: Record<string, Float32Array>) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const name of Object.keys(expected)) {
    const scale = Math.max(...expected[name].map(Math.abs));
    assert.ok(scale > 0, `${name}: the reference gradient is zero, so the comparison would prove nothing`);
    const worst = Math.max(...expected[name].map((e, i) => Math.abs(e - actual[name][i])));
    assert.ok(worst <= 1e-5 * scale + 1e-7, `${name}: largest difference ${worst} against gradient scale ${scale}`);
  }
}

describe('simultaneousStep with sharedForward', () => {
  const losses: [string, () => GanLoss][] = [
    ['minimax, non-saturating G (default)', () => minimaxLoss()],
    ["the paper code's dScale 0.5", () => minimaxLoss({ dScale: 0.5 })],
    ['minimax, saturating G', () => minimaxLoss({ generator: 'saturating' })],
    ['least squares', () => leastSquaresLoss()],
  ];
  for (const [label, makeLoss] of losses) {
    test(`gradients equal two passes with shared masks: ${label}`, () => {
      const p = pair();
      const { real, z } = batches();
      const expected = twoPassesSharedMasks(p, makeLoss(), real, z).grads;
      const { grads } = sharedStepGradients(p, makeLoss(), real, z);
      assertSameGradients(grads, expected);
      tf.dispose([real, z]);
      p.generator.dispose();
      p.discriminator.dispose();
    });
  }

  test('D certain that G(z) is fake (logit −200: its cotangent underflows): G gets its gradient by replaying the masks', () => {
    const p = pair();
    const lastBias = p.discriminator.trainableWeights[
      p.discriminator.trainableWeights.length - 1
    ].read() as tf.Variable;
    lastBias.assign(tf.fill(lastBias.shape, -200));
    const { real, z } = batches();
    const expected = twoPassesSharedMasks(p, minimaxLoss(), real, z).grads;
    const gName = trainableVariables(p.generator)[0].name;
    assert.ok(
      Math.max(...expected[gName].map(Math.abs)) > 0,
      'G has a gradient here (the non-saturating loss does not vanish)',
    );
    const { grads, metrics } = sharedStepGradients(p, minimaxLoss(), real, z);
    assertSameGradients(grads, expected);
    assert.ok(Number.isFinite(metrics.gLoss) && metrics.gLoss > 199, `G's loss is about 200, got ${metrics.gLoss}`);
    tf.dispose([real, z]);
  });

  test("the step draws D's masks once per batch, as the reference's D pass: the Rng ends where that pass left it", () => {
    const p = pair();
    const { real, z } = batches();
    const { afterDPass } = twoPassesSharedMasks(p, minimaxLoss(), real, z);
    assert.notDeepEqual(afterDPass, p.dRng.getState());
    sharedStepGradients(p, minimaxLoss(), real, z);
    assert.deepEqual(p.dRng.getState(), afterDPass);
    tf.dispose([real, z]);
  });

  test('no tensor leaks, on either path', () => {
    const p = pair();
    const { real, z } = batches();
    const optimizers = plainSgd();
    sharedStepGradients(p, minimaxLoss(), real, z, optimizers); // the first step makes the optimisers' slots
    const before = tf.memory().numTensors;
    sharedStepGradients(p, minimaxLoss(), real, z, optimizers);
    const lastBias = p.discriminator.trainableWeights[
      p.discriminator.trainableWeights.length - 1
    ].read() as tf.Variable;
    lastBias.assign(tf.fill(lastBias.shape, -200));
    const afterAssign = tf.memory().numTensors;
    sharedStepGradients(p, minimaxLoss(), real, z, optimizers);
    assert.equal(afterAssign - before, 1, 'only the assigned fill tensor is new before the replay-path step');
    assert.equal(tf.memory().numTensors, afterAssign);
    tf.dispose([real, z]);
  });

  test("trainGan passes it to the simultaneous update and refuses it for Algorithm 1's alternating steps", async () => {
    const p = pair();
    const data = new Rng(3);
    const base = () => ({
      generator: p.generator,
      discriminator: p.discriminator,
      prior: {
        sample: (n: number, rng: Rng) => tf.tensor2d(rng.fillUniform(new Float32Array(n * LATENT), -1, 1), [n, LATENT]),
      },
      real: {
        epoch: 0,
        dim: DIM,
        next: (n: number) => tf.tensor2d(data.fillUniform(new Float32Array(n * DIM), 0, 1), [n, DIM]),
        getState: () => null,
        setState: () => {},
      },
      batchSize: BATCH,
      steps: 2,
      dOptimizer: sgdMomentum({ learningRate: 0.01, momentum: 0 }),
      gOptimizer: sgdMomentum({ learningRate: 0.01, momentum: 0 }),
      rng: new Rng(4),
      stopOnInterrupt: false,
    });
    await assert.rejects(
      trainGan({ ...base(), sharedForward: true }),
      /sharedForward shares D's forward pass between the two updates of mode 'simultaneous'/,
    );
    const h = await trainGan({ ...base(), mode: 'simultaneous', sharedForward: true });
    assert.equal(h.finalStep, 2);
    assert.ok(h.gLoss.every(Number.isFinite));
  });

  test('refuses a D with several outputs per example, and G and D drawing masks from one Rng', () => {
    const { real, z } = batches();
    const opt = () => sgdMomentum({ learningRate: 0.1, momentum: 0 });
    const wide = tf.sequential({ layers: [tf.layers.dense({ inputShape: [DIM], units: 3 })] });
    assert.throws(
      () =>
        simultaneousStep({
          generator: pair().generator,
          discriminator: wide,
          dOptimizer: opt(),
          gOptimizer: opt(),
          real,
          z,
          loss: leastSquaresLoss(),
          sharedForward: true,
        }),
      /one D output per example, got shape \[6,3\]/,
    );
    const shared = new Rng(5);
    const generator = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [LATENT], units: DIM }), new SeededDropout({ keep: 0.5, rng: shared })],
    });
    const discriminator = mlpDiscriminator({
      inputDim: DIM,
      hidden: [8],
      dropoutKeep: 0.5,
      seed: 2,
      dropoutRng: shared,
    });
    assert.throws(
      () =>
        simultaneousStep({
          generator,
          discriminator,
          dOptimizer: opt(),
          gOptimizer: opt(),
          real,
          z,
          sharedForward: true,
        }),
      /must not draw masks from the same Rng/,
    );
    tf.dispose([real, z]);
  });
});
