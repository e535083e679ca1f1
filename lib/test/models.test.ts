/**
 * Models: the Maxout and SeededDropout layers, the paper's MNIST nets (sizes, init ranges, dropout only in
 * training), seeding, and the DCGAN's shapes. Runs on the default backend (wasm here). The DCGAN is only run
 * forward: wasm 4.22 has no Conv2DBackpropFilter kernel (the speed helper registers one in lib/src/kernels),
 * so its gradients are tested where the training loop is.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  countParams,
  dcganDiscriminator,
  dcganGenerator,
  discriminatorProbability,
  initBackend,
  logitOfMeans,
  Maxout,
  mlpDiscriminator,
  mlpGenerator,
  mlpMnistDiscriminator,
  mlpMnistGenerator,
  paperMnistDiscriminator,
  paperMnistGenerator,
  Rng,
  SeededDropout,
  seededDropoutLayers,
} from '../src';

before(async () => {
  await initBackend();
});

/** Runs fn and checks that it leaves no tensor behind. */
function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  return out;
}

function weightArrays(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function randomArray(n: number, rng: Rng, lo = -1, hi = 1): Float32Array {
  return rng.fillUniform(new Float32Array(n), lo, hi);
}

/** Smallest lead of a unit's winning piece over its runner-up, over all rows and units. */
function minWinnerLead(
  x: Float32Array,
  W: Float32Array,
  b: Float32Array,
  n: number,
  inDim: number,
  units: number,
  pieces: number,
): number {
  let lead = Infinity;
  for (let r = 0; r < n; r++) {
    for (let u = 0; u < units; u++) {
      const z: number[] = [];
      for (let p = 0; p < pieces; p++) {
        const col = u * pieces + p;
        let v = b[col];
        for (let i = 0; i < inDim; i++) v += x[r * inDim + i] * W[i * units * pieces + col];
        z.push(v);
      }
      z.sort((a, c) => c - a);
      lead = Math.min(lead, z[0] - z[1]);
    }
  }
  return lead;
}

/** A Maxout layer with known weights, built on [batch, inDim] inputs. */
function maxoutWith(inDim: number, units: number, pieces: number, kernel: Float32Array, bias: Float32Array): Maxout {
  const layer = new Maxout({ units, pieces });
  layer.build([null, inDim]);
  tf.tidy(() => layer.setWeights([tf.tensor2d(kernel, [inDim, units * pieces]), tf.tensor1d(bias)]));
  return layer;
}

describe('Maxout', () => {
  test('forward = max over consecutive groups of `pieces` affine outputs (hand computation)', () => {
    const inDim = 3,
      units = 2,
      pieces = 3,
      n = 2;
    const rng = new Rng(11);
    const W = randomArray(inDim * units * pieces, rng);
    const b = randomArray(units * pieces, rng);
    const x = randomArray(n * inDim, rng);
    const layer = maxoutWith(inDim, units, pieces, W, b);
    const expected: number[] = [];
    for (let r = 0; r < n; r++) {
      for (let u = 0; u < units; u++) {
        let best = -Infinity;
        for (let p = 0; p < pieces; p++) {
          const col = u * pieces + p;
          let z = b[col];
          for (let i = 0; i < inDim; i++) z += x[r * inDim + i] * W[i * units * pieces + col];
          best = Math.max(best, z);
        }
        expected.push(best);
      }
    }
    const got = noLeak(() => tf.tidy(() => (layer.apply(tf.tensor2d(x, [n, inDim])) as tf.Tensor).dataSync()));
    assert.equal(got.length, n * units);
    got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `output ${i}: ${v} vs ${expected[i]}`));
    assert.deepEqual(layer.computeOutputShape([null, inDim]), [null, units]);
  });

  test('gradients w.r.t. input, kernel and bias match central finite differences', () => {
    const inDim = 4,
      units = 3,
      pieces = 2,
      n = 3;
    // Maxout is piecewise linear: central differences are exact unless a step crosses a kink (a change of the
    // winning piece). Pick data whose winner leads the runner-up by > 0.05, far more than a step of eps = 1e-3
    // can change any piece (|Δz| ≤ eps·max(|x|, |W|, 1) = 1e-3).
    let seed = 12;
    let W: Float32Array, b: Float32Array, x: Float32Array, c: Float32Array;
    for (;;) {
      const rng = new Rng(seed++);
      W = randomArray(inDim * units * pieces, rng);
      b = randomArray(units * pieces, rng);
      x = randomArray(n * inDim, rng);
      c = randomArray(n * units, rng); // loss = Σ c ⊙ maxout(x): every output matters, with its own weight
      if (minWinnerLead(x, W, b, n, inDim, units, pieces) > 0.05) break;
      assert.ok(seed < 1000, 'no well-separated example found');
    }
    // analytic gradients through the layer, w.r.t. its input and its variables
    const layer = maxoutWith(inDim, units, pieces, W, b);
    const loss = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, tf.tensor2d(c, [n, units])));
    const { gx, gW, gb } = noLeak(() =>
      tf.tidy(() => {
        const xt = tf.tensor2d(x, [n, inDim]);
        const gx = tf.grad(loss)(xt).dataSync() as Float32Array;
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => loss(xt), vars);
        return {
          gx,
          gW: grads[vars[0].name].dataSync() as Float32Array,
          gb: grads[vars[1].name].dataSync() as Float32Array,
        };
      }),
    );
    // the same layer, its weights set to the perturbed values
    const f = (xs: Float32Array, Ws: Float32Array, bs: Float32Array): number =>
      tf.tidy(() => {
        layer.setWeights([tf.tensor2d(Ws, [inDim, units * pieces]), tf.tensor1d(bs)]);
        return loss(tf.tensor2d(xs, [n, inDim])).dataSync()[0];
      });
    const eps = 1e-3; // float32 rounding of the loss (~1e-7) over 2·eps: ~1e-4 error
    const check = (analytic: Float32Array, which: 'x' | 'W' | 'b'): void => {
      const base = which === 'x' ? x : which === 'W' ? W : b;
      for (let i = 0; i < base.length; i++) {
        const plus = Float32Array.from(base),
          minus = Float32Array.from(base);
        plus[i] += eps;
        minus[i] -= eps;
        const args = (v: Float32Array): [Float32Array, Float32Array, Float32Array] =>
          which === 'x' ? [v, W, b] : which === 'W' ? [x, v, b] : [x, W, v];
        const numeric = (f(...args(plus)) - f(...args(minus))) / (2 * eps);
        assert.ok(
          Math.abs(numeric - analytic[i]) < 2e-3,
          `d/d${which}[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`,
        );
      }
    };
    check(gx, 'x');
    check(gW, 'W');
    check(gb, 'b');
    layer.weights.forEach((w) => w.dispose()); // a layer never called on symbolic inputs cannot be disposed as a whole
    // every piece that wins somewhere gets gradient, the others none: bias gradient is not all zero
    assert.ok(gb.some((v) => v !== 0) && gb.some((v) => v === 0), 'only winning pieces receive gradient');
  });

  test('toJSON → modelFromJSON round trip gives identical outputs', async () => {
    const model = tf.sequential();
    model.add(
      new Maxout({
        units: 3,
        pieces: 4,
        inputShape: [5],
        kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }),
      }),
    );
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
    const json = model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
    const copy = await tf.models.modelFromJSON({ modelTopology: json! });
    assert.equal(copy.layers[0].getClassName(), 'Maxout');
    assert.deepEqual((copy.layers[0] as Maxout).units, 3);
    assert.deepEqual((copy.layers[0] as Maxout).pieces, 4);
    // weights travel separately from the topology
    copy.setWeights(model.getWeights());
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor2d(randomArray(2 * 5, new Rng(5)), [2, 5]);
      return [(model.predict(x) as tf.Tensor).dataSync(), (copy.predict(x) as tf.Tensor).dataSync()];
    });
    assert.deepEqual(Array.from(b), Array.from(a));
    model.dispose();
    copy.dispose();
  });

  test('bad units or pieces and non-2-D input are errors that say what to do', () => {
    assert.throws(() => new Maxout({ units: 0, pieces: 5 }), /units must be a positive integer/);
    assert.throws(() => new Maxout({ units: 240, pieces: 1.5 }), /pieces must be a positive integer/);
    assert.throws(
      () => new Maxout({ units: 2, pieces: 2, kernelInitializer: { className: 'Nope', config: {} } }),
      /unknown initialiser/,
    );
    assert.throws(() => new Maxout({ units: 2, pieces: 2 }).build([null, 4, 4]), /flatten first/);
  });
});

