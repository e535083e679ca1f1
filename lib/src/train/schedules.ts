/**
 * pylearn2's two schedules (the paper's mnist.yaml uses both: its numbers are in
 * experiments/paperMnist.ts), as pure functions so that a notebook can plot them and a test can check them
 * against hand-computed values.
 */

/** Momentum rising linearly between two epochs, then constant (pylearn2 MomentumAdjustor). */
export interface MomentumSchedule {
  /** Momentum up to and during `startEpoch` (the paper: 0.5). */
  start: number;
  /** Momentum from `endEpoch` on (the paper: 0.7). */
  end: number;
  /** 1-based epoch where the ramp starts (the paper: 1). */
  startEpoch: number;
  /** 1-based epoch where the ramp ends (the paper: 250). */
  endEpoch: number;
}

/**
 * Momentum used while training the 1-based `epoch` (fractions allowed, for plots). pylearn2 changes it
 * at epoch boundaries: during epoch e it is start + (end − start)·clamp((e − startEpoch)/(endEpoch − startEpoch)).
 * Rounded to float32 like pylearn2's shared variable.
 */
export function momentumAt(schedule: MomentumSchedule, epoch: number): number {
  if (!Number.isFinite(epoch)) throw new Error(`momentumAt: epoch must be a finite number, got ${epoch}`);
  const span = schedule.endEpoch - schedule.startEpoch;
  const alpha =
    span === 0
      ? epoch >= schedule.startEpoch
        ? 1
        : 0
      : Math.min(1, Math.max(0, (epoch - schedule.startEpoch) / span));
  return Math.fround(schedule.start * (1 - alpha) + alpha * schedule.end);
}

/**
 * Learning rate after `minibatches` updates: base / decayFactor^n, floored at minLearningRate
 * (pylearn2 ExponentialDecay computes it in closed form from the count, not by repeated division,
 * so a resumed run that knows the count gets the same number). Rounded to float32.
 */
export function learningRateAt(
  base: number,
  decayFactor: number,
  minLearningRate: number,
  minibatches: number,
): number {
  if (!Number.isInteger(minibatches) || minibatches < 0) {
    throw new Error(`learningRateAt: minibatches must be a non-negative integer, got ${minibatches}`);
  }
  if (minibatches === 0) return Math.fround(base);
  return Math.fround(Math.max(base / Math.pow(decayFactor, minibatches), minLearningRate));
}

export function checkMomentumSchedule(where: string, s: MomentumSchedule): void {
  const ok =
    s != null &&
    [s.start, s.end, s.startEpoch, s.endEpoch].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    s.start >= 0 &&
    s.start < 1 &&
    s.end >= 0 &&
    s.end < 1 &&
    s.endEpoch >= s.startEpoch;
  if (!ok) {
    throw new Error(
      `${where}: momentumSchedule must be {start, end, startEpoch, endEpoch} with momenta in [0, 1) and ` +
        `endEpoch >= startEpoch, got ${JSON.stringify(s)} (the paper's: {start: 0.5, end: 0.7, startEpoch: 1, endEpoch: 250})`,
    );
  }
}
