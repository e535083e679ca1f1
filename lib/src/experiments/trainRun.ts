/**
 * One training run of an experiment in a run folder (`tsgan train`'s work, without its flags and its
 * terminal): new, resumed from the folder's checkpoint, or started from an exported model. Order of writes
 * at the end of an epoch: samples.png, the metrics line, the validation line (every few epochs), then the
 * checkpoint; a resume drops metrics and validation lines newer than its checkpoint, so a kill between two
 * writes never leaves a gap or a duplicate.
 */
import * as fs from 'fs';
import * as path from 'path';
import { strayFilesProblem, checkpointExists, loadCheckpoint, saveCheckpoint } from '../checkpoint';
import { writeFileAtomic } from '../host/atomicFile';
import { STEP_METRICS } from '../losses';
import { StepInfo, SgdMomentum, TrainingDivergedError, assertFiniteWeights, trainGan } from '../train';
import { imageGridPng, writePng } from '../viz';
import { Experiment } from './experiment';
import { loadMnistSplit, MnistSplit } from './mnist';
import { Overrides, overridesText } from './overrides';
import {
  CHECKPOINT_DIR,
  EpochSums,
  METRICS_FILE,
  RunMeta,
  SAMPLES_FILE,
  SETTINGS_FILE,
  batchesPerStep,
  emptyEpochSums,
  readRunManifest,
  runDirOf,
  trimEpochLines,
} from './runFolder';
import { generateImages } from '../models';
import { checkRunFolder, claimRunFolder } from './runLock';
import { Run, RunSettings, createRun, defaultRunSettings, experimentOf, stepsPerEpoch, trainConfigOf } from './run';
import {
  BEST_DIR,
  VALIDATION_FILE,
  ValidationRecord,
  bestByValidation,
  readValidationRecords,
  scoreForSelection,
} from './validation';

/** The run's settings conflict with what was asked (a flag against a resumed run, a used folder): the caller's usage error. */
export class RunRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunRequestError';
  }
}

export interface TrainRunRequest {
  /** The run folder (absolute). */
  out: string;
  /** Continue the run in `out` from its checkpoint. */
  resume: boolean;
  /** A checkpoint folder (exported model or another run's) whose G, D, step and epoch a new run starts from. */
  initFrom?: string;
  /** The settings asked for (flags); the experiment's defaults fill the rest of a new run. */
  given: Partial<RunSettings> & { experiment: string };
}

/** What a request resolves to before anything is written or trained. */
export interface TrainRunPlan {
  out: string;
  checkpointDir: string;
  settings: RunSettings;
  experiment: Experiment;
  /** The meta of the checkpoint continued (resume or init-from); null for a new run. */
  previous: RunMeta | null;
  initFrom: string | null;
}

/**
 * Resolves the settings of a run: a new run takes the experiment's defaults and the given settings; a
 * continued one keeps its own and accepts only a larger --epochs. Throws RunRequestError on a conflict.
 */
