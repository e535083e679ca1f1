// Grades submissions: every autograded exercise of every notebook in its own process (isolate.mjs), a few at
// a time; written answers collected for the teacher; locked cells compared with the release's checksums.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  ANSWER_STUB, assignmentOf, cellText, cellsById, checksum, gradeId, gradeInfo, publicCasesFile, readNotebook, sourceDir,
} from './notebook.mjs';
import { releaseNotebook } from './release.mjs';
import { buildProgram, compileProgram, newToken, runBatch, runIsolated } from './isolate.mjs';

const require = createRequire(import.meta.url);
const { EXERCISES, dependencies } = require('tsgan').homework;

/** The teacher's side of one assignment: reference cells (solutions) and the released cells (stubs, checksums). */
export function loadAssignment(name) {
  const source = path.join(sourceDir, `${name}.ipynb`);
  if (!fs.existsSync(source)) throw new Error(`no source notebook for assignment "${name}" (expected ${source}).`);
  const reference = new Map([...cellsById(readNotebook(source))].map(([id, c]) => [id, cellText(c)]));
  const released = cellsById(releaseNotebook(source));
  return { name, source, reference, released };
}

/** Student name: the file name, or its folder's name when the file keeps the assignment's name. */
export function studentName(file, root, assignment) {
  const stem = path.basename(file, '.ipynb');
  if (stem !== assignment) return stem;
  const rel = path.relative(root, path.dirname(file));
  return rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : stem;
}

/** What the grader reads from a submission: the solution cells, the written answers, changed locked cells. */
export function readSubmission(file, a) {
  const nb = readNotebook(file);
  const byId = cellsById(nb);
  const warnings = [];
  const cells = new Map();
  for (const e of EXERCISES) {
    let cell = byId.get(e.id);
    if (!cell && e.fn) {
      // a student who re-typed the cell lost its metadata: find the function instead
      cell = nb.cells.find((c) => c.cell_type === 'code' && new RegExp(`function\\s+${e.fn}\\s*[(<]`).test(cellText(c)));
      if (cell) warnings.push(`the cell of ${e.id} has lost its grade_id; graded the cell that defines ${e.fn}.`);
    }
    if (cell) cells.set(e.id, cellText(cell));
  }
  for (const [id, rc] of a.released) {
    if (gradeInfo(rc).solution) continue;
    const sc = byId.get(id);
    if (!sc) warnings.push(`locked cell "${id}" is missing (ignored: the grader uses its own checks).`);
    else if (checksum(sc) !== gradeInfo(rc).checksum) warnings.push(`locked cell "${id}" was modified (ignored: the grader uses its own checks).`);
  }
  return { cells, warnings };
}

const same = (a, b) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** What grading one exercise needs: a verdict already (not attempted, does not compile) or the programs to run. */
function prepareExercise(e, sub, a) {
  const head = { id: e.id, title: e.title, points: e.points };
  const text = sub.cells.get(e.id);
  const notAttempted = (message) => ({ ...head, status: 'not attempted', fraction: 0, score: 0, message });
  if (text === undefined) return { verdict: notAttempted(`no cell defines ${e.fn}.`) };
  if (same(text, cellText(a.released.get(e.id)))) return { verdict: notAttempted('the cell is as released.') };
  const token = newToken();
  const args = { id: e.id, fn: e.fn, referenceCells: dependencies(e.id).map((d) => a.reference.get(d)), studentCell: text, token };
  const alone = compileProgram(buildProgram(args));
  if (alone.error) return { verdict: verdictOf(e, { compileError: alone.error }) };
  const batch = compileProgram(buildProgram({ ...args, batch: true }));
  return { token, alone: alone.js, batch: batch.error ? null : batch.js };
}

/** The result line of a run (or how it ended) as the exercise's result. */
function verdictOf(e, r, timeoutSeconds) {
  const head = { id: e.id, title: e.title, points: e.points };
  const failed = (message) => ({ ...head, status: 'fail', fraction: 0, score: 0, message });
  if (r.compileError) return failed(`does not compile: ${r.compileError}`);
  if (r.timedOut) return failed(`timed out after ${timeoutSeconds} s (an infinite loop?).`);
  if (r.cellError !== undefined) {
    return r.cellError.toLowerCase().includes('not implemented')
      ? { ...head, status: 'not attempted', fraction: 0, score: 0, message: 'not implemented yet.' }
      : failed(`your cell threw when it ran: ${r.cellError}`);
  }
  if (r.crashed) return failed(`the program ended without a result (exit ${r.crashed.code ?? r.crashed.signal}): ${r.crashed.last.slice(0, 300)}`);
  return r;
}

