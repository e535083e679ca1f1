/**
 * The course homework (homework/ at the top of the repository): exercise specs, reference cases made from
 * the lib's own functions, self-checks that name the mistake, and what the grader runs in each child process.
 */
export * from './spec';
export * from './cases';
export { generateCases, referenceLoop } from './generate';
export type { LoopVariant } from './generate';
export { grade, check, formatResult, judge, referenceVerdict } from './check';
export type { RunReport } from './check';
export { referenceCalled } from './references';
export { NOT_IMPLEMENTED, decodeRaw } from './outcome';
export type { CheckResult, Outcome, Status } from './outcome';
