/**
 * The training progress bar (cli-progress): epoch, step, rate, ETA and the running D loss, G loss, D(x),
 * D(G(z)), the four numbers that tell whether a GAN is training (pytorch's dcgan prints the same).
 * When stderr is not a terminal (logs, tests) it prints one line per epoch instead.
 * Rate, ETA and the metric labels are written by viz/progress.ts, as in the notebooks' displays; only the
 * terminal's smoothing (running averages) and fixed-width numbers are this bar's own.
 */
import * as cliProgress from 'cli-progress';
import { STEP_METRICS, type StepMetrics } from '../losses';
import { labelledStepMetrics, metricsText, rateAndEta } from '../viz/progress';
import { warn } from './io';

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
  const tty = Boolean(process.stderr.isTTY);
  const running = new Running();
  const t0 = Date.now();
  // MultiBar (with one bar) because it can print log lines above the bar without resetting it
  const multi = tty
    ? new cliProgress.MultiBar(
        {
          format: 'epoch {epoch}/{epochs} {bar} step {value}/{total} | {rate} | {eta} | {metrics}',
          barsize: 20,
          fps: 4,
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
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
  const bar = multi?.create(opts.totalSteps, opts.startStep, payload(opts.startStep + 1, ''));
  return {
    step(info) {
      const smoothed = running.add(info);
      bar?.update(info.step, payload(info.step, metricsText(labelledStepMetrics(smoothed), fixed)));
    },
    log(line: string) {
      if (multi) multi.log(line + '\n');
      else warn(line);
    },
    stop() {
      multi?.stop();
    },
  };
}
