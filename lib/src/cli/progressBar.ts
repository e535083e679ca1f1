/**
 * The CLI's one terminal progress bar (cli-progress on stderr), used by `tsgan train`, `tsgan eval` and
 * `tsgan train-classifier`; when stderr is not a terminal (logs, tests) there is no bar and each caller
 * prints plain lines instead.
 * trainingDisplay is the training's bar: epoch, step, rate, ETA and the running D loss, G loss, D(x),
 * D(G(z)), the four numbers that tell whether a GAN is training (pytorch's dcgan prints the same); without
 * a terminal it prints one line per epoch. Rate, ETA and the metric labels are written by viz/progress.ts,
 * as in the notebooks' displays; only the terminal's smoothing (running averages) and fixed-width numbers
 * are this bar's own.
 */
import * as cliProgress from 'cli-progress';
import { STEP_METRICS, type StepMetrics } from '../losses';
import { labelledStepMetrics, metricsText, rateAndEta } from '../viz/progress';
import { warn } from './io';

type Payload = Record<string, string | number>;

/** A bar redrawn in place (`format`: cli-progress's, with {bar}, {value}, {total} and the payload's keys). */
export interface TerminalBar {
  /** A new bar from `value` of `total`; the previous one, if any, stays on screen as it was. */
  start(total: number, value: number, payload?: Payload): void;
  update(value: number, payload?: Payload): void;
  /** A line printed above the bar, which goes on below it. */
  log(line: string): void;
  stop(): void;
}

/** The bar on stderr, or null when stderr is not a terminal. */
export function terminalBar(format: string): TerminalBar | null {
  if (!process.stderr.isTTY) return null;
  // MultiBar, even for one bar at a time, because it can print log lines above the bar without resetting it
  const multi = new cliProgress.MultiBar(
    { format, barsize: 20, fps: 4, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, value, payload) {
      bar?.stop();
      bar = multi.create(total, value, payload);
    },
    update(value, payload) {
      bar?.update(value, payload);
    },
    log(line) {
      multi.log(line + '\n');
    },
    stop() {
      multi.stop();
    },
  };
}

export interface TrainingDisplay {
  step(info: StepMetrics & { step: number; epoch: number }): void;
  log(line: string): void;
  stop(): void;
}

/** Exponential moving averages of each metric over roughly the last 50 steps (a bar redrawn 4× a second would flicker otherwise). */
class Running {
  private values: Partial<StepMetrics> = {};
  add(m: StepMetrics): StepMetrics {
    for (const k of STEP_METRICS) {
      const old = this.values[k];
      this.values[k] = old === undefined || !Number.isFinite(old) ? m[k] : old + 0.04 * (m[k] - old);
    }
    return { ...this.values } as StepMetrics;
  }
}

/** Three decimals, so that the bar's width does not jump as the numbers change. */
function fixed(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '–';
}

export function trainingDisplay(opts: {
  totalSteps: number;
  startStep: number;
  epochs: number;
  stepsPerEpoch: number;
}): TrainingDisplay {
  const running = new Running();
  const t0 = Date.now();
  const bar = terminalBar('epoch {epoch}/{epochs} {bar} step {value}/{total} | {rate} | {eta} | {metrics}');
  const epochOf = (step: number) => Math.min(opts.epochs, Math.floor(Math.max(0, step - 1) / opts.stepsPerEpoch) + 1);
  const payload = (step: number, metrics: string) => {
    const timing = rateAndEta({
      step,
      startStep: opts.startStep,
      total: opts.totalSteps,
      elapsedSeconds: (Date.now() - t0) / 1000,
      metrics: {},
      done: false,
    });
    return { epoch: epochOf(step), epochs: opts.epochs, ...timing, metrics };
  };
  bar?.start(opts.totalSteps, opts.startStep, payload(opts.startStep + 1, ''));
  return {
    step(info) {
      const smoothed = running.add(info);
      bar?.update(info.step, payload(info.step, metricsText(labelledStepMetrics(smoothed), fixed)));
    },
    log(line: string) {
      if (bar) bar.log(line);
      else warn(line);
    },
    stop() {
      bar?.stop();
    },
  };
}