describe('SeededDropout', () => {
  const keep = 0.8;
  const shape: [number, number] = [100, 1000];

  test('identity when not training', () => {
    const layer = new SeededDropout({ keep, rng: new Rng(1) });
    noLeak(() =>
      tf.tidy(() => {
        const x = tf.tensor2d(randomArray(20, new Rng(2)), [4, 5]);
        for (const kwargs of [undefined, {}, { training: false }]) {
          assert.deepEqual(Array.from((layer.apply(x, kwargs) as tf.Tensor).dataSync()), Array.from(x.dataSync()));
        }
      }),
    );
  });

  test('when training: about `keep` of the units survive, scaled by exactly 1/keep', () => {
    const layer = new SeededDropout({ keep, rng: new Rng(3) });
    const y = noLeak(() => tf.tidy(() => (layer.apply(tf.ones(shape), { training: true }) as tf.Tensor).dataSync()));
    let kept = 0;
    for (const v of y) {
      if (v !== 0) {
        kept++;
        assert.equal(v, 1 / keep);
      }
    }
    // 100,000 Bernoulli(0.8) draws: standard error of the fraction = sqrt(0.8·0.2/1e5) ≈ 0.0013; allow ±0.01 (≈ 8σ).
    const frac = kept / y.length;
    assert.ok(Math.abs(frac - keep) < 0.01, `kept fraction ${frac}, expected ${keep} ± 0.01`);
  });

  test('same Rng seed ⇒ same masks; successive calls draw new masks', () => {
    const masks = (seed: number): Float32Array[] => {
      const layer = new SeededDropout({ keep: 0.5, rng: new Rng(seed) });
      return tf.tidy(() =>
        [0, 1].map(() => (layer.apply(tf.ones([10, 50]), { training: true }) as tf.Tensor).dataSync() as Float32Array),
      );
    };
    const [a1, a2] = masks(7);
    const [b1, b2] = masks(7);
    assert.deepEqual(Array.from(b1), Array.from(a1));
    assert.deepEqual(Array.from(b2), Array.from(a2));
    assert.notDeepEqual(Array.from(a2), Array.from(a1));
  });

  test('gradient flows through the survivors only, scaled by 1/keep', () => {
    const layer = new SeededDropout({ keep: 0.5, rng: new Rng(8) });
    const rngCopy = new Rng(8);
    const g = noLeak(() =>
      tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) => tf.sum(layer.apply(x, { training: true }) as tf.Tensor))(tf.ones([4, 25]))
          .dataSync(),
      ),
    );
    g.forEach((v) => assert.equal(v, rngCopy.uniform() < 0.5 ? 2 : 0));
  });

  test('keep outside (0, 1] is an error', () => {
    assert.throws(() => new SeededDropout({ keep: 0 }), /probability of KEEPING/);
    assert.throws(() => new SeededDropout({ keep: 1.2 }), /probability of KEEPING/);
  });
});

