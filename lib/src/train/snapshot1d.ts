/**
 * The numbers behind the paper's Figure 1 from a real 1-D GAN: p_data, p_g, D and the analytic
 * D* = p_data/(p_data + p_g) on a grid, and the mapping x = G(z) of a line of uniformly spaced z.
 * viz/figure1.ts draws them.
 */
import * as tf from '@tensorflow/tfjs';
import { Prior } from '../random';

export interface Snapshot1D {
  /** The x grid and, on it: p_data, p_g, D(x) (D without dropout) and D*(x). */
  x: number[];
  pData: number[];
  pG: number[];
  d: number[];
  dStar: number[];
  /** Uniformly spaced z and their images G(z), for the arrows. */
  arrows: { z: number[]; x: number[] };
  zRange: [number, number];
}

export interface Snapshot1DOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** 1-D uniform prior (uniformPrior(1)): p_g is then computed exactly, not from a histogram. */
  prior: Prior;
  /** p_data's density. */
  pData: (x: number) => number;
  /** x interval drawn. */
  range: [number, number];
  /** Grid points in x (default 300). */
  points?: number;
  /** Arrows z → G(z) (default 15). */
  arrows?: number;
}

/**
 * Evaluates a 1-D GAN on a grid. p_g is the push-forward of the uniform z through G, computed on 20,000
 * z cells (each cell's probability spread over the x interval G maps it to), so that a G that squeezes
 * many z into one x shows up as a tall spike.
 */
export function snapshot1D(o: Snapshot1DOptions): Snapshot1D {
  const half = (o.prior as Prior & { halfWidth?: number }).halfWidth;
  if (o.prior.kind !== 'uniform' || o.prior.dim !== 1 || half === undefined) {
    throw new Error(
      'snapshot1D: the prior must be a 1-D uniform prior (uniformPrior(1)); p_g is computed from it exactly',
    );
  }
  const [a, b] = o.range;
  if (!(b > a)) throw new Error(`snapshot1D: range must be [low, high] with low < high, got [${o.range}]`);
  const n = o.points ?? 300;
  const width = (b - a) / n;
  const x = Array.from({ length: n }, (_, i) => a + (i + 0.5) * width);
  const cells = 20000;
  const zEdges = Float32Array.from({ length: cells + 1 }, (_, i) => -half + (2 * half * i) / cells);
  const nArrows = o.arrows ?? 15;
  const zArrows = Float32Array.from({ length: nArrows }, (_, i) => -half + (2 * half * (i + 0.5)) / nArrows);
  const [gEdges, gArrows, d] = tf.tidy(() => {
    const g = (z: Float32Array) => (o.generator.predict(tf.tensor2d(z, [z.length, 1])) as tf.Tensor).dataSync();
    const logits = o.discriminator.predict(tf.tensor2d(x, [n, 1])) as tf.Tensor;
    return [g(zEdges), g(zArrows), tf.sigmoid(logits).dataSync()];
  });
  const mass = new Float64Array(n);
  for (let i = 0; i < cells; i++) spread(mass, gEdges[i], gEdges[i + 1], 1 / cells, a, width);
  const pG = Array.from(mass, (m) => m / width);
  const pData = x.map(o.pData);
  const dStar = pData.map((p, i) => (p + pG[i] === 0 ? 0.5 : p / (p + pG[i])));
  return {
    x,
    pData,
    pG,
    d: Array.from(d),
    dStar,
    arrows: { z: Array.from(zArrows), x: Array.from(gArrows) },
    zRange: [-half, half],
  };
}

/** Adds probability `p`, spread uniformly over [u, v] (either order), to the histogram bins it overlaps. */
function spread(mass: Float64Array, u: number, v: number, p: number, a: number, width: number): void {
  const lo = Math.min(u, v);
  const hi = Math.max(u, v);
  const first = Math.floor((lo - a) / width);
  const last = Math.floor((hi - a) / width);
  if (first === last || hi - lo < 1e-12) {
    if (first >= 0 && first < mass.length) mass[first] += p;
    return;
  }
  for (let k = Math.max(first, 0); k <= Math.min(last, mass.length - 1); k++) {
    const overlap = Math.min(hi, a + (k + 1) * width) - Math.max(lo, a + k * width);
    if (overlap > 0) mass[k] += (p * overlap) / (hi - lo);
  }
}

