/**
 * Proposition 1 in practice: a discriminator trained to convergence (by descending discriminatorLoss)
 * on fixed 1-D p_data and p_g approaches D*(x) = p_data(x) / (p_data(x) + p_g(x)).
 * Two D's: logistic regression on the features (x, x²), whose family contains D* exactly for two
 * Gaussians (log p_data − log p_g is quadratic in x), and a small MLP, which only approximates it.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, Rng, discriminatorLoss, optimalDiscriminator } from '../src';

before(async () => {
  await initBackend();
});

const gauss = (mu: number, sigma: number) => (x: number) =>
  Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));

const DATA = { mean: 0, std: 1 };
const GEN = { mean: 1, std: 0.6 };
const pData = gauss(DATA.mean, DATA.std);
const pG = gauss(GEN.mean, GEN.std);
/** Largest allowed |σ(D(x)) − D*(x)| on the comparison grid. */
const TOLERANCE = 0.05;
/** The grid: points of [−3, 3] where both densities exceed this (D is only trained where samples fall). */
const MIN_DENSITY = 0.05;

function sample(rng: Rng, n: number, mean: number, std: number): tf.Tensor2D {
  return tf.tensor2d(rng.fillNormal(new Float32Array(n), mean, std), [n, 1]);
}

function grid(): number[] {
  const xs: number[] = [];
  for (let x = -3; x <= 3 + 1e-9; x += 0.05) if (pData(x) > MIN_DENSITY && pG(x) > MIN_DENSITY) xs.push(x);
  return xs;
}

/** Trains `logitsOf` by Adam on fresh batches of both distributions, then returns max |σ(D) − D*| on the grid. */
function trainAndCompare(
  logitsOf: (x: tf.Tensor2D) => tf.Tensor,
  variables: tf.Variable[],
  steps: number,
  batch: number,
  learningRate: number,
  seed: number,
): { maxError: number; xs: number[] } {
  const rng = new Rng(seed);
  const optimizer = tf.train.adam(learningRate);
  for (let step = 0; step < steps; step++) {
    tf.tidy(() => {
      const real = sample(rng, batch, DATA.mean, DATA.std);
      const fake = sample(rng, batch, GEN.mean, GEN.std);
      optimizer.minimize(() => discriminatorLoss(logitsOf(real), logitsOf(fake)), false, variables);
    });
  }
  optimizer.dispose();
  const xs = grid();
  const d = tf.tidy(() => tf.sigmoid(logitsOf(tf.tensor2d(xs, [xs.length, 1]))).dataSync());
  let maxError = 0;
  xs.forEach((x, i) => {
    maxError = Math.max(maxError, Math.abs(d[i] - optimalDiscriminator(pData(x), pG(x))));
  });
  return { maxError, xs };
}

test(`logistic D on (x, x²) converges to D* = p_data/(p_data + p_g) within ${TOLERANCE}`, () => {
  const before = tf.memory().numTensors;
  // inside tidy so the zeros the variables copy are freed (tidy never disposes variables)
  const [w, b] = tf.tidy(() => [tf.variable(tf.zeros([2, 1])), tf.variable(tf.zeros([1]))]);
  const logitsOf = (x: tf.Tensor2D) => tf.add(tf.matMul(tf.concat([x, tf.square(x)], 1), w), b);
  const { maxError, xs } = trainAndCompare(logitsOf, [w, b], 600, 2048, 0.05, 1);
  // the exact log-odds is quadratic: log p_data − log p_g = a·x² + c·x + d
  const a = 0.5 / GEN.std ** 2 - 0.5 / DATA.std ** 2;
  const learned = w.dataSync();
  tf.dispose([w, b]);
  assert.ok(xs.length > 20, `comparison grid too small (${xs.length} points)`);
  assert.ok(maxError <= TOLERANCE, `max |σ(D(x)) − D*(x)| = ${maxError.toFixed(4)} > ${TOLERANCE}`);
  assert.ok(Math.abs(learned[1] - a) < 0.25 * Math.abs(a), `x² weight ${learned[1]} should approach ${a}`);
  assert.equal(tf.memory().numTensors, before);
});

test(`a small MLP D converges to D* within ${TOLERANCE}`, () => {
  const before = tf.memory().numTensors;
  const seeds = new Rng(7);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [1],
        units: 32,
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.nextUint32() }),
      }),
      tf.layers.dense({
        units: 32,
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.nextUint32() }),
      }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.nextUint32() }) }),
    ],
  });
  const logitsOf = (x: tf.Tensor2D) => model.apply(x, { training: true }) as tf.Tensor;
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const { maxError } = trainAndCompare(logitsOf, variables, 800, 1024, 0.01, 2);
  model.dispose();
  assert.ok(maxError <= TOLERANCE, `max |σ(D(x)) − D*(x)| = ${maxError.toFixed(4)} > ${TOLERANCE}`);
  assert.equal(tf.memory().numTensors, before);
});
