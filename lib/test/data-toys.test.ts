import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Distribution1D,
  Distribution2D,
  gaussian1D,
  gaussian2D,
  initBackend,
  mixture1D,
  ringMixture2D,
  Rng,
} from '../src';

before(async () => {
  await initBackend();
});

/** Trapezoid rule of f on [a, b] with n intervals. */
function trapezoid(f: (x: number) => number, a: number, b: number, n = 4000): number {
  const h = (b - a) / n;
  let s = 0.5 * (f(a) + f(b));
  for (let i = 1; i < n; i++) s += f(a + i * h);
  return s * h;
}

function trapezoid2D(
  f: (x: number, y: number) => number,
  [[x0, x1], [y0, y1]]: Distribution2D['range'],
  n: number,
): number {
  return trapezoid((y) => trapezoid((x) => f(x, y), x0, x1, n), y0, y1, n);
}

function moments(a: Float32Array, stride = 1, offset = 0): { mean: number; variance: number } {
  let s = 0;
  let n = 0;
  for (let i = offset; i < a.length; i += stride, n++) s += a[i];
  const mean = s / n;
  let q = 0;
  for (let i = offset; i < a.length; i += stride) q += (a[i] - mean) ** 2;
  return { mean, variance: q / n };
}

const toys1D: Distribution1D[] = [
  gaussian1D(0, 1),
  gaussian1D(4, 0.5),
  // unnormalised weights on purpose: the mixture normalises them
  mixture1D([
    { weight: 2, mean: -2, std: 0.5 },
    { weight: 6, mean: 1.5, std: 1 },
  ]),
  mixture1D([
    { weight: 1, mean: -3, std: 0.3 },
    { weight: 1, mean: 0, std: 0.3 },
    { weight: 2, mean: 3, std: 0.6 },
  ]),
];

describe('1-D toys', () => {
  for (const dist of toys1D) {
    test(`${dist.name}: pdf integrates to 1 over range; cdf agrees with the integral of pdf`, () => {
      const [a, b] = dist.range;
      const mass = trapezoid(dist.pdf, a, b);
      assert.ok(Math.abs(mass - 1) < 1e-5, `∫pdf = ${mass}`);
      assert.ok(dist.cdf(a) < 1e-5 && dist.cdf(b) > 1 - 1e-5);
      for (const t of [0.3, 0.5, 0.8]) {
        const x = a + t * (b - a);
        const integral = trapezoid(dist.pdf, a - 5, x, 8000);
        assert.ok(Math.abs(dist.cdf(x) - integral) < 1e-5, `cdf(${x}) = ${dist.cdf(x)}, ∫pdf = ${integral}`);
      }
      // exact moments by quadrature
      const mean = trapezoid((x) => x * dist.pdf(x), a, b);
      const variance = trapezoid((x) => (x - mean) ** 2 * dist.pdf(x), a, b);
      assert.ok(Math.abs(mean - dist.mean) < 1e-4, `mean ${mean} vs ${dist.mean}`);
      assert.ok(Math.abs(variance - dist.variance) < 1e-4, `variance ${variance} vs ${dist.variance}`);
    });

    test(`${dist.name}: sample mean and variance match; seeded`, () => {
      const n = 100000;
      const s = dist.sample(n, new Rng(1));
      assert.equal(s.length, n);
      const m = moments(s);
      const se = Math.sqrt(dist.variance / n);
      // 6 standard errors for the mean; the variance estimate is within 3% here for these shapes
      assert.ok(Math.abs(m.mean - dist.mean) < 6 * se, `sample mean ${m.mean} vs ${dist.mean}`);
      assert.ok(Math.abs(m.variance / dist.variance - 1) < 0.03, `sample variance ${m.variance} vs ${dist.variance}`);
      assert.deepEqual(dist.sample(50, new Rng(2)), dist.sample(50, new Rng(2)));
      assert.notDeepEqual(dist.sample(50, new Rng(2)), dist.sample(50, new Rng(3)));
    });
  }

  test('mixture weights are normalised, components are sampled in proportion', () => {
    const mix = mixture1D([
      { weight: 1, mean: -10, std: 1 },
      { weight: 3, mean: 10, std: 1 },
    ]);
    assert.ok(Math.abs(mix.pdf(10) - 0.75 / Math.sqrt(2 * Math.PI)) < 1e-12);
    const s = mix.sample(40000, new Rng(4));
    const right = s.filter((v) => v > 0).length / s.length;
    assert.ok(Math.abs(right - 0.75) < 0.015, `fraction from the weight-3 component: ${right}`);
  });

  test('bad parameters give clear errors', () => {
    assert.throws(() => gaussian1D(0, 0), /std must be a positive finite number, got 0/);
    assert.throws(() => mixture1D([]), /at least one component/);
    assert.throws(() => mixture1D([{ weight: -1, mean: 0, std: 1 }]), /weights must be positive/);
    assert.throws(() => gaussian1D(0, 1).sample(1.5, new Rng(0)), /n must be a non-negative integer/);
  });
});