export interface Figure1Panel {
  /** e.g. '(a) near convergence'. */
  title: string;
  snapshot: Snapshot1D;
}

export interface Summary1D {
  /** E_{p_data}[D(x)] and E_{p_g}[D(x)]: what D says about real and generated data on average. */
  meanDReal: number;
  meanDFake: number;
  /** ∫ |D − D*| · (p_data + p_g)/2 dx: how far D is from the optimal discriminator, where there is mass. */
  distanceToDStar: number;
  /** Jensen–Shannon divergence between p_data and p_g (nats; 0 iff equal, at most log 2). */
  jsd: number;
}

/** The numbers behind a Figure 1 panel, by sums over its grid. */
export function summarize1D(s: Snapshot1D): Summary1D {
  const dx = s.x[1] - s.x[0];
  let meanDReal = 0;
  let meanDFake = 0;
  let distanceToDStar = 0;
  let jsd = 0;
  const xlogx = (p: number, m: number) => (p > 0 ? p * Math.log(p / m) : 0);
  for (let i = 0; i < s.x.length; i++) {
    const p = s.pData[i];
    const q = s.pG[i];
    meanDReal += s.d[i] * p * dx;
    meanDFake += s.d[i] * q * dx;
    distanceToDStar += (Math.abs(s.d[i] - s.dStar[i]) * (p + q) * dx) / 2;
    jsd += ((xlogx(p, (p + q) / 2) + xlogx(q, (p + q) / 2)) * dx) / 2;
  }
  return { meanDReal, meanDFake, distanceToDStar, jsd };
}

export interface Region1DSummary {
  /** Grid points of the snapshot inside the region. */
  points: number;
  /** Largest and mean |D − D*| over those points, each point counted once (not weighted by a density). */
  maxDistanceToDStar: number;
  meanDistanceToDStar: number;
  /** Smallest and largest D(x) and D*(x) there. */
  minD: number;
  maxD: number;
  minDStar: number;
  maxDStar: number;
  /** Times p_data − p_g changes sign between neighbouring grid points: 0 when the two densities do not cross there. */
  crossings: number;
}

/**
 * D against D* over an interval [low, high] of a Figure 1 panel, every grid point counted alike: where
 * `summarize1D`'s density-weighted distance hardly looks (a tail with little mass), this one does.
 */
export function summarizeRegion1D(s: Snapshot1D, region: [number, number]): Region1DSummary {
  const [low, high] = region;
  if (!(high >= low)) throw new Error(`summarizeRegion1D: region must be [low, high] with low ≤ high, got [${region}]`);
  const inside = s.x.map((_, i) => i).filter((i) => s.x[i] >= low && s.x[i] <= high);
  if (inside.length === 0)
    throw new Error(`summarizeRegion1D: no grid point of the snapshot lies in [${low}, ${high}]`);
  const gaps = inside.map((i) => Math.abs(s.d[i] - s.dStar[i]));
  const sign = (i: number) => Math.sign(s.pData[i] - s.pG[i]);
  let crossings = 0;
  let last = 0;
  for (const i of inside) {
    const now = sign(i);
    if (now !== 0) {
      if (last !== 0 && now !== last) crossings++;
      last = now;
    }
  }
  const pick = (a: number[]) => inside.map((i) => a[i]);
  return {
    points: inside.length,
    maxDistanceToDStar: Math.max(...gaps),
    meanDistanceToDStar: gaps.reduce((t, g) => t + g, 0) / gaps.length,
    minD: Math.min(...pick(s.d)),
    maxD: Math.max(...pick(s.d)),
    minDStar: Math.min(...pick(s.dStar)),
    maxDStar: Math.max(...pick(s.dStar)),
    crossings,
  };
}
