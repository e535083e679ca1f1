/**
 * hw.check('ex2', discriminatorLoss): the self-check a student runs after each exercise (public cases),
 * and grade(), which the grader runs on public and hidden cases in an isolated process.
 */
import { CaseSet, casesFiles, loadCases } from './cases';
import { checkDiscriminatorLoss, checkGeneratorLoss } from './checks/losses';
import { checkMaxout, checkParameterCount } from './checks/layers';
import { checkLoop } from './checks/loop';
import { checkParzen } from './checks/parzen';
import { checkPrior } from './checks/prior';
import { checkGradients } from './checks/questions';
import { checkDiscriminatorStep, checkGeneratorStep } from './checks/steps';
import { checkOptimalDiscriminator, checkVirtualCriterion } from './checks/theory';
import { CheckResult, NotAttempted, Outcome } from './outcome';
import { exercise } from './spec';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown;
type Checker = (fn: AnyFn, cases: never) => Outcome;

const CHECKERS: { [K in keyof CaseSet]: Checker } = {
  ex1: checkPrior as Checker,
  ex2: checkDiscriminatorLoss as Checker,
  ex3: checkGeneratorLoss as Checker,
  ex4: checkDiscriminatorStep as Checker,
  ex5: checkGeneratorStep as Checker,
  ex6: checkMaxout as Checker,
  ex7: checkParameterCount as Checker,
  ex8: checkOptimalDiscriminator as Checker,
  ex9: checkVirtualCriterion as Checker,
  ex10: checkParzen as Checker,
  q1: checkGradients as Checker,
  ex11: checkLoop as Checker,
};

/** Grades `fn` as the answer to exercise `id` on the cases of `files` (default: see casesFiles()). Never throws for the student's errors. */
export function grade(id: string, fn: unknown, files: string[] = casesFiles()): CheckResult {
  const e = exercise(id);
  const checker = CHECKERS[id as keyof CaseSet];
  if (!checker || !e.fn) throw new Error(`homework: ${id} is a written question; the teacher grades it by hand.`);
  const head = { id, title: e.title, points: e.points };
  let o: Outcome;
  if (typeof fn !== 'function') {
    o = { status: 'not attempted', fraction: 0, message: `no function ${e.fn} found: define \`function ${e.fn}(…)\` in the exercise's cell.` };
  } else {
    try {
      o = checker(fn as AnyFn, loadCases(id as keyof CaseSet, files) as never);
    } catch (err) {
      if (!(err instanceof NotAttempted)) throw err;
      o = { status: 'not attempted', fraction: 0, message: `not implemented yet: replace \`throw new Error('not implemented')\` in ${e.fn} with your solution.` };
    }
  }
  return { ...head, ...o, score: Math.round(e.points * o.fraction * 100) / 100 };
}

const MARK: { [s: string]: string } = { pass: '✔', partial: '◐', fail: '✘', 'not attempted': '·' };

/** One line for a student: mark, exercise, status, points, message. */
export function formatResult(r: CheckResult): string {
  const mistake = r.mistake ? ` [${r.mistake}]` : '';
  return `${MARK[r.status]} ${r.id} (${r.title}): ${r.status}${mistake}, ${r.score}/${r.points} — ${r.message}`;
}

/** The self-check: grades on the public cases and prints the verdict. Returns the result too. */
export function check(id: string, fn: unknown): CheckResult {
  const r = grade(id, fn);
  console.log(formatResult(r));
  return r;
}
