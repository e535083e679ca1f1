/**
 * Ops of tsgan's own, which only tsgan's wasm kernels implement (lib/src/kernels): an optimiser update or
 * a dropout mask in one pass over memory, where other backends run a few tensor ops (or JavaScript).
 * Both ways give the same bits; callers try runOwnOp first and fall back when it returns null.
 * OwnOps is the one declaration of each op's inputs and attributes: the callers (train/, random/) and the
 * kernels (kernels/) are both typed by it, so a renamed or missing attribute is a compile error on both sides.
 */
import * as tf from '@tensorflow/tfjs';

export const SGD_MOMENTUM_KERNEL = 'TsganSgdMomentum';
export const ADAM_KERNEL = 'TsganAdam';
export const BERNOULLI_KERNEL = 'TsganBernoulli';

/** vel ← momentum·vel − learningRate·grad;  variable ← variable + vel (train/sgdMomentum.ts). */
export interface SgdMomentumAttrs {
  momentum: number;
  learningRate: number;
}

/**
 * One Adam step (train/adam.ts): m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
 * variable ← variable − m / (√v / c + epsilon) · step, with c = √(1 − β2ᵗ), step = lr / (1 − β1ᵗ).
 */
export interface AdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  c: number;
  step: number;
}

/** A dropout mask of `shape`: `value` with probability p, else 0 (random/bernoulliMask.ts). */
export interface BernoulliAttrs {
  shape: number[];
  p: number;
  value: number;
}

/** Each op's named inputs, attributes and outputs (in order). */
export interface OwnOps {
  [SGD_MOMENTUM_KERNEL]: {
    inputs: 'variable' | 'grad' | 'velocity';
    attrs: SgdMomentumAttrs;
    outputs: ['variable', 'velocity'];
  };
  [ADAM_KERNEL]: { inputs: 'variable' | 'grad' | 'm' | 'v'; attrs: AdamAttrs; outputs: ['variable', 'm', 'v'] };
  /** state: the Rng's xoshiro128** words as an int32 [4] tensor; the second output is that state advanced. */
  [BERNOULLI_KERNEL]: { inputs: 'state'; attrs: BernoulliAttrs; outputs: ['mask', 'state'] };
}

export type OwnOpName = keyof OwnOps;

/** The inputs of op K, as tensors (caller) or tensor infos (kernel). */
export type OwnOpInputs<K extends OwnOpName, T = tf.Tensor> = { [name in OwnOps[K]['inputs']]: T };

/** The outputs of op K, in OwnOps' order. */
export type OwnOpOutputs<K extends OwnOpName, T = tf.Tensor> = Each<OwnOps[K]['outputs'], T>;
type Each<Tuple, T> = { [i in keyof Tuple]: T };

/** What a kernel function of op K receives (kernels/ registers one per op with tf.registerKernel). */
export interface OwnKernelArgs<K extends OwnOpName, Backend> {
  inputs: OwnOpInputs<K, tf.TensorInfo>;
  backend: Backend;
  attrs: OwnOps[K]['attrs'];
}

/** The op's outputs, or null when the active backend has no such kernel. */
export function runOwnOp<K extends OwnOpName>(
  name: K,
  inputs: OwnOpInputs<K>,
  attrs: OwnOps[K]['attrs'],
): OwnOpOutputs<K> | null {
  if (!tf.getKernel(name, tf.getBackend())) return null;
  // tfjs types attributes as a loose map; OwnOps is what keeps both sides agreeing.
  return tf
    .engine()
    .runKernel(name, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as unknown as OwnOpOutputs<K>;
}