export function planTrainRun(r: TrainRunRequest): TrainRunPlan {
  const checkpointDir = path.join(r.out, CHECKPOINT_DIR);
  checkRunFolder(r.out);
  // a stray file in checkpoint/ would make the first save fail, after a whole epoch of training: say so now
  for (const dir of [checkpointDir, path.join(r.out, BEST_DIR)]) {
    const blocked = fs.existsSync(dir) ? strayFilesProblem(dir) : null;
    if (blocked) throw new Error(`The run's checkpoints cannot be saved: ${blocked}, then run again.`);
  }
  // a complete checkpoint, or one left under a temporary name by an interrupted save (loadCheckpoint recovers it)
  const hasCheckpoint = checkpointExists(checkpointDir);
  const initDir = r.initFrom ?? null;
  if (initDir && r.resume)
    throw new RunRequestError('--init-from starts a new run from a model; --resume continues one: give one of them');
  let settings: RunSettings;
  let previous: RunMeta | null = null;
  if (r.resume || initDir) {
    const from = initDir ?? checkpointDir;
    if (r.resume && !hasCheckpoint)
      throw new Error(
        `--resume: no checkpoint in ${r.out} (expected ${checkpointDir}). Start a new run without --resume.`,
      );
    if (initDir && hasCheckpoint)
      throw new RunRequestError(`${r.out} already holds a run (${checkpointDir}); --init-from needs a new --out`);
    previous = readRunManifest(from).meta;
    // runs saved before sharedForward existed took G's loss from a second pass of D
    settings = { sharedForward: false, ...previous.settings };
    const flag = r.resume ? '--resume' : '--init-from';
    for (const [k, v] of Object.entries(r.given) as [keyof RunSettings, unknown][]) {
      if (k === 'epochs') continue; // the one setting a continued run may change: train longer
      if (k === 'overrides' ? overridesText(v as Overrides) !== overridesText(settings.overrides) : v !== settings[k]) {
        throw new RunRequestError(
          `${flag}: the run in ${from} was trained with ${k} = ${JSON.stringify(settings[k])}, not ${JSON.stringify(v)}; ` +
            'drop the flag (a continued run keeps its settings) or start a new run',
        );
      }
    }
    if (r.given.epochs !== undefined) settings.epochs = r.given.epochs;
  } else {
    if (hasCheckpoint)
      throw new RunRequestError(
        `${r.out} already holds a run (${checkpointDir}). Add --resume to continue it, or choose another --out.`,
      );
    settings = { ...defaultRunSettings(experimentOf(r.given)), ...r.given };
    if (settings.overrides && Object.keys(settings.overrides).length === 0) delete settings.overrides;
  }
  const experiment = experimentOf(settings);
  return { out: r.out, checkpointDir, settings, experiment, previous, initFrom: initDir };
}

/** Where the training goes, for a progress display and messages (the caller decides how to show them). */
export interface TrainRunReporter {
  /** Called once before the first step. */
  start(p: { totalSteps: number; startStep: number; epochs: number; stepsPerEpoch: number; headline: string }): void;
  step(info: StepInfo): void;
  /** A line to show between progress updates (epoch done, validation score). */
  log(line: string): void;
  warn(line: string): void;
  /** Called once when training ends (normally, stopped or by an error). */
  stop(): void;
}

export interface TrainRunOptions {
  /** The backend's name, for the metrics lines and the meta (the caller has initialised it). */
  backend: string;
  /** Stop after this many steps in total (a checkpoint is written). */
  steps?: number;
  /** Score G every N epochs (default: the experiment's modelSelection.everyEpochs; 0: never). */
  validateEvery?: number;
  /** Aborting stops training after the current step, with a checkpoint. */
  signal?: AbortSignal;
  reporter: TrainRunReporter;
}

export interface TrainRunResult {
  /** 'nothing': the run had already reached its target; 'stopped': the signal stopped it. */
  status: 'done' | 'stopped' | 'nothing';
  epoch: number;
  step: number;
  trainSeconds: number;
  checkpointDir: string;
}

/** One line of metrics.jsonl: an epoch's mean step metrics and where the run was. */
export interface EpochLine extends EpochSums {
  epoch: number;
  step: number;
  learningRate: number;
  /** NaN (null in the file) for an optimiser without momentum. */
  momentum: number;
  epochSeconds: number;
  trainSeconds: number;
  backend: string;
  time: string;
}

