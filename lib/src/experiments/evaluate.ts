/**
 * The Parzen-window evaluation of Table 1 for a trained G, with the two baselines of Theis et al. (2016)
 * computed by exactly the same protocol, so that the reader can judge what the number is worth.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ImageSet, subset } from '../data';
import { SigmaScore, kMeans, logspace, parzenProtocol } from '../metrics';
import { Prior, Rng } from '../random';
import { sampleGenerator } from '../models';
import { Experiment, Table1Row } from './experiment';
import { MnistSplit } from './mnist';
import { writeFileAtomic } from '../host/atomicFile';

export interface ParzenRow {
  label: string;
  /** Kernel centres used. */
  centres: number;
  mean: number;
  stdErr: number;
  sigma: number;
  /** Mean validation log-likelihood for every σ of the grid. */
  sigmaScores: SigmaScore[];
  seconds: number;
}

export interface ParzenEvaluation {
  model: ParzenRow;
  baselines: ParzenRow[];
  validationCount: number;
  testCount: number;
  evalSeed: number;
}

export interface ParzenEvaluationOptions {
  /** Kernel centres: G samples, real images and k-means centroids (paper: 10,000). */
  samples?: number;
  /** First validation images for σ (paper: 1,000). */
  validationCount?: number;
  /** First test images scored (paper: all 10,000). */
  testCount?: number;
  /** Seed of G's samples and of the baselines' random choices. */
  evalSeed?: number;
  baselines?: boolean;
  kMeansIterations?: number;
  /** File to keep k-means centroids in between runs (they depend only on the data, k, seed, iterations). */
  kMeansCacheDir?: string;
  /** Called with a stage label and progress. */
  onProgress?: (stage: string, done: number, total: number) => void;
  modelLabel?: string;
  /** The experiment whose protocol (σ grid included), baselines and default seed apply. */
  experiment: Pick<Experiment, 'parzen' | 'baselines' | 'seed'>;
}

/** Seed of the evaluation's own stream, kept apart from every training stream of the same seed. */
export function evaluationRng(seed: number): Rng {
  return new Rng((seed ^ 0x45564c21) >>> 0);
}

export async function evaluateParzen(
  generator: tf.LayersModel,
  prior: Prior,
  data: MnistSplit,
  options: ParzenEvaluationOptions,
): Promise<ParzenEvaluation> {
  const experiment = options.experiment;
  const P = experiment.parzen;
  const samples = options.samples ?? P.centres;
  const validation = subset(
    data.validation,
    0,
    Math.min(options.validationCount ?? P.validationCount, data.validation.count),
  );
  const test = subset(data.test, 0, Math.min(options.testCount ?? P.testCount, data.test.count));
  const evalSeed = options.evalSeed ?? experiment.seed;
  const rng = evaluationRng(evalSeed);
  const grid = logspace(P.sigmaGrid.start, P.sigmaGrid.stop, P.sigmaGrid.num);

  const score = async (label: string, centres: Float32Array): Promise<ParzenRow> => {
    const t0 = Date.now();
    const r = await parzenProtocol(centres, validation.images, test.images, {
      grid,
      onProgress: (done, total) => options.onProgress?.(`Parzen: ${label}`, done, total),
    });
    return {
      label,
      centres: r.centres,
      mean: r.mean,
      stdErr: r.stdErr,
      sigma: r.sigma,
      sigmaScores: r.selection.scores,
      seconds: (Date.now() - t0) / 1000,
    };
  };

  options.onProgress?.('sampling G', 0, samples);
  const gSamples = sampleGenerator(generator, prior, samples, rng.fork());
  const model = await score(options.modelLabel ?? `G (${samples} samples)`, gSamples);

  const baselines: ParzenRow[] = [];
  if (options.baselines) {
    const n = Math.min(samples, data.train.count);
    const pick = rng.fork().permutation(data.train.count).subarray(0, n);
    baselines.push(await score(`${n} real training images`, gather(data.train, pick)));
    const t0 = Date.now();
    const iterations = options.kMeansIterations ?? experiment.baselines.kMeans.iterations;
    const centroids = await kMeansCentroids(data.train, n, iterations, evalSeed, rng.fork(), options);
    const kMeansSeconds = (Date.now() - t0) / 1000;
    const row = await score(
      `${n} k-means centroids of the training set (${iterations} Lloyd iterations)`,
      centroids.values,
    );
    row.seconds += kMeansSeconds; // ~0 when the centroids came from the cache
    baselines.push(row);
  }
  return { model, baselines, validationCount: validation.count, testCount: test.count, evalSeed };
}

