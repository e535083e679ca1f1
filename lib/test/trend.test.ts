/** slopeWithInterval, blockMeanSlope and Student's t against reference values (R's qt/pt, hand-computed OLS). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockMeanSlope, Rng, slopeWithInterval, studentTCdf, studentTQuantile } from '../src';

test("Student's t: quantiles and CDF match R's qt and pt", () => {
  // R: qt(0.975, c(1, 3, 23, 100)); pt(2, 5)
  const cases: [number, number][] = [
    [1, 12.706204736174698],
    [3, 3.182446305284263],
    [23, 2.068657610419041],
    [100, 1.983971518523552],
  ];
  for (const [df, q] of cases) assert.ok(Math.abs(studentTQuantile(0.975, df) - q) < 1e-9, `df ${df}`);
  assert.ok(Math.abs(studentTCdf(2, 5) - 0.9490302605850709) < 1e-12);
  assert.ok(Math.abs(studentTCdf(-2, 5) - (1 - 0.9490302605850709)) < 1e-12);
  assert.equal(studentTCdf(0, 7), 0.5);
});

test('the slope of points on a line is exact, with a zero-width interval', () => {
  const x = [10, 20, 30, 40, 50];
  const r = slopeWithInterval(
    x,
    x.map((v) => 3 + 0.25 * v),
  );
  assert.ok(Math.abs(r.slope - 0.25) < 1e-12 && Math.abs(r.intercept - 3) < 1e-12);
  assert.ok(r.stdErr < 1e-12 && r.upper - r.lower < 1e-10);
});

test('ordinary least squares by hand: slope, standard error, t interval', () => {
  const x = [0, 1, 2, 3];
  const y = [0, 2, 1, 3];
  // slope 0.8, intercept 0.3, residuals [-0.3, 0.9, -0.9, 0.3]: RSS 1.8, s² = 0.9, sxx 5, se = √(0.9/5)
  const r = slopeWithInterval(x, y);
  assert.ok(Math.abs(r.slope - 0.8) < 1e-12 && Math.abs(r.intercept - 0.3) < 1e-12);
  assert.ok(Math.abs(r.stdErr - Math.sqrt(0.18)) < 1e-12, String(r.stdErr));
  assert.ok(Math.abs(r.upper - (0.8 + 4.302652729911275 * Math.sqrt(0.18))) < 1e-9); // qt(0.975, 2)
});

test('block means: the oldest points that fill no block are dropped, each block is its mean', () => {
  const x = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const y = [99, 0, 2, 1, 3, 5, 4, 6, 8];
  const r = blockMeanSlope(x, y, { blockSize: 2 });
  assert.equal(r.dropped, 1);
  assert.equal(r.n, 4);
  const ref = slopeWithInterval([1.5, 3.5, 5.5, 7.5], [1, 2, 4.5, 7]);
  assert.deepEqual([r.slope, r.stdErr, r.upper], [ref.slope, ref.stdErr, ref.upper]);
});

test('on 25 points with correlated noise, five blocks of five cover the true slope near 95 % of the time', () => {
  // the case of the stopping rule: 250 epochs scored every 10, noise of the size the paper run shows (±2.4)
  const rng = new Rng(7);
  const x = Array.from({ length: 25 }, (_, i) => 170 + 10 * i);
  const coverage = (phi: number, fit: (y: number[]) => { lower: number; upper: number }) => {
    let covered = 0;
    const trials = 1000;
    for (let t = 0; t < trials; t++) {
      const noise = rng.fillNormal(new Float32Array(x.length), 0, 2.4);
      let prev = 0;
      const y = x.map((v, i) => 150 + 0.05 * v + (prev = phi * prev + noise[i]));
      const r = fit(y);
      if (r.lower <= 0.05 && 0.05 <= r.upper) covered++;
    }
    return covered / trials;
  };
  const blocks = (y: number[]) => blockMeanSlope(x, y);
  const plain = (y: number[]) => slopeWithInterval(x, y);
  assert.ok(coverage(0, blocks) > 0.93, 'independent noise');
  const withCorrelation = coverage(0.5, blocks);
  assert.ok(withCorrelation > 0.9, `AR(1) 0.5: ${withCorrelation}`);
  const plainWithCorrelation = coverage(0.5, plain);
  assert.ok(plainWithCorrelation < 0.85, `a plain interval is too narrow there: ${plainWithCorrelation}`);
});

test('bad input is refused with a message', () => {
  assert.throws(() => slopeWithInterval([1, 2], [1, 2]), /at least 3 points/);
  assert.throws(() => slopeWithInterval([1, 2, 3], [1, 2]), /3 x values but 2 y values/);
  assert.throws(() => slopeWithInterval([1, 1, 1], [1, 2, 3]), /all x are equal/);
  assert.throws(() => slopeWithInterval([1, 2, 3], [1, NaN, 3]), /finite/);
  assert.throws(() => blockMeanSlope([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { blockSize: 2 }), /2 blocks of 2; at least 3/);
  assert.throws(() => blockMeanSlope([1, 2, 3], [1, 2, 3], { blockSize: 0 }), /positive integer/);
});
