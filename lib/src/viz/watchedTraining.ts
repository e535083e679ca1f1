/**
 * trainGan with the live view around it: liveTrainingView's chart of the losses and mean D outputs, a
 * sample grid refreshed every `sampleEvery` steps, the grids of chosen steps kept (the frames of a
 * small-multiples picture of the samples over training) and each step's wall-clock and CPU time.
 */
import { TrainHistory } from '../train/history';
import { trainGan, TrainGanConfig } from '../train/trainGan';
import { Frame } from './frames';
import { liveTrainingView, LiveTrainingViewOptions } from './liveView';

export interface WatchOptions extends LiveTrainingViewOptions {
  /** A PNG of G's samples now (e.g. G on a fixed set of z). */
  samples: () => Buffer;
  /** Refresh the view's samples every this many steps, and after the last step (default 50). */
  sampleEvery?: number;
  /** Steps whose pictures are kept; 0 (or startStep) is G before the first step. */
  keepSteps?: readonly number[];
  /** The picture kept at keepSteps (default: samples()), e.g. fewer samples than the live view's, for small multiples. */
  frame?: () => Buffer;
}

export interface WatchedRun {
  history: TrainHistory;
  /** The grids of keepSteps reached, in step order, labelled 'step N' (framesPng draws them as small multiples). */
  frames: (Frame & { step: number })[];
  /** Wall-clock time of each step, ms (drawing the view and the samples not counted). */
  stepMs: number[];
  /** CPU time of this process during each step, summed over its threads, ms (same span). */
  cpuMs: number[];
}

/**
 * Trains `config` with trainGan (its own onStep, if any, still runs and can stop the loop) while a live view
 * shows the run; `total` of the view defaults to config.steps.
 */
export async function trainWatched(config: TrainGanConfig, options: WatchOptions): Promise<WatchedRun> {
  const { samples, sampleEvery = 50, keepSteps = [], frame, ...viewOptions } = options;
  if (!(Number.isInteger(sampleEvery) && sampleEvery > 0))
    throw new Error(`trainWatched: sampleEvery must be a positive integer, got ${sampleEvery}`);
  const keep = new Set(keepSteps);
  const view = liveTrainingView({ total: config.steps, ...viewOptions });
  const frames: WatchedRun['frames'] = [];
  const startStep = config.startStep ?? 0;
  /** Keeps the picture of `step`: frame()'s, or else the samples shown now (drawn if none are). */
  const keepPicture = (step: number, shown: Buffer | undefined) =>
    frames.push({ step, label: `step ${step}`, png: frame ? frame() : (shown ?? samples()) });
  const first = samples();
  if (keep.has(startStep)) keepPicture(startStep, first);
  view.update({ step: startStep, dLoss: NaN, gLoss: NaN, dReal: NaN, dFake: NaN }, first);
  const stepMs: number[] = [];
  const cpuMs: number[] = [];
  let last = Date.now();
  let lastCpu = process.cpuUsage();
  const history = await trainGan({
    ...config,
    onStep: async (s) => {
      stepMs.push(Date.now() - last);
      const cpu = process.cpuUsage(lastCpu);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      const png = s.step % sampleEvery === 0 || s.step === config.steps ? samples() : undefined;
      if (keep.has(s.step)) keepPicture(s.step, png);
      view.update(s, png);
      const go = config.onStep ? await config.onStep(s) : undefined;
      last = Date.now();
      lastCpu = process.cpuUsage();
      return go;
    },
  });
  view.done();
  return { history, frames, stepMs, cpuMs };
}
