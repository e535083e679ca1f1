import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  adam,
  discriminatorStep,
  generatorStep,
  initBackend,
  learningRateAt,
  minimaxLoss,
  momentumAt,
  experiments,
  paperSgdMomentum,
  sgdMomentum,
  simultaneousStep,
  trainableVariables,
  trainGan,
  TrainGanConfig,
  valueFunction,
} from '../src';
import { disposeToy, Toy, toyGan } from './toy-gan';

const PAPER_MOMENTUM_SCHEDULE = experiments.PAPER_MNIST_EXPERIMENT.optimizer.momentumSchedule;

before(async () => {
  await initBackend();
});

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
}

function assertBitwiseEqual(a: Float32Array[], b: Float32Array[], what: string): void {
  assert.equal(a.length, b.length, `${what}: tensor count`);
  a.forEach((x, i) =>
    assert.deepEqual(new Uint8Array(x.buffer), new Uint8Array(b[i].buffer), `${what}: tensor ${i} differs`),
  );
}

describe('schedules', () => {
  test('momentum ramps 0.5 → 0.7 over epochs 1–250, then stays (pylearn2 MomentumAdjustor)', () => {
    const s = PAPER_MOMENTUM_SCHEDULE;
    assert.equal(momentumAt(s, 1), Math.fround(0.5));
    assert.equal(momentumAt(s, 125.5), Math.fround(0.6)); // halfway: 0.5 + 0.2·124.5/249
    assert.equal(momentumAt(s, 2), Math.fround(0.5 + 0.2 / 249));
    assert.equal(momentumAt(s, 250), Math.fround(0.7));
    assert.equal(momentumAt(s, 300), Math.fround(0.7));
    assert.equal(momentumAt(s, 0), Math.fround(0.5));
  });

  test('learning rate is 0.1 / 1.000004^n with floor 1e-6 (pylearn2 ExponentialDecay)', () => {
    assert.equal(learningRateAt(0.1, 1.000004, 1e-6, 0), Math.fround(0.1));
    assert.equal(learningRateAt(0.1, 1.000004, 1e-6, 500), Math.fround(0.1 / Math.pow(1.000004, 500)));
    // 0.1·1.000004^−n reaches 1e-6 at n = ln(1e5)/ln(1.000004) ≈ 2.88 million minibatches (≈ 5,756 epochs of 500)
    assert.equal(learningRateAt(0.1, 1.000004, 1e-6, 3_000_000), Math.fround(1e-6));
    assert.ok(learningRateAt(0.1, 1.000004, 1e-6, 2_800_000) > Math.fround(1e-6));
  });
});

