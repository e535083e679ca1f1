/**
 * The training progress bar (cli-progress): epoch, step, rate, ETA and the running D loss, G loss, D(x),
 * D(G(z)), the four numbers that tell whether a GAN is training (pytorch's dcgan prints the same).
 * When stderr is not a terminal (logs, tests) it prints one line per epoch instead.
 */
import * as cliProgress from 'cli-progress';
import { warn } from './io';

export interface TrainingDisplay {
  step(info: { step: number; epoch: number; dLoss: number; gLoss: number; dReal: number; dFake: number }): void;
  log(line: string): void;
  stop(): void;
}

/** Exponential moving averages over roughly the last 50 steps. */
class Running {
  private values: { [k: string]: number } = {};
  add(k: string, v: number): number {
    const old = this.values[k];
    this.values[k] = old === undefined || !Number.isFinite(old) ? v : old + 0.04 * (v - old);
    return this.values[k];
  }
}

export function trainingDisplay(opts: { totalSteps: number; startStep: number; epochs: number; stepsPerEpoch: number }): TrainingDisplay {
  const tty = Boolean(process.stderr.isTTY);
  const running = new Running();
  const t0 = Date.now();
  // MultiBar (with one bar) because it can print log lines above the bar without resetting its ETA
  const multi = tty
    ? new cliProgress.MultiBar(
        {
          format:
            'epoch {epoch}/{epochs} {bar} step {value}/{total} | {rate} | ETA {eta_formatted} | D loss {d} G loss {g} D(x) {dx} D(G(z)) {dgz}',
          barsize: 20,
          etaBuffer: 100,
          fps: 4,
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const payload = (epoch: number, d = NaN, g = NaN, dx = NaN, dgz = NaN, rate = '–') => ({
    epoch,
    epochs: opts.epochs,
    d: fmt(d),
    g: fmt(g),
    dx: fmt(dx),
    dgz: fmt(dgz),
    rate,
  });
  const bar = multi?.create(opts.totalSteps, opts.startStep, payload(Math.floor(opts.startStep / opts.stepsPerEpoch) + 1));
  return {
    step(info) {
      const d = running.add('d', info.dLoss);
      const g = running.add('g', info.gLoss);
      const dx = running.add('dx', info.dReal);
      const dgz = running.add('dgz', info.dFake);
      const done = info.step - opts.startStep;
      const secs = (Date.now() - t0) / 1000;
      const rate = done > 0 ? (done / secs >= 1 ? `${(done / secs).toFixed(1)} steps/s` : `${(secs / done).toFixed(2)} s/step`) : '–';
      bar?.update(info.step, payload(Math.min(opts.epochs, Math.floor((info.step - 1) / opts.stepsPerEpoch) + 1), d, g, dx, dgz, rate));
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

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '–';
}
