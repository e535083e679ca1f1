/**
 * Nearest neighbours by squared pixel distance (the paper's Figure 2 shows, beside each row of samples,
 * the training image closest to the row's last sample, to show G does not just memorise).
 */
import * as tf from '@tensorflow/tfjs';
import {
  MatrixInput,
  checkSameDim,
  exactSquaredDistance,
  prepareSet,
  rankingScores,
  rowsTensor,
  toMatrix,
  yieldToEventLoop,
} from './matrix';

export interface NearestOptions {
  dim?: number;
  /** Queries per batch (default 500). */
  batchSize?: number;
  /** Rows of the searched set per chunk (default 10,000). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface NearestResult {
  /** Index into `set` of each query's nearest row. */
  indices: Int32Array;
  /** Its squared Euclidean distance, recomputed in float64. */
  distances: Float64Array;
}

/** Candidates per chunk re-ranked in float64, so float32 rounding in the matMul cannot pick a wrong winner. */
const CANDIDATES = 8;

export async function nearestNeighbours(
  queries: MatrixInput,
  set: MatrixInput,
  options: NearestOptions = {},
): Promise<NearestResult> {
  const q = toMatrix(queries, options.dim, 'nearestNeighbours queries');
  const s = toMatrix(set, options.dim ?? q.cols, 'nearestNeighbours set');
  checkSameDim(q, s, 'nearestNeighbours queries/set');
  const batchSize = positive(options.batchSize ?? 500, 'batchSize');
  const chunkSize = positive(options.chunkSize ?? 10_000, 'chunkSize');
  const indices = new Int32Array(q.rows).fill(-1);
  const distances = new Float64Array(q.rows).fill(Infinity);
  const chunks = Math.ceil(s.rows / chunkSize);
  let done = 0;
  for (let c0 = 0; c0 < s.rows; c0 += chunkSize) {
    const cn = Math.min(chunkSize, s.rows - c0);
    const k = Math.min(CANDIDATES, cn);
    const prepared = prepareSet(s, c0, cn);
    try {
      for (let q0 = 0; q0 < q.rows; q0 += batchSize) {
        const b = Math.min(batchSize, q.rows - q0);
        const top = tf.tidy(() => tf.topk(tf.neg(rankingScores(rowsTensor(q, q0, b), prepared)), k).indices);
        const cand = (await top.data()) as Int32Array;
        top.dispose();
        for (let r = 0; r < b; r++) {
          for (let j = 0; j < k; j++) {
            const idx = c0 + cand[r * k + j];
            const dist = exactSquaredDistance(q, q0 + r, s, idx);
            if (dist < distances[q0 + r] || (dist === distances[q0 + r] && idx < indices[q0 + r])) {
              distances[q0 + r] = dist;
              indices[q0 + r] = idx;
            }
          }
        }
        done += b;
        options.onProgress?.(done, q.rows * chunks);
        await yieldToEventLoop();
      }
    } finally {
      prepared.dispose();
    }
  }
  return { indices, distances };
}

function positive(v: number, name: string): number {
  if (!Number.isInteger(v) || v <= 0)
    throw new Error(`nearestNeighbours: ${name} must be a positive integer, got ${v}`);
  return v;
}
