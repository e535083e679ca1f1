/**
 * ex4 and ex5: one D step and one G step with tf.train.sgd, compared weight for weight with the lib's
 * discriminatorStep / generatorStep (plain SGD) on the same small GAN and batch.
 */
import * as tf from '@tensorflow/tfjs';
import { DStepCase, GStepCase } from '../cases';
import { allClose, attempt, close, fail, fmt, Outcome, partial, pass } from '../outcome';
import { buildSmallGan, disposeModels, flatWeights } from '../smallGan';

export type DiscriminatorStepFn = (G: tf.LayersModel, D: tf.LayersModel, optimizer: tf.Optimizer, real: tf.Tensor2D, z: tf.Tensor2D) => unknown;
export type GeneratorStepFn = (G: tf.LayersModel, D: tf.LayersModel, optimizer: tf.Optimizer, z: tf.Tensor2D) => unknown;

interface StepRun {
  loss: number;
  gBefore: number[];
  dBefore: number[];
  gAfter: number[];
  dAfter: number[];
}

type Player = 'D' | 'G';

function runStep(c: DStepCase | GStepCase, call: (G: tf.LayersModel, D: tf.LayersModel, opt: tf.Optimizer) => unknown): StepRun | { error: string } {
  const { G, D } = buildSmallGan(c.gan);
  const opt = tf.train.sgd(c.lr);
  try {
    const gBefore = flatWeights(G);
    const dBefore = flatWeights(D);
    const a = attempt(() => call(G, D, opt));
    if (!a.ok) return { error: a.error };
    return { loss: a.values[0], gBefore, dBefore, gAfter: flatWeights(G), dAfter: flatWeights(D) };
  } finally {
    opt.dispose();
    disposeModels(G, D);
  }
}

const diff = (a: number[], b: number[]): number[] => a.map((x, i) => x - b[i]);
const moved = (before: number[], after: number[]): boolean => before.some((x, i) => Math.abs(after[i] - x) > 1e-7);
const sameStep = (got: number[], want: number[]): boolean => allClose(got, want, 1e-3, 1e-6);

/** Diagnoses one step of `player`; `other` must not move. extra: further known mistakes for this player. */
function diagnose(
  player: Player,
  c: DStepCase | GStepCase,
  r: StepRun,
  want: { loss: number; mine: number[]; others: number[] },
  extra: { name: string; message: string; after: number[] }[],
): Outcome | null {
  const other: Player = player === 'D' ? 'G' : 'D';
  const [mineBefore, mineAfter, otherBefore, otherAfter] =
    player === 'D' ? [r.dBefore, r.dAfter, r.gBefore, r.gAfter] : [r.gBefore, r.gAfter, r.dBefore, r.dAfter];
  if (moved(otherBefore, otherAfter)) {
    const fix = `pass ${player}'s variables only: optimizer.minimize(loss, true, ${player}.trainableWeights.map((w) => w.read() as tf.Variable)).`;
    return fail(
      `a step that also moves the other network: your ${player} step changed ${other}'s weights too (${player === 'G' ? 'D must stay frozen during G\'s step' : 'G is a constant during D\'s step'}); ${fix}`,
      'a step that also moves the other network',
    );
  }
  const got = diff(mineAfter, mineBefore);
  const ref = diff(want.mine, mineBefore);
  if (sameStep(got, ref)) {
    if (!close(r.loss, want.loss, 1e-3, 1e-5)) {
      return partial(0.5, `on "${c.label}" ${player}'s weights are right, but the number returned (${fmt(r.loss)}) is not the loss before the update (${fmt(want.loss)}).`);
    }
    return null;
  }
  if (!moved(mineBefore, mineAfter)) {
    return fail(`on "${c.label}" ${player}'s weights did not change: compute the loss inside the function you pass to optimizer.minimize, with ${player}'s variables in its var list.`);
  }
  if (sameStep(got, ref.map((x) => -x))) {
    return fail(
      `sign flipped: your step moved ${player} exactly the wrong way (it ascended the loss). optimizer.minimize descends what you return, so return the loss, not its negative.`,
      'sign flipped',
    );
  }
  const n = (c as DStepCase).real?.length ?? c.z.length;
  if (sameStep(got, ref.map((x) => n * x))) {
    return fail(`sum instead of mean: your step is ${n}× the right one (the batch size): the loss must average over the batch.`, 'sum instead of mean');
  }
  for (const m of extra) if (sameStep(got, diff(m.after, mineBefore))) return fail(`${m.name}: ${m.message}`, m.name);
  return fail(`on "${c.label}" ${player}'s weights after your step differ from one SGD step on the loss of Algorithm 1 (largest difference ${fmt(Math.max(...got.map((x, i) => Math.abs(x - ref[i]))))}).`);
}

export function checkDiscriminatorStep(fn: DiscriminatorStepFn, cases: DStepCase[]): Outcome {
  for (const c of cases) {
    const r = runStep(c, (G, D, opt) => tf.tidy(() => fn(G, D, opt, tf.tensor2d(c.real), tf.tensor2d(c.z)) as tf.Tensor));
    if ('error' in r) return fail(`on "${c.label}" your function threw: ${r.error}`);
    const verdict = diagnose('D', c, r, { loss: c.expected.loss, mine: c.expected.dAfter, others: c.expected.gAfter }, []);
    if (verdict) return verdict;
  }
  return pass(`all ${cases.length} cases match one SGD step of gan.discriminatorStep, and G did not move.`);
}

export function checkGeneratorStep(fn: GeneratorStepFn, cases: GStepCase[]): Outcome {
  for (const c of cases) {
    const r = runStep(c, (G, D, opt) => tf.tidy(() => fn(G, D, opt, tf.tensor2d(c.z)) as tf.Tensor));
    if ('error' in r) return fail(`on "${c.label}" your function threw: ${r.error}`);
    const verdict = diagnose('G', c, r, { loss: c.expected.loss, mine: c.expected.gAfter, others: c.expected.dAfter }, [
      {
        name: 'saturating and non-saturating swapped',
        message: "this step descends the saturating loss log(1 − D(G(z))); G's step here uses the non-saturating −log D(G(z)) (paper §3).",
        after: c.expected.gAfterSaturating,
      },
    ]);
    if (verdict) return verdict;
  }
  return pass(`all ${cases.length} cases match one SGD step of gan.generatorStep (non-saturating), and D did not move.`);
}
