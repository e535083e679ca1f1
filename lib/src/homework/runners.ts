/**
 * The half of each check that runs the student's function: it calls it on each case's inputs and reads what
 * comes back as plain data (values, shapes, weights before and after). This is all the sandboxed child does
 * (runtime/child.ts); judging those data against the expected values happens in the parent (judge.ts), which
 * never runs student code. hw.check runs both halves in the student's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random/rng';
import type { CaseSet } from './cases';
import { attempt, NotAttempted, Raw } from './outcome';
import { buildSmallGan, disposeModels, flatWeights, realSampler } from './smallGan';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
/** A case without its expected values: what enters the sandbox. */
type Inputs<K extends keyof CaseSet> = Omit<CaseSet[K][number], 'expected'>;
type Runner<K extends keyof CaseSet> = (fn: AnyFn, c: Inputs<K>) => Raw;

/** An answer { a, b, … } as the numbers of `keys`, in their order (anything else becomes NaN and fails). */
function asList(v: unknown, keys: string[]): number[] {
  const o = (v ?? {}) as { [k: string]: unknown };
  return keys.map((k) => (typeof o[k] === 'number' ? (o[k] as number) : NaN));
}

/** One step of a player on the case's small GAN: every weight before and after, and the number returned. */
function runStep(c: Inputs<'ex4'> | Inputs<'ex5'>, call: (G: tf.LayersModel, D: tf.LayersModel, opt: tf.Optimizer) => unknown): Raw {
  const { G, D } = buildSmallGan(c.gan);
  const opt = tf.train.sgd(c.lr);
  try {
    const gBefore = flatWeights(G);
    const dBefore = flatWeights(D);
    const a = attempt(() => call(G, D, opt));
    if (!a.ok) return a;
    return { ok: true, loss: a.values[0], gBefore, dBefore, gAfter: flatWeights(G), dAfter: flatWeights(D) };
  } finally {
    opt.dispose();
    disposeModels(G, D);
  }
}

/** A training loop on the case's small GAN (ex11, t5): every weight after it, and the tensors it left behind. */
function runLoop(fn: AnyFn, c: Inputs<'ex11'> | Inputs<'t5'>, options: object): Raw {
  const { G, D } = buildSmallGan(c.gan);
  const dOpt = tf.train.sgd(c.lr);
  const gOpt = tf.train.sgd(c.lr);
  try {
    const before = tf.memory().numTensors;
    const sampleReal = realSampler(c.realSeed, c.realMean, c.realStd, c.gan.dataDim);
    const a = attempt(() => fn(G, D, dOpt, gOpt, sampleReal, new Rng(c.zSeed), options));
    if (!a.ok) return a;
    return { ok: true, dAfter: flatWeights(D), gAfter: flatWeights(G), leaked: tf.memory().numTensors - before };
  } finally {
    dOpt.dispose();
    gOpt.dispose();
    disposeModels(G, D);
  }
}

const t1 = (xs: number[]) => tf.tensor1d(xs);

export const RUNNERS: { [K in keyof CaseSet]: Runner<K> } = {
  ex1: (fn, c) => {
    const rng = new Rng(c.seed);
    const stateBefore = JSON.stringify(rng.getState());
    const a = attempt(() => fn(c.n, c.dim, rng));
    const rngUsed = JSON.stringify(rng.getState()) !== stateBefore;
    return { a, b: attempt(() => fn(c.n, c.dim, new Rng(c.seed))), rngUsed };
  },
  ex2: (fn, c) => attempt(() => tf.tidy(() => fn(t1(c.real), t1(c.fake)))),
  ex3: (fn, c) => attempt(() => tf.tidy(() => fn(t1(c.fake), c.variant))),
  ex4: (fn, c) => runStep(c, (G, D, opt) => tf.tidy(() => fn(G, D, opt, tf.tensor2d(c.real), tf.tensor2d(c.z)))),
  ex5: (fn, c) => runStep(c, (G, D, opt) => tf.tidy(() => fn(G, D, opt, tf.tensor2d(c.z)))),
  ex6: (fn, c) => attempt(() => tf.tidy(() => fn(tf.tensor2d(c.x), tf.tensor2d(c.kernel), t1(c.bias), c.units, c.pieces))),
  ex7: (fn, c) => attempt(() => fn(c.inputs, [...c.hiddenUnits], c.pieces)),
  ex8: (fn, c) => attempt(() => fn([...c.pData], [...c.pG])),
  ex9: (fn, c) => attempt(() => fn([...c.pData], [...c.pG], c.dx)),
  ex10: (fn, c) => attempt(() => fn(c.centres.map((r) => [...r]), [...c.x], c.sigma)),
  q1: (fn, c) => attempt(() => asList(fn(c.d), ['saturating', 'nonSaturating'])),
  // the quantity at each point, at its image in Algorithm 1's order, at its image in the other order
  q2: (fn, c) => attempt(() => [...c.points, ...c.dFirst, ...c.gFirst].map(([x, y]) => fn(x, y, c.eta))),
  ex11: (fn, c) => runLoop(fn, c, { steps: c.steps, batchSize: c.batchSize, latentDim: c.gan.latentDim }),
  t1: (fn, c) => attempt(() => fn([...c.input], c.layers.map((l) => ({ ...l })))),
  t2: (fn, c) => attempt(() => asList(fn(c.points.map((p) => [...p]), c.centres.map((p) => [...p]), c.std), ['modesCovered', 'highQualityShare'])),
  t3: (fn, c) => attempt(() => tf.tidy(() => fn(tf.tensor2d(c.z), [...c.labels], c.classes))),
  t4: (fn, c) =>
    attempt(() => tf.tidy(() => fn(tf.tensor2d(c.features), [...c.labels], tf.tensor2d(c.psiKernel), c.psiBias, tf.tensor2d(c.embedding)))),
  t5: (fn, c) => runLoop(fn, c, { iterations: c.steps, k: c.k, batchSize: c.batchSize, latentDim: c.gan.latentDim }),
};

/** Runs `fn` on every case of exercise `id`; { notAttempted } when it throws the stub's "not implemented". */
export function runCases(id: keyof CaseSet, fn: unknown, inputs: unknown[]): Raw[] | { notAttempted: true } {
  const run = RUNNERS[id] as unknown as (fn: AnyFn, c: unknown) => Raw;
  try {
    return inputs.map((c) => run(fn as AnyFn, c));
  } catch (e) {
    if (e instanceof NotAttempted) return { notAttempted: true };
    throw e;
  }
}
