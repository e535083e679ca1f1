/**
 * The value function, the two players' losses and the section-4 theory, against closed forms
 * computed in float64 on the JavaScript side.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  valueFunction,
  discriminatorLoss,
  generatorLoss,
  generatorLossLogitGradient,
  discriminatorLossLogitGradient,
  logSigmoid,
  logOneMinusSigmoid,
  optimalDiscriminator,
  virtualCriterion,
  valueFunctionByQuadrature,
  jensenShannon,
  klDivergence,
  integrate1D,
  tabulatedLogit,
} from '../src';
import { numericGrad } from './finite-differences';

before(async () => {
  await initBackend();
});

// ---- float64 references -------------------------------------------------------------------------
/** log σ(x), stable in float64. */
const logSig = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
/** log(1 − σ(x)) = log σ(−x). */
const log1mSig = (x: number) => logSig(-x);
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const refV = (r: number[], f: number[]) => mean(r.map(logSig)) + mean(f.map(log1mSig));
const refSat = (f: number[]) => mean(f.map(log1mSig));
const refNonSat = (f: number[]) => -mean(f.map(logSig));
const gauss = (mu: number, sigma: number) => (x: number) =>
  Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
const LOG4 = Math.log(4);

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Number.isFinite(actual), `${what}: got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} (tol ${tol})`);
}

/** Scalar value of a loss tensor, disposed. */
function num(t: tf.Scalar): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

function withLogits<T>(real: number[], fake: number[], fn: (r: tf.Tensor, f: tf.Tensor) => T): T {
  const r = tf.tensor2d(real, [real.length, 1]);
  const f = tf.tensor2d(fake, [fake.length, 1]);
  try {
    return fn(r, f);
  } finally {
    r.dispose();
    f.dispose();
  }
}

const REAL = [2.5, -0.3, 0.0, 4.1, -3.2, 1.7];
const FAKE = [-1.2, 0.8, -5.0, 0.05, 3.3];
const EXTREME = [50, -50, 1000, -1000, 20, -20, 0];