describe('paper MNIST models', () => {
  let G: tf.LayersModel;
  let D: tf.LayersModel;
  const means = new Float32Array(784);
  before(() => {
    const rng = new Rng(21);
    rng.fillUniform(means, 0, 0.5);
    means[0] = 0; // clipped to 1e-7
    means[1] = 1; // clipped to 1 − 1e-7
    G = paperMnistGenerator({ seed: 1, pixelMeans: means });
    D = paperMnistDiscriminator({ seed: 2, dropoutRng: new Rng(3) });
  });

  test('parameter counts: G 2,503,984 and D 1,231,441', () => {
    assert.equal(countParams(G), 2_503_984);
    assert.equal(countParams(D), 1_231_441);
    assert.equal(G.countParams(), 2_503_984);
  });

  test('architecture: G 100→1200→1200→784, D dropout 0.8 → maxout 240×5 → dropout 0.5 → maxout 240×5 → dropout 0.5 → 1', () => {
    assert.deepEqual(G.inputs[0].shape, [null, 100]);
    assert.deepEqual(G.outputs[0].shape, [null, 784]);
    assert.deepEqual(
      D.layers.map((l) =>
        l instanceof SeededDropout
          ? `drop${l.keep}`
          : l instanceof Maxout
            ? `maxout${l.units}x${l.pieces}`
            : l.getClassName(),
      ),
      ['drop0.8', 'maxout240x5', 'drop0.5', 'maxout240x5', 'drop0.5', 'Dense'],
    );
    assert.equal(seededDropoutLayers(D).length, 3);
  });

  test('weights inside their init ranges (G ±0.05, D ±0.005), hidden biases zero', () => {
    const check = (model: tf.LayersModel, range: number): void => {
      model.weights.forEach((w, i) => {
        const v = weightArrays(model)[i];
        if (w.shape.length === 2) {
          const m = maxAbs(v);
          assert.ok(m <= range && m > 0.95 * range, `${w.name}: max |w| ${m}, expected within and filling ±${range}`);
        }
      });
    };
    check(G, 0.05);
    check(D, 0.005);
    const gBiases = G.weights.filter((w) => w.shape.length === 1).map((w) => w.read().dataSync());
    assert.ok(
      gBiases.slice(0, 2).every((b) => b.every((v) => v === 0)),
      'G hidden biases are 0',
    );
    assert.ok(
      D.weights
        .filter((w) => w.shape.length === 1)
        .every((w) =>
          w
            .read()
            .dataSync()
            .every((v) => v === 0),
        ),
      'D biases are 0',
    );
  });

  test('G output bias = logit(clip(pixel means, 1e-7, 1 − 1e-7)); zeros without means', () => {
    const bias = G.weights[G.weights.length - 1].read().dataSync();
    for (let i = 0; i < 784; i++) {
      const p = Math.min(Math.max(means[i], 1e-7), 1 - 1e-7);
      const expected = Math.log(p / (1 - p));
      assert.ok(
        Math.abs(bias[i] - expected) < 1e-5 * Math.max(1, Math.abs(expected)),
        `bias[${i}] ${bias[i]} vs ${expected}`,
      );
    }
    assert.ok(Math.abs(bias[0] - Math.log(1e-7 / (1 - 1e-7))) < 1e-4, 'a pixel mean of 0 is clipped, not −∞');
    assert.deepEqual(Array.from(logitOfMeans([0.5])), [0]);
    const plain = paperMnistGenerator({ seed: 1 });
    assert.ok(
      plain.weights[plain.weights.length - 1]
        .read()
        .dataSync()
        .every((v) => v === 0),
    );
    plain.dispose();
    assert.throws(() => paperMnistGenerator({ seed: 1, pixelMeans: new Float32Array(10) }), /784 values/);
  });

  test('D: deterministic in evaluation, stochastic in training; no leaked tensors', () => {
    const x = tf.tidy(
      () => G.predict(tf.randomUniform([8, 100], -Math.sqrt(3), Math.sqrt(3), 'float32', 5)) as tf.Tensor,
    );
    noLeak(() =>
      tf.tidy(() => {
        const p1 = (D.predict(x) as tf.Tensor).dataSync();
        const p2 = (D.predict(x) as tf.Tensor).dataSync();
        const a0 = (D.apply(x) as tf.Tensor).dataSync();
        assert.deepEqual(Array.from(p2), Array.from(p1));
        assert.deepEqual(Array.from(a0), Array.from(p1));
        const t1 = (D.apply(x, { training: true }) as tf.Tensor).dataSync();
        const t2 = (D.apply(x, { training: true }) as tf.Tensor).dataSync();
        assert.notDeepEqual(Array.from(t2), Array.from(t1));
        assert.notDeepEqual(Array.from(t1), Array.from(p1));
        const prob = discriminatorProbability(D.predict(x) as tf.Tensor).dataSync();
        prob.forEach((p, i) => assert.ok(Math.abs(p - 1 / (1 + Math.exp(-p1[i]))) < 1e-6));
      }),
    );
    assert.deepEqual(x.shape, [8, 784]);
    const xs = x.dataSync();
    assert.ok(
      xs.every((v) => v >= 0 && v <= 1),
      'G output is in [0, 1]',
    );
    x.dispose();
  });

  test('same seed ⇒ identical weights; another seed ⇒ different weights', () => {
    const D2 = paperMnistDiscriminator({ seed: 2, dropoutRng: new Rng(99) });
    const D3 = paperMnistDiscriminator({ seed: 3, dropoutRng: new Rng(3) });
    const a = weightArrays(D),
      b = weightArrays(D2),
      c = weightArrays(D3);
    a.forEach((w, i) =>
      assert.ok(Buffer.from(w.buffer).equals(Buffer.from(b[i].buffer)), `weight ${i} differs under the same seed`),
    );
    assert.ok(!Buffer.from(a[0].buffer).equals(Buffer.from(c[0].buffer)));
    const G2 = paperMnistGenerator({ seed: 1, pixelMeans: means });
    weightArrays(G).forEach((w, i) => assert.ok(Buffer.from(w.buffer).equals(Buffer.from(weightArrays(G2)[i].buffer))));
    [D2, D3, G2].forEach((m) => m.dispose());
  });

  test('missing dropoutRng is an error', () => {
    assert.throws(() => paperMnistDiscriminator({ seed: 1 } as never), /dropoutRng must be an Rng/);
  });
});

