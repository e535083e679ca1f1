/**
 * `tsgan train`: the paper's MNIST experiment, resumable. Order of writes at the end of an epoch:
 * samples.png, the metrics line, then the checkpoint; a resume drops metrics lines newer than its
 * checkpoint, so a kill between two writes never leaves a gap or a duplicate.
 */
import * as fs from 'fs';
import * as path from 'path';
import { say, warn } from './io';
import { initBackend } from '../backend';
import { checkpointExists, loadCheckpoint, saveCheckpoint } from '../checkpoint';
import {
  BEST_DIR,
  VALIDATION_FILE,
  bestByValidation,
  checkpointDirOf,
  readValidationRecords,
  scoreForSelection,
  PaperMnistRun,
  RunSettings,
  createPaperMnistRun,
  defaultRunSettings,
  generateImages,
  getExperiment,
  loadPaperMnist,
  paperTrainConfig,
  stepsPerEpoch,
} from '../experiments';
import { StepInfo, TrainMode, TrainingDivergedError, assertFiniteWeights, trainGan } from '../train';
import { imageGridPng, writePng } from '../viz';
import { choiceFlag, intFlag, parseFlags, pathFlag, stringFlag } from './args';
import { checkRunFolder, claimRunFolder } from '../experiments/runLock';
import { trainingDisplay } from './progressBar';
import { CHECKPOINT_DIR, EpochSums, METRICS_FILE, RunMeta, SAMPLES_FILE, emptyEpochSums, readRunManifest, runDirOf, trimEpochLines } from './runDir';
import { TRAIN_USAGE, UsageError } from './usage';

const BACKEND_CHOICES = ['wasm', 'cpu', 'tensorflow'] as const;

interface TrainArgs {
  out: string;
  resume: boolean;
  backend?: string;
  steps?: number;
  /** Score G on validation images every N epochs and keep the best epoch in best/ (0: never). */
  validateEvery?: number;
  /** An exported model (or another run's checkpoint) whose G, D, step and epoch a new run starts from. */
  initFrom?: string;
  /** Flags the user gave (only these may be checked against a resumed run). */
  given: Partial<RunSettings>;
}