/** One exercise in its own process. */
async function runAlone(e, prep, opts) {
  const run1 = () => runIsolated(prep.alone, { timeoutMs: opts.timeoutSeconds * 1000, token: prep.token, env: opts.env });
  let run = await run1();
  // A process that died without a word (not a timeout) is run once more: a lib rebuilt at that moment, or
  // memory pressure, must not cost a student points; a program that really crashes crashes twice.
  if (!run.result && !run.timedOut) run = await run1();
  if (run.result) return verdictOf(e, run.result, opts.timeoutSeconds);
  if (run.timedOut) return verdictOf(e, { timedOut: true }, opts.timeoutSeconds);
  const lines = run.stderr.trim().split('\n');
  return verdictOf(e, { crashed: { code: run.code, signal: run.signal, last: lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? '' } });
}

/**
 * Grades one submission: the exercises that compile run together in one process (fast: TensorFlow.js loads
 * once), each in its own scope with the time limit; any exercise without a result from there (the process
 * crashed or hung), every cell that needs top-level await, and everything when opts.isolate is set, runs
 * in a process of its own.
 */
async function gradeSubmission(s, opts) {
  const exercises = EXERCISES.filter((x) => x.kind === 'function');
  if (!s.a) return exercises.map((e) => ({ id: e.id, title: e.title, points: e.points, status: 'not attempted', fraction: 0, score: 0, message: s.sub.warnings[0] }));
  const preps = new Map(exercises.map((e) => [e.id, prepareExercise(e, s.sub, s.a)]));
  const results = new Map();
  for (const [id, p] of preps) if (p.verdict) results.set(id, p.verdict);
  const batchable = exercises.filter((e) => !results.has(e.id) && preps.get(e.id).batch && !opts.isolate);
  if (batchable.length) {
    const token = newToken();
    const got = await runBatch(batchable.map((e) => ({ id: e.id, js: preps.get(e.id).batch })), { timeoutMs: opts.timeoutSeconds * 1000, token, env: opts.env });
    for (const e of batchable) if (got.has(e.id)) results.set(e.id, verdictOf(e, got.get(e.id), opts.timeoutSeconds));
  }
  for (const e of exercises) if (!results.has(e.id)) results.set(e.id, await runAlone(e, preps.get(e.id), opts));
  return exercises.map((e) => results.get(e.id));
}

/** Runs tasks with at most `jobs` at once. */
async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

/**
 * Grades notebooks (files) of one or more assignments. Returns one record per student:
 * { student, file, assignment, results, written, warnings, seconds }.
 */
export async function gradeNotebooks(files, root, opts) {
  const o = {
    timeoutSeconds: opts.timeoutSeconds ?? 20,
    jobs: opts.jobs ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    isolate: Boolean(opts.isolate),
    env: { TSGAN_HOMEWORK_CASES: [publicCasesFile, ...(opts.hiddenCases ? [opts.hiddenCases] : [])].join(path.delimiter), TSGAN_QUICK: '1' },
  };
  const assignments = new Map();
  const subs = files.map((file) => {
    let nb;
    try {
      nb = readNotebook(file);
    } catch (e) {
      // one unreadable file must not stop a class: it becomes a row of zeros with the reason
      return { file, a: null, student: studentName(file, root, ''), sub: { cells: new Map(), warnings: [`not graded: ${e.message}`] } };
    }
    const name = assignmentOf(nb, file);
    if (!assignments.has(name)) assignments.set(name, loadAssignment(name));
    const a = assignments.get(name);
    return { file, a, student: studentName(file, root, name), sub: readSubmission(file, a) };
  });
  const t0 = Date.now();
  const graded = await pool(subs.map((s) => async () => {
    const t = Date.now();
    const results = await gradeSubmission(s, o);
    return { results, seconds: (Date.now() - t) / 1000 };
  }), o.jobs);
  const wall = (Date.now() - t0) / 1000;
  return {
    seconds: wall,
    students: subs.map((s, i) => ({
      student: s.student,
      file: s.file,
      assignment: s.a?.name ?? '?',
      results: graded[i].results,
      written: EXERCISES.filter((e) => e.kind === 'written').map((e) => {
        const t = (s.sub.cells.get(e.id) ?? '').trim();
        return { id: e.id, title: e.title, points: e.points, answer: !t || t === ANSWER_STUB ? '' : t };
      }),
      warnings: s.sub.warnings,
      seconds: graded[i].seconds,
    })),
  };
}

export { gradeId };
