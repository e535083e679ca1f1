/**
 * Model selection by validation, this project's protocol: every few epochs G is scored on validation images
 * (never the test set) and the best epoch's G and D are kept in `<run>/best/`. (The paper's code monitored a
 * Parzen log-likelihood but selected nothing: its MonitorBasedSaveBest is commented out in mnist.yaml and it
 * kept its last epoch.) The same samples also give the test score of that epoch, for the curves only: the
 * choice never looks at it. *
 * The protocol is exactly `tsgan eval parzen`'s (same G samples for the run's seed, σ chosen on the first
 * 1,000 validation images), so `tsgan eval parzen <run>/best` reproduces the recorded test score. The
 * validation score is the mean over the other 9,000 validation images, which σ was not chosen on.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { subset } from '../data';
import { blockMeanSlope, logspace, parzenEvaluate, parzenProtocol, SlopeInterval } from '../metrics';
import { Prior } from '../random';
import { evaluationRng } from './evaluate';
import { ParzenSpec } from './experiment';
import { MnistSplit } from './mnist';
import { sampleGenerator } from '../models';

/** The folder beside checkpoint/ that holds the best epoch's G and D so far. */
export const BEST_DIR = 'best';
/** One JSON line per scored epoch. */
export const VALIDATION_FILE = 'validation.jsonl';

export interface ValidationRecord {
  epoch: number;
  step: number;
  /** σ chosen on the first validation images (as parzen_ll.py does). */
  sigma: number;
  /** Mean log-likelihood ± s.e. over the remaining validation images: what selects the epoch. */
  validation: { mean: number; stdErr: number; count: number };
  /** Mean log-likelihood ± s.e. over the test images with the same σ and samples: reported, never used to choose. */
  test: { mean: number; stdErr: number; count: number };
  seconds: number;
  time: string;
}

/** Scores G at one moment of training: see the file comment for the protocol. */
export async function scoreForSelection(
  generator: tf.LayersModel,
  prior: Prior,
  data: MnistSplit,
  at: { epoch: number; step: number; evalSeed: number },
  P: ParzenSpec,
): Promise<ValidationRecord> {
  const t0 = Date.now();
  const forSigma = subset(data.validation, 0, P.validationCount);
  const rest = subset(data.validation, P.validationCount, data.validation.count - P.validationCount);
  // the same draw as evaluateParzen's model row, so `tsgan eval parzen` gives this test score again
  const centres = sampleGenerator(generator, prior, P.centres, evaluationRng(at.evalSeed).fork());
  const grid = logspace(P.sigmaGrid.start, P.sigmaGrid.stop, P.sigmaGrid.num);
  const validation = await parzenProtocol(centres, forSigma.images, rest.images, { grid });
  const test = await parzenEvaluate(centres, data.test.images, validation.sigma);
  return {
    epoch: at.epoch,
    step: at.step,
    sigma: validation.sigma,
    validation: { mean: validation.mean, stdErr: validation.stdErr, count: rest.count },
    test: { mean: test.mean, stdErr: test.stdErr, count: data.test.count },
    seconds: (Date.now() - t0) / 1000,
    time: new Date().toISOString(),
  };
}

/** The records of `<run>/validation.jsonl`, or of a .jsonl file given by path (none when it does not exist). */
export function readValidationRecords(runDirOrFile: string): ValidationRecord[] {
  const file = runDirOrFile.endsWith('.jsonl') ? runDirOrFile : path.join(runDirOrFile, VALIDATION_FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as ValidationRecord;
      } catch {
        throw new Error(`${file}, line ${i + 1}: not JSON (${l.slice(0, 60)}…). Remove the line and resume.`);
      }
    });
}

/** The record with the highest validation score, or null. Ties keep the earlier epoch. */
export function bestByValidation(records: readonly ValidationRecord[]): ValidationRecord | null {
  let best: ValidationRecord | null = null;
  for (const r of records) if (!best || r.validation.mean > best.validation.mean) best = r;
  return best;
}

/**
 * The stopping rule of the paper run (issue 25): validation's slope over the last `TREND_EPOCHS` epochs, through
 * block means (metrics/trend.ts); stop once the run has `min` epochs and the interval's upper end is below
 * `flat` nats per 100 epochs, or at `cap` epochs.
 */
export const TREND_EPOCHS = 250;
export const STOPPING_RULE = { min: 800, flat: 2, cap: 1200 } as const;

export interface ValidationTrend extends SlopeInterval {
  /** First and last scored epoch the slope was fitted on. */
  from: number;
  to: number;
  /** Scored epochs used (a whole number of blocks). */
  scored: number;
  blockSize: number;
  /** Whether the stopping rule is met at `to`. */
  stop: boolean;
}

/** Validation's slope over the last TREND_EPOCHS epochs of the records (null: fewer than 3 blocks of scores). */
export function validationTrend(records: readonly ValidationRecord[]): ValidationTrend | null {
  if (records.length === 0) return null;
  const to = records[records.length - 1].epoch;
  const recent = records.filter((r) => r.epoch > to - TREND_EPOCHS);
  if (recent.length < 15) return null;
  const t = blockMeanSlope(
    recent.map((r) => r.epoch),
    recent.map((r) => r.validation.mean),
  );
  const { min, flat, cap } = STOPPING_RULE;
  const stop = to >= cap || (to >= min && 100 * t.upper < flat);
  return { ...t, from: recent[t.dropped].epoch, to, scored: recent.length - t.dropped, stop };
}