function parseTrainArgs(argv: string[]): TrainArgs | null {
  const p = parseFlags(argv, {
    experiment: { type: 'string' },
    out: { type: 'string' },
    epochs: { type: 'string' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
    update: { type: 'string' },
    k: { type: 'string' },
    'batch-size': { type: 'string' },
    'train-count': { type: 'string' },
    resume: { type: 'boolean' },
    'validate-every': { type: 'string' },
    'init-from': { type: 'string' },
  }, TRAIN_USAGE);
  if (p.values.help) return null;
  const experiment = stringFlag(p, 'experiment');
  if (experiment === undefined) throw new UsageError('--experiment is required (e.g. --experiment paper-mnist)', TRAIN_USAGE);
  try {
    getExperiment(experiment);
  } catch (e) {
    throw new UsageError((e as Error).message, TRAIN_USAGE);
  }
  const given: Partial<RunSettings> = { experiment };
  const set = <K extends keyof RunSettings>(k: K, v: RunSettings[K] | undefined) => {
    if (v !== undefined) given[k] = v;
  };
  set('epochs', intFlag(p, 'epochs', TRAIN_USAGE, 1));
  set('seed', intFlag(p, 'seed', TRAIN_USAGE, 0, undefined, 0xffffffff));
  set('mode', choiceFlag<TrainMode>(p, 'update', TRAIN_USAGE, ['simultaneous', 'alternating']));
  set('k', intFlag(p, 'k', TRAIN_USAGE, 1));
  set('batchSize', intFlag(p, 'batch-size', TRAIN_USAGE, 1));
  set('trainCount', intFlag(p, 'train-count', TRAIN_USAGE, 1, undefined, 50_000));
  if (given.k !== undefined && given.k !== 1 && given.mode !== 'alternating') {
    throw new UsageError(`--k ${given.k} needs --update alternating (the simultaneous update is k = 1)`, TRAIN_USAGE);
  }
  if (given.batchSize !== undefined && given.trainCount !== undefined && given.batchSize > given.trainCount) {
    throw new UsageError(`--batch-size ${given.batchSize} is larger than --train-count ${given.trainCount}; an epoch would have no full batch`, TRAIN_USAGE);
  }
  return {
    out: pathFlag(p, 'out', TRAIN_USAGE) ?? path.resolve('runs', experiment),
    resume: Boolean(p.values.resume),
    backend: choiceFlag(p, 'backend', TRAIN_USAGE, BACKEND_CHOICES),
    steps: intFlag(p, 'steps', TRAIN_USAGE, 1),
    validateEvery: intFlag(p, 'validate-every', TRAIN_USAGE, 0),
    initFrom: pathFlag(p, 'init-from', TRAIN_USAGE),
    given,
  };
}

/** Returns the process exit code. */
export async function trainCommand(argv: string[]): Promise<number> {
  const args = parseTrainArgs(argv);
  if (!args) {
    say(TRAIN_USAGE);
    return 0;
  }
  const checkpointDir = path.join(args.out, CHECKPOINT_DIR);
  // a complete checkpoint, or one left under a temporary name by an interrupted save (loadCheckpoint recovers it)
  checkRunFolder(args.out);
  const hasCheckpoint = checkpointExists(checkpointDir);

  let settings: RunSettings;
  let previous: RunMeta | null = null;
  const initDir = args.initFrom === undefined ? null : checkpointDirOf(args.initFrom);
  if (initDir && args.resume) throw new UsageError('--init-from starts a new run from a model; --resume continues one: give one of them', TRAIN_USAGE);
  if (args.resume || initDir) {
    const from = initDir ?? checkpointDir;
    if (args.resume && !hasCheckpoint) throw new Error(`--resume: no checkpoint in ${args.out} (expected ${checkpointDir}). Start a new run without --resume.`);
    if (initDir && hasCheckpoint) {
      throw new UsageError(`${args.out} already holds a run (${checkpointDir}); --init-from needs a new --out`, TRAIN_USAGE);
    }
    previous = readRunManifest(from).meta;
    settings = { ...previous.settings };
    const flag = args.resume ? '--resume' : '--init-from';
    for (const [k, v] of Object.entries(args.given) as [keyof RunSettings, unknown][]) {
      if (k === 'epochs') continue; // the one setting a continued run may change: train longer
      if (v !== settings[k]) {
        throw new UsageError(
          `${flag}: the run in ${from} was trained with ${k} = ${JSON.stringify(settings[k])}, not ${JSON.stringify(v)}; ` +
            'drop the flag (a continued run keeps its settings) or start a new run',
          TRAIN_USAGE,
        );
      }
    }
    if (args.given.epochs !== undefined) settings.epochs = args.given.epochs;
  } else {
    if (hasCheckpoint) {
      throw new UsageError(`${args.out} already holds a run (${checkpointDir}). Add --resume to continue it, or choose another --out.`, TRAIN_USAGE);
    }
    settings = { ...defaultRunSettings(getExperiment(args.given.experiment!)), ...args.given };
  }

  const claim = claimRunFolder(args.out); // marker + lock: refuses another trainer and unrelated folders
  const backend = await initBackend({ backend: args.backend });
  const data = loadPaperMnist(settings.trainCount);
  if (settings.batchSize > data.train.count) {
    throw new UsageError(`--batch-size ${settings.batchSize} is larger than the ${data.train.count} training images`, TRAIN_USAGE);
  }
  const run = createPaperMnistRun(settings, data.train);
  const perEpoch = stepsPerEpoch(settings);
  let step = 0;
  let epoch = 0;
  let trainSecondsBefore = 0;
  let sums = emptyEpochSums();
  const startedAt = previous?.startedAt ?? new Date().toISOString();
  if (previous && initDir) {
    const loaded = await continueFromModel(initDir, run);
    step = loaded.step;
    epoch = loaded.epoch;
    trainSecondsBefore = previous.trainSeconds;
    sums = { ...previous.epochSums };
    startRunFolder(args.out, settings, { initFrom: path.basename(runDirOf(initDir)) });
  } else if (previous) {
    const loaded = await loadCheckpoint(checkpointDir, {
      generator: run.generator,
      discriminator: run.discriminator,
      dOptimizer: run.dOptimizer,
      gOptimizer: run.gOptimizer,
      states: run.states,
    });
    step = loaded.step;
    epoch = loaded.epoch;
    trainSecondsBefore = previous.trainSeconds;
    sums = { ...previous.epochSums };
    trimEpochFiles(args.out, epoch);
  } else {
    startRunFolder(args.out, settings);
  }
  if (epoch >= settings.epochs || (args.steps !== undefined && step >= args.steps)) {
    say(`Nothing to do: the run in ${args.out} is at epoch ${epoch}, step ${step} (target: ${settings.epochs} epochs${args.steps ? `, ${args.steps} steps` : ''}). Raise --epochs to train on.`);
    run.dispose();
    claim.release();
    return 0;
  }

  const sessionStart = Date.now();
  const trainSeconds = () => trainSecondsBefore + (Date.now() - sessionStart) / 1000;
  const meta = (): RunMeta => ({ settings, trainSeconds: trainSeconds(), backend: backend.backend, epochSums: sums, startedAt });
  let savedStep = step;
  const save = async (atStep: number) => {
    await saveCheckpoint(checkpointDir, {
      generator: run.generator,
      discriminator: run.discriminator,
      dOptimizer: run.dOptimizer,
      gOptimizer: run.gOptimizer,
      step: atStep,
      epoch: run.real.epoch,
      states: run.states,
      meta: meta() as unknown as { [key: string]: unknown },
    });
    savedStep = atStep;
  };

  // ---- Ctrl-C / SIGTERM: stop after the current step, save, exit; further signals only wait ----
  const controller = new AbortController();
  let stopSignal: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopSignal) {
      warn(`\n${sig} again: still finishing the step and saving the checkpoint (the write is atomic; please wait)`);
      return;
    }
    stopSignal = sig;
    warn(`\n${sig}: stopping after this step and saving a checkpoint…`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const totalSteps = Math.min(settings.epochs * perEpoch, args.steps ?? Infinity);
  const display = trainingDisplay({ totalSteps, startStep: step, epochs: settings.epochs, stepsPerEpoch: perEpoch });
  display.log(
    `tsgan train: ${settings.experiment}, seed ${settings.seed}, ${settings.mode} updates${settings.mode === 'alternating' ? ` (k = ${settings.k})` : ''}, ` +
      `batch ${settings.batchSize}, ${data.train.count} training images, ${perEpoch} steps/epoch, backend ${backend.backend}; ` +
      (initDir ? `starting from the model in ${initDir} at epoch ${epoch}, step ${step}` : previous ? `resuming at epoch ${epoch}, step ${step}` : 'new run') + ` → ${args.out}`,
  );
  let epochStart = Date.now();
  let lastEpoch = epoch;
  const experiment = getExperiment(settings.experiment);
  const validateEvery = args.validateEvery ?? experiment.modelSelection.everyEpochs;
  // runs before the epoch's checkpoint: a kill in between repeats the epoch, which gives the same G (exact resume)
  const validate = async (info: StepInfo) => {
    const best = bestByValidation(readValidationRecords(args.out));
    const record = await scoreForSelection(run.generator, run.prior, data, { epoch: info.epoch, step: info.step, evalSeed: settings.seed });
    fs.appendFileSync(path.join(args.out, VALIDATION_FILE), JSON.stringify(record) + '\n');
    const improved = !best || record.validation.mean > best.validation.mean;
    if (improved) {
      await saveCheckpoint(path.join(args.out, BEST_DIR), {
        generator: run.generator,
        discriminator: run.discriminator,
        step: info.step,
        epoch: info.epoch,
        meta: { ...meta(), validation: record } as unknown as { [key: string]: unknown },
      });
    }
    display.log(
      `epoch ${info.epoch}: Parzen validation ${record.validation.mean.toFixed(1)} ± ${record.validation.stdErr.toFixed(1)}, ` +
        `test ${record.test.mean.toFixed(1)} ± ${record.test.stdErr.toFixed(1)} (σ ${record.sigma.toFixed(4)}, ${record.seconds.toFixed(0)} s)` +
        (improved ? ` → best so far, kept in ${BEST_DIR}/` : `; best stays epoch ${best!.epoch} (${best!.validation.mean.toFixed(1)})`),
    );
  };

  const onStep = async (info: StepInfo) => {
    sums.steps++;
    sums.dLoss += info.dLoss;
    sums.gLoss += info.gLoss;
    sums.dReal += info.dReal;
    sums.dFake += info.dFake;
    display.step(info);
    if (info.epoch > lastEpoch) {
      lastEpoch = info.epoch;
      const line = epochLine(info, sums, run, trainSeconds(), (Date.now() - epochStart) / 1000, backend.backend);
      assertFiniteWeights({ generator: run.generator, discriminator: run.discriminator }, info.step); // before anything is written
      writeSamples(run, path.join(args.out, SAMPLES_FILE), experiment.figures.sampleGrid);
      fs.appendFileSync(path.join(args.out, METRICS_FILE), JSON.stringify(line) + '\n');
      sums = emptyEpochSums();
      if (validateEvery > 0 && info.epoch % validateEvery === 0) await validate(info);
      await save(info.step);
      display.log(
        `epoch ${info.epoch}/${settings.epochs} done in ${line.epochSeconds.toFixed(1)} s: D loss ${line.dLoss.toFixed(4)}, G loss ${line.gLoss.toFixed(4)}, ` +
          `D(x) ${line.dReal.toFixed(3)}, D(G(z)) ${line.dFake.toFixed(3)}; checkpoint saved`,
      );
      epochStart = Date.now();
    }
  };

  let history;
  try {
    history = await trainGan({
      ...paperTrainConfig(run, experiment),
      epochs: settings.epochs,
      steps: args.steps,
      startStep: step,
      onStep,
      signal: controller.signal,
    });
    if (history.finalStep > savedStep) await save(history.finalStep);
  } catch (e) {
    if (e instanceof TrainingDivergedError || /^saveCheckpoint: refusing/.test((e as Error).message)) {
      throw new Error(`${(e as Error).message} Nothing was saved over ${checkpointDir}: it still holds the last good checkpoint (step ${savedStep}).`);
    }
    throw e;
  } finally {
    claim.release();
    display.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const where = `epoch ${run.real.epoch}, step ${history.finalStep}, ${trainSeconds().toFixed(1)} s of training`;
  run.dispose();
  if (stopSignal) {
    say(`Stopped by ${stopSignal} at ${where}; checkpoint in ${checkpointDir}. Continue with the same command and --resume.`);
    return stopSignal === 'SIGINT' ? 130 : 143;
  }
  say(`Done: ${where}. Checkpoint: ${checkpointDir}`);
  return 0;
}

interface EpochLine {
  epoch: number;
  step: number;
  steps: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
  learningRate: number;
  momentum: number;
  epochSeconds: number;
  trainSeconds: number;
  backend: string;
  time: string;
}

function epochLine(info: StepInfo, s: EpochSums, run: PaperMnistRun, trainSeconds: number, epochSeconds: number, backend: string): EpochLine {
  const n = Math.max(1, s.steps);
  const opt = run.gOptimizer as unknown as { learningRate: number; momentum?: number };
  return {
    epoch: info.epoch,
    step: info.step,
    steps: s.steps,
    dLoss: s.dLoss / n,
    gLoss: s.gLoss / n,
    dReal: s.dReal / n,
    dFake: s.dFake / n,
    learningRate: opt.learningRate,
    momentum: opt.momentum ?? NaN,
    epochSeconds,
    trainSeconds,
    backend,
    time: new Date().toISOString(),
  };
}

function writeSamples(run: PaperMnistRun, file: string, grid: { rows: number; cols: number }): void {
  const images = generateImages(run.generator, run.fixedNoise, run.prior.dim);
  writePng(file, imageGridPng(images, { rows: grid.rows, cols: grid.cols, scale: 2 }));
}

/**
 * Keeps the metrics and validation lines of epochs ≤ `epoch` (the checkpoint's): later ones will be written
 * again. Damaged lines are kept aside.
 */
function trimEpochFiles(out: string, epoch: number): void {
  for (const file of [path.join(out, METRICS_FILE), path.join(out, VALIDATION_FILE)]) {
    const r = trimEpochLines(file, epoch);
    if (r.damaged) warn(`warning: ${r.damaged} damaged line${r.damaged === 1 ? '' : 's'} of ${file} (not JSON: cut by a kill, or edited) moved to ${r.damagedFile}`);
  }
}

/**
 * A run with no checkpoint yet: a run killed before its first checkpoint may have left an epoch's metrics or
 * validation line (validation runs before the checkpoint), so both start empty; settings.json says what runs.
 */
function startRunFolder(out: string, settings: RunSettings, extra: { [key: string]: unknown } = {}): void {
  trimEpochFiles(out, 0);
  fs.writeFileSync(path.join(out, 'settings.json'), JSON.stringify({ settings, experiment: getExperiment(settings.experiment), ...extra }, null, 2) + '\n');
}

/**
 * Starts a run from a model saved without optimiser state (`tsgan export`): G's and D's weights, and the
 * step and epoch it had reached. What can be rebuilt exactly is: the data stream (replayed to the same
 * position, so epochs keep their shuffles) and the schedules (learning-rate decay per minibatch, momentum
 * per epoch). What cannot: the momentum velocities (they restart at zero; with momentum ≈ 0.6 they forget
 * in a few steps) and the noise and dropout streams (they start afresh from the seed).
 */
async function continueFromModel(dir: string, run: PaperMnistRun): Promise<{ step: number; epoch: number }> {
  const loaded = await loadCheckpoint(dir, { generator: run.generator, discriminator: run.discriminator });
  const { batchSize, k, mode } = run.settings;
  for (let i = 0; i < loaded.step; i++) run.real.next(batchSize).dispose();
  if (run.real.epoch !== loaded.epoch) {
    throw new Error(`--init-from: ${dir} says epoch ${loaded.epoch} at step ${loaded.step}, but ${loaded.step} batches of ${batchSize} make epoch ${run.real.epoch}`);
  }
  const dUpdatesPerStep = mode === 'alternating' ? k : 1;
  for (let i = 0; i < loaded.step; i++) {
    for (let j = 0; j < dUpdatesPerStep; j++) run.dOptimizer.onMinibatchEnd();
    run.gOptimizer.onMinibatchEnd();
  }
  return loaded;
}
