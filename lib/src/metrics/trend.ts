/**
 * Is a noisy score still rising? The paper run's stopping rule asks it of the validation curve: a GAN's
 * Parzen score moves by a few nats from one scored epoch to the next, and those moves are correlated, so
 * a plain least-squares interval is too narrow. Here the curve is cut into blocks of consecutive points,
 * each block is replaced by its mean (averaging out most of the short-range correlation), and the slope of
 * the block means gets the ordinary t interval on (blocks − 2) degrees of freedom.
 * Why blocks and not Newey–West: with 25 points (250 epochs scored every 10) and AR(1) noise, simulated
 * 2,000 times, Newey–West's 95 % interval covered the true slope 72–76 % of the time at φ = 0.5 (50–60 % at
 * φ = 0.8); five blocks of five covered it 93 % (89 %), and 96 % with independent noise (lib/test/trend.test.ts).
 */

export interface SlopeInterval {
  /** Least-squares slope of y on x. */
  slope: number;
  intercept: number;
  /** Its standard error (errors taken as independent: pass block means for a correlated series). */
  stdErr: number;
  /** The two-sided interval slope ± t·stdErr at `level`. */
  lower: number;
  upper: number;
  level: number;
  /** Points the line was fitted to (blocks, for blockMeanSlope). */
  n: number;
}

/** Least-squares slope of y on x with its t interval, for independent errors. */
export function slopeWithInterval(
  x: readonly number[],
  y: readonly number[],
  options: { level?: number } = {},
): SlopeInterval {
  const n = x.length;
  if (n !== y.length) throw new Error(`slopeWithInterval: ${n} x values but ${y.length} y values`);
  if (n < 3) throw new Error(`slopeWithInterval: needs at least 3 points, got ${n}`);
  if (![...x, ...y].every(Number.isFinite)) throw new Error('slopeWithInterval: every x and y must be a finite number');
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`slopeWithInterval: level must be in (0, 1), got ${level}`);
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
  if (sxx === 0) throw new Error('slopeWithInterval: all x are equal, the slope is undefined');
  const slope = x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0) / sxx;
  const intercept = my - slope * mx;
  const rss = x.reduce((a, v, i) => a + (y[i] - intercept - slope * v) ** 2, 0);
  const stdErr = Math.sqrt(rss / (n - 2) / sxx);
  const t = studentTQuantile(0.5 + level / 2, n - 2);
  return { slope, intercept, stdErr, lower: slope - t * stdErr, upper: slope + t * stdErr, level, n };
}

/**
 * The slope of a correlated series: the means of consecutive blocks of `blockSize` points (the oldest
 * points that do not fill a block are left out), then slopeWithInterval on them. Needs at least 3 blocks.
 */
export function blockMeanSlope(
  x: readonly number[],
  y: readonly number[],
  options: { blockSize?: number; level?: number } = {},
): SlopeInterval & { blockSize: number; dropped: number } {
  const blockSize = options.blockSize ?? 5;
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new Error(`blockMeanSlope: blockSize must be a positive integer, got ${blockSize}`);
  }
  if (x.length !== y.length) throw new Error(`blockMeanSlope: ${x.length} x values but ${y.length} y values`);
  const blocks = Math.floor(x.length / blockSize);
  if (blocks < 3) {
    throw new Error(`blockMeanSlope: ${x.length} points make ${blocks} blocks of ${blockSize}; at least 3 are needed`);
  }
  const dropped = x.length - blocks * blockSize;
  const mean = (v: readonly number[], b: number) =>
    v.slice(dropped + b * blockSize, dropped + (b + 1) * blockSize).reduce((a, c) => a + c, 0) / blockSize;
  const bx = Array.from({ length: blocks }, (_, b) => mean(x, b));
  const by = Array.from({ length: blocks }, (_, b) => mean(y, b));
  return { ...slopeWithInterval(bx, by, { level: options.level }), blockSize, dropped };
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom, through the regularised incomplete beta function. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`studentTCdf: df must be positive, got ${df}`);
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (bisection on the CDF, to 1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must be in (0, 1), got ${p}`);
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Regularised incomplete beta I_x(a, b) by its continued fraction (Lentz), as in Numerical Recipes' betai. */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(z), Lanczos (g = 7, 9 terms), accurate to ~1e-15 for z > 0. */
function logGamma(z: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const zz = z - 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (zz + i);
  const t = zz + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(s);
}