function gather(set: ImageSet, indices: Int32Array): Float32Array {
  const d = set.rows * set.cols;
  const out = new Float32Array(indices.length * d);
  indices.forEach((i, k) => out.set(set.images.subarray(i * d, (i + 1) * d), k * d));
  return out;
}

async function kMeansCentroids(
  train: ImageSet,
  k: number,
  iterations: number,
  seed: number,
  rng: Rng,
  options: ParzenEvaluationOptions,
): Promise<{ values: Float32Array; fromCache: boolean }> {
  const d = train.rows * train.cols;
  const file = options.kMeansCacheDir
    ? path.join(options.kMeansCacheDir, `kmeans-k${k}-n${train.count}-it${iterations}-seed${seed}.f32`)
    : null;
  if (file && fs.existsSync(file)) {
    const buf = fs.readFileSync(file);
    if (buf.length === k * d * 4)
      return {
        values: new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)),
        fromCache: true,
      };
  }
  options.onProgress?.(`k-means (${k} centroids)`, 0, iterations);
  const result = await kMeans(train.images, k, {
    rng,
    iterations,
    init: 'random',
    dim: d,
    onIteration: (info) => options.onProgress?.(`k-means (${k} centroids)`, info.iteration, iterations),
  });
  if (file)
    writeFileAtomic(
      file,
      Buffer.from(result.centroids.buffer, result.centroids.byteOffset, result.centroids.byteLength),
    );
  return { values: result.centroids, fromCache: false };
}

/** The experiment's Table 1 rows, this evaluation's rows and the baselines, as Markdown. */
export function parzenMarkdownTable(e: ParzenEvaluation, table1: readonly Table1Row[]): string {
  const fmt = (x: number, digits = 1) => x.toFixed(digits);
  const lines = [
    '| Model | Parzen log-likelihood (nats) | σ |',
    '|---|---|---|',
    ...table1.map((r) => `| ${r.model} (paper, Table 1) | ${r.mean} ± ${r.stdErr} | |`),
    `| **${e.model.label}** | **${fmt(e.model.mean)} ± ${fmt(e.model.stdErr)}** | ${e.model.sigma.toFixed(4)} |`,
    ...e.baselines.map((b) => `| Baseline: ${b.label} | ${fmt(b.mean)} ± ${fmt(b.stdErr)} | ${b.sigma.toFixed(4)} |`),
  ];
  return lines.join('\n');
}

/** The same table as aligned plain text, for a terminal. */
export function parzenTextTable(e: ParzenEvaluation, table1: readonly Table1Row[]): string {
  const rows: [string, string, string][] = [
    ['Model', 'LL (nats) ± s.e.', 'σ'],
    ...table1.map((r) => [`${r.model} (paper)`, `${r.mean} ± ${r.stdErr}`, ''] as [string, string, string]),
    [e.model.label, `${e.model.mean.toFixed(1)} ± ${e.model.stdErr.toFixed(1)}`, e.model.sigma.toFixed(4)],
    ...e.baselines.map(
      (b) =>
        [`baseline: ${b.label}`, `${b.mean.toFixed(1)} ± ${b.stdErr.toFixed(1)}`, b.sigma.toFixed(4)] as [
          string,
          string,
          string,
        ],
    ),
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padStart(w[2])}`).join('\n');
}
