/**
 * Adam (Kingma & Ba 2015), the modern default for GANs (DCGAN: lr 2e-4, β1 0.5). Written out so that
 * its moments and step count are plain state a checkpoint can save and restore exactly.
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  θ ← θ − lr·m̂ / (√v̂ + ε)
 * with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t) (ε added after the square root, as in PyTorch).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, runOwnOp } from '../kernels/ownOps';
import { checkPositive, OptimizerState, SlotOptimizer } from './optimizer';

export interface AdamOptions {
  learningRate: number;
  /** Default 0.9; DCGAN uses 0.5. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
}

export class Adam extends SlotOptimizer {
  readonly name = 'adam';
  readonly slotNames = ['m', 'v'] as const;
  private lr: number;
  private beta1: number;
  private beta2: number;
  private epsilon: number;
  /** Updates applied so far (Adam's t). */
  private t = 0;

  constructor(o: AdamOptions) {
    super();
    if (o == null || typeof o !== 'object')
      throw new Error('adam: pass options {learningRate, beta1?, beta2?, epsilon?}');
    this.lr = checkPositive('adam', 'learningRate', o.learningRate, 'DCGAN uses 2e-4');
    this.beta1 = checkBeta('beta1', o.beta1 ?? 0.9);
    this.beta2 = checkBeta('beta2', o.beta2 ?? 0.999);
    this.epsilon = checkPositive('adam', 'epsilon', o.epsilon ?? 1e-8);
  }

  get learningRate(): number {
    return this.lr;
  }

  onMinibatchEnd(): void {}
  setEpoch(): void {}

  protected override beforeUpdate(): void {
    this.t++;
  }

  protected update(variable: tf.Variable, grad: tf.Tensor, [m, v]: tf.Variable[]): void {
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = this.lr / (1 - Math.pow(b1, this.t));
    const c = Math.sqrt(1 - Math.pow(b2, this.t));
    const fused = runOwnOp(
      ADAM_KERNEL,
      { variable, grad, m, v },
      { beta1: b1, beta2: b2, epsilon: this.epsilon, c, step: stepSize },
    );
    if (fused) {
      variable.assign(fused[0]);
      m.assign(fused[1]);
      v.assign(fused[2]);
      return;
    }
    const mNew = tf.add(tf.mul(m, tf.scalar(b1)), tf.mul(grad, tf.scalar(1 - b1)));
    const vNew = tf.add(tf.mul(v, tf.scalar(b2)), tf.mul(tf.square(grad), tf.scalar(1 - b2)));
    m.assign(mNew);
    v.assign(vNew);
    const denom = tf.add(tf.div(tf.sqrt(vNew), tf.scalar(c)), tf.scalar(this.epsilon));
    variable.assign(tf.sub(variable, tf.mul(tf.div(mNew, denom), tf.scalar(stepSize))));
  }

  protected configState(): { [key: string]: unknown } {
    return { learningRate: this.lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  protected counterState(): { [key: string]: number } {
    return { t: this.t };
  }

  protected checkConfigAndCounters(state: OptimizerState): string[] {
    const p: string[] = [];
    for (const k of ['learningRate', 'beta1', 'beta2', 'epsilon']) {
      if (typeof state.config?.[k] !== 'number') p.push(`config.${k} is not a number`);
    }
    if (!Number.isInteger(state.counters?.t) || state.counters.t < 0)
      p.push('counters.t is not a non-negative integer');
    return p;
  }

  protected restoreConfigAndCounters(state: OptimizerState): void {
    const c = state.config as { learningRate: number; beta1: number; beta2: number; epsilon: number };
    this.lr = c.learningRate;
    this.beta1 = c.beta1;
    this.beta2 = c.beta2;
    this.epsilon = c.epsilon;
    this.t = state.counters.t;
  }
}

/** Adam with exact, checkpointable state (see the file comment). */
export function adam(options: AdamOptions): Adam {
  return new Adam(options);
}

function checkBeta(name: string, b: unknown): number {
  if (typeof b !== 'number' || !(b >= 0 && b < 1)) throw new Error(`adam: ${name} must be in [0, 1), got ${String(b)}`);
  return b;
}