// ---- values -------------------------------------------------------------------------------------
describe('valueFunction, discriminatorLoss, generatorLoss: values', () => {
  test('valueFunction equals mean log σ(r) + mean log(1 − σ(f)), and −log 4 when D = 1/2 everywhere', () => {
    withLogits(REAL, FAKE, (r, f) => close(num(valueFunction(r, f)), refV(REAL, FAKE), 2e-6, 'V'));
    withLogits([0, 0, 0], [0, 0], (r, f) => close(num(valueFunction(r, f)), -LOG4, 1e-6, 'V at D = 1/2'));
    // rank-1 logits are accepted too
    const r = tf.tensor1d(REAL);
    const f = tf.tensor1d(FAKE);
    close(num(valueFunction(r, f)), refV(REAL, FAKE), 2e-6, 'V on [N] logits');
    tf.dispose([r, f]);
  });

  test('extreme logits (±50, ±1000) give finite values equal to the closed forms', () => {
    withLogits(EXTREME, EXTREME, (r, f) => {
      const v = num(valueFunction(r, f));
      // float32 relative precision on values of size ~300
      close(v, refV(EXTREME, EXTREME), 1e-3, 'V at extreme logits');
      close(num(discriminatorLoss(r, f)), -refV(EXTREME, EXTREME), 1e-3, 'D loss at extreme logits');
      close(num(generatorLoss(f, { variant: 'saturating' })), refSat(EXTREME), 1e-3, 'saturating');
      close(num(generatorLoss(f, { variant: 'nonSaturating' })), refNonSat(EXTREME), 1e-3, 'nonSaturating');
    });
    // elementwise: log σ(50) ≈ −2e−22, log σ(−50) = −50, log σ(±1000) = 0 / −1000
    const x = tf.tensor1d([50, -50, 1000, -1000]);
    const ls = logSigmoid(x);
    const l1 = logOneMinusSigmoid(x);
    const a = Array.from(ls.dataSync());
    const b = Array.from(l1.dataSync());
    tf.dispose([x, ls, l1]);
    [50, -50, 1000, -1000].forEach((v, i) => {
      close(a[i], logSig(v), 1e-5 * Math.max(1, Math.abs(v)), `log σ(${v})`);
      close(b[i], log1mSig(v), 1e-5 * Math.max(1, Math.abs(v)), `log(1 − σ(${v}))`);
    });
  });

  test('discriminatorLoss = −V, and scale 0.5 (the paper code d_obj) = −V/2', () => {
    withLogits(REAL, FAKE, (r, f) => {
      const v = num(valueFunction(r, f));
      close(num(discriminatorLoss(r, f)), -v, 2e-6, 'D loss = −V');
      close(num(discriminatorLoss(r, f, { scale: 0.5 })), -0.5 * v, 2e-6, 'D loss (0.5) = −V/2');
    });
  });

  test('discriminatorLoss equals tfjs binary cross-entropy with labels real = 1, fake = 0', () => {
    withLogits(REAL, FAKE, (r, f) => {
      const bce = tf.tidy(() =>
        tf.add(tf.losses.sigmoidCrossEntropy(tf.onesLike(r), r), tf.losses.sigmoidCrossEntropy(tf.zerosLike(f), f)),
      ) as tf.Scalar;
      close(num(discriminatorLoss(r, f)), num(bce), 2e-6, 'D loss vs tf.losses.sigmoidCrossEntropy');
    });
  });

  test('generatorLoss variants equal their closed forms; the default is nonSaturating', () => {
    withLogits(REAL, FAKE, (_r, f) => {
      close(num(generatorLoss(f, { variant: 'saturating' })), refSat(FAKE), 2e-6, 'saturating = mean log(1 − D)');
      close(num(generatorLoss(f, { variant: 'nonSaturating' })), refNonSat(FAKE), 2e-6, 'nonSaturating = −mean log D');
      close(num(generatorLoss(f)), refNonSat(FAKE), 2e-6, 'default');
      // G's saturating loss is exactly the part of V that depends on G
      const v = num(valueFunction(_r, f));
      close(
        num(generatorLoss(f, { variant: 'saturating' })),
        v - mean(REAL.map(logSig)),
        2e-6,
        'saturating = V − E log D(x)',
      );
    });
  });

  test('bad input gives errors that say what to do', () => {
    withLogits(REAL, FAKE, (r, f) => {
      assert.throws(
        () => generatorLoss(f, { variant: 'minimax' as never }),
        /unknown variant "minimax".*'saturating'.*'nonSaturating'/,
      );
      assert.throws(() => discriminatorLoss(r, f, { scale: 0 }), /scale must be a positive finite number/);
      assert.throws(() => discriminatorLoss(r, f, { scale: NaN }), /scale/);
    });
    const wide = tf.zeros([4, 2]);
    const empty = tf.zeros([0, 1]);
    const ints = tf.zeros([3, 1], 'int32');
    const ok = tf.zeros([3, 1]);
    assert.throws(() => valueFunction(wide, ok), /realLogits must have shape \[N\] or \[N, 1\].*\[4, 2\]/);
    assert.throws(() => valueFunction(ok, empty), /fakeLogits is empty/);
    assert.throws(() => generatorLoss(ints), /float32/);
    assert.throws(() => valueFunction([1, 2] as never, ok), /must be a tf.Tensor/);
    tf.dispose([wide, empty, ints, ok]);
    const gone = tf.zeros([2, 1]);
    gone.dispose();
    assert.throws(() => generatorLoss(gone), /already disposed/);
  });

  test('NaN or infinite logits are an error naming the function, the tensor and the count (not a silent NaN or 0)', () => {
    const ok = tf.tensor1d([0.5, -1]);
    const nan = tf.tensor1d([0, NaN, NaN]);
    const inf = tf.tensor2d([[Infinity], [1], [-Infinity]]);
    const both = tf.tensor1d([NaN, Infinity]);
    const before = tf.memory().numTensors;
    // softplus would make +Inf a fake logit's loss of exactly 0 and NaN a NaN loss
    assert.throws(
      () => generatorLoss(inf),
      (e: Error) => {
        assert.equal(e.name, 'NonFiniteLogitsError');
        assert.match(
          e.message,
          /^generatorLoss: fakeLogits holds 2 infinite values of D's logits.*learning rate too high, or NaN\/Inf in the data or the weights/,
        );
        return true;
      },
    );
    assert.throws(() => discriminatorLoss(nan, ok), /discriminatorLoss: realLogits holds 2 NaN values/);
    assert.throws(() => discriminatorLoss(ok, inf), /discriminatorLoss: fakeLogits holds 2 infinite values/);
    assert.throws(() => valueFunction(ok, both), /valueFunction: fakeLogits holds 1 NaN and 1 infinite values /);
    assert.throws(() => generatorLoss(nan, { variant: 'saturating' }), /fakeLogits holds 2 NaN values/);
    assert.equal(tf.memory().numTensors, before, 'the check leaks no tensors');
    // large but finite logits keep working (the stable forms)
    const big = tf.tensor1d([1e30, -1e30]);
    assert.ok(Number.isFinite(num(discriminatorLoss(big, big))));
    tf.dispose([ok, nan, inf, both, big]);
  });
});

