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
import { buildProgram, compileProgram, newToken, runIsolated } from './isolate.mjs';

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

async function gradeExercise(e, sub, a, opts) {
  const head = { id: e.id, title: e.title, points: e.points };
  const text = sub.cells.get(e.id);
  const notAttempted = (message) => ({ ...head, status: 'not attempted', fraction: 0, score: 0, message });
  if (text === undefined) return notAttempted(`no cell defines ${e.fn}.`);
  if (same(text, cellText(a.released.get(e.id)))) return notAttempted('the cell is as released.');
  const token = newToken();
  const program = buildProgram({ id: e.id, fn: e.fn, referenceCells: dependencies(e.id).map((d) => a.reference.get(d)), studentCell: text, token });
  const compiled = compileProgram(program);
  const failed = (message) => ({ ...head, status: 'fail', fraction: 0, score: 0, message });
  if (compiled.error) return failed(`does not compile: ${compiled.error}`);
  const env = { TSGAN_HOMEWORK_CASES: opts.casesFiles.join(path.delimiter), TSGAN_QUICK: '1' };
  let run = await runIsolated(compiled.js, { timeoutMs: opts.timeoutSeconds * 1000, token, env });
  // A process that died without a word (not a timeout) is run once more: a lib rebuilt at that moment, or
  // memory pressure, must not cost a student points; a program that really crashes crashes twice.
  if (!run.result && !run.timedOut) run = await runIsolated(compiled.js, { timeoutMs: opts.timeoutSeconds * 1000, token, env });
  const r = run.result;
  if (r && r.cellError !== undefined) {
    return r.cellError.toLowerCase().includes('not implemented') ? notAttempted('not implemented yet.') : failed(`your cell threw when it ran: ${r.cellError}`);
  }
  if (r) return r;
  if (run.timedOut) return failed(`timed out after ${opts.timeoutSeconds} s (an infinite loop?).`);
  const last = run.stderr.trim().split('\n').filter((l) => /error/i.test(l)).pop() ?? run.stderr.trim().split('\n').pop() ?? '';
  return failed(`the program ended without a result (exit ${run.code ?? run.signal}): ${last.slice(0, 300)}`);
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
    casesFiles: [publicCasesFile, ...(opts.hiddenCases ? [opts.hiddenCases] : [])],
  };
  const assignments = new Map();
  const subs = files.map((file) => {
    const name = assignmentOf(readNotebook(file), file);
    if (!assignments.has(name)) assignments.set(name, loadAssignment(name));
    const a = assignments.get(name);
    return { file, a, student: studentName(file, root, name), sub: readSubmission(file, a), started: 0, finished: 0 };
  });
  const tasks = [];
  for (const s of subs) {
    for (const e of EXERCISES.filter((x) => x.kind === 'function')) {
      tasks.push(async () => {
        const t0 = Date.now();
        const r = await gradeExercise(e, s.sub, s.a, o);
        s.cpuMillis = (s.cpuMillis ?? 0) + (Date.now() - t0);
        return { s, r };
      });
    }
  }
  const t0 = Date.now();
  const done = await pool(tasks, o.jobs);
  const wall = (Date.now() - t0) / 1000;
  return {
    seconds: wall,
    students: subs.map((s) => ({
      student: s.student,
      file: s.file,
      assignment: s.a.name,
      results: done.filter((d) => d.s === s).map((d) => d.r),
      written: EXERCISES.filter((e) => e.kind === 'written').map((e) => {
        const t = (s.sub.cells.get(e.id) ?? '').trim();
        return { id: e.id, title: e.title, points: e.points, answer: !t || t === ANSWER_STUB ? '' : t };
      }),
      warnings: s.sub.warnings,
      seconds: (s.cpuMillis ?? 0) / 1000,
    })),
  };
}

export { gradeId };
