/**
 * Noise priors p_z for the generator's input z (paper, Section 3: "a prior on input noise variables
 * p_z(z)"). The MNIST experiment draws every coordinate from U(−√3, √3): zero mean and unit variance,
 * so it can be swapped for N(0, 1) without rescaling anything downstream.
 *
 * Samples come from a tsgan `Rng` (not tf.randomUniform with a seed, which repeats the same numbers on
 * every call), so each call gives fresh noise and a run is reproducible from its seed and Rng state.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from './rng';

export interface Prior {
  readonly kind: 'uniform' | 'normal';
  /** Dimension of z (100 in the paper's MNIST model). */
  readonly dim: number;
  /** n draws of z as a float32 [n, dim] tensor; advances `rng`. The caller disposes the tensor. */
  sample(n: number, rng: Rng): tf.Tensor2D;
  /** The same numbers as `sample`, as a row-major n×dim array (for plots and for tests). */
  sampleArray(n: number, rng: Rng): Float32Array;
  /** Exact density of one coordinate (the coordinates are independent). */
  pdf1(z: number): number;
  /** Mean and variance of one coordinate. */
  readonly mean: number;
  readonly variance: number;
}

export interface UniformPrior extends Prior {
  readonly kind: 'uniform';
  /** Coordinates lie in [−halfWidth, halfWidth] (up to float32 rounding of the bounds). */
  readonly halfWidth: number;
}

export interface NormalPrior extends Prior {
  readonly kind: 'normal';
}

/** U(−halfWidth, halfWidth)^dim. The default √3 is that of the paper's code (mnist.yaml, not the paper's text): variance halfWidth²/3 = 1. */
export function uniformPrior(dim: number, halfWidth: number = Math.sqrt(3)): UniformPrior {
  checkDim('uniformPrior', dim);
  if (!(Number.isFinite(halfWidth) && halfWidth > 0)) {
    throw new Error(
      `uniformPrior: halfWidth must be a positive finite number, got ${halfWidth} (mnist.yaml uses Math.sqrt(3))`,
    );
  }
  const sampleArray = (n: number, rng: Rng): Float32Array => {
    checkCount('uniformPrior.sample', n, rng);
    return rng.fillUniform(new Float32Array(n * dim), -halfWidth, halfWidth);
  };
  return {
    kind: 'uniform',
    dim,
    halfWidth,
    mean: 0,
    variance: (halfWidth * halfWidth) / 3,
    sampleArray,
    sample: (n, rng) => tf.tensor2d(sampleArray(n, rng), [n, dim], 'float32'),
    pdf1: (z) => (Math.abs(z) <= halfWidth ? 1 / (2 * halfWidth) : 0),
  };
}

/** N(0, 1)^dim. */
export function normalPrior(dim: number): NormalPrior {
  checkDim('normalPrior', dim);
  const sampleArray = (n: number, rng: Rng): Float32Array => {
    checkCount('normalPrior.sample', n, rng);
    return rng.fillNormal(new Float32Array(n * dim), 0, 1);
  };
  return {
    kind: 'normal',
    dim,
    mean: 0,
    variance: 1,
    sampleArray,
    sample: (n, rng) => tf.tensor2d(sampleArray(n, rng), [n, dim], 'float32'),
    pdf1: (z) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI),
  };
}

function checkDim(where: string, dim: number): void {
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new Error(`${where}: dim must be a positive integer (the size of z, e.g. 100), got ${dim}`);
  }
}

function checkCount(where: string, n: number, rng: Rng): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${where}: n must be a non-negative integer (the batch size), got ${n}`);
  }
  // duck-typed: a second copy of the lib (src vs dist) would fail instanceof
  if (!rng || typeof (rng as Rng).fillUniform !== 'function') {
    throw new Error(`${where}: pass a tsgan Rng as the second argument (new Rng(seed)), got ${String(rng)}`);
  }
}
