/**
 * results.json, written by `tsgan eval parzen` beside a run (or in build/runs/<model>/) and read back by
 * notebook 06: one declaration of its fields, and one reader that says what is wrong with a bad file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ParzenEvaluation, ParzenRow } from './evaluate';
import { RunSettings } from './run';

export const RESULTS_FILE = 'results.json';

export interface ParzenResults {
  /** The experiment's name (registry.ts). */
  experiment: string;
  /** The checkpoint folder evaluated. */
  checkpoint: string;
  /** Epochs and steps G had trained. */
  epochs: number;
  steps: number;
  trainSeconds: number;
  trainBackend: string;
  trainSettings: RunSettings;
  evalBackend: string;
  evalSeconds: number;
  /** Seed of G's samples and of the baselines' random choices. */
  evalSeed: number;
  protocol: {
    centres: number;
    sigmaGrid: string;
    validationImages: number;
    testImages: number;
    /** True when the numbers are the paper's (10,000 centres, 1,000 validation and 10,000 test images): comparable with Table 1. */
    paperProtocol: boolean;
  };
  /** G's row. */
  parzen: ParzenRow;
  /** The baselines' rows (real training images, k-means centroids) when --baselines was given, else empty. */
  baselines: ParzenRow[];
  /** The table as printed (plain text). */
  table1: string;
  time: string;
}

/** The evaluation stored in results.json, as evaluateParzen returns it (for its tables and plots). */
export function evaluationOfResults(r: ParzenResults): ParzenEvaluation {
  return {
    model: r.parzen,
    baselines: r.baselines,
    validationCount: r.protocol.validationImages,
    testCount: r.protocol.testImages,
    evalSeed: r.evalSeed,
  };
}

/** results.json of a run or output folder, or given by path; null when there is none; a clear error when it is not one. */
export function readParzenResults(folderOrFile: string): ParzenResults | null {
  const file = folderOrFile.endsWith('.json') ? folderOrFile : path.join(folderOrFile, RESULTS_FILE);
  if (!fs.existsSync(file)) return null;
  let r: unknown;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not JSON (${(e as Error).message}); delete it and run \`tsgan eval parzen\` again`, {
      cause: e,
    });
  }
  checkResults(r, file);
  return r;
}

function checkResults(r: unknown, file: string): asserts r is ParzenResults {
  const problem = resultsProblem(r);
  if (problem)
    throw new Error(
      `${file} is not a results file of \`tsgan eval parzen\` (${problem}); delete it and run \`tsgan eval parzen\` again`,
    );
}

function resultsProblem(r: unknown): string | null {
  const o = r as { [key: string]: unknown } | null;
  if (typeof o !== 'object' || o === null) return 'not an object';
  const isRow = (x: unknown) => {
    const row = x as { [key: string]: unknown } | null;
    return (
      typeof row === 'object' &&
      row !== null &&
      ['centres', 'mean', 'stdErr', 'sigma'].every((k) => typeof row[k] === 'number') &&
      Array.isArray(row.sigmaScores)
    );
  };
  for (const k of ['experiment', 'checkpoint', 'time'] as const) if (typeof o[k] !== 'string') return `no ${k}`;
  for (const k of ['epochs', 'steps', 'evalSeed'] as const) if (typeof o[k] !== 'number') return `${k} is not a number`;
  const p = o.protocol as { [key: string]: unknown } | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.paperProtocol !== 'boolean' ||
    typeof p.validationImages !== 'number' ||
    typeof p.testImages !== 'number'
  ) {
    return 'no protocol {validationImages, testImages, paperProtocol}';
  }
  if (!isRow(o.parzen)) return 'parzen is not a row {centres, mean, stdErr, sigma, sigmaScores}';
  if (!Array.isArray(o.baselines) || !o.baselines.every(isRow)) return 'baselines is not a list of rows';
  return null;
}