/** Trains the planned run: claims its folder, loads or starts it, trains with a checkpoint every epoch. */
export async function trainRun(plan: TrainRunPlan, o: TrainRunOptions): Promise<TrainRunResult> {
  const { out, checkpointDir, settings, experiment, previous, initFrom } = plan;
  const claim = claimRunFolder(out); // marker + lock: refuses another trainer and unrelated folders
  let released = false;
  const release = () => {
    if (!released) claim.release();
    released = true;
  };
  let run: Run | null = null;
  try {
    const data = loadMnistSplit(experiment.data, settings.trainCount);
    if (settings.batchSize > data.train.count) {
      throw new RunRequestError(
        `--batch-size ${settings.batchSize} is larger than the ${data.train.count} training images`,
      );
    }
    run = createRun(settings, data.train, experiment);
    let step = 0;
    let epoch = 0;
    let trainSecondsBefore = 0;
    let sums = emptyEpochSums();
    if (previous) {
      const loaded = initFrom
        ? await continueFromModel(initFrom, run)
        : await loadCheckpoint(
            checkpointDir,
            {
              generator: run.generator,
              discriminator: run.discriminator,
              dOptimizer: run.dOptimizer,
              gOptimizer: run.gOptimizer,
              states: run.states,
            },
            { recoverInterruptedSave: true },
          ); // this process holds the folder's lock
      step = loaded.step;
      epoch = loaded.epoch;
      trainSecondsBefore = previous.trainSeconds;
      sums = { ...previous.epochSums };
    }
    if (initFrom)
      startRunFolder(out, settings, experiment, o.reporter, { initFrom: path.basename(runDirOf(initFrom)) });
    else if (previous) {
      trimEpochFiles(out, epoch, o.reporter);
      recordSettings(out, settings, experiment);
    } else startRunFolder(out, settings, experiment, o.reporter);
    if (epoch >= settings.epochs || (o.steps !== undefined && step >= o.steps)) {
      return { status: 'nothing', epoch, step, trainSeconds: trainSecondsBefore, checkpointDir };
    }
    return await trainFrom(plan, o, run, data, { step, epoch, trainSecondsBefore, sums, release });
  } finally {
    release();
    run?.dispose();
  }
}

interface StartPoint {
  step: number;
  epoch: number;
  trainSecondsBefore: number;
  sums: EpochSums;
  release: () => void;
}

