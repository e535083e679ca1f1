/** ex6 and ex7: the maxout unit and the size of the paper's discriminator. */
import * as tf from '@tensorflow/tfjs';
import { CountCase, MaxoutCase } from '../cases';
import { PAPER_MNIST } from '../../models';
import { Outcome } from '../outcome';
import { checkValues } from './values';

export type MaxoutFn = (x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, units: number, pieces: number) => unknown;

/** x·W + b as plain numbers, row by row. */
function affine(c: MaxoutCase, withBias: boolean): number[][] {
  return c.x.map((row) => c.bias.map((b, j) => row.reduce((s, xi, i) => s + xi * c.kernel[i][j], withBias ? b : 0)));
}
const maxOf = (xs: number[]): number => Math.max(...xs);

export function checkMaxout(fn: MaxoutFn, cases: MaxoutCase[]): Outcome {
  return checkValues<MaxoutCase>({
    cases,
    run: (c) => tf.tidy(() => fn(tf.tensor2d(c.x), tf.tensor2d(c.kernel), tf.tensor1d(c.bias), c.units, c.pieces) as tf.Tensor),
    expected: (c) => c.expected.flat(),
    shape: (c) => [c.x.length, c.units],
    mistakes: [
      {
        name: 'pieces grouped by stride',
        message:
          'unit j is the max of the consecutive values j·pieces … j·pieces + pieces − 1 (reshape to [batch, units, pieces] and take the max over the last axis), not of every units-th value.',
        output: (c) => affine(c, true).flatMap((z) => Array.from({ length: c.units }, (_, j) => maxOf(Array.from({ length: c.pieces }, (_, k) => z[j + k * c.units])))),
      },
      {
        name: 'bias left out',
        message: 'each piece is an affine function x·W + b: add the bias before taking the max.',
        output: (c) => affine(c, false).flatMap((z) => Array.from({ length: c.units }, (_, j) => maxOf(z.slice(j * c.pieces, (j + 1) * c.pieces)))),
      },
    ],
    extremeHint: '',
  });
}

export function checkParameterCount(fn: () => unknown, cases: CountCase[]): Outcome {
  const [h1, h2] = PAPER_MNIST.discriminatorHidden;
  const k = PAPER_MNIST.pieces;
  const d = PAPER_MNIST.imageSize;
  return checkValues<CountCase>({
    cases,
    run: () => fn(),
    expected: (c) => [c.expected],
    rtol: 0,
    atol: 0.5,
    mistakes: [
      {
        name: 'biases left out',
        message: 'every piece of every maxout unit has its own bias, and the output unit has one too.',
        output: () => [d * h1 * k + h1 * h2 * k + h2],
      },
      {
        name: 'pieces left out',
        message: `a maxout unit with ${k} pieces has ${k} weight vectors and ${k} biases: a layer of ${h1} units is an affine map to ${h1}×${k} values.`,
        output: () => [d * h1 + h1 + h1 * h2 + h2 + h2 + 1],
      },
    ],
    extremeHint: '',
  });
}
