/**
 * ex4 and ex5: one D step and one G step with tf.train.sgd, compared weight for weight with the lib's
 * discriminatorStep / generatorStep (plain SGD) on the same small GAN and batch.
 */
import { DStepCase, GStepCase } from '../cases';
import { allClose, asAttempt, asNumbers, close, fail, fmt, Outcome, partial, pass, Raw } from '../outcome';
import { initialWeights } from '../smallGan';

interface StepRun {
  loss: number;
  gBefore: number[];
  dBefore: number[];
  gAfter: number[];
  dAfter: number[];
}

type Player = 'D' | 'G';

/** A step's report from untrusted data (runners.ts runStep), with its types checked. */
function stepRun(c: DStepCase | GStepCase, raw: unknown): StepRun | { error: string } {
  const r = (raw ?? {}) as Raw;
  if (r.ok !== true) {
    const a = asAttempt(r);
    return { error: a.ok ? 'no result' : a.error };
  }
  const loss = typeof r.loss === 'number' ? r.loss : NaN;
  // the weights before the step are the case's own: made here, not taken from the child's report
  const { g, d } = initialWeights(c.gan);
  return { loss, gBefore: g, dBefore: d, gAfter: asNumbers(r.gAfter), dAfter: asNumbers(r.dAfter) };
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
      const numbers = c.hidden ? '' : ` (${fmt(r.loss)}, expected ${fmt(want.loss)})`;
      return partial(0.5, `on "${c.label}" ${player}'s weights are right, but the number returned${numbers} is not the loss before the update.`);
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
  const largest = c.hidden ? '' : ` (largest difference ${fmt(Math.max(...got.map((x, i) => Math.abs(x - ref[i]))))})`;
  return fail(`on "${c.label}" ${player}'s weights after your step differ from one SGD step on the loss of Algorithm 1${largest}.`);
}

const threw = (c: DStepCase | GStepCase, error: string): Outcome => fail(`on "${c.label}" your function threw${c.hidden ? '' : `: ${error}`}`);

export function judgeDiscriminatorStep(cases: DStepCase[], raws: unknown[]): Outcome {
  for (const [i, c] of cases.entries()) {
    const r = stepRun(c, raws[i]);
    if ('error' in r) return threw(c, r.error);
    const verdict = diagnose('D', c, r, { loss: c.expected.loss, mine: c.expected.dAfter, others: c.expected.gAfter }, []);
    if (verdict) return verdict;
  }
  return pass(`all ${cases.length} cases match one SGD step of gan.discriminatorStep, and G did not move.`);
}

export function judgeGeneratorStep(cases: GStepCase[], raws: unknown[]): Outcome {
  for (const [i, c] of cases.entries()) {
    const r = stepRun(c, raws[i]);
    if ('error' in r) return threw(c, r.error);
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