async function trainFrom(
  plan: TrainRunPlan,
  o: TrainRunOptions,
  run: Run,
  data: MnistSplit,
  start: StartPoint,
): Promise<TrainRunResult> {
  const { out, checkpointDir, settings, experiment, previous, initFrom } = plan;
  const { reporter } = o;
  const perEpoch = stepsPerEpoch(settings);
  const startedAt = previous?.startedAt ?? new Date().toISOString();
  let sums = start.sums;
  const sessionStart = Date.now();
  const trainSeconds = () => start.trainSecondsBefore + (Date.now() - sessionStart) / 1000;
  const meta = (): RunMeta => ({
    settings,
    trainSeconds: trainSeconds(),
    backend: o.backend,
    epochSums: sums,
    startedAt,
  });
  let savedStep = start.step;
  const save = async (atStep: number) => {
    const { generator, discriminator, dOptimizer, gOptimizer, states } = run;
    await saveCheckpoint(checkpointDir, {
      generator,
      discriminator,
      dOptimizer,
      gOptimizer,
      step: atStep,
      epoch: run.real.epoch,
      states,
      meta: meta(),
    });
    savedStep = atStep;
  };

  const totalSteps = Math.min(settings.epochs * perEpoch, o.steps ?? Infinity);
  reporter.start({
    totalSteps,
    startStep: start.step,
    epochs: settings.epochs,
    stepsPerEpoch: perEpoch,
    headline:
      `tsgan train: ${settings.experiment}${
        settings.overrides
          ? ` with ${Object.entries(settings.overrides)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(', ')}`
          : ''
      }, seed ${settings.seed}, ${settings.mode} updates${settings.mode === 'alternating' ? ` (k = ${settings.k})` : settings.sharedForward ? ' (one D pass on G(z) for both)' : ''}, ` +
      `batch ${settings.batchSize}, ${data.train.count} training images, ${perEpoch} steps/epoch, backend ${o.backend}; ` +
      (initFrom
        ? `starting from the model in ${initFrom} at epoch ${start.epoch}, step ${start.step}`
        : previous
          ? `resuming at epoch ${start.epoch}, step ${start.step}`
          : 'new run') +
      ` → ${out}`,
  });
  let epochStart = Date.now();
  let lastEpoch = start.epoch;
  const validateEvery = o.validateEvery ?? experiment.modelSelection.everyEpochs;
  // runs before the epoch's checkpoint: a kill in between repeats the epoch, which gives the same G (exact resume)
  const validate = async (info: StepInfo) => {
    const best = bestByValidation(readValidationRecords(out));
    const record = await scoreForSelection(
      run.generator,
      run.prior,
      data,
      { epoch: info.epoch, step: info.step, evalSeed: settings.seed },
      experiment.parzen,
    );
    fs.appendFileSync(path.join(out, VALIDATION_FILE), JSON.stringify(record) + '\n');
    const improved = !best || record.validation.mean > best.validation.mean;
    if (improved) {
      const bestMeta: RunMeta & { validation: ValidationRecord } = { ...meta(), validation: record };
      await saveCheckpoint(path.join(out, BEST_DIR), {
        generator: run.generator,
        discriminator: run.discriminator,
        step: info.step,
        epoch: info.epoch,
        meta: bestMeta,
      });
    }
    reporter.log(
      `epoch ${info.epoch}: Parzen validation ${record.validation.mean.toFixed(1)} ± ${record.validation.stdErr.toFixed(1)}, ` +
        `test ${record.test.mean.toFixed(1)} ± ${record.test.stdErr.toFixed(1)} (σ ${record.sigma.toFixed(4)}, ${record.seconds.toFixed(0)} s)` +
        (improved
          ? ` → best so far, kept in ${BEST_DIR}/`
          : `; best stays epoch ${best!.epoch} (${best!.validation.mean.toFixed(1)})`),
    );
  };

  const onStep = async (info: StepInfo) => {
    sums.steps++;
    for (const k of STEP_METRICS) sums[k] += info[k];
    reporter.step(info);
    if (info.epoch > lastEpoch) {
      lastEpoch = info.epoch;
      const line = epochLine(info, sums, run, trainSeconds(), (Date.now() - epochStart) / 1000, o.backend);
      assertFiniteWeights({ generator: run.generator, discriminator: run.discriminator }, info.step); // before anything is written
      writeSamples(run, path.join(out, SAMPLES_FILE));
      fs.appendFileSync(path.join(out, METRICS_FILE), JSON.stringify(line) + '\n');
      sums = emptyEpochSums();
      if (validateEvery > 0 && info.epoch % validateEvery === 0) await validate(info);
      await save(info.step);
      reporter.log(
        `epoch ${info.epoch}/${settings.epochs} done in ${line.epochSeconds.toFixed(1)} s: D loss ${line.dLoss.toFixed(4)}, G loss ${line.gLoss.toFixed(4)}, ` +
          `D(x) ${line.dReal.toFixed(3)}, D(G(z)) ${line.dFake.toFixed(3)}; checkpoint saved`,
      );
      epochStart = Date.now();
    }
  };

  let finalStep: number;
  try {
    const history = await trainGan({
      ...trainConfigOf(run),
      epochs: settings.epochs,
      steps: o.steps,
      startStep: start.step,
      onStep,
      signal: o.signal,
    });
    finalStep = history.finalStep;
    if (finalStep > savedStep) await save(finalStep);
  } catch (e) {
    if (e instanceof TrainingDivergedError || /^saveCheckpoint: refusing/.test((e as Error).message)) {
      throw new Error(
        `${(e as Error).message} Nothing was saved over ${checkpointDir}: it still holds the last good checkpoint (step ${savedStep}).`,
        { cause: e },
      );
    }
    throw e;
  } finally {
    start.release();
    reporter.stop();
  }
  return {
    status: o.signal?.aborted ? 'stopped' : 'done',
    epoch: run.real.epoch,
    step: finalStep,
    trainSeconds: trainSeconds(),
    checkpointDir,
  };
}

function epochLine(
  info: StepInfo,
  s: EpochSums,
  run: Run,
  trainSeconds: number,
  epochSeconds: number,
  backend: string,
): EpochLine {
  const n = Math.max(1, s.steps);
  const opt = run.gOptimizer;
  return {
    epoch: info.epoch,
    step: info.step,
    steps: s.steps,
    dLoss: s.dLoss / n,
    gLoss: s.gLoss / n,
    dReal: s.dReal / n,
    dFake: s.dFake / n,
    learningRate: opt.learningRate,
    momentum: opt instanceof SgdMomentum ? opt.momentum : NaN,
    epochSeconds,
    trainSeconds,
    backend,
    time: new Date().toISOString(),
  };
}