describe('optimisers', () => {
  test('sgdMomentum follows vel = μ·vel − lr·grad; θ += vel by hand, with lr decay and the momentum ramp', () => {
    const f = Math.fround;
    const theta0 = [1, -2, 0.25];
    const g1 = [0.5, -1, 2];
    const g2 = [-0.25, 0.75, 1];
    const v = tf.variable(tf.tensor1d(theta0));
    const opt = sgdMomentum({
      learningRate: 0.1,
      decayFactor: 2,
      minLearningRate: 0.01,
      momentumSchedule: { start: 0.5, end: 0.7, startEpoch: 1, endEpoch: 5 },
    });
    const apply = (g: number[]) => tf.tidy(() => opt.applyGradients({ [v.name]: tf.tensor1d(g) }, [v]));

    // step 1: epoch 1 → μ = 0.5, lr = 0.1
    opt.setEpoch(1);
    assert.equal(opt.momentum, f(0.5));
    assert.equal(opt.learningRate, f(0.1));
    apply(g1);
    opt.onMinibatchEnd();
    // step 2: epoch 3 (halfway) → μ = 0.6, lr = 0.1 / 2
    opt.setEpoch(3);
    assert.equal(opt.momentum, f(0.6));
    assert.equal(opt.learningRate, f(0.05));
    apply(g2);
    opt.onMinibatchEnd();

    const mul = (a: number, b: number) => f(a * b);
    const vel1 = g1.map((g) => f(mul(f(0.5), 0) - mul(g, f(0.1))));
    const th1 = theta0.map((t, i) => f(f(t) + vel1[i]));
    const vel2 = g2.map((g, i) => f(mul(vel1[i], f(0.6)) - mul(g, f(0.05))));
    const th2 = th1.map((t, i) => f(t + vel2[i]));
    const got = Array.from(v.dataSync());
    got.forEach((x, i) =>
      assert.ok(Math.abs(x - th2[i]) <= 1e-7 * Math.max(1, Math.abs(th2[i])), `θ[${i}] = ${x}, expected ${th2[i]}`),
    );
    // the numbers by hand, in decimal: θ2[0] = 1 − 0.05 + (0.6·(−0.05) + 0.0125) = 0.9325
    assert.ok(Math.abs(got[0] - 0.9325) < 1e-6);
    // the floor: after many minibatches lr stays at minLearningRate
    for (let i = 0; i < 10; i++) opt.onMinibatchEnd();
    assert.equal(opt.learningRate, f(0.01));
    opt.dispose();
    v.dispose();
  });

  test('the paper optimiser: lr 0.1 decaying per minibatch, momentum 0.5 at epoch 1 and 0.7 from epoch 250', () => {
    const opt = paperSgdMomentum();
    assert.equal(opt.learningRate, Math.fround(0.1));
    for (let i = 0; i < 500; i++) opt.onMinibatchEnd();
    assert.equal(opt.learningRate, Math.fround(0.1 / Math.pow(1.000004, 500)));
    opt.setEpoch(1);
    assert.equal(opt.momentum, Math.fround(0.5));
    opt.setEpoch(250);
    assert.equal(opt.momentum, Math.fround(0.7));
    opt.dispose();
  });

  test('the generic sgdMomentum has neutral defaults: no decay, no floor, constant momentum', () => {
    const opt = sgdMomentum({ learningRate: 0.1, momentum: 0.5 });
    for (let i = 0; i < 500; i++) opt.onMinibatchEnd();
    opt.setEpoch(300);
    assert.deepEqual([opt.learningRate, opt.momentum], [Math.fround(0.1), Math.fround(0.5)]);
    opt.dispose();
    assert.throws(
      () => sgdMomentum({ learningRate: 0.1, momentum: 0.5, minLearningRate: -1 }),
      /minLearningRate must be/,
    );
  });

  test('adam matches the update written out by hand (two steps)', () => {
    const v = tf.variable(tf.tensor1d([1, -1]));
    const opt = adam({ learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 1e-8 });
    const gs = [
      [0.5, 2],
      [-1, 1],
    ];
    let m = [0, 0];
    let s = [0, 0];
    let th = [1, -1];
    gs.forEach((g, t) => {
      tf.tidy(() => opt.applyGradients({ [v.name]: tf.tensor1d(g) }, [v]));
      m = m.map((x, i) => 0.5 * x + 0.5 * g[i]);
      s = s.map((x, i) => 0.9 * x + 0.1 * g[i] * g[i]);
      const mh = m.map((x) => x / (1 - 0.5 ** (t + 1)));
      const sh = s.map((x) => x / (1 - 0.9 ** (t + 1)));
      th = th.map((x, i) => x - (0.1 * mh[i]) / (Math.sqrt(sh[i]) + 1e-8));
    });
    Array.from(v.dataSync()).forEach((x, i) =>
      assert.ok(Math.abs(x - th[i]) < 1e-6, `θ[${i}] = ${x}, expected ${th[i]}`),
    );
    opt.dispose();
    v.dispose();
  });

  test('a missing gradient, a wrong shape and a disposed optimiser are clear errors', () => {
    const v = tf.variable(tf.zeros([2]));
    const opt = sgdMomentum({ learningRate: 0.1, momentum: 0.5 });
    assert.throws(() => opt.applyGradients({}, [v]), /no gradient for variable/);
    tf.tidy(() => assert.throws(() => opt.applyGradients({ [v.name]: tf.zeros([3]) }, [v]), /shape/));
    opt.dispose();
    tf.tidy(() => assert.throws(() => opt.applyGradients({ [v.name]: tf.zeros([2]) }, [v]), /disposed/));
    assert.throws(() => sgdMomentum({ learningRate: -1, momentum: 0.5 }), /learningRate must be a positive/);
    assert.throws(
      () => sgdMomentum({ learningRate: 0.1, momentum: 0.9, momentumSchedule: PAPER_MOMENTUM_SCHEDULE }),
      /disagrees/,
    );
    v.dispose();
  });
});

