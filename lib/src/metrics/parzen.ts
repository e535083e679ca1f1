/**
 * The Parzen-window log-likelihood of the paper's Table 1 (goodfeli/adversarial parzen_ll.py):
 * an isotropic Gaussian kernel of width σ on each of m generated samples,
 *   log p(x) = logmeanexp_j(−½·Σ_i((x_i − μ_ji)/σ)²) − d·log(σ·√(2π))   (nats).
 * Distances come from one matMul per batch (‖x−μ‖² = ‖x‖² − 2x·μ + ‖μ‖²) and are shared by every σ.
 */
import * as tf from '@tensorflow/tfjs';
import {
  MatrixInput,
  checkBatchSize,
  checkSameDim,
  prepareSet,
  rowsTensor,
  squaredDistances,
  toMatrix,
  yieldToEventLoop,
} from './matrix';

/** numpy.logspace(start, stop, num): 10^x on an even grid, inclusive of both ends. */
export function logspace(start: number, stop: number, num: number): number[] {
  if (!Number.isInteger(num) || num < 1) throw new Error(`logspace: num must be a positive integer, got ${num}`);
  if (num === 1) return [10 ** start];
  return Array.from({ length: num }, (_, i) => 10 ** (start + ((stop - start) * i) / (num - 1)));
}

