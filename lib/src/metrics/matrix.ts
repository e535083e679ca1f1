/**
 * Row-major matrices as the metrics take them: a flat Float32Array with a row length, or a tf.Tensor2D.
 * Everything here is batched so that 10,000 × 10,000 × 784 problems fit in memory and finish in seconds.
 */
import * as tf from '@tensorflow/tfjs';

export type MatrixInput = Float32Array | tf.Tensor2D;

export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Reads a Float32Array (rows × dim) or a Tensor2D into a flat matrix; `what` names it in errors. */
export function toMatrix(input: MatrixInput, dim: number | undefined, what: string): Matrix {
  if (input instanceof Float32Array) {
    const cols = dim ?? 784;
    if (!Number.isInteger(cols) || cols <= 0) throw new Error(`${what}: dim must be a positive integer, got ${dim}`);
    if (input.length === 0 || input.length % cols !== 0) {
      throw new Error(
        `${what}: a Float32Array of length ${input.length} is not a whole number of rows of ${cols} values; ` +
          'pass { dim } with the length of one row (784 for MNIST images)',
      );
    }
    return { data: input, rows: input.length / cols, cols };
  }
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2 || input.shape[0] === 0)
      throw new Error(`${what}: expected a non-empty Tensor2D [rows, dim], got shape [${input.shape}]`);
    if (dim !== undefined && dim !== input.shape[1])
      throw new Error(`${what}: dim ${dim} does not match the tensor's shape [${input.shape}]`);
    return { data: input.dataSync() as Float32Array, rows: input.shape[0], cols: input.shape[1] };
  }
  throw new Error(`${what}: expected a Float32Array (rows × dim, row-major) or a tf.Tensor2D`);
}

export function checkSameDim(a: Matrix, b: Matrix, names: string): void {
  if (a.cols !== b.cols)
    throw new Error(`${names}: rows have different lengths (${a.cols} vs ${b.cols}); both must have the same dim`);
}

/** Rows [start, start + count) as a tensor (a view of the array, copied once into the backend). */
export function rowsTensor(m: Matrix, start: number, count: number): tf.Tensor2D {
  return tf.tensor2d(m.data.subarray(start * m.cols, (start + count) * m.cols), [count, m.cols]);
}

/** Column means in float64 (used to centre data before ‖x‖² − 2x·μ + ‖μ‖², which cancels badly far from 0). */
export function columnMeans(m: Matrix): Float32Array {
  const acc = new Float64Array(m.cols);
  for (let r = 0; r < m.rows; r++) {
    const o = r * m.cols;
    for (let c = 0; c < m.cols; c++) acc[c] += m.data[o + c];
  }
  const out = new Float32Array(m.cols);
  for (let c = 0; c < m.cols; c++) out[c] = acc[c] / m.rows;
  return out;
}

/**
 * The reference set prepared for many distance queries: centred, TRANSPOSED to [dim, n] and scaled by −2
 * once, so that each batch is one fused matMul + bias (x·(−2μᵀ) + ‖μ‖²). tfjs-wasm's matMul is ~10× slower
 * with transposeB = true (measured here: 1.8 vs 20 GFLOP/s).
 */
export interface PreparedSet {
  /** [dim, n]: −2 × the centred rows, transposed. */
  minusTwoTransposed: tf.Tensor2D;
  /** [n] squared norms of the centred rows. */
  sqNorms: tf.Tensor1D;
  shift: tf.Tensor1D;
  rows: number;
  dispose(): void;
}

export function prepareSet(m: Matrix, start = 0, count = m.rows, shift?: Float32Array): PreparedSet {
  const shiftT = tf.tensor1d(shift ?? columnMeans(m));
  const [minusTwoTransposed, sqNorms] = tf.tidy(() => {
    const x = tf.sub(rowsTensor(m, start, count), shiftT) as tf.Tensor2D;
    return [tf.mul(tf.transpose(x), -2) as tf.Tensor2D, tf.sum(tf.square(x), 1) as tf.Tensor1D];
  });
  return {
    minusTwoTransposed,
    sqNorms,
    shift: shiftT,
    rows: count,
    dispose() {
      minusTwoTransposed.dispose();
      sqNorms.dispose();
      shiftT.dispose();
    },
  };
}

/** ‖μ‖² − 2x·μ for every pair: the squared distance minus ‖x‖², enough to rank the set for each query. */
export function rankingScores(queries: tf.Tensor2D, set: PreparedSet): tf.Tensor2D {
  return tf.tidy(() =>
    tf.fused.matMul({ a: tf.sub(queries, set.shift) as tf.Tensor2D, b: set.minusTwoTransposed, bias: set.sqNorms }),
  ) as tf.Tensor2D;
}

/** Squared Euclidean distances [B, n] between query rows and a prepared set, clamped ≥ 0 (rounding can go below). */
export function squaredDistances(queries: tf.Tensor2D, set: PreparedSet): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.sub(queries, set.shift) as tf.Tensor2D;
    const xx = tf.sum(tf.square(x), 1, true);
    return tf.relu(tf.add(tf.fused.matMul({ a: x, b: set.minusTwoTransposed, bias: set.sqNorms }), xx)) as tf.Tensor2D;
  });
}

/** Exact squared distance in float64 between row i of a and row j of b. */
export function exactSquaredDistance(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  const oa = i * a.cols;
  const ob = j * b.cols;
  for (let c = 0; c < a.cols; c++) {
    const d = a.data[oa + c] - b.data[ob + c];
    s += d * d;
  }
  return s;
}

/** A batch size that keeps one [B, n] float32 block near 4M values (16 MB). */
export function defaultBatchSize(n: number): number {
  return Math.max(1, Math.min(2000, Math.floor(4_000_000 / Math.max(1, n))));
}

export function checkBatchSize(b: number | undefined, n: number, what: string): number {
  if (b === undefined) return defaultBatchSize(n);
  if (!Number.isInteger(b) || b <= 0) throw new Error(`${what}: batchSize must be a positive integer, got ${b}`);
  return b;
}

/** Lets timers (progress bars, Ctrl-C handlers, notebook displays) run between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
