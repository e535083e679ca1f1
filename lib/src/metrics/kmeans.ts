/**
 * k-means (Lloyd's algorithm), for the baseline of Theis, van den Oord & Bethge (2016): Parzen windows
 * on 10,000 k-means centroids of the training set beat Parzen windows on real samples, which shows how
 * weak the Parzen estimate is. Assignments are batched matMuls; the centroid update is exact float64.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import {
  MatrixInput,
  checkBatchSize,
  exactSquaredDistance,
  prepareSet,
  rankingScores,
  rowsTensor,
  toMatrix,
  yieldToEventLoop,
} from './matrix';

export interface KMeansOptions {
  /** Lloyd iterations (assignment + update); stops earlier when no assignment changes. Default 10. */
  iterations?: number;
  rng: Rng;
  /** 'random': k distinct data rows (fast for k = 10,000); 'kmeans++': D² sampling (O(k·n·d), for small k). */
  init?: 'random' | 'kmeans++';
  dim?: number;
  batchSize?: number;
  onIteration?: (info: { iteration: number; inertia: number; changed: number }) => void;
}

export interface KMeansResult {
  /** k × dim, row-major. */
  centroids: Float32Array;
  k: number;
  dim: number;
  /** Index of the centroid of each data row, after the last assignment. */
  assignments: Int32Array;
  /** Sum of squared distances to the assigned centroid: [after init assignment, after each iteration]. */
  inertia: number[];
  /** Lloyd iterations run. */
  iterations: number;
}

export async function kMeans(data: MatrixInput, k: number, options: KMeansOptions): Promise<KMeansResult> {
  const x = toMatrix(data, options.dim, 'kMeans data');
  if (!Number.isInteger(k) || k < 1 || k > x.rows)
    throw new Error(`kMeans: k must be an integer in [1, ${x.rows}] (rows of data), got ${k}`);
  if (!(options.rng instanceof Rng))
    throw new Error('kMeans: pass { rng: new Rng(seed) } so that the result is reproducible');
  const iterations = options.iterations ?? 10;
  if (!Number.isInteger(iterations) || iterations < 0)
    throw new Error(`kMeans: iterations must be an integer ≥ 0, got ${iterations}`);
  const init = options.init ?? 'random';
  const d = x.cols;
  const centroids = new Float32Array(k * d);
  if (init !== 'random' && init !== 'kmeans++')
    throw new Error(`kMeans: init must be 'random' or 'kmeans++', got ${init}`);
  const seeds =
    init === 'kmeans++' ? kMeansPlusPlus(x, k, options.rng) : options.rng.permutation(x.rows).subarray(0, k);
  for (let j = 0; j < k; j++) centroids.set(x.data.subarray(seeds[j] * d, (seeds[j] + 1) * d), j * d);

  const batchSize = checkBatchSize(options.batchSize, k, 'kMeans');
  const assignments = new Int32Array(x.rows).fill(-1);
  const inertia: number[] = [];
  let it = 0;
  for (;;) {
    const changed = await assign(x, { data: centroids, rows: k, cols: d }, assignments, batchSize);
    inertia.push(inertiaOf(x, centroids, assignments));
    if (it > 0) options.onIteration?.({ iteration: it, inertia: inertia[inertia.length - 1], changed });
    if (it === iterations || (it > 0 && changed === 0)) break;
    updateCentroids(x, centroids, k, assignments);
    it++;
  }
  return { centroids, k, dim: d, assignments, inertia, iterations: it };
}

/** Nearest centroid of every row; returns how many assignments changed. Ties go to the lower index. */
async function assign(
  x: ReturnType<typeof toMatrix>,
  c: ReturnType<typeof toMatrix>,
  out: Int32Array,
  batchSize: number,
): Promise<number> {
  const prepared = prepareSet(c);
  let changed = 0;
  try {
    for (let start = 0; start < x.rows; start += batchSize) {
      const b = Math.min(batchSize, x.rows - start);
      const am = tf.tidy(() => tf.argMin(rankingScores(rowsTensor(x, start, b), prepared), 1));
      const idx = (await am.data()) as Int32Array;
      am.dispose();
      for (let r = 0; r < b; r++) {
        if (out[start + r] !== idx[r]) changed++;
        out[start + r] = idx[r];
      }
      await yieldToEventLoop();
    }
  } finally {
    prepared.dispose();
  }
  return changed;
}

/** Centroid = mean of its rows (float64); an empty cluster keeps its centroid, so inertia never rises. */
function updateCentroids(
  x: ReturnType<typeof toMatrix>,
  centroids: Float32Array,
  k: number,
  assignments: Int32Array,
): void {
  const d = x.cols;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let r = 0; r < x.rows; r++) {
    const j = assignments[r];
    counts[j]++;
    const o = r * d;
    const oc = j * d;
    for (let c = 0; c < d; c++) sums[oc + c] += x.data[o + c];
  }
  for (let j = 0; j < k; j++) {
    if (counts[j] === 0) continue;
    for (let c = 0; c < d; c++) centroids[j * d + c] = sums[j * d + c] / counts[j];
  }
}

function inertiaOf(x: ReturnType<typeof toMatrix>, centroids: Float32Array, assignments: Int32Array): number {
  const c = { data: centroids, rows: centroids.length / x.cols, cols: x.cols };
  let s = 0;
  for (let r = 0; r < x.rows; r++) s += exactSquaredDistance(x, r, c, assignments[r]);
  return s;
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007): each new centre drawn with probability ∝ D(x)². */
function kMeansPlusPlus(x: ReturnType<typeof toMatrix>, k: number, rng: Rng): Int32Array {
  const seeds = new Int32Array(k);
  const best = new Float64Array(x.rows).fill(Infinity);
  seeds[0] = rng.int(x.rows);
  for (let j = 1; j <= k; j++) {
    let total = 0;
    for (let r = 0; r < x.rows; r++) {
      const dist = exactSquaredDistance(x, r, x, seeds[j - 1]);
      if (dist < best[r]) best[r] = dist;
      total += best[r];
    }
    if (j === k) break;
    if (total === 0) {
      seeds[j] = rng.int(x.rows); // all rows already coincide with a centre
      continue;
    }
    let target = rng.uniform() * total;
    let pick = x.rows - 1;
    for (let r = 0; r < x.rows; r++) {
      target -= best[r];
      if (target < 0) {
        pick = r;
        break;
      }
    }
    seeds[j] = pick;
  }
  return seeds;
}
