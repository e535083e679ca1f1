/**
 * hw.check('ex2', discriminatorLoss): the self-check a student runs after each exercise (public cases), and
 * the grader's verdict on what the sandboxed child reports. Both go through judge(): running the function
 * (runners.ts) and judging its results (checks/) are separate, so the grader can keep them in two processes.
 */
import { CaseSet, casesFiles, loadCases } from './cases';
import { judgeDiscriminatorLoss, judgeGeneratorLoss } from './checks/losses';
import { judgeMaxout, judgeParameterCount } from './checks/layers';
import { judgeKSteps, judgeLoop } from './checks/loop';
import { judgeParzen } from './checks/parzen';
import { judgePrior } from './checks/prior';
import { judgeGradients, judgeInvariant } from './checks/questions';
import { judgeDiscriminatorStep, judgeGeneratorStep } from './checks/steps';
import { judgeConditionalInput, judgeConvShapes, judgeProjection, judgeRingMetrics } from './checks/training';
import { judgeOptimalDiscriminator, judgeVirtualCriterion } from './checks/theory';
import { CheckResult, Outcome } from './outcome';
import { referenceCalled } from './references';
import { runCases } from './runners';
import { exercise } from './spec';

type Judge = (cases: never, raws: unknown[], points: number) => Outcome;

const JUDGES: { [K in keyof CaseSet]: Judge } = {
  ex1: judgePrior as Judge,
  ex2: judgeDiscriminatorLoss as Judge,
  ex3: judgeGeneratorLoss as Judge,
  ex4: judgeDiscriminatorStep as Judge,
  ex5: judgeGeneratorStep as Judge,
  ex6: judgeMaxout as Judge,
  ex7: judgeParameterCount as Judge,
  ex8: judgeOptimalDiscriminator as Judge,
  ex9: judgeVirtualCriterion as Judge,
  ex10: judgeParzen as Judge,
  q1: judgeGradients as Judge,
  q2: judgeInvariant as Judge,
  ex11: judgeLoop as Judge,
  t1: judgeConvShapes as Judge,
  t2: judgeRingMetrics as Judge,
  t3: judgeConditionalInput as Judge,
  t4: judgeProjection as Judge,
  t5: judgeKSteps as Judge,
};

/** What a run reports: raw results per case, or why there are none. */
export type RunReport = { raws: unknown[] } | { notAttempted: true } | { noFunction: true };

/**
 * The verdict on exercise `id` from what running the student's function reported, against the full cases
 * (expected values included). The score is computed here, capped at the exercise's points.
 */
export function judge(id: string, cases: unknown[], report: RunReport): CheckResult {
  const e = exercise(id);
  const judgeOf = JUDGES[id as keyof CaseSet];
  if (!judgeOf || !e.fn) throw new Error(`homework: ${id} is a written question; the teacher grades it by hand.`);
  let o: Outcome;
  if ('noFunction' in report) {
    o = { status: 'not attempted', fraction: 0, message: `no function ${e.fn} found: define \`function ${e.fn}(…)\` in the exercise's cell.` };
  } else if ('notAttempted' in report) {
    o = { status: 'not attempted', fraction: 0, message: `not implemented yet: replace \`throw new Error('not implemented')\` in ${e.fn} with your solution.` };
  } else if (report.raws.length !== cases.length) {
    o = { status: 'fail', fraction: 0, message: 'the run of your function gave no complete result.' };
  } else {
    o = judgeOf(cases as never, report.raws, e.points);
  }
  const fraction = Math.min(1, Math.max(0, Number.isFinite(o.fraction) ? o.fraction : 0));
  return { id, title: e.title, points: e.points, ...o, fraction, score: Math.round(e.points * fraction * 100) / 100 };
}

/** The verdict for a cell that calls the library's reference for the exercise instead of answering it. */
export function referenceVerdict(id: string, name: string): CheckResult {
  const e = exercise(id);
  return {
    id, title: e.title, points: e.points, status: 'fail', fraction: 0, score: 0, mistake: "calls the library's reference",
    message: `calls the library's reference gan.${name}: this exercise asks you to write ${e.fn} yourself, so it scores 0. Write it from the formula (the library's own code is the reference it is checked against).`,
  };
}

/** Grades `fn` as the answer to exercise `id` in this process, on the cases of `files` (default: see casesFiles()). */
export function grade(id: string, fn: unknown, files: string[] = casesFiles()): CheckResult {
  exercise(id);
  if (typeof fn === 'function') {
    const called = referenceCalled(id, String(fn));
    if (called) return referenceVerdict(id, called);
  }
  if (!JUDGES[id as keyof CaseSet]) return judge(id, [], { noFunction: true });
  const cases = loadCases(id as keyof CaseSet, files);
  if (typeof fn !== 'function') return judge(id, cases, { noFunction: true });
  const run = runCases(id as keyof CaseSet, fn, cases);
  return judge(id, cases, 'notAttempted' in run ? run : { raws: run });
}

const MARK: { [s: string]: string } = { pass: '✔', partial: '◐', fail: '✘', 'not attempted': '·' };

/** One line for a student: mark, exercise, status, points, message. */
export function formatResult(r: CheckResult): string {
  const mistake = r.mistake ? ` [${r.mistake}]` : '';
  return `${MARK[r.status]} ${r.id} (${r.title}): ${r.status}${mistake}, ${r.score}/${r.points} — ${r.message}`;
}

/**
 * The self-check: grades on the public cases and prints the verdict, one line. It returns nothing, so that the
 * notebook shows that line only (a cell's last value would be shown again); grade() returns the result.
 */
export function check(id: string, fn: unknown): void {
  console.log(formatResult(grade(id, fn)));
}