describe('MLP builders (toys)', () => {
  test('shapes, activations and output ranges', () => {
    const G = mlpGenerator({
      latentDim: 1,
      hidden: [8, 8],
      outputDim: 2,
      activation: 'leakyRelu',
      outputActivation: 'linear',
      seed: 1,
    });
    const Dl = mlpDiscriminator({ inputDim: 2, hidden: [8], seed: 1 });
    const Dm = mlpDiscriminator({
      inputDim: 2,
      hidden: [4, 4],
      activation: 'maxout',
      pieces: 3,
      dropoutKeep: 0.9,
      seed: 1,
    });
    const Dr = mlpDiscriminator({ inputDim: 2, hidden: [], activation: 'relu', seed: 1 });
    noLeak(() =>
      tf.tidy(() => {
        const g = G.predict(tf.randomNormal([5, 1], 0, 1, 'float32', 1)) as tf.Tensor;
        assert.deepEqual(g.shape, [5, 2]);
        for (const D of [Dl, Dm, Dr]) assert.deepEqual((D.apply(g, { training: true }) as tf.Tensor).shape, [5, 1]);
      }),
    );
    assert.equal(seededDropoutLayers(Dm).length, 3);
    assert.equal(countParams(Dm), 2 * 12 + 12 + 4 * 12 + 12 + 4 + 1);
    // dropout draws from its own stream: adding it leaves the weights unchanged
    const DmNoDrop = mlpDiscriminator({ inputDim: 2, hidden: [4, 4], activation: 'maxout', pieces: 3, seed: 1 });
    assert.deepEqual(
      weightArrays(DmNoDrop).map((a) => Array.from(a)),
      weightArrays(Dm).map((a) => Array.from(a)),
    );
    [G, Dl, Dm, Dr, DmNoDrop].forEach((m) => m.dispose());
  });

  test('bad options are errors that name the option', () => {
    assert.throws(
      () => mlpGenerator({ latentDim: 0, hidden: [4], outputDim: 1, seed: 1 }),
      /latentDim must be a positive integer/,
    );
    assert.throws(
      () => mlpGenerator({ latentDim: 1, hidden: [4], outputDim: 1, seed: NaN }),
      /seed must be a finite number/,
    );
    assert.throws(() => mlpDiscriminator({ inputDim: 1, hidden: [4, -1], seed: 1 }), /hidden must be an array/);
    assert.throws(() => mlpDiscriminator({ inputDim: 1, hidden: [4], dropoutKeep: [0.5], seed: 1 }), /2 numbers/);
    assert.throws(
      () => mlpDiscriminator({ inputDim: 1, hidden: [4], activation: 'elu' as never, seed: 1 }),
      /activation must be one of/,
    );
  });
});

