/**
 * GanLoss: the least-squares loss against closed forms and finite differences, its optimal D, the
 * paper's minimax loss as one object giving the same seeded runs as before it existed, least squares
 * training the 1-D toy through trainGan, and the training chart labelled by the loss.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  adam,
  checkGanLoss,
  discriminatorLoss,
  discriminatorStep,
  distributionSource,
  emptyHistory,
  gaussian1D,
  generatorLoss,
  generatorStep,
  GanLoss,
  initBackend,
  leastSquaresLoss,
  minimaxLoss,
  mlpDiscriminator,
  mlpGenerator,
  optimalDiscriminator,
  Rng,
  simultaneousStep,
  trainGan,
  TrainGanConfig,
  trainingCurvesFigure,
  pointsNote,
  uniformPrior,
} from '../src';
import { numericGrad } from './finite-differences';
import { disposeToy, toyGan } from './toy-gan';

before(async () => {
  await initBackend();
});

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
/** The least-squares losses in float64: D ½E(D(x) − 1)² + ½E D(G(z))², G ½E(D(G(z)) − 1)². */
const refLsD = (r: number[], f: number[]) => 0.5 * mean(r.map((v) => (v - 1) ** 2)) + 0.5 * mean(f.map((v) => v * v));
const refLsG = (f: number[]) => 0.5 * mean(f.map((v) => (v - 1) ** 2));

