/** ex6 and ex7: the maxout unit and the size of the paper's discriminator. */
import { CountCase, MaxoutCase } from '../cases';
import { Outcome } from '../outcome';
import { checkValues } from './values';

/** x·W + b as plain numbers, row by row. */
function affine(c: MaxoutCase, withBias: boolean): number[][] {
  return c.x.map((row) => c.bias.map((b, j) => row.reduce((s, xi, i) => s + xi * c.kernel[i][j], withBias ? b : 0)));
}
const maxOf = (xs: number[]): number => Math.max(...xs);

export function judgeMaxout(cases: MaxoutCase[], raws: unknown[]): Outcome {
  return checkValues<MaxoutCase>({
    cases,
    raws,
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

/** Sizes of a maxout D's layers: inputs, the hidden maxout layers, then one output unit. */
const layerSizes = (c: CountCase): number[] => [c.inputs, ...c.hiddenUnits, 1];
const sumPairs = (c: CountCase, f: (fanIn: number, units: number, last: boolean) => number): number => {
  const s = layerSizes(c);
  return s.slice(1).reduce((t, units, i) => t + f(s[i], units, i === s.length - 2), 0);
};

export function judgeParameterCount(cases: CountCase[], raws: unknown[]): Outcome {
  return checkValues<CountCase>({
    cases,
    raws,
    expected: (c) => [c.expected],
    rtol: 0,
    atol: 0.5,
    mistakes: [
      {
        name: 'biases left out',
        message: 'every piece of every maxout unit has its own bias, and the output unit has one too.',
        output: (c) => [sumPairs(c, (fanIn, units, last) => fanIn * units * (last ? 1 : c.pieces))],
      },
      {
        name: 'pieces left out',
        message: 'a maxout unit with k pieces has k weight vectors and k biases: a layer of u units is an affine map to u×k values.',
        output: (c) => [sumPairs(c, (fanIn, units) => fanIn * units + units)],
      },
    ],
    extremeHint: '',
  });
}