describe('discriminatorStep and generatorStep', () => {
  test('D step: V on the same batch goes up, G is untouched, metrics are σ means before the update', () => {
    const t = toyGan(1);
    const real = t.real.next(64);
    const z = t.prior.sample(64, t.rng);
    const V = () =>
      tf.tidy(
        () =>
          valueFunction(
            t.discriminator.apply(real) as tf.Tensor,
            t.discriminator.apply(t.generator.apply(z) as tf.Tensor) as tf.Tensor,
          ).dataSync()[0],
      );
    const dRealBefore = tf.tidy(
      () =>
        tf
          .sigmoid(t.discriminator.apply(real) as tf.Tensor)
          .mean()
          .dataSync()[0],
    );
    const gBefore = weightsOf(t.generator);
    const v0 = V();
    const r = discriminatorStep({
      generator: t.generator,
      discriminator: t.discriminator,
      optimizer: t.dOptimizer,
      real,
      z,
    });
    const v1 = V();
    assert.ok(v1 > v0, `V went from ${v0} to ${v1}`);
    assert.ok(Math.abs(r.dLoss + v0) < 1e-5, `dLoss ${r.dLoss} should be −V = ${-v0}`);
    assert.ok(Math.abs(r.dReal - dRealBefore) < 1e-6);
    assertBitwiseEqual(weightsOf(t.generator), gBefore, 'G after a D step');
    // the paper code's 0.5 scale halves the reported loss
    const r2 = discriminatorStep({
      generator: t.generator,
      discriminator: t.discriminator,
      optimizer: t.dOptimizer,
      real,
      z,
      loss: minimaxLoss({ dScale: 0.5 }),
    });
    assert.ok(Math.abs(r2.dLoss + 0.5 * v1) < 1e-5);
    tf.dispose([real, z]);
    disposeToy(t);
  });

  test("G step: D is untouched (even with dropout on), G's loss on the same z goes down", () => {
    for (const variant of ['nonSaturating', 'saturating'] as const) {
      const t = toyGan(2, { dropout: true });
      const z = t.prior.sample(64, t.rng);
      const dBefore = weightsOf(t.discriminator);
      const gBefore = weightsOf(t.generator);
      const fakeMean = () =>
        tf.tidy(
          () =>
            tf
              .sigmoid(t.discriminator.apply(t.generator.apply(z) as tf.Tensor) as tf.Tensor)
              .mean()
              .dataSync()[0],
        );
      const p0 = fakeMean();
      for (let i = 0; i < 3; i++) {
        const r = generatorStep({
          generator: t.generator,
          discriminator: t.discriminator,
          optimizer: t.gOptimizer,
          z,
          loss: minimaxLoss({ generator: variant }),
        });
        assert.ok(Number.isFinite(r.gLoss) && r.dFake > 0 && r.dFake < 1);
      }
      assert.ok(fakeMean() > p0, `${variant}: D(G(z)) should rise as G learns to fool D`);
      assertBitwiseEqual(weightsOf(t.discriminator), dBefore, `D after G steps (${variant})`);
      assert.ok(
        weightsOf(t.generator).some((w, i) => w.some((x, j) => x !== gBefore[i][j])),
        'G should change',
      );
      z.dispose();
      disposeToy(t);
    }
  });

  test('simultaneous step: both gradients at the same parameters, then both applied', () => {
    // reference: gradients of both losses at θ, then plain SGD (momentum 0 ⇒ θ − lr·g) on each net
    const ref = toyGan(3);
    const sim = toyGan(3);
    const real = ref.real.next(32);
    const z = ref.prior.sample(32, ref.rng);
    const lr = 0.05;
    tf.tidy(() => {
      const dv = trainableVariables(ref.discriminator);
      const gv = trainableVariables(ref.generator);
      const gg = tf.variableGrads(() => {
        const f = ref.discriminator.apply(ref.generator.apply(z) as tf.Tensor) as tf.Tensor;
        return tf.mean(tf.softplus(tf.neg(f))) as tf.Scalar;
      }, gv).grads;
      const dg = tf.variableGrads(() => {
        const r = ref.discriminator.apply(real) as tf.Tensor;
        const f = ref.discriminator.apply(ref.generator.apply(z) as tf.Tensor) as tf.Tensor;
        return tf.neg(valueFunction(r, f)) as tf.Scalar;
      }, dv).grads;
      [...dv.map((v) => [v, dg[v.name]] as const), ...gv.map((v) => [v, gg[v.name]] as const)].forEach(([v, g]) =>
        v.assign(tf.sub(v, tf.mul(g!, lr))),
      );
    });
    const opt = () => sgdMomentum({ learningRate: lr, momentum: 0, decayFactor: 1 });
    const dOpt = opt();
    const gOpt = opt();
    simultaneousStep({
      generator: sim.generator,
      discriminator: sim.discriminator,
      dOptimizer: dOpt,
      gOptimizer: gOpt,
      real,
      z,
    });
    for (const m of ['generator', 'discriminator'] as const) {
      const a = weightsOf(ref[m]);
      const b = weightsOf(sim[m]);
      a.forEach((w, i) =>
        w.forEach((x, j) => assert.ok(Math.abs(x - b[i][j]) < 1e-6, `${m} weight ${i}[${j}]: ${x} vs ${b[i][j]}`)),
      );
    }
    tf.dispose([real, z]);
    dOpt.dispose();
    gOpt.dispose();
    disposeToy(ref);
    disposeToy(sim);
  });
});