// ---- gradients ----------------------------------------------------------------------------------
describe('gradients with respect to the logits', () => {
  function assertGradClose(actual: ArrayLike<number>, expected: number[], what: string): void {
    assert.equal(actual.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      const tol = 1e-6 + 1e-4 * Math.abs(expected[i]);
      close(actual[i], expected[i], tol, `${what}[${i}]`);
    }
  }

  const cases: { name: string; real: number[]; fake: number[] }[] = [
    { name: 'ordinary logits', real: REAL, fake: FAKE },
    { name: 'large logits (±50 and ±30)', real: [50, -50, 30, -30], fake: [-50, 50, -30, 30, 0] },
  ];

  for (const c of cases) {
    test(`valueFunction and discriminatorLoss (scale 1 and 0.5), ${c.name}`, () => {
      withLogits(c.real, c.fake, (r, f) => {
        const [gvr, gvf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => valueFunction(a, b))([r, f]);
        assertGradClose(
          gvr.dataSync(),
          numericGrad((x) => refV(x, c.fake), c.real),
          'dV/dr',
        );
        assertGradClose(
          gvf.dataSync(),
          numericGrad((x) => refV(c.real, x), c.fake),
          'dV/df',
        );
        for (const scale of [1, 0.5]) {
          const [gr, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => discriminatorLoss(a, b, { scale }))([r, f]);
          assertGradClose(
            gr.dataSync(),
            numericGrad((x) => -scale * refV(x, c.fake), c.real),
            `dLossD/dr (scale ${scale})`,
          );
          assertGradClose(
            gf.dataSync(),
            numericGrad((x) => -scale * refV(c.real, x), c.fake),
            `dLossD/df (scale ${scale})`,
          );
          tf.dispose([gr, gf]);
        }
        tf.dispose([gvr, gvf]);
      });
    });

    test(`generatorLoss, both variants, ${c.name}`, () => {
      withLogits(c.real, c.fake, (_r, f) => {
        const gs = tf.grad((a: tf.Tensor) => generatorLoss(a, { variant: 'saturating' }))(f);
        const gn = tf.grad((a: tf.Tensor) => generatorLoss(a, { variant: 'nonSaturating' }))(f);
        assertGradClose(gs.dataSync(), numericGrad(refSat, c.fake), 'saturating');
        assertGradClose(gn.dataSync(), numericGrad(refNonSat, c.fake), 'nonSaturating');
        tf.dispose([gs, gn]);
      });
    });
  }

  test('gradients at ±1000 are finite (no NaN from log 0)', () => {
    withLogits([1000, -1000], [1000, -1000], (r, f) => {
      const [a, b] = tf.grads((x: tf.Tensor, y: tf.Tensor) => discriminatorLoss(x, y))([r, f]);
      const g1 = tf.grad((x: tf.Tensor) => generatorLoss(x, { variant: 'saturating' }))(f);
      const g2 = tf.grad((x: tf.Tensor) => generatorLoss(x, { variant: 'nonSaturating' }))(f);
      // d/dr softplus(−r)/2 = −(1 − σ(r))/2; d/df softplus(f)/2 = σ(f)/2
      const vals = (t: tf.Tensor) => Array.from(t.dataSync()).map((v) => v + 0); // −0 → 0
      assert.deepEqual(vals(a), [0, -0.5]);
      assert.deepEqual(vals(b), [0.5, 0]);
      assert.deepEqual(vals(g1), [-0.5, 0]);
      assert.deepEqual(vals(g2), [0, -0.5]);
      tf.dispose([a, b, g1, g2]);
    });
  });

  test('the per-sample logit-gradient helpers match tf.grad (×N) and the closed forms −D and −(1 − D)', () => {
    const n = FAKE.length;
    withLogits(REAL, FAKE, (r, f) => {
      const d = FAKE.map((x) => 1 / (1 + Math.exp(-x)));
      const dr = REAL.map((x) => 1 / (1 + Math.exp(-x)));
      const gs = tf.grad((a: tf.Tensor) => generatorLoss(a, { variant: 'saturating' }))(f);
      const gn = tf.grad((a: tf.Tensor) => generatorLoss(a, { variant: 'nonSaturating' }))(f);
      const [gdr, gdf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => discriminatorLoss(a, b))([r, f]);
      const s = gs.dataSync();
      const ns = gn.dataSync();
      const ddf = gdf.dataSync();
      const ddr = gdr.dataSync();
      d.forEach((di, i) => {
        close(generatorLossLogitGradient(di, 'saturating'), -di, 1e-15, 'saturating closed form');
        close(generatorLossLogitGradient(di, 'nonSaturating'), -(1 - di), 1e-15, 'nonSaturating closed form');
        close(s[i] * n, generatorLossLogitGradient(di, 'saturating'), 1e-6, 'saturating vs tf.grad');
        close(ns[i] * n, generatorLossLogitGradient(di, 'nonSaturating'), 1e-6, 'nonSaturating vs tf.grad');
        close(ddf[i] * n, discriminatorLossLogitGradient(di, 'fake'), 1e-6, 'D fake vs tf.grad');
      });
      dr.forEach((di, i) =>
        close(ddr[i] * REAL.length, discriminatorLossLogitGradient(di, 'real'), 1e-6, 'D real vs tf.grad'),
      );
      tf.dispose([gs, gn, gdr, gdf]);
    });
    // D wins early: D(G(z)) ≈ 0 gives the saturating loss no gradient, the non-saturating one full strength
    assert.equal(generatorLossLogitGradient(0, 'saturating'), -0);
    assert.equal(generatorLossLogitGradient(0, 'nonSaturating'), -1);
    assert.throws(() => generatorLossLogitGradient(3, 'saturating'), /probability D in \[0, 1\].*not the logit/);
    assert.throws(() => generatorLossLogitGradient(0.5, 'x' as never), /unknown variant/);
    assert.throws(() => discriminatorLossLogitGradient(0.5, 'true' as never), /'real' or 'fake'/);
  });
});