function assertClose(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

function scalar(t: tf.Scalar): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

const REAL = [2.5, -0.3, 0.0, 1.1, 0.9, 4.0];
const FAKE = [-1.2, 0.8, 0.05, 3.3, 0.5];

describe('leastSquaresLoss', () => {
  const ls = leastSquaresLoss();

  test('values: the closed forms, 0 for a perfect D and the equilibrium values 1/4 and 1/8 at D = 1/2', () => {
    const r = tf.tensor2d(REAL, [REAL.length, 1]);
    const f = tf.tensor1d(FAKE);
    assertClose([scalar(ls.discriminatorLoss(r, f))], [refLsD(REAL, FAKE)], 1e-6, 'D loss');
    assertClose([scalar(ls.generatorLoss(f))], [refLsG(FAKE)], 1e-6, 'G loss');
    assertClose([scalar(ls.meanOutput(r))], [mean(REAL)], 1e-6, 'mean output is the raw mean (no sigmoid)');
    tf.dispose([r, f]);
    tf.tidy(() => {
      assert.equal(scalar(ls.discriminatorLoss(tf.ones([4]), tf.zeros([3]))), 0);
      assert.equal(scalar(ls.generatorLoss(tf.ones([3]))), 0);
      assert.equal(scalar(ls.discriminatorLoss(tf.fill([4], 0.5), tf.fill([3], 0.5))), 0.25);
      assert.equal(scalar(ls.generatorLoss(tf.fill([3], 0.5))), 0.125);
    });
  });

  test('gradients match finite differences of the float64 losses (and the closed forms (r − 1)/N, f/N)', () => {
    const r = tf.tensor1d(REAL);
    const f = tf.tensor1d(FAKE);
    const [gr, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => ls.discriminatorLoss(a, b))([r, f]);
    const gg = tf.grad((b: tf.Tensor) => ls.generatorLoss(b))(f);
    assertClose(
      gr.dataSync(),
      numericGrad((x) => refLsD(x, FAKE), REAL),
      1e-4,
      'dLossD/dD(x)',
    );
    assertClose(
      gf.dataSync(),
      numericGrad((x) => refLsD(REAL, x), FAKE),
      1e-4,
      'dLossD/dD(G(z))',
    );
    assertClose(gg.dataSync(), numericGrad(refLsG, FAKE), 1e-4, 'dLossG/dD(G(z))');
    assertClose(
      gr.dataSync(),
      REAL.map((v) => (v - 1) / REAL.length),
      1e-6,
      'closed form, real',
    );
    assertClose(
      gf.dataSync(),
      FAKE.map((v) => v / FAKE.length),
      1e-6,
      'closed form, fake',
    );
    assertClose(
      gg.dataSync(),
      FAKE.map((v) => (v - 1) / FAKE.length),
      1e-6,
      'closed form, G',
    );
    tf.dispose([r, f, gr, gf, gg]);
  });

  test("the optimal D is Proposition 1's D* = p_data / (p_data + p_g), reached by descending D's loss", () => {
    // Four points; a batch holds each point as often as its probability says (real 3:1:0:2, fake 1:1:2:2 of 6),
    // so D's batch loss is exactly ½ Σ p_data(x)(D(x) − 1)² + ½ Σ p_g(x) D(x)²: minimised pointwise by D*.
    const realIndex = [0, 0, 0, 1, 3, 3];
    const fakeIndex = [0, 1, 2, 2, 3, 3];
    const count = (idx: number[]) => [0, 1, 2, 3].map((i) => idx.filter((j) => j === i).length / idx.length);
    const dStar = Array.from(optimalDiscriminator(count(realIndex), count(fakeIndex)));
    assert.deepEqual(dStar, [0.75, 0.5, 0, 0.5]);
    // D's output on each sample of a batch: a one-hot matrix times the four values (wasm has no gradient for gather)
    const at = (d: tf.Tensor, idx: number[]) =>
      tf.matMul(tf.oneHot(tf.tensor1d(idx, 'int32'), 4).toFloat(), d.reshape([4, 1]));
    const lossAt = (d: tf.Tensor1D) => ls.discriminatorLoss(at(d, realIndex), at(d, fakeIndex));
    const gradAt = (values: number[]) =>
      tf.tidy(() =>
        Array.from(
          tf
            .grad((d: tf.Tensor) => lossAt(d as tf.Tensor1D))(tf.tensor1d(values))
            .dataSync(),
        ),
      );
    assertClose(gradAt(dStar), [0, 0, 0, 0], 1e-7, 'gradient at D*');
    assert.ok(gradAt([0.7, 0.5, 0, 0.5])[0] < 0 && gradAt([0.8, 0.5, 0, 0.5])[0] > 0, 'D* is a minimum, not a maximum');
    // and plain gradient descent from D = 0 lands there
    const d = tf.variable(tf.zeros([4]));
    const opt = tf.train.sgd(1);
    for (let i = 0; i < 300; i++) opt.minimize(() => lossAt(d as unknown as tf.Tensor1D));
    assertClose(d.dataSync(), dStar, 1e-4, 'D after descent');
    // the minimax loss has the same D* (on the probability σ(logit)) where both densities are positive
    const logit = tf.variable(tf.zeros([4]));
    for (let i = 0; i < 3000; i++) {
      opt.minimize(() => discriminatorLoss(at(logit, realIndex), at(logit, fakeIndex)));
    }
    const p = tf.tidy(() => Array.from(tf.sigmoid(logit).dataSync()));
    assertClose([p[0], p[1], p[3]], [0.75, 0.5, 0.5], 1e-3, 'σ(logit) after descent of the minimax D loss');
    tf.dispose([d, logit]);
    opt.dispose();
  });

  test('bad outputs are refused with the loss and the tensor named; no tensors leak', () => {
    const before = tf.memory().numTensors;
    const r = tf.tensor1d(REAL);
    const f = tf.tensor1d(FAKE);
    for (let i = 0; i < 3; i++) {
      ls.discriminatorLoss(r, f).dispose();
      ls.generatorLoss(f).dispose();
      ls.meanOutput(r).dispose();
      tf.grads((a: tf.Tensor, b: tf.Tensor) => ls.discriminatorLoss(a, b))([r, f]).forEach((g) => g.dispose());
      tf.grad((b: tf.Tensor) => ls.generatorLoss(b))(f).dispose();
    }
    const wide = tf.zeros([3, 2]);
    const nan = tf.tensor1d([0, NaN]);
    assert.throws(
      () => ls.discriminatorLoss(wide, f),
      /leastSquaresLoss\.discriminatorLoss: realOut must have shape \[N\] or \[N, 1\]/,
    );
    assert.throws(() => ls.generatorLoss(nan), /leastSquaresLoss\.generatorLoss: fakeOut holds 1 NaN value/);
    tf.dispose([r, f, wide, nan]);
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('minimaxLoss', () => {
  test('is the paper pair: the same numbers as discriminatorLoss/generatorLoss, σ for the diagnostics', () => {
    const r = tf.tensor1d(REAL);
    const f = tf.tensor1d(FAKE);
    const before = tf.memory().numTensors;
    for (const generator of ['saturating', 'nonSaturating'] as const) {
      for (const dScale of [1, 0.5]) {
        const l = minimaxLoss({ generator, dScale });
        assert.equal(scalar(l.discriminatorLoss(r, f)), scalar(discriminatorLoss(r, f, { scale: dScale })));
        assert.equal(scalar(l.generatorLoss(f)), scalar(generatorLoss(f, { variant: generator })));
      }
    }
    const sigmoidMean = mean(REAL.map((v) => 1 / (1 + Math.exp(-v))));
    assertClose([scalar(minimaxLoss().meanOutput(r))], [sigmoidMean], 1e-6, 'mean σ');
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([r, f]);
    assert.equal(
      minimaxLoss({ generator: 'nonSaturating', dScale: 0.5 }).name,
      'minimax, non-saturating G, D loss × 0.5',
    );
    assert.deepEqual(minimaxLoss().output.range, [0, 1]);
    assert.throws(() => minimaxLoss({ dScale: 0 }), /minimaxLoss: scale must be a positive finite number, got 0/);
    assert.throws(() => minimaxLoss({ generator: 'minimax' as never }), /minimaxLoss: unknown variant "minimax"/);
  });
});

// ---- trainGan with a GanLoss ---------------------------------------------------------------------

/**
 * Four steps of seeded runs, computed with the code before GanLoss existed (trainGan took
 * { generatorLoss, dLossScale } and the steps called the BCE losses directly): float32 values, exact.
 */
const PINNED = [
  {
    name: 'alternating, dropout, k = 2, saturating G, D loss × 0.5, SGD with momentum',
    seed: 11,
    toy: { dropout: true, optimizer: 'sgd' },
    now: { k: 2, loss: minimaxLoss({ generator: 'saturating', dScale: 0.5 }) },
    dLoss: [0.783622145652771, 0.6940450668334961, 0.6336146593093872, 0.5622925758361816],
    gLoss: [-0.7041289210319519, -0.7032507658004761, -0.708108127117157, -0.6951823234558105],
    dReal: [0.4318721890449524, 0.5103947520256042, 0.5762070417404175, 0.6746305823326111],
    dFake: [0.5011997818946838, 0.507761538028717, 0.5041481256484985, 0.509966254234314],
    g0: [0.3181287944316864, 0.42057910561561584, 0.5418432354927063],
  },
  {
    name: 'alternating, the default loss, Adam',
    seed: 12,
    toy: { optimizer: 'adam' },
    now: { loss: minimaxLoss() },
    dLoss: [1.621012568473816, 1.5889966487884521, 1.4745662212371826, 1.3967772722244263],
    gLoss: [0.6604769825935364, 0.6297167539596558, 0.6233998537063599, 0.6228504180908203],
    dReal: [0.4249643087387085, 0.462483674287796, 0.4971005320549011, 0.5277936458587646],
    dFake: [0.5336785912513733, 0.5569503903388977, 0.5388590097427368, 0.5302414298057556],
    g0: [0.46859532594680786, -0.4384342432022095, -0.5810752511024475],
  },
  {
    name: "simultaneous (the paper's code), dropout, D loss × 0.5, SGD with momentum",
    seed: 13,
    toy: { dropout: true, optimizer: 'sgd' },
    now: { mode: 'simultaneous', loss: minimaxLoss({ generator: 'nonSaturating', dScale: 0.5 }) },
    dLoss: [0.7331010103225708, 0.7283156514167786, 0.652021586894989, 0.6283278465270996],
    gLoss: [0.6933501958847046, 0.698594868183136, 0.6989256739616394, 0.7025212049484253],
    dReal: [0.46110236644744873, 0.4808238446712494, 0.5444255471229553, 0.5720491409301758],
    dFake: [0.49706345796585083, 0.5117733478546143, 0.4989037811756134, 0.4989932179450989],
    g0: [0.6429541707038879, 0.6565844416618347, 0.07889232039451599],
  },
] as const;

describe('trainGan with a GanLoss', () => {
  for (const p of PINNED) {
    test(`a seeded run gives the numbers it gave before GanLoss: ${p.name}`, async () => {
      const t = toyGan(p.seed, p.toy as { dropout?: boolean; optimizer?: 'sgd' | 'adam' });
      const h = await trainGan({ ...t, batchSize: 16, steps: 4, ...(p.now as Partial<TrainGanConfig>) });
      const g0 = Array.from(t.generator.weights[0].read().dataSync()).slice(0, 3);
      disposeToy(t);
      assert.deepEqual(
        { dLoss: h.dLoss, gLoss: h.gLoss, dReal: h.dReal, dFake: h.dFake, g0 },
        { dLoss: p.dLoss, gLoss: p.gLoss, dReal: p.dReal, dFake: p.dFake, g0: p.g0 },
      );
      assert.deepEqual(h.output, minimaxLoss().output, "the history says D's output is a probability");
    });
  }

  test('a non-loss, or a history of another loss, is refused', async () => {
    const t = toyGan(3);
    const base = { ...t, batchSize: 8, steps: 1 };
    await assert.rejects(
      trainGan({ ...base, loss: { name: 'mine' } as unknown as GanLoss }),
      /loss must be a GanLoss.*lacks discriminatorLoss, generatorLoss, meanOutput, output/,
    );
    const h = await trainGan({ ...base });
    await assert.rejects(
      trainGan({ ...base, startStep: 1, steps: 2, history: h, loss: leastSquaresLoss() }),
      /recorded with a loss whose D output is "mean D\(·\), a probability"/,
    );
    disposeToy(t);
  });

  test('least squares trains the 1-D toy: G(z) gets the data mean 2 and standard deviation 0.5, D ≈ 1/2', async () => {
    // notebook 05's toy (p_data = N(2, 0.5²), G 1 → 16 tanh → 1 starting left of the data), G's Adam 5× faster
    const root = new Rng(1);
    const toy = {
      generator: mlpGenerator({
        latentDim: 1,
        hidden: [16],
        outputDim: 1,
        activation: 'tanh',
        outputActivation: 'linear',
        outputBias: [1],
        seed: root.nextUint32(),
      }),
      discriminator: mlpDiscriminator({
        inputDim: 1,
        hidden: [32, 32],
        activation: 'leakyRelu',
        seed: root.nextUint32(),
      }),
      prior: uniformPrior(1),
      real: distributionSource(gaussian1D(2, 0.5), root.fork()),
      rng: root.fork(),
      batchSize: 64,
      dOptimizer: adam({ learningRate: 1e-3, beta1: 0.5 }),
      gOptimizer: adam({ learningRate: 1e-3, beta1: 0.5 }),
    };
    const before = tf.memory().numTensors;
    const h = await trainGan({ ...toy, steps: 2000, loss: leastSquaresLoss() });
    const x = tf.tidy(() =>
      Array.from((toy.generator.predict(toy.prior.sample(4000, new Rng(5))) as tf.Tensor).dataSync()),
    );
    const m = mean(x);
    const sd = Math.sqrt(mean(x.map((v) => (v - m) ** 2)));
    const last = (a: number[]) => mean(a.slice(-200));
    assert.ok(Math.abs(m - 2) < 0.1, `mean of G(z) ${m}`);
    assert.ok(Math.abs(sd - 0.5) < 0.1, `standard deviation of G(z) ${sd}`);
    assert.ok(
      Math.abs(last(h.dReal) - 0.5) < 0.1 && Math.abs(last(h.dFake) - 0.5) < 0.1,
      `mean D(x) ${last(h.dReal)}, D(G(z)) ${last(h.dFake)}`,
    );
    assert.ok(Math.abs(last(h.dLoss) - 0.25) < 0.03, `D's loss ${last(h.dLoss)} near its equilibrium value 1/4`);
    assert.equal(h.output.axisTitle, 'mean D(·), a least-squares score');
    [toy.generator, toy.discriminator].forEach((mdl) => mdl.dispose());
    toy.dOptimizer.dispose();
    toy.gOptimizer.dispose();
    assert.ok(tf.memory().numTensors <= before, 'no tensors left behind');
  });
});

describe('trainingCurvesFigure', () => {
  const h = emptyHistory();
  for (let i = 1; i <= 10; i++) {
    h.step.push(i);
    h.epoch.push(0);
    h.dLoss.push(i);
    h.gLoss.push(-i);
    h.dReal.push(0.1 * i);
    h.dFake.push(NaN);
  }
  const axis = (f: ReturnType<typeof trainingCurvesFigure>) =>
    f.layout.yaxis2 as { title: { text: string }; range?: number[] };

  test('draws a TrainHistory as it is, labelled by the loss the history was trained with', () => {
    const fig = trainingCurvesFigure(h, { title: 't', maxPoints: 5 });
    assert.equal(fig.data.length, 5);
    assert.deepEqual(fig.data[0].x, [2, 4, 6, 8, 10]);
    assert.deepEqual(fig.data[0].y, [1.5, 3.5, 5.5, 7.5, 9.5]);
    assert.deepEqual(fig.data[3].y, [null, null, null, null, null], 'non-finite values are gaps');
    assert.deepEqual(axis(fig), {
      domain: [0, 0.45],
      automargin: true,
      range: [0, 1],
      title: { text: 'mean D(·), a probability' },
    });
    assert.equal((fig.layout.title as { text: string }).text, 't<br><sup>each point: mean of 2 steps</sup>');
    const ls = trainingCurvesFigure({ ...h, output: leastSquaresLoss().output });
    assert.equal(axis(ls).title.text, 'mean D(·), a least-squares score');
    assert.equal(axis(ls).range, undefined, 'a score is not clipped to [0, 1]');
    assert.deepEqual(ls.data[4].y, [0.5, 0.5]);
    assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
  });

  test('rows (what onStep sees) give the same chart; mismatched columns are an error', () => {
    const rows = h.step.map((step, i) => ({
      step,
      dLoss: h.dLoss[i],
      gLoss: h.gLoss[i],
      dReal: h.dReal[i],
      dFake: h.dFake[i],
    }));
    assert.deepEqual(trainingCurvesFigure(rows, { maxPoints: 3 }), trainingCurvesFigure(h, { maxPoints: 3 }));
    assert.throws(() => trainingCurvesFigure({ ...h, gLoss: [1] }), /gLoss has 1 values but step has 10/);
    assert.throws(() => trainingCurvesFigure({} as never), /pass a TrainHistory/);
  });

  test('the title says what a point is: one step, or the mean of how many', () => {
    assert.equal(pointsNote(10, 10), 'each point: one step');
    assert.equal(pointsNote(2000, 500), 'each point: mean of 4 steps');
    assert.equal(pointsNote(4150, 500), 'each point: mean of 8–9 steps');
    assert.equal(pointsNote(0, 0), 'each point: one step');
    const title = (maxPoints: number) =>
      (trainingCurvesFigure(h, { title: 'T', maxPoints }).layout.title as { text: string }).text;
    assert.equal(title(500), 'T<br><sup>each point: one step</sup>');
    assert.equal(title(3), 'T<br><sup>each point: mean of 3–4 steps</sup>');
  });
});

describe('afterDiscriminatorUpdate: a hook after every update of D', () => {
  // WGAN-style clipping (Arjovsky et al. 2017) on the least-squares pair: the hook is what keeps D in a set.
  const C = 0.01;
  const clipped = (calls: { n: number }): GanLoss => ({
    ...leastSquaresLoss(),
    name: 'least squares, D clipped',
    afterDiscriminatorUpdate: (vars) => {
      calls.n += 1;
      for (const v of vars) v.assign(tf.clipByValue(v, -C, C));
    },
  });
  const maxAbs = (m: tf.LayersModel) =>
    Math.max(...m.trainableWeights.map((w) => tf.tidy(() => tf.max(tf.abs(w.read())).dataSync()[0])));

  test('runs once per D update (D step, simultaneous step; not the G step), and D stays clipped', () => {
    const t = toyGan(5);
    const calls = { n: 0 };
    const loss = clipped(calls);
    const real = tf.tensor2d([[1.5], [2], [2.5], [1.8]]);
    const z = tf.tensor2d([
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.2],
      [0.0, 0.9],
    ]);
    assert.ok(
      maxAbs(t.discriminator) > C,
      'the initial D has weights outside [−c, c] (otherwise the test proves nothing)',
    );
    const d = () =>
      discriminatorStep({
        generator: t.generator,
        discriminator: t.discriminator,
        optimizer: t.dOptimizer,
        real,
        z,
        loss,
      });
    const g = () =>
      generatorStep({ generator: t.generator, discriminator: t.discriminator, optimizer: t.gOptimizer, z, loss });
    const s = () =>
      simultaneousStep({
        generator: t.generator,
        discriminator: t.discriminator,
        dOptimizer: t.dOptimizer,
        gOptimizer: t.gOptimizer,
        real,
        z,
        loss,
      });
    d();
    assert.equal(calls.n, 1);
    assert.ok(maxAbs(t.discriminator) <= C + 1e-9, `D's weights within [−${C}, ${C}] after the D step`);
    g();
    assert.equal(calls.n, 1, 'the G step does not update D, so no call');
    s();
    assert.equal(calls.n, 2);
    assert.ok(maxAbs(t.discriminator) <= C + 1e-9);
    const before = tf.memory().numTensors; // after the optimisers made their velocities
    d();
    g();
    s();
    assert.equal(calls.n, 4);
    assert.equal(tf.memory().numTensors, before, 'no leaked tensors');
    tf.dispose([real, z]);
    disposeToy(t);
  });

  test('a hook that is not a function is refused, naming it', () => {
    assert.throws(
      () => checkGanLoss('x', { ...leastSquaresLoss(), afterDiscriminatorUpdate: 3 }),
      /lacks a function afterDiscriminatorUpdate/,
    );
  });
});