describe('DCGAN (forward only on wasm: no Conv2DBackpropFilter kernel there yet)', () => {
  test('shapes [N,784] and [N,1], sigmoid output in [0,1], seeded, no leaks', () => {
    const G = dcganGenerator({ seed: 1 });
    const D = dcganDiscriminator({ seed: 1 });
    // compared before the forward passes: training mode updates BatchNorm's moving statistics
    const G2 = dcganGenerator({ seed: 1 });
    assert.deepEqual(
      weightArrays(G2).map((a) => Array.from(a)),
      weightArrays(G).map((a) => Array.from(a)),
    );
    // trainable: G 100·6272 + 2·128 + 4·4·128·64 + 2·64 + 4·4·64 + 1; D 4·4·64 + 64 + 4·4·64·128 + 2·128 + 6272 + 1
    assert.equal(countParams(G, { trainableOnly: true }), 627_200 + 256 + 131_072 + 128 + 1_025);
    assert.equal(countParams(D, { trainableOnly: true }), 1_088 + 131_072 + 256 + 6_273);
    noLeak(() =>
      tf.tidy(() => {
        const z = tf.randomUniform([3, 100], -1, 1, 'float32', 2);
        for (const training of [false, true]) {
          const x = G.apply(z, { training }) as tf.Tensor;
          assert.deepEqual(x.shape, [3, 784]);
          const xs = x.dataSync();
          assert.ok(xs.every((v) => v >= 0 && v <= 1));
          assert.deepEqual((D.apply(x, { training }) as tf.Tensor).shape, [3, 1]);
        }
      }),
    );
    [G, D, G2].forEach((m) => m.dispose());
  });
});

describe('the MLP GAN for MNIST of notebooks 05 and 07', () => {
  test('sizes: G 100 → 256 → 784 with the mean-digit output bias, D 784 → 256 → 1 with dropout', () => {
    const means = new Float32Array(784).fill(0.25);
    const g = mlpMnistGenerator({ seed: 1, pixelMeans: means });
    const d = mlpMnistDiscriminator({ seed: 2 });
    // (100·256 + 256) + (256·784 + 784) and (784·256 + 256) + (256 + 1)
    assert.equal(countParams(g), 227_344);
    assert.equal(countParams(d), 201_217);
    const bias = g.layers[g.layers.length - 1].getWeights()[1].dataSync();
    assert.ok(Math.abs(bias[0] - Math.log(0.25 / 0.75)) < 1e-6);
    const out = tf.tidy(
      () => (d.apply(g.predict(tf.zeros([3, 100])) as tf.Tensor, { training: true }) as tf.Tensor).shape,
    );
    assert.deepEqual(out, [3, 1]);
    assert.ok(seededDropoutLayers(d).length === 2);
    g.dispose();
    d.dispose();
  });
});
