/** t1–t4 of Assignment 2: transposed-convolution shapes, the ring's mixture metrics, the conditional G's input and the projection D's logit. */
import { CondInputCase, ConvShapeCase, ProjectionCase, RingCase } from '../cases';
import { ringReference } from '../generateTraining';
import { Outcome } from '../outcome';
import { checkValues } from './values';

/** The sizes a wrong formula gives, layer after layer, with the channels of each layer (or kept, `keepChannels`). */
function stack(c: ConvShapeCase, size: (n: number, k: number, s: number, p: number) => number, keepChannels = false): number[] {
  let [h, w, ch] = c.input;
  return c.layers.flatMap((l) => {
    [h, w, ch] = [size(h, l.kernel, l.stride, l.padding), size(w, l.kernel, l.stride, l.padding), keepChannels ? ch : l.filters];
    return [h, w, ch];
  });
}
const right = (n: number, k: number, s: number, p: number) => (n - 1) * s - 2 * p + k;

export function judgeConvShapes(cases: ConvShapeCase[], raws: unknown[]): Outcome {
  return checkValues<ConvShapeCase>({
    cases,
    raws,
    expected: (c) => c.expected.flat(),
    shape: (c) => [c.layers.length, 3],
    rtol: 0,
    atol: 0,
    mistakes: [
      {
        name: "the convolution's formula",
        message: 'floor((n + 2p − k)/s) + 1 is the size of a strided convolution, which shrinks a map; a transposed convolution runs it backwards (one input pixel paints a k×k patch every s pixels): solve that formula for n.',
        output: (c) => stack(c, (n, k, s, p) => Math.floor((n + 2 * p - k) / s) + 1),
      },
      {
        name: 'padding added, not removed',
        message: "a transposed convolution's padding p crops p rows and columns from each side of the painted map: it makes the output smaller, by 2p.",
        output: (c) => stack(c, (n, k, s, p) => (n - 1) * s + k + 2 * p),
      },
      {
        name: 'padding removed on one side only',
        message: 'p rows and columns are removed from each of the two sides: 2p in all.',
        output: (c) => stack(c, (n, k, s, p) => (n - 1) * s + k - p),
      },
      {
        name: "stride times the input ('same' padding)",
        message: "n·s is the size TensorFlow's padding 'same' gives; with an explicit padding p the kernel size counts too (n·s happens to be right only for k = s + 2p, as in DCGAN's 4×4, stride 2, padding 1).",
        output: (c) => stack(c, (n, k, s) => n * s),
      },
      {
        name: 'channels not changed',
        message: "each layer's output has as many channels as it has filters.",
        output: (c) => stack(c, right, true),
      },
    ],
    extremeHint: '',
  });
}

export function judgeRingMetrics(cases: RingCase[], raws: unknown[]): Outcome {
  return checkValues<RingCase>({
    cases,
    raws,
    expected: (c) => c.expected,
    shape: () => [2],
    mistakes: [
      {
        name: 'σ instead of 3σ',
        message: 'a sample is of high quality within 3σ of its nearest centre (notebook 08 §1), not within σ.',
        output: (c) => ringReference(c, { sigmas: 1 }),
      },
      {
        name: 'modes counted without the 3σ quality cut',
        message: 'a mode is covered by its high-quality samples only: a sample nearest to a mode but farther than 3σ from it is no sample of that mode (notebook 08 §1), however many there are.',
        test: (c, got) => got[0] === ringReference(c, { sigmas: Infinity })[0],
      },
      {
        name: 'no fair-share threshold',
        message: 'a mode is covered when it gets at least a fifth of its fair share n / modes of high-quality samples (PacGAN\'s threshold, notebook 08 §1), not when it gets one.',
        test: (c, got) => got[0] === ringReference(c, { minFairShare: 0 })[0],
      },
    ],
    extremeHint: '',
  });
}

/** [a | b] row by row. */
const joinRows = (a: number[][], b: number[][]): number[] => a.flatMap((r, i) => [...r, ...b[i]]);
const oneHot = (labels: number[], classes: number): number[][] => labels.map((l) => Array.from({ length: classes }, (_, j) => (j === l ? 1 : 0)));

export function judgeConditionalInput(cases: CondInputCase[], raws: unknown[]): Outcome {
  return checkValues<CondInputCase>({
    cases,
    raws,
    expected: (c) => c.expected.flat(),
    shape: (c) => [c.z.length, c.z[0].length + c.classes],
    mistakes: [
      {
        name: 'one-hot on the wrong axis',
        message: 'row i of the one-hot matrix must be the one-hot vector of labels[i] ([batch, classes], a 1 in column labels[i]); yours is its transpose: the class axis and the batch axis are swapped.',
        output: (c) => joinRows(c.z, oneHot(c.labels, c.classes)[0].map((_, j) => oneHot(c.labels, c.classes).map((r) => r[j]))),
      },
      {
        name: 'label before z',
        message: 'G reads [z | one-hot y]: z first, then the label (the order notebook 09 and gan.conditionalGenerator use).',
        output: (c) => joinRows(oneHot(c.labels, c.classes), c.z),
      },
      {
        name: 'the label as a number, not one-hot',
        message: 'y enters as a one-hot vector of `classes` values, not as one number: a class index has no order that G could use.',
        output: (c) => joinRows(c.z, c.labels.map((l) => [l])),
      },
    ],
    extremeHint: '',
  });
}

/** The projection D's parts on case c: ψ(φ(x)) without and with its bias, and the label's projection e_yᵀ φ(x). */
function parts(c: ProjectionCase): { psi: number[]; psiNoBias: number[]; proj: number[] } {
  const psiNoBias = c.features.map((f) => f.reduce((s, v, i) => s + v * c.psiKernel[i][0], 0));
  return { psiNoBias, psi: psiNoBias.map((v) => v + c.psiBias), proj: c.features.map((f, n) => f.reduce((s, v, i) => s + v * c.embedding[c.labels[n]][i], 0)) };
}

export function judgeProjection(cases: ProjectionCase[], raws: unknown[]): Outcome {
  return checkValues<ProjectionCase>({
    cases,
    raws,
    expected: (c) => c.expected.flat(),
    shape: (c) => [c.features.length, 1],
    mistakes: [
      {
        name: 'the projection term missing',
        message: "that is ψ(φ(x)) alone, the unconditional D's logit: the label enters through e_yᵀ φ(x), the inner product of φ(x) with row y of the embedding.",
        output: (c) => parts(c).psi,
      },
      {
        name: "the label concatenated to D's output",
        message: "y is put next to D's logit, after D has judged x: D's answer cannot depend on the class that way. The label must act on D's features: add e_yᵀ φ(x) to ψ(φ(x)).",
        output: (c) => joinRows(parts(c).psi.map((v) => [v]), oneHot(c.labels, c.embedding.length)),
      },
      {
        name: 'bias left out',
        message: 'ψ is a dense layer to one logit: φ(x)·w plus its bias b.',
        output: (c) => parts(c).psiNoBias.map((v, i) => v + parts(c).proj[i]),
      },
    ],
    extremeHint: '',
  });
}
