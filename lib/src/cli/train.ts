/**
 * `tsgan train --experiment NAME`: parses the flags, shows progress and handles Ctrl-C/SIGTERM; the run
 * itself (resume, checkpoints, metrics lines, samples, validation) is experiments/trainRun.ts.
 */
import * as path from 'path';
import { say, warn } from './io';
import { initBackend } from '../backend';
import {
  Experiment,
  OverrideError,
  Overrides,
  RunRequestError,
  applyOverrides,
  RunSettings,
  TrainRunPlan,
  TrainRunReporter,
  checkpointDirOf,
  getExperiment,
  parseOverride,
  planTrainRun,
  trainRun,
} from '../experiments';
import { TRAIN_MODES, TrainMode } from '../train';
import { choiceFlag, intFlag, parseFlags, pathFlag, stringFlag } from './args';
import { TrainingDisplay, trainingDisplay } from './progressBar';
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
  given: Partial<RunSettings> & { experiment: string };
}

function parseTrainArgs(argv: string[]): TrainArgs | null {
  const p = parseFlags(
    argv,
    {
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
      'shared-forward': { type: 'boolean' },
      'validate-every': { type: 'string' },
      'init-from': { type: 'string' },
      set: { type: 'string', multiple: true },
    },
    TRAIN_USAGE,
  );
  if (p.values.help) return null;
  const name = stringFlag(p, 'experiment');
  if (name === undefined) throw new UsageError('--experiment is required (e.g. --experiment paper-mnist)', TRAIN_USAGE);
  let experiment: Experiment;
  try {
    experiment = getExperiment(name);
  } catch (e) {
    throw new UsageError((e as Error).message, TRAIN_USAGE);
  }
  const given: Partial<RunSettings> & { experiment: string } = { experiment: name };
  const overrides = parseSets((p.values.set as string[] | undefined) ?? [], experiment);
  if (overrides) {
    given.overrides = overrides;
    experiment = applyOverrides(experiment, overrides); // the defaults below are the overridden experiment's
  }
  const set = <K extends keyof RunSettings>(k: K, v: RunSettings[K] | undefined) => {
    if (v !== undefined) given[k] = v;
  };
  set('epochs', intFlag(p, 'epochs', TRAIN_USAGE, 1));
  set('seed', intFlag(p, 'seed', TRAIN_USAGE, 0, undefined, 0xffffffff));
  set('mode', choiceFlag<TrainMode>(p, 'update', TRAIN_USAGE, TRAIN_MODES));
  set('k', intFlag(p, 'k', TRAIN_USAGE, 1));
  if (p.values['shared-forward']) set('sharedForward', true);
  set('batchSize', intFlag(p, 'batch-size', TRAIN_USAGE, 1));
  set('trainCount', intFlag(p, 'train-count', TRAIN_USAGE, 1, undefined, experiment.data.trainCount));
  if (given.k !== undefined && given.k !== 1 && (given.mode ?? experiment.update.mode) !== 'alternating') {
    throw new UsageError(`--k ${given.k} needs --update alternating (the simultaneous update is k = 1)`, TRAIN_USAGE);
  }
  if (given.sharedForward && (given.mode ?? experiment.update.mode) !== 'simultaneous') {
    throw new UsageError(
      "--shared-forward needs --update simultaneous (it shares D's forward pass between the two updates of one step)",
      TRAIN_USAGE,
    );
  }
  if (given.batchSize !== undefined && given.trainCount !== undefined && given.batchSize > given.trainCount) {
    throw new UsageError(
      `--batch-size ${given.batchSize} is larger than --train-count ${given.trainCount}; an epoch would have no full batch`,
      TRAIN_USAGE,
    );
  }
  return {
    out: pathFlag(p, 'out', TRAIN_USAGE) ?? path.resolve('runs', name),
    resume: Boolean(p.values.resume),
    backend: choiceFlag(p, 'backend', TRAIN_USAGE, BACKEND_CHOICES),
    steps: intFlag(p, 'steps', TRAIN_USAGE, 1),
    validateEvery: intFlag(p, 'validate-every', TRAIN_USAGE, 0),
    initFrom: pathFlag(p, 'init-from', TRAIN_USAGE),
    given,
  };
}

/** `--set key=value`s, checked against `experiment` (exit code 2 on an unknown key or a wrong type); null when none. */
function parseSets(texts: string[], experiment: Experiment): Overrides | null {
  if (texts.length === 0) return null;
  try {
    const overrides: { [key: string]: Overrides[string] } = {};
    for (const t of texts) {
      const [key, value] = parseOverride(t);
      if (Object.hasOwn(overrides, key)) throw new OverrideError(`--set ${key} is given twice`);
      overrides[key] = value;
    }
    applyOverrides(experiment, overrides);
    return overrides;
  } catch (e) {
    throw e instanceof OverrideError ? new UsageError(e.message, TRAIN_USAGE) : e;
  }
}

/** Returns the process exit code. */
export async function trainCommand(argv: string[]): Promise<number> {
  const args = parseTrainArgs(argv);
  if (!args) {
    say(TRAIN_USAGE);
    return 0;
  }
  let plan: TrainRunPlan;
  try {
    plan = planTrainRun({
      out: args.out,
      resume: args.resume,
      initFrom: args.initFrom === undefined ? undefined : checkpointDirOf(args.initFrom),
      given: args.given,
    });
  } catch (e) {
    throw asUsageError(e);
  }
  const backend = await initBackend({ backend: args.backend });

  // Ctrl-C / SIGTERM: stop after the current step, save, exit; further signals only wait
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
  let result;
  try {
    const options = {
      backend: backend.backend,
      steps: args.steps,
      validateEvery: args.validateEvery,
      signal: controller.signal,
      reporter: terminalReporter(),
    };
    result = await trainRun(plan, options).catch((e: unknown) => {
      throw asUsageError(e);
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const { settings } = plan;
  if (result.status === 'nothing') {
    say(
      `Nothing to do: the run in ${args.out} is at epoch ${result.epoch}, step ${result.step} (target: ${settings.epochs} epochs${args.steps ? `, ${args.steps} steps` : ''}). Raise --epochs to train on.`,
    );
    return 0;
  }
  const where = `epoch ${result.epoch}, step ${result.step}, ${result.trainSeconds.toFixed(1)} s of training`;
  if (stopSignal) {
    say(
      `Stopped by ${stopSignal} at ${where}; checkpoint in ${result.checkpointDir}. Continue with the same command and --resume.`,
    );
    return stopSignal === 'SIGINT' ? 130 : 143;
  }
  say(`Done: ${where}. Checkpoint: ${result.checkpointDir}`);
  return 0;
}

/** A run request that conflicts with the run folder is the command line's fault: exit code 2 with the usage. */
function asUsageError(e: unknown): unknown {
  return e instanceof RunRequestError ? new UsageError(e.message, TRAIN_USAGE) : e;
}

/** Progress bar and lines on the terminal. */
function terminalReporter(): TrainRunReporter {
  let display: TrainingDisplay | null = null;
  return {
    start(p) {
      display = trainingDisplay(p);
      display.log(p.headline);
    },
    step: (info) => display?.step(info),
    log: (line) => (display ? display.log(line) : say(line)),
    warn: (line) => warn(line),
    stop: () => display?.stop(),
  };
}