function config(t: Toy, extra: Partial<TrainGanConfig>): TrainGanConfig {
  return { ...t, batchSize: 16, steps: 10, ...extra };
}

describe('trainGan', () => {
  test('no tensor leaks over 50 steps, in both modes', async () => {
    for (const mode of ['alternating', 'simultaneous'] as const) {
      const t = toyGan(4, { dropout: true });
      await trainGan(config(t, { steps: 1, mode })); // creates the optimisers' velocities once
      const before = tf.memory().numTensors;
      const h = await trainGan(config(t, { steps: 51, startStep: 1, mode, k: 1 }));
      assert.equal(h.finalStep, 51);
      assert.equal(tf.memory().numTensors, before, `${mode}: tensors leaked`);
      disposeToy(t);
    }
    const t = toyGan(5);
    const before = tf.memory().numTensors;
    await trainGan(config(t, { steps: 5, k: 3 }));
    t.dOptimizer.dispose();
    t.gOptimizer.dispose();
    assert.equal(tf.memory().numTensors, before, 'k = 3, optimisers disposed');
    disposeToy(t);
  });

  test('same seed ⇒ bitwise identical weights, history and noise after N steps (dropout on, k = 2)', async () => {
    const run = async (seed: number) => {
      const t = toyGan(seed, { dropout: true });
      const h = await trainGan(config(t, { steps: 15, k: 2 }));
      const out = { g: weightsOf(t.generator), d: weightsOf(t.discriminator), h, noise: t.rng.getState() };
      disposeToy(t);
      return out;
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    assertBitwiseEqual(a.g, b.g, 'G');
    assertBitwiseEqual(a.d, b.d, 'D');
    assert.deepEqual(a.h, b.h);
    assert.deepEqual(a.noise, b.noise);
    assert.notDeepEqual(a.h.dLoss, c.h.dLoss);
  });

  test('history and onStep agree; k D updates and 2 G updates per step decay the learning rates k and 2 times as fast', async () => {
    const t = toyGan(6);
    t.dOptimizer.dispose();
    t.gOptimizer.dispose();
    const dOptimizer = sgdMomentum({ learningRate: 0.01, momentum: 0.5, decayFactor: 2, minLearningRate: 1e-9 });
    const gOptimizer = sgdMomentum({ learningRate: 0.01, momentum: 0.5, decayFactor: 2, minLearningRate: 1e-9 });
    const seen: number[] = [];
    const h = await trainGan(
      config(
        { ...t, dOptimizer, gOptimizer },
        { steps: 4, k: 3, generatorSteps: 2, onStep: (i) => void seen.push(i.dLoss) },
      ),
    );
    assert.deepEqual(h.step, [1, 2, 3, 4]);
    assert.deepEqual(seen, h.dLoss);
    assert.ok([h.dLoss, h.gLoss, h.dReal, h.dFake].every((a) => a.length === 4 && a.every(Number.isFinite)));
    assert.equal(dOptimizer.learningRate, Math.fround(0.01 / 2 ** 12));
    assert.equal(gOptimizer.learningRate, Math.fround(0.01 / 2 ** 8));
    disposeToy({ ...t, dOptimizer, gOptimizer });
  });

  test('stops between steps: AbortSignal, shouldStop(), onStep returning false, and an abort from a timer', async () => {
    const t = toyGan(9);
    const ctrl = new AbortController();
    let h = await trainGan(
      config(t, { steps: 100, signal: ctrl.signal, onStep: (i) => void (i.step === 3 && ctrl.abort()) }),
    );
    assert.equal(h.finalStep, 3);
    assert.equal(h.stoppedBy, 'signal');
    let n = 0;
    h = await trainGan(config(t, { steps: 100, shouldStop: () => n >= 2, onStep: () => void n++ }));
    assert.equal(h.stoppedBy, 'shouldStop');
    assert.equal(h.finalStep, 2);
    h = await trainGan(config(t, { steps: 100, onStep: (i) => i.step < 5 }));
    assert.equal(h.finalStep, 5);
    assert.equal(h.stoppedBy, 'onStep');
    // an abort from outside the loop is seen because the loop yields to the event loop
    const outside = new AbortController();
    setTimeout(() => outside.abort(), 20);
    h = await trainGan(config(t, { steps: 1_000_000, signal: outside.signal }));
    assert.equal(h.stoppedBy, 'signal');
    assert.ok(h.finalStep < 1_000_000);
    disposeToy(t);
  });

  test('non-finite numbers stop training with an error naming the step and the likely cause', async () => {
    // a learning rate of 1e6: the updates diverge within a few steps
    let t = toyGan(11);
    t.dOptimizer.dispose();
    t.gOptimizer.dispose();
    const huge = () => sgdMomentum({ learningRate: 1e6, momentum: 0.5 });
    const seen: number[] = [];
    const e1 = await trainGan(
      config({ ...t, dOptimizer: huge(), gOptimizer: huge() }, { steps: 200, onStep: (i) => void seen.push(i.step) }),
    ).then(
      () => assert.fail('trainGan ran on with diverged weights'),
      (e: Error & { step: number; history: { finalStep: number; dLoss: number[] } }) => e,
    );
    assert.equal(e1.name, 'TrainingDivergedError');
    assert.match(
      e1.message,
      /^trainGan: step (\d+) \(epoch 0\) stopped: (generatorLoss|discriminatorLoss): fakeLogits holds \d+ (NaN|infinite) values.*The inputs were finite, but the weights .*(generator|discriminator) weight \d+ .*: the updates diverged, most likely because the learning rate is too high/,
    );
    assert.equal(e1.step, seen.length + 1, 'the failing step is the one after the last reported');
    assert.ok(e1.step < 200);
    assert.equal(e1.history.finalStep, seen.length);
    assert.ok(e1.history.dLoss.every(Number.isFinite), 'the history holds only finite steps');
    disposeToy(t);

    // NaN in the data with finite weights: the input is named as the cause, at step 1
    t = toyGan(12);
    const nanData = { ...t.real, next: (n: number) => tf.fill([n, 1], NaN) as tf.Tensor2D };
    await assert.rejects(
      trainGan(config({ ...t, real: nanData }, { steps: 5 })),
      /^TrainingDivergedError: trainGan: step 1 \(epoch 0\) stopped: discriminatorLoss: realLogits holds 16 NaN values.*This step's real data hold NaN or Inf values: check the data source/,
    );
    assert.deepEqual(
      t.discriminator.weights.map((w) => Array.from(w.read().dataSync()).every(Number.isFinite)),
      t.discriminator.weights.map(() => true),
      'no NaN update was applied',
    );
    // an infinite weight before training (a damaged checkpoint): refused before the first step
    const w = t.discriminator.weights[0].read() as tf.Variable;
    const values = w.arraySync() as number[][];
    values[0][0] = Infinity;
    w.assign(tf.tensor2d(values));
    await assert.rejects(
      trainGan(config(t, { steps: 5, startStep: 40 })),
      /trainGan: before step 41, the weights are not finite: discriminator weight 0 \(.*\): 1 infinite value\. .*load an earlier checkpoint/,
    );
    disposeToy(t);
  });

  test("SIGINT (Jupyter's Kernel › Interrupt) ends trainGan after the current step when the process handles SIGINT; plain Node keeps its default", async () => {
    // a child process: trains a toy GAN "forever", reports the first step, is sent SIGINT. As a kernel it
    // does what tslab does: a SIGINT listener, and the cell run by vm with breakOnSigint (which hides every
    // SIGINT listener while the cell's synchronous part runs, where trainGan starts)
    const child = (kernelListener: boolean) => {
      const code =
        `const lib = require(${JSON.stringify(path.join(__dirname, '../src'))});\n` +
        `let t0 = 0;\n` +
        // (without the fix the loop trains on: give up after 5 s instead of hanging the test)
        (kernelListener
          ? `process.on('SIGINT', () => { t0 = Date.now(); console.log('kernel: interrupt'); setTimeout(() => { console.log('{"stoppedBy":"still training 5 s later"}'); process.exit(3); }, 5000).unref(); });\n`
          : '') +
        `globalThis.lib = lib;\n` +
        `const cell = async () => {\n` +
        `  const root = new lib.Rng(3);\n` +
        `  const g = lib.mlpGenerator({ latentDim: 2, hidden: [8], outputDim: 1, outputActivation: 'linear', seed: 1 });\n` +
        `  const d = lib.mlpDiscriminator({ inputDim: 1, hidden: [8], activation: 'leakyRelu', seed: 2 });\n` +
        `  const h = await lib.trainGan({ generator: g, discriminator: d, dOptimizer: lib.adam({ learningRate: 1e-3 }), gOptimizer: lib.adam({ learningRate: 1e-3 }),\n` +
        `    prior: lib.uniformPrior(2), real: lib.distributionSource(lib.gaussian1D(2, 0.5), root.fork()), rng: root.fork(), batchSize: 16, steps: 1e9,\n` +
        `    onStep: (i) => { if (i.step === 3) console.log('training'); } });\n` +
        `  const usable = Array.from(g.predict(lib.uniformPrior(2).sample(4, root)).dataSync()).every(Number.isFinite);\n` +
        `  console.log(JSON.stringify({ stoppedBy: h.stoppedBy, steps: h.step.length, finalStep: h.finalStep, ms: Date.now() - t0, usable, listeners: process.listenerCount('SIGINT') }));\n` +
        `};\n` +
        `lib.initBackend().then(() => { globalThis.cell = cell; require('vm').runInThisContext('globalThis.cell()', { breakOnSigint: true }); });`;
      const p = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
        cwd: path.join(__dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      p.stdout.on('data', (b) => {
        out += b;
        if (out.includes('training') && !p.killed) p.kill('SIGINT');
      });
      p.stderr.on('data', (b) => (err += b));
      return new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) =>
        p.on('close', (code, signal) => resolve({ code, signal, out, err })),
      );
    };
    const kernel = await child(true);
    assert.match(kernel.out, /kernel: interrupt/, `${kernel.code} ${kernel.signal} ${kernel.err}`);
    const r = JSON.parse(kernel.out.trim().split('\n').pop()!);
    assert.equal(r.stoppedBy, 'interrupt');
    assert.equal(kernel.code, 0, kernel.err);
    assert.equal(r.steps, r.finalStep, 'the history holds every finished step');
    assert.ok(r.ms < 1000, `stopped ${r.ms} ms after SIGINT`);
    assert.equal(r.usable, true, 'G still generates');
    // the kernel's listener and tsgan's lasting interrupt watcher (train/interrupt.ts) stay
    assert.equal(r.listeners, 2, 'trainGan removed its own SIGINT listener');
    const plain = await child(false);
    assert.equal(plain.signal, 'SIGINT', 'a plain Node script still ends on Ctrl-C');
  });

  test('bad configurations are clear errors', async () => {
    const t = toyGan(10);
    await assert.rejects(trainGan(config(t, { steps: undefined })), /give steps or epochs/);
    await assert.rejects(trainGan(config(t, { mode: 'both' as never })), /mode must be/);
    await assert.rejects(
      trainGan(config(t, { mode: 'simultaneous', k: 2 })),
      /k = 2, generatorSteps = 1 need mode 'alternating'/,
    );
    await assert.rejects(trainGan(config(t, { gOptimizer: t.dOptimizer })), /same object/);
    await assert.rejects(trainGan(config(t, { batchSize: 0 })), /batchSize must be a positive integer/);
    disposeToy(t);
  });
});