// ---- theory -------------------------------------------------------------------------------------
describe('Proposition 1 and Theorem 1 (float64)', () => {
  test('optimalDiscriminator = p_data / (p_data + p_g), 1/2 where both are 0, arrays elementwise', () => {
    assert.equal(optimalDiscriminator(3, 1), 0.75);
    assert.equal(optimalDiscriminator(0, 2), 0);
    assert.equal(optimalDiscriminator(2, 0), 1);
    assert.equal(optimalDiscriminator(0, 0), 0.5);
    assert.equal(optimalDiscriminator(1e-300, 1e-300), 0.5);
    assert.deepEqual(Array.from(optimalDiscriminator([1, 0, 0, 0.2], [1, 0, 3, 0.6])), [0.5, 0.5, 0, 0.25]);
    assert.throws(() => optimalDiscriminator(-1, 1), /pData = -1; densities must be finite numbers ≥ 0/);
    assert.throws(() => optimalDiscriminator([1, NaN], [1, 1]), /pData\[1\] = NaN/);
    assert.throws(() => optimalDiscriminator([1, 2], [1]), /same grid/);
    assert.throws(() => optimalDiscriminator(1, [1] as never), /not a mix/);
  });

  test('a·log y + b·log(1 − y) is maximised at y = a/(a + b) (grid search)', () => {
    const pairs = [
      [1, 1],
      [0.3, 0.7],
      [2.5, 0.1],
      [0.05, 4],
      [1e-3, 1e-3],
    ];
    for (const [a, b] of pairs) {
      let best = 0;
      let bestVal = -Infinity;
      for (let i = 1; i < 100000; i++) {
        const y = i / 100000;
        const v = a * Math.log(y) + b * Math.log(1 - y);
        if (v > bestVal) {
          bestVal = v;
          best = y;
        }
      }
      close(best, optimalDiscriminator(a, b), 1e-5, `argmax for a=${a}, b=${b}`);
    }
  });

  test('tabulatedLogit interpolates linearly and holds the end values', () => {
    const f = tabulatedLogit([0, 1, 3], [2, 4, 0]);
    assert.deepEqual([-1, 0, 0.5, 1, 2, 3, 10].map(f), [2, 2, 3, 4, 2, 0, 0]);
  });

  test('integrate1D (Simpson) integrates a Gaussian to 1 and x² to its closed form', () => {
    close(integrate1D(gauss(0.3, 0.7), [-7, 7.6]), 1, 1e-10, '∫ N(0.3, 0.7²)');
    close(
      integrate1D((x) => x * x, [-1, 2], 10),
      3,
      1e-12,
      '∫ x² over [−1, 2]',
    );
    assert.throws(() => integrate1D((x) => x, [1, 1]), /finite lo < hi/);
    assert.throws(() => integrate1D((x) => x, [0, 1], 1.5), /integer ≥ 2/);
  });

  test('C(G) = −log 4 (to 1e-6) when p_g = p_data, and C(G) ≥ −log 4 otherwise', () => {
    const p = gauss(0, 1);
    close(virtualCriterion(p, p, [-10, 10]), -LOG4, 1e-6, 'C(G) at p_g = p_data');
    const mix = (x: number) => 0.3 * gauss(-2, 0.5)(x) + 0.7 * gauss(1, 0.8)(x);
    close(virtualCriterion(mix, mix, [-8, 8]), -LOG4, 1e-6, 'C(G) for a mixture with itself');
    for (const [mu, s] of [
      [0.1, 1],
      [1, 1],
      [0, 2],
      [-3, 0.3],
      [4, 0.5],
    ]) {
      const c = virtualCriterion(p, gauss(mu, s), [-12, 12]);
      assert.ok(c > -LOG4, `C(G) = ${c} for N(${mu}, ${s}²) must exceed −log 4`);
      assert.ok(c <= 1e-12, `C(G) = ${c} must be ≤ 0`);
    }
  });

  test('C(G) = −log 4 + 2·JSD for several Gaussian pairs; JSD symmetric and ≤ log 2', () => {
    const pairs: [number, number, number, number][] = [
      [0, 1, 0, 1],
      [0, 1, 0.5, 1],
      [0, 1, 2, 0.5],
      [-1, 0.3, 1, 2],
      [0, 1, 8, 1],
      [3, 0.2, -3, 0.2],
    ];
    for (const [m1, s1, m2, s2] of pairs) {
      const p = gauss(m1, s1);
      const q = gauss(m2, s2);
      const range: [number, number] = [Math.min(m1 - 10 * s1, m2 - 10 * s2), Math.max(m1 + 10 * s1, m2 + 10 * s2)];
      const n = 20000;
      const c = virtualCriterion(p, q, range, n);
      const jsd = jensenShannon(p, q, range, n);
      close(c, -LOG4 + 2 * jsd, 1e-8, `C(G) vs −log 4 + 2·JSD for N(${m1},${s1}²), N(${m2},${s2}²)`);
      close(jsensym(q, p, range, n), jsd, 1e-10, 'JSD symmetric');
      assert.ok(jsd >= -1e-12 && jsd <= Math.LN2 + 1e-12, `0 ≤ JSD = ${jsd} ≤ log 2`);
    }
    function jsensym(a: (x: number) => number, b: (x: number) => number, r: [number, number], n: number) {
      return jensenShannon(a, b, r, n);
    }
  });

  test('densities that vanish on parts of the range: 0·log 0 = 0; disjoint supports give JSD = log 2, C(G) = 0', () => {
    const u = (lo: number, hi: number) => (x: number) => (x >= lo && x <= hi ? 1 / (hi - lo) : 0);
    // disjoint: D* is 1 on p_data's support and 0 on p_g's, so C(G) = 0 (its maximum)
    const n = 40000;
    close(jensenShannon(u(-2, -1), u(1, 2), [-3, 3], n), Math.LN2, 1e-3, 'JSD of disjoint uniforms');
    close(virtualCriterion(u(-2, -1), u(1, 2), [-3, 3], n), 0, 2e-3, 'C(G) for disjoint supports');
    // overlapping half: JSD = ½ log 2 (half of each mass is shared)
    close(jensenShannon(u(0, 2), u(1, 3), [-1, 4], n), 0.5 * Math.LN2, 1e-3, 'JSD half overlap');
    // KL is infinite where p has mass and q has none
    assert.equal(klDivergence(u(0, 2), u(1, 3), [-1, 4], 100), Infinity);
    close(klDivergence(u(1, 2), u(0, 4), [-1, 5], n), Math.log(4), 1e-3, 'KL(U(1,2) ‖ U(0,4))');
  });

  test('klDivergence of two Gaussians equals its closed form; JSD via KL to the mixture', () => {
    const kl = (m1: number, s1: number, m2: number, s2: number) =>
      Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;
    for (const [m1, s1, m2, s2] of [
      [0, 1, 1, 1],
      [0, 1, 0, 2],
      [1, 0.5, -1, 1.5],
    ]) {
      close(klDivergence(gauss(m1, s1), gauss(m2, s2), [-15, 15], 20000), kl(m1, s1, m2, s2), 1e-8, 'KL Gaussians');
    }
    const p = gauss(0, 1);
    const q = gauss(1.5, 0.7);
    const m = (x: number) => 0.5 * (p(x) + q(x));
    const r: [number, number] = [-12, 12];
    close(jensenShannon(p, q, r), 0.5 * klDivergence(p, m, r) + 0.5 * klDivergence(q, m, r), 1e-12, 'JSD definition');
  });

  test('V(D, G) by quadrature is maximal at D*, where it equals C(G); probability and logit forms', () => {
    const pData = { pdf: gauss(0, 1), range: [-9, 9] as [number, number] };
    const pG = { pdf: gauss(1.5, 0.7), range: [-5, 8] as [number, number] };
    const logGauss = (mu: number, s: number) => (x: number) =>
      -0.5 * ((x - mu) / s) ** 2 - Math.log(s * Math.sqrt(2 * Math.PI));
    // logit D* = log p_data − log p_g, exact even where one density underflows
    const logitStar = (x: number) => logGauss(0, 1)(x) - logGauss(1.5, 0.7)(x);
    const c = virtualCriterion(pData, pG);
    close(valueFunctionByQuadrature({ logit: logitStar }, pData, pG), c, 1e-12, 'V(D*, G) = C(G), logit form');
    // the probability form, on a range where D* does not round to exactly 0 or 1
    const r: [number, number] = [-4, 5];
    const dStar = (x: number) => optimalDiscriminator(pData.pdf(x), pG.pdf(x));
    close(
      valueFunctionByQuadrature(dStar, pData, pG, r),
      virtualCriterion(pData, pG, r),
      1e-12,
      'V(D*, G) = C(G), probability form',
    );
    for (const eps of [0.5, -0.5, 2]) {
      const logit = (x: number) => logitStar(x) + eps * Math.exp(-x * x);
      assert.ok(valueFunctionByQuadrature({ logit }, pData, pG) < c, `perturbed D (${eps}) must give less than C(G)`);
    }
    close(
      valueFunctionByQuadrature(() => 0.5, pData, pG),
      -LOG4,
      1e-9,
      'V at D = 1/2 is −log 4',
    );
    // a D tabulated on a grid (a network evaluated in one batch), interpolated linearly
    const grid = Array.from({ length: 1801 }, (_, i) => -9 + i * 0.01);
    const tab = { grid, logits: grid.map(logitStar) };
    close(valueFunctionByQuadrature(tab, pData, pG), c, 1e-5, 'V(tabulated D*, G) ≈ C(G)');
    assert.throws(() => virtualCriterion(gauss(0, 1), gauss(0, 1)), /pass a range/);
    assert.throws(() => virtualCriterion(gauss(0, 1), () => -1, [-1, 1]), /pG\(-1\) = -1; a density must be/);
    assert.throws(() => valueFunctionByQuadrature(() => 2, pData, pG), /not a probability/);
    assert.throws(
      () => valueFunctionByQuadrature({ grid: [0, 0, 1], logits: [0, 0, 0] }, pData, pG),
      /strictly increasing; grid\[1\]/,
    );
    assert.throws(() => valueFunctionByQuadrature({ grid: [0, 1], logits: [0] }, pData, pG), /one logit per point/);
  });
});

test('no tensors leak from the losses', () => {
  const r = tf.tensor2d(REAL, [REAL.length, 1]);
  const f = tf.tensor2d(FAKE, [FAKE.length, 1]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) {
    valueFunction(r, f).dispose();
    discriminatorLoss(r, f, { scale: 0.5 }).dispose();
    generatorLoss(f, { variant: 'saturating' }).dispose();
    generatorLoss(f, { variant: 'nonSaturating' }).dispose();
    logSigmoid(r).dispose();
    logOneMinusSigmoid(f).dispose();
    tf.grads((a: tf.Tensor, b: tf.Tensor) => discriminatorLoss(a, b))([r, f]).forEach((g) => g.dispose());
  }
  try {
    generatorLoss(f, { variant: 'bad' as never });
  } catch {
    /* expected */
  }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([r, f]);
});
