/**
 * The common shape of a check on values: run every case, pass when all match; otherwise look for a known
 * mistake that explains the wrong answers, and give partial credit when only the extreme cases fail.
 */
import { Case } from '../cases';
import { allClose, asAttempt, ATOL, fail, fmt, fmtList, Outcome, partial, pass, RTOL, sameNumbers } from '../outcome';

export interface Mistake<C> {
  /** Short name shown in the results table ('sign flipped'). */
  name: string;
  /** What went wrong and how to fix it, for the student. */
  message: string;
  /** What this mistake returns on case c; undefined when the case cannot tell. */
  output?: (c: C) => number[] | undefined;
  /** Or a direct test of the student's numbers on case c (undefined: this case cannot tell). */
  test?: (c: C, got: number[]) => boolean | undefined;
}

export interface ValueCheck<C extends Case> {
  cases: C[];
  /** What the student's function gave on each case (runners.ts), in the order of cases. */
  raws: unknown[];
  expected: (c: C) => number[];
  /** Expected shape of the answer, when it is an array or a tensor. */
  shape?: (c: C) => number[];
  mistakes: Mistake<C>[];
  rtol?: number;
  atol?: number;
  /** Said when ordinary cases pass and only extreme ones fail. */
  extremeHint: string;
  /** The mistake named when only extreme cases fail with a non-finite answer. */
  extremeMistake?: { name: string; message: string };
}

interface Ran<C> {
  c: C;
  ok: boolean;
  values: number[];
  shape: number[];
  error?: string;
  leaked: number;
}

export function checkValues<C extends Case>(v: ValueCheck<C>): Outcome {
  const rtol = v.rtol ?? RTOL;
  const atol = v.atol ?? ATOL;
  const ran: Ran<C>[] = v.cases.map((c, i) => {
    const a = asAttempt(v.raws[i]);
    if (!a.ok) return { c, ok: false, values: [], shape: [], error: a.error, leaked: 0 };
    const shapeOk = !v.shape || sameShape(a.shape, v.shape(c));
    return { c, ok: shapeOk && allClose(a.values, v.expected(c), rtol, atol), values: a.values, shape: a.shape, leaked: a.leaked };
  });
  const leaked = Math.max(...ran.map((r) => r.leaked));
  const leakNote = leaked > 0 ? ` (Note: each call leaves ${leaked} tensor(s) behind; wrap the work in tf.tidy.)` : '';
  const failed = ran.filter((r) => !r.ok);
  if (failed.length === 0) return pass(`all ${ran.length} cases match.${leakNote}`);

  const thrown = failed.find((r) => r.error !== undefined);
  const ordinaryFailed = failed.filter((r) => !r.c.extreme);
  const named = thrown ? undefined : nameMistake(v.mistakes, ordinaryFailed.length > 0 ? ordinaryFailed : failed);
  const first = ordinaryFailed[0] ?? failed[0];
  const describe = (r: Ran<C>): string => {
    // nothing of a hidden case in a message: not its numbers, not what the student's code said about them
    if (r.c.hidden) return `wrong on a hidden case ("${r.c.label}")${r.error !== undefined ? ': your function threw' : ''}`;
    if (r.error !== undefined) return `on "${r.c.label}" your function threw: ${r.error}`;
    const want = v.expected(r.c);
    if (v.shape && !sameShape(r.shape, v.shape(r.c))) {
      return `on "${r.c.label}" your answer has shape [${r.shape.join(', ')}], expected [${v.shape(r.c).join(', ')}]`;
    }
    return `on "${r.c.label}" expected ${want.length === 1 ? fmt(want[0]) : fmtList(want)}, got ${r.values.length === 1 ? fmt(r.values[0]) : fmtList(r.values)}`;
  };
  if (ordinaryFailed.length === 0) {
    const nonFinite = failed.some((r) => r.values.some((x) => !Number.isFinite(x)));
    const m = nonFinite ? v.extremeMistake : undefined;
    const what = `right on ordinary inputs, wrong on extreme ones: ${describe(first)}.`;
    return m ? partial(0.5, `${m.name}: ${what} ${m.message}`, m.name) : partial(0.5, `${what} ${v.extremeHint}`);
  }
  if (named) return fail(`${named.name}: ${named.message} (${describe(first)}.)`, named.name);
  return fail(`${describe(first)}.${leakNote}`);
}

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function nameMistake<C>(mistakes: Mistake<C>[], failed: Ran<C>[]): Mistake<C> | undefined {
  return mistakes.find((m) => {
    let told = 0;
    for (const r of failed) {
      const verdict = m.test ? m.test(r.c, r.values) : (() => {
        const out = m.output?.(r.c);
        return out === undefined ? undefined : sameNumbers(r.values, out);
      })();
      if (verdict === false) return false;
      if (verdict === true) told++;
    }
    return told > 0;
  });
}