describe('2-D toys', () => {
  test('gaussian2D: pdf integrates to 1, samples have the right mean and variance per axis', () => {
    const g = gaussian2D([1, -2], 0.5);
    assert.ok(Math.abs(trapezoid2D(g.pdf, g.range, 400) - 1) < 1e-5);
    assert.ok(Math.abs(g.pdf(1, -2) - 1 / (2 * Math.PI * 0.25)) < 1e-12);
    const s = g.sample(50000, new Rng(5));
    assert.equal(s.length, 100000);
    const mx = moments(s, 2, 0);
    const my = moments(s, 2, 1);
    assert.ok(Math.abs(mx.mean - 1) < 0.02 && Math.abs(my.mean + 2) < 0.02, `means ${mx.mean}, ${my.mean}`);
    assert.ok(Math.abs(mx.variance / 0.25 - 1) < 0.03 && Math.abs(my.variance / 0.25 - 1) < 0.03);
  });

  test('ringMixture2D: pdf integrates to 1, modes on the circle, samples spread evenly over the modes', () => {
    const wide = ringMixture2D(8, 2, 0.1);
    assert.ok(Math.abs(trapezoid2D(wide.pdf, wide.range, 500) - 1) < 1e-4);
    const ring = ringMixture2D();
    assert.equal(ring.modes.length, 8);
    for (const [x, y] of ring.modes) assert.ok(Math.abs(Math.hypot(x, y) - 2) < 1e-12);
    // with std 0.02 a fine grid is needed; integrate around one mode and multiply by 8 (symmetry)
    const [cx, cy] = ring.modes[1];
    const nearOne = trapezoid2D(
      ring.pdf,
      [
        [cx - 0.15, cx + 0.15],
        [cy - 0.15, cy + 0.15],
      ],
      300,
    );
    assert.ok(Math.abs(nearOne - 1 / 8) < 1e-5, `mass near one mode ${nearOne}`);
    const s = ring.sample(16000, new Rng(6));
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 16000; i++) {
      const dists = ring.modes.map(([mx, my]) => Math.hypot(s[2 * i] - mx, s[2 * i + 1] - my));
      const k = dists.indexOf(Math.min(...dists));
      assert.ok(dists[k] < 0.02 * 6, 'every sample lies within 6 std of a mode');
      counts[k]++;
    }
    for (const c of counts) assert.ok(Math.abs(c - 2000) < 200, `mode counts ${counts}`);
    assert.deepEqual(ring.sample(10, new Rng(7)), ring.sample(10, new Rng(7)));
  });

  test('bad parameters give clear errors', () => {
    assert.throws(() => ringMixture2D(0), /modes must be a positive integer/);
    assert.throws(() => ringMixture2D(8, 2, -1), /std must be a positive/);
    assert.throws(() => gaussian2D([0] as unknown as [number, number], 1), /mean must be \[x, y\]/);
  });
});
