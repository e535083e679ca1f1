// Grades submissions: each student's exercises run in a sandbox (sandbox.mjs) that receives the cells and the
// inputs of the cases, and reports raw results; this process, which never runs student code, judges them
// against the expected values (public and hidden) and computes the scores. Written answers are collected for
// the teacher; locked cells are compared with the release's checksums.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ANSWER_STUB, OVERVIEW_ID, assignmentOf, cellText, cellsById, checksum, gradeId, gradeInfo, publicCasesFile, readNotebook, sourceDir } from './notebook.mjs';
import { releaseNotebook, rubricsOf } from './release.mjs';
import { buildProgram, compileProgram } from './program.mjs';
import { runSandboxed } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const { ASSIGNMENTS, EXERCISES, assignment, caseInputs, decodeRaw, exercisesOf, judge, loadCases, referenceCalled, referenceVerdict } = require('tsgan').homework;
/** A notebook larger than this is no homework: it is not read. */
export const MAX_NOTEBOOK_BYTES = 20 << 20;

/** The teacher's side of one assignment: its exercises, the released cells (stubs, checksums), the rubrics. */
export function loadAssignment(name) {
  const source = path.join(sourceDir, `${name}.ipynb`);
  if (!fs.existsSync(source)) throw new Error(`no source notebook for assignment "${name}" (expected ${path.basename(source)} in homework/source).`);
  return { name, source, exercises: exercisesOf(name), released: cellsById(releaseNotebook(source)), rubrics: rubricsOf(source) };
}

const knownAssignment = (name) => ASSIGNMENTS.some((a) => a.name === name);

/**
 * The assignment of a notebook that cannot be graded (unreadable, or of no known assignment), so that its row of
 * zeros lands in the right place: the one its file or folder is named after, or the only one there is.
 */
function guessAssignment(file, root) {
  const names = [path.basename(file, '.ipynb'), ...path.relative(root, path.dirname(file)).split(path.sep)];
  return names.find(knownAssignment) ?? (ASSIGNMENTS.length === 1 ? ASSIGNMENTS[0].name : undefined);
}

/** Student name: the file name, or its folder's name when the file keeps the assignment's name. */
export function studentName(file, root, assignment) {
  const stem = path.basename(file, '.ipynb');
  if (stem !== assignment) return stem;
  const rel = path.relative(root, path.dirname(file));
  return rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : stem;
}

/** What the grader reads from a submission: the solution cells, the written answers, changed locked cells. */
export function readSubmission(nb, a) {
  const byId = cellsById(nb);
  const warnings = [];
  const cells = new Map();
  for (const e of a.exercises) {
    let cell = byId.get(e.id);
    if (!cell && e.fn) {
      // a student who re-typed the cell lost its metadata: find the function instead
      cell = nb.cells.find((c) => c.cell_type === 'code' && new RegExp(`function\\s+${e.fn}\\s*[(<]`).test(cellText(c)));
      if (cell) warnings.push(`the cell of ${e.id} has lost its grade_id; graded the cell that defines ${e.fn}.`);
    }
    if (cell) cells.set(e.id, cellText(cell));
  }
  for (const [id, rc] of a.released) {
    if (gradeInfo(rc).solution || id === OVERVIEW_ID) continue; // the overview is written by the release, not the student's
    const sc = byId.get(id);
    if (!sc) warnings.push(`locked cell "${id}" is missing (ignored: the grader uses its own checks).`);
    else if (checksum(sc) !== gradeInfo(rc).checksum) warnings.push(`locked cell "${id}" was modified (ignored: the grader uses its own checks).`);
  }
  return { cells, warnings };
}

const same = (a, b) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
const head = (e) => ({ id: e.id, title: e.title, points: e.points });
const notAttempted = (e, message) => ({ ...head(e), status: 'not attempted', fraction: 0, score: 0, message });
const failed = (e, message) => ({ ...head(e), status: 'fail', fraction: 0, score: 0, message });

/** A verdict without running anything (no cell, as released, calls the reference, does not compile), or the program to run. */
function prepareExercise(e, sub, a, cases) {
  const text = sub.cells.get(e.id);
  if (text === undefined) return { verdict: notAttempted(e, `no cell defines ${e.fn}.`) };
  if (same(text, cellText(a.released.get(e.id)))) return { verdict: notAttempted(e, 'the cell is as released.') };
  const called = referenceCalled(e.id, text);
  if (called) return { verdict: referenceVerdict(e.id, called) };
  const program = buildProgram(e.id, text);
  const compiled = compileProgram(program);
  if (compiled.error) return { verdict: failed(e, `does not compile: ${compiled.error}`) };
  return { program: { id: e.id, js: compiled.js, dependsOn: program.dependsOn, inputs: cases(e.id).map(caseInputs) } };
}

