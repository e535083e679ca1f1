/**
 * SGD with momentum exactly as pylearn2 runs the paper's MNIST experiment:
 *   vel ← μ·vel − lr·grad;  θ ← θ + vel
 * with the learning rate divided by `decayFactor` after every minibatch (floor `minLearningRate`)
 * and, optionally, momentum following a per-epoch linear ramp (schedules.ts). The defaults are neutral
 * (no decay); the paper's settings are a named constructor, experiments/paperMnist.ts: paperSgdMomentum.
 */
import * as tf from '@tensorflow/tfjs';
import { SGD_MOMENTUM_KERNEL, runOwnOp } from '../kernels/ownOps';
import { checkPositive, OptimizerState, SlotOptimizer } from './optimizer';
import { checkMomentumSchedule, learningRateAt, momentumAt, MomentumSchedule } from './schedules';

export interface SgdMomentumOptions {
  /** Initial learning rate (the paper: 0.1). */
  learningRate: number;
  /** Constant momentum; optional when momentumSchedule is given (then it must equal schedule.start). */
  momentum?: number;
  /** lr ← lr / decayFactor after each minibatch (default 1: no decay; the paper's is 1.000004). */
  decayFactor?: number;
  /** Floor of the decayed learning rate (default 0: none; the paper's is 1e-6). */
  minLearningRate?: number;
  /** Momentum per epoch; when absent, `momentum` stays constant. */
  momentumSchedule?: MomentumSchedule;
}

export class SgdMomentum extends SlotOptimizer {
  readonly name = 'sgdMomentum';
  readonly slotNames = ['velocity'] as const;
  private baseLearningRate: number;
  private decayFactor: number;
  private minLearningRate: number;
  private constantMomentum: number;
  private schedule: MomentumSchedule | null;
  private minibatches = 0;
  private epoch = 1;

  constructor(o: SgdMomentumOptions) {
    super();
    const where = 'sgdMomentum';
    if (o == null || typeof o !== 'object')
      throw new Error(`${where}: pass options {learningRate, momentum | momentumSchedule}`);
    this.baseLearningRate = checkPositive(where, 'learningRate', o.learningRate, 'the paper uses 0.1');
    this.decayFactor = checkPositive(
      where,
      'decayFactor',
      o.decayFactor ?? 1,
      'the paper uses 1.000004; 1 means no decay',
    );
    if (this.decayFactor < 1)
      throw new Error(`${where}: decayFactor must be >= 1 (it divides the learning rate), got ${this.decayFactor}`);
    this.minLearningRate = o.minLearningRate ?? 0;
    if (
      typeof this.minLearningRate !== 'number' ||
      !(this.minLearningRate >= 0) ||
      !Number.isFinite(this.minLearningRate)
    )
      throw new Error(`${where}: minLearningRate must be a finite number >= 0, got ${String(o.minLearningRate)}`);
    this.schedule = o.momentumSchedule ? { ...o.momentumSchedule } : null;
    if (this.schedule) checkMomentumSchedule(where, this.schedule);
    const m = o.momentum ?? this.schedule?.start;
    if (typeof m !== 'number' || !(m >= 0 && m < 1)) {
      throw new Error(
        `${where}: momentum must be a number in [0, 1) (the paper starts at 0.5), got ${String(o.momentum)}`,
      );
    }
    if (this.schedule && m !== this.schedule.start) {
      throw new Error(
        `${where}: momentum ${m} disagrees with momentumSchedule.start ${this.schedule.start}; give one of them`,
      );
    }
    this.constantMomentum = m;
  }

  get learningRate(): number {
    return learningRateAt(this.baseLearningRate, this.decayFactor, this.minLearningRate, this.minibatches);
  }

  /** Momentum the next update will use. */
  get momentum(): number {
    return this.schedule ? momentumAt(this.schedule, this.epoch) : Math.fround(this.constantMomentum);
  }

  onMinibatchEnd(): void {
    this.minibatches++;
  }

  setEpoch(epoch: number): void {
    if (!Number.isFinite(epoch) || epoch < 0)
      throw new Error(`sgdMomentum.setEpoch: epoch must be >= 0 (1-based), got ${epoch}`);
    this.epoch = epoch;
  }

  protected update(variable: tf.Variable, grad: tf.Tensor, [velocity]: tf.Variable[]): void {
    const fused = runOwnOp(
      SGD_MOMENTUM_KERNEL,
      { variable, grad, velocity },
      { momentum: this.momentum, learningRate: this.learningRate },
    );
    if (fused) {
      variable.assign(fused[0]);
      velocity.assign(fused[1]);
      return;
    }
    const vel = tf.sub(tf.mul(velocity, tf.scalar(this.momentum)), tf.mul(grad, tf.scalar(this.learningRate)));
    velocity.assign(vel);
    variable.assign(tf.add(variable, vel));
  }

  protected configState(): { [key: string]: unknown } {
    return {
      learningRate: this.baseLearningRate,
      decayFactor: this.decayFactor,
      minLearningRate: this.minLearningRate,
      momentum: this.constantMomentum,
      momentumSchedule: this.schedule ? { ...this.schedule } : null,
    };
  }

  protected counterState(): { [key: string]: number } {
    return { minibatches: this.minibatches, epoch: this.epoch };
  }

  protected checkConfigAndCounters(state: OptimizerState): string[] {
    const p: string[] = [];
    const c = state.config ?? {};
    for (const k of ['learningRate', 'decayFactor', 'minLearningRate', 'momentum']) {
      if (typeof c[k] !== 'number' || !Number.isFinite(c[k] as number)) p.push(`config.${k} is not a number`);
    }
    const n = state.counters?.minibatches;
    if (!Number.isInteger(n) || n < 0) p.push('counters.minibatches is not a non-negative integer');
    if (typeof state.counters?.epoch !== 'number') p.push('counters.epoch is not a number');
    return p;
  }

  protected restoreConfigAndCounters(state: OptimizerState): void {
    const c = state.config;
    this.baseLearningRate = c.learningRate as number;
    this.decayFactor = c.decayFactor as number;
    this.minLearningRate = c.minLearningRate as number;
    this.constantMomentum = c.momentum as number;
    this.schedule = c.momentumSchedule ? { ...(c.momentumSchedule as MomentumSchedule) } : null;
    this.minibatches = state.counters.minibatches;
    this.epoch = state.counters.epoch;
  }
}

/** SGD with momentum, pylearn2 semantics (see the file comment). */
export function sgdMomentum(options: SgdMomentumOptions): SgdMomentum {
  return new SgdMomentum(options);
}