/** G on the run's fixed noise, as the experiment's sample grid. */
function writeSamples(run: Run, file: string): void {
  const grid = run.experiment.figures.sampleGrid;
  const images = generateImages(run.generator, run.fixedNoise, run.prior.dim);
  writePng(file, imageGridPng(images, { rows: grid.rows, cols: grid.cols, scale: 2 }));
}

/**
 * Keeps the metrics and validation lines of epochs ≤ `epoch` (the checkpoint's): later ones will be written
 * again. Damaged lines are kept aside.
 */
function trimEpochFiles(out: string, epoch: number, reporter: Pick<TrainRunReporter, 'warn'>): void {
  for (const file of [path.join(out, METRICS_FILE), path.join(out, VALIDATION_FILE)]) {
    const r = trimEpochLines(file, epoch);
    if (r.damaged)
      reporter.warn(
        `warning: ${r.damaged} damaged line${r.damaged === 1 ? '' : 's'} of ${file} (not JSON, cut by a kill, or an epoch number that cannot be: edited or damaged) moved to ${r.damagedFile}`,
      );
  }
}

/**
 * A run with no checkpoint yet: a run killed before its first checkpoint may have left an epoch's metrics or
 * validation line (validation runs before the checkpoint), so both start empty; settings.json says what runs.
 */
function startRunFolder(
  out: string,
  settings: RunSettings,
  experiment: Experiment,
  reporter: Pick<TrainRunReporter, 'warn'>,
  extra: { [key: string]: unknown } = {},
): void {
  trimEpochFiles(out, 0, reporter);
  writeFileAtomic(path.join(out, SETTINGS_FILE), JSON.stringify({ settings, experiment, ...extra }, null, 2) + '\n');
}

/**
 * A resumed run may train longer than it first meant to (--epochs): settings.json is rewritten with the
 * settings that now run, keeping whatever else it records (e.g. where --init-from started the run).
 */
function recordSettings(out: string, settings: RunSettings, experiment: Experiment): void {
  const file = path.join(out, SETTINGS_FILE);
  let recorded: { [key: string]: unknown };
  try {
    recorded = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    recorded = { experiment };
  }
  if (JSON.stringify(recorded.settings) === JSON.stringify(settings)) return;
  writeFileAtomic(file, JSON.stringify({ ...recorded, settings }, null, 2) + '\n');
}

/**
 * Starts a run from a model saved without optimiser state (`tsgan export`): G's and D's weights, and the
 * step and epoch it had reached. What can be rebuilt exactly is: the data stream (replayed to the same
 * position, so epochs keep their shuffles) and the schedules (learning-rate decay per minibatch, momentum
 * per epoch). What cannot: the momentum velocities (they restart at zero; with momentum ≈ 0.6 they forget
 * in a few steps) and the noise and dropout streams (they start afresh from the seed).
 */
async function continueFromModel(dir: string, run: Run): Promise<{ step: number; epoch: number }> {
  const loaded = await loadCheckpoint(dir, { generator: run.generator, discriminator: run.discriminator });
  // readRunManifest (planTrainRun) has checked step against epoch and the run's epochs: no replay of a claimed 1e8 steps
  const { batchSize } = run.settings;
  const batches = loaded.step * batchesPerStep(run.settings);
  for (let i = 0; i < batches; i++) run.real.next(batchSize).dispose();
  if (run.real.epoch !== loaded.epoch) {
    throw new Error(
      `--init-from: ${dir} says epoch ${loaded.epoch} at step ${loaded.step}, but ${batches} batches of ${batchSize} make epoch ${run.real.epoch}`,
    );
  }
  for (let i = 0; i < loaded.step; i++) {
    for (let j = 0; j < batchesPerStep(run.settings); j++) run.dOptimizer.onMinibatchEnd();
    run.gOptimizer.onMinibatchEnd();
  }
  return loaded;
}