/** The verdict on what the child reported for one exercise: judged here against the full cases. */
function verdictOf(e, msg, cases) {
  const r = msg.report ?? {};
  if (typeof r.cellError === 'string') {
    return r.cellError.toLowerCase().includes('not implemented') ? notAttempted(e, 'not implemented yet.') : failed(e, `your cell threw when it ran: ${r.cellError.slice(0, 300)}`);
  }
  const report = r.noFunction === true ? { noFunction: true } : r.notAttempted === true ? { notAttempted: true } : { raws: Array.isArray(r.raws) ? r.raws : [] };
  try {
    return judge(e.id, cases(e.id), report);
  } catch {
    return failed(e, 'the run of your function gave a result the grader cannot read.');
  }
}

/**
 * Runs a student's programs in the sandbox, as many per process as finish: an exercise that times out, or a
 * process that dies (process.exit, a crash, memory), costs that exercise only, and the exercises left run
 * in a fresh process (so a time-out inside a gradient tape cannot touch later ones).
 */
async function runPrograms(programs, opts, cases) {
  const byId = new Map(EXERCISES.map((e) => [e.id, e]));
  const results = new Map();
  let pending = programs;
  let emptyRuns = 0;
  while (pending.length) {
    const batch = opts.isolate ? pending.slice(0, 1) : pending;
    let current = null;
    let started = 0;
    const run = await runSandboxed(
      { timeoutMs: opts.timeoutSeconds * 1000, programs: batch },
      {
        perMessageMs: opts.timeoutSeconds * 1000 + 15_000,
        wallMs: (opts.timeoutSeconds + 15) * 1000 * batch.length + 90_000,
        memoryMb: opts.memoryMb,
        onMessage: (line) => {
          let msg;
          try {
            msg = decodeRaw(line);
          } catch {
            return; // not the child's: a student's write on the channel
          }
          const e = byId.get(msg?.id);
          if (!e || results.has(e.id) || !batch.some((p) => p.id === e.id)) return;
          if (msg.start === true) {
            current = e.id;
            started++;
          } else if (msg.timedOut === true) results.set(e.id, failed(e, `timed out after ${opts.timeoutSeconds} s (an infinite loop?).`));
          else if (msg.report) results.set(e.id, verdictOf(e, msg, cases));
        },
      },
    );
    if (current && !results.has(current)) {
      const e = byId.get(current);
      if (run.killedFor === 'time') results.set(current, failed(e, `timed out after ${opts.timeoutSeconds} s (an infinite loop?).`));
      else if (run.killedFor === 'memory') results.set(current, failed(e, `used more than ${opts.memoryMb} MB of memory: the grader stopped it.`));
      else results.set(current, failed(e, `the program ended without a result (exit ${run.code ?? run.signal}).`));
    }
    if (started === 0) {
      // no student code ran: the sandbox itself failed to start. Once may be chance (memory); twice is the machine
      if (++emptyRuns >= 2) throw new Error(`the grading sandbox does not start: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    pending = pending.filter((p) => !results.has(p.id));
  }
  return results;
}

/** Grades one submission: verdicts that need no run, then the sandbox for the rest. */
async function gradeSubmission(s, opts, cases) {
  if (!s.a) return s.ungraded.map((e) => notAttempted(e, s.sub.warnings[0]));
  const exercises = s.a.exercises.filter((x) => x.kind === 'function');
  const preps = new Map(exercises.map((e) => [e.id, prepareExercise(e, s.sub, s.a, cases)]));
  const results = new Map([...preps].filter(([, p]) => p.verdict).map(([id, p]) => [id, p.verdict]));
  const programs = exercises.filter((e) => !results.has(e.id)).map((e) => preps.get(e.id).program);
  const timeoutSeconds = opts.timeoutSeconds ?? assignment(s.a.name).timeoutSeconds; // --timeout, else the assignment's
  for (const [id, r] of await runPrograms(programs, { ...opts, timeoutSeconds }, cases)) results.set(id, r);
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
    timeoutSeconds: opts.timeoutSeconds, // undefined: each assignment's own (spec.ts)
    jobs: opts.jobs ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    isolate: Boolean(opts.isolate),
    memoryMb: opts.memoryMb ?? 1536,
  };
  // the cases, read here once: public and hidden, with their expected values, which never leave this process
  const caseFiles = [publicCasesFile, ...(opts.hiddenCases ? [opts.hiddenCases] : [])];
  const cache = new Map();
  const cases = (id) => {
    if (!cache.has(id)) cache.set(id, loadCases(id, caseFiles));
    return cache.get(id);
  };
  const assignments = new Map();
  const assignmentNamed = (name) => {
    if (!assignments.has(name)) assignments.set(name, loadAssignment(name));
    return assignments.get(name);
  };
  // a notebook that cannot be graded is a row of zeros with the reason: in its assignment when that can be told
  // (an unreadable file's name or folder), else under "?" (a notebook that names an assignment this grader lacks)
  const ungraded = (file, why, named) => {
    const name = named === undefined ? guessAssignment(file, root) : undefined;
    const exercises = name ? exercisesOf(name).filter((e) => e.kind === 'function') : [];
    const student = studentName(file, root, name ?? named ?? path.basename(file, '.ipynb'));
    return { file, a: null, assignment: name ?? '?', ungraded: exercises, student, sub: { cells: new Map(), warnings: [`not graded: ${why}`] } };
  };
  const subs = files.map((file) => {
    let nb;
    try {
      nb = readSubmissionFile(file);
    } catch (e) {
      // one unreadable file must not stop a class
      return ungraded(file, e.message);
    }
    const name = assignmentOf(nb, file);
    if (!knownAssignment(name)) {
      return ungraded(file, `${path.basename(file)} belongs to no assignment this grader knows ("${name}"; assignments: ${ASSIGNMENTS.map((a) => a.name).join(', ')}): hand in the released notebook, with its metadata.`, name);
    }
    const a = assignmentNamed(name);
    return { file, a, assignment: name, student: studentName(file, root, name), sub: readSubmission(nb, a) };
  });
  uniqueNames(subs);
  const t0 = Date.now();
  const graded = await pool(
    subs.map((s) => async () => {
      const t = Date.now();
      const results = await gradeSubmission(s, o, cases);
      return { results, seconds: (Date.now() - t) / 1000 };
    }),
    o.jobs,
  );
  const wall = (Date.now() - t0) / 1000;
  return {
    seconds: wall,
    students: subs.map((s, i) => ({
      student: s.student,
      feedbackName: s.feedbackName,
      file: s.file,
      assignment: s.assignment,
      results: graded[i].results,
      written: (s.a?.exercises ?? []).filter((e) => e.kind === 'written').map((e) => {
        const t = (s.sub.cells.get(e.id) ?? '').trim();
        return { id: e.id, title: e.title, points: e.points, answer: !t || t === ANSWER_STUB ? '' : t };
      }),
      warnings: s.sub.warnings,
      seconds: graded[i].seconds,
    })),
  };
}

/**
 * A submission's notebook, read as data: a regular file (no symlink, no device, no fifo) of bounded size,
 * whose errors never quote its content (a symlink to a system file must not leak its first bytes).
 */
export function readSubmissionFile(file) {
  const st = fs.lstatSync(file);
  const what = path.basename(file);
  if (!st.isFile()) throw new Error(`${what} is not a regular file (a symlink, a folder or a device): submit the notebook itself.`);
  if (st.size > MAX_NOTEBOOK_BYTES) throw new Error(`${what} is ${(st.size / 2 ** 20).toFixed(0)} MB, more than the ${MAX_NOTEBOOK_BYTES >> 20} MB a notebook may have: clear its outputs and submit again.`);
  return readNotebook(file);
}

/**
 * Students whose names collide within an assignment (two "alice": a notebook and a folder) are kept apart as
 * "alice (2)", said in their warnings; feedback file names (one folder per assignment) are made unique too,
 * whatever their letters become ("a b" and "a_b"). One student's notebooks of two assignments do not collide.
 */
function uniqueNames(subs) {
  const taken = new Set();
  const files = new Set();
  const key = (s, name) => `${s.assignment}/${name.toLowerCase()}`;
  for (const s of subs) {
    let name = s.student;
    for (let k = 2; taken.has(key(s, name)); k++) name = `${s.student} (${k})`;
    if (name !== s.student) s.sub.warnings.unshift(`another submission is also named "${s.student}": this one (${path.basename(s.file)}) is graded as "${name}".`);
    taken.add(key(s, name));
    s.student = name;
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.-]+/, '_') || 'student';
    let f = safe;
    for (let k = 2; files.has(key(s, f)); k++) f = `${safe}~${k}`;
    files.add(key(s, f));
    s.feedbackName = f;
  }
}

export { gradeId };