export interface ParzenOptions {
  /** Row length when centres/points are flat Float32Arrays (default 784). */
  dim?: number;
  /** Points per batch (default: about 4M distances per batch). Any value works; it need not divide N. */
  batchSize?: number;
  /** Called after every batch with (points done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Log-likelihoods (nats, float64) of every point under Parzen windows on `centres`, one array per σ.
 * One distance computation serves all σ, so choosing σ on a grid costs no more than one σ.
 */
export async function parzenLogLikelihoods(
  centres: MatrixInput,
  points: MatrixInput,
  sigmas: readonly number[],
  options: ParzenOptions = {},
): Promise<Float64Array[]> {
  const c = toMatrix(centres, options.dim, 'parzenLogLikelihood centres');
  const p = toMatrix(points, options.dim ?? c.cols, 'parzenLogLikelihood points');
  checkSameDim(c, p, 'parzenLogLikelihood centres/points');
  if (sigmas.length === 0) throw new Error('parzenLogLikelihood: give at least one σ');
  for (const s of sigmas) {
    if (!(s > 0) || !Number.isFinite(s))
      throw new Error(`parzenLogLikelihood: σ must be a positive finite number, got ${s}`);
  }
  const batchSize = checkBatchSize(options.batchSize, c.rows, 'parzenLogLikelihood');
  const m = c.rows;
  const d = c.cols;
  const logM = Math.log(m);
  const normaliser = sigmas.map((s) => d * Math.log(s * Math.sqrt(2 * Math.PI)));
  const out = sigmas.map(() => new Float64Array(p.rows));
  const set = prepareSet(c);
  try {
    for (let start = 0; start < p.rows; start += batchSize) {
      const b = Math.min(batchSize, p.rows - start);
      // Subtracting the nearest centre's distance is the max-subtraction of a stable log-mean-exp,
      // shared by all σ: every row keeps one exp(0) = 1 term, so even σ = 0.01 never gives log 0.
      const [minD2, sums] = tf.tidy(() => {
        const d2 = squaredDistances(rowsTensor(p, start, b), set);
        const min = tf.min(d2, 1, true);
        const excess = tf.sub(d2, min);
        const s = sigmas.map((sigma) => tf.sum(tf.exp(tf.mul(excess, -0.5 / (sigma * sigma))), 1));
        return [min, tf.stack(s)];
      });
      const minData = (await minD2.data()) as Float32Array;
      const sumData = (await sums.data()) as Float32Array;
      minD2.dispose();
      sums.dispose();
      for (let k = 0; k < sigmas.length; k++) {
        const inv = 0.5 / (sigmas[k] * sigmas[k]);
        for (let r = 0; r < b; r++) {
          out[k][start + r] = -minData[r] * inv + Math.log(sumData[k * b + r]) - logM - normaliser[k];
        }
      }
      options.onProgress?.(start + b, p.rows);
      await yieldToEventLoop();
    }
  } finally {
    set.dispose();
  }
  return out;
}

/** Per-point Parzen log-likelihoods (nats) for one σ. */
export async function parzenLogLikelihood(
  centres: MatrixInput,
  points: MatrixInput,
  sigma: number,
  options: ParzenOptions = {},
): Promise<Float64Array> {
  return (await parzenLogLikelihoods(centres, points, [sigma], options))[0];
}

export interface MeanWithError {
  mean: number;
  /** std (ddof 0) / √N: the paper's ± (standard error across examples). */
  stdErr: number;
  std: number;
  n: number;
}

/** Mean, population std and standard error, in float64, as parzen_ll.py reports them. */
export function meanAndStdErr(values: ArrayLike<number>): MeanWithError {
  const n = values.length;
  if (n === 0) throw new Error('meanAndStdErr: no values');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  const std = Math.sqrt(sq / n);
  return { mean, std, stdErr: std / Math.sqrt(n), n };
}

export interface SigmaScore {
  sigma: number;
  meanLogLikelihood: number;
}

export interface SigmaSelection {
  /** The σ of the grid with the highest mean validation log-likelihood (first one on ties). */
  sigma: number;
  meanLogLikelihood: number;
  scores: SigmaScore[];
}

/**
 * Chooses σ from a grid by mean log-likelihood of `validation` (the paper: first 1,000 validation images;
 * its grid, logspace(−1, 0, 10), is the paper experiment's parzen.sigmaGrid).
 */
export async function selectParzenSigma(
  centres: MatrixInput,
  validation: MatrixInput,
  grid: readonly number[],
  options: ParzenOptions = {},
): Promise<SigmaSelection> {
  const lls = await parzenLogLikelihoods(centres, validation, grid, options);
  const scores = grid.map((sigma, k) => ({ sigma, meanLogLikelihood: meanAndStdErr(lls[k]).mean }));
  let best = scores[0];
  for (const s of scores) if (s.meanLogLikelihood > best.meanLogLikelihood) best = s;
  return { sigma: best.sigma, meanLogLikelihood: best.meanLogLikelihood, scores };
}

export interface ParzenResult extends MeanWithError {
  sigma: number;
}

/** Mean test log-likelihood ± standard error for one σ. */
export async function parzenEvaluate(
  centres: MatrixInput,
  test: MatrixInput,
  sigma: number,
  options: ParzenOptions = {},
): Promise<ParzenResult> {
  const ll = await parzenLogLikelihood(centres, test, sigma, options);
  return { ...meanAndStdErr(ll), sigma };
}

export interface ParzenProtocolResult extends ParzenResult {
  selection: SigmaSelection;
  centres: number;
  validationCount: number;
}

/**
 * The whole protocol of parzen_ll.py: σ from the grid on `validation`, then mean ± s.e. on `test`.
 * The caller picks the sets (paper: 10,000 G samples, first 1,000 validation images, 10,000 test images).
 */
export async function parzenProtocol(
  centres: MatrixInput,
  validation: MatrixInput,
  test: MatrixInput,
  options: ParzenOptions & { grid: readonly number[] },
): Promise<ParzenProtocolResult> {
  if (!Array.isArray(options?.grid) || options.grid.length === 0)
    throw new Error('parzenProtocol: options.grid must be a non-empty array of σ values (e.g. logspace(-1, 0, 10))');
  const selection = await selectParzenSigma(centres, validation, options.grid, options);
  const result = await parzenEvaluate(centres, test, selection.sigma, options);
  const c = toMatrix(centres, options.dim, 'parzenProtocol centres');
  const v = toMatrix(validation, options.dim ?? c.cols, 'parzenProtocol validation');
  return { ...result, selection, centres: c.rows, validationCount: v.rows };
}
