// What grading produces: a table per student and assignment, one CSV for the class and every assignment, a
// feedback file per student and assignment, the written answers beside their rubrics for the teacher, and the
// teacher's manual scores (for the written questions) merged in, per student and assignment.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sourceDir } from './notebook.mjs';
import { rubricsOf } from './release.mjs';

const require = createRequire(import.meta.url);
const { ASSIGNMENTS, EXERCISES } = require('tsgan').homework;
/** The key of a student's scores: one student has one row per assignment. */
export const scoreKey = (student, assignment) => `${assignment}\u0000${student}`;
const MARK = { pass: '✔', partial: '◐', fail: '✘', 'not attempted': '·' };

function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    }
    else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}
/**
 * A CSV cell: quoted when needed, and a text a spreadsheet would run as a formula (a leading =, +, -, @, tab or
 * CR: a student file named "=2+3") is prefixed with ' so that it stays text. Numbers are written as they are.
 */
export function csvCell(v) {
  let t = String(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * The teacher's scores for written questions: CSV with the columns `student`, `assignment` and one per question
 * id (the template grade writes). Without an `assignment` column the rows are of the only assignment there is.
 */
export function readManualScores(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  if (lines.length === 0) return new Map();
  const header = parseCsvLine(lines[0]);
  const si = header.indexOf('student');
  if (si < 0) throw new Error(`${file}: the first line must name the columns, one of them "student".`);
  const ai = header.indexOf('assignment');
  if (ai < 0 && ASSIGNMENTS.length > 1) {
    throw new Error(`${file}: there are several assignments (${ASSIGNMENTS.map((a) => a.name).join(', ')}): add an "assignment" column (the grader's manual-scores.template.csv has one).`);
  }
  const scores = new Map();
  for (const [n, line] of lines.slice(1).entries()) {
    const cells = parseCsvLine(line);
    const assignment = ai < 0 ? ASSIGNMENTS[0].name : cells[ai];
    if (!ASSIGNMENTS.some((a) => a.name === assignment)) {
      throw new Error(`${file} line ${n + 2}: assignment "${assignment}" is not one of ${ASSIGNMENTS.map((a) => a.name).join(', ')}.`);
    }
    const row = {};
    header.forEach((h, i) => {
      const e = EXERCISES.find((x) => x.id === h && x.kind === 'written');
      if (!e || cells[i] === undefined || cells[i] === '') return;
      if (e.assignment !== assignment) throw new Error(`${file} line ${n + 2}: ${h} is a question of ${e.assignment}, not of ${assignment}: leave it empty on this row.`);
      const v = Number(cells[i]);
      if (!(v >= 0 && v <= e.points)) throw new Error(`${file} line ${n + 2}: ${h} = "${cells[i]}" is not a score between 0 and ${e.points}.`);
      row[h] = v;
    });
    // the key as the grader wrote it in the template: a name csvCell guarded against formulas loses its '
    scores.set(scoreKey(cells[si].replace(/^'(?=[=+\-@\t\r])/, ''), assignment), row);
  }
  return scores;
}

/** Totals: autograded scores plus manual ones where given; the maximum counts written questions only once scored. */
export function totals(s, manual) {
  const m = manual?.get(scoreKey(s.student, s.assignment)) ?? {};
  const auto = s.results.reduce((t, r) => t + r.score, 0);
  const autoMax = s.results.reduce((t, r) => t + r.points, 0);
  const written = s.written.filter((w) => m[w.id] !== undefined);
  const total = auto + written.reduce((t, w) => t + m[w.id], 0);
  const max = autoMax + written.reduce((t, w) => t + w.points, 0);
  return { total: round2(total), max, percent: max > 0 ? round2((100 * total) / max) : 0, manualPending: s.written.length - written.length, manual: m };
}
const round2 = (x) => Math.round(x * 100) / 100;

export function studentTable(s, manual) {
  const t = totals(s, manual);
  const rows = s.results.map((r) => `  ${MARK[r.status]} ${r.id.padEnd(5)} ${`${r.score}/${r.points}`.padStart(7)}  ${r.status}${r.mistake ? ` [${r.mistake}]` : ''}: ${r.message}`);
  for (const w of s.written) {
    const v = t.manual[w.id];
    rows.push(`  ✎ ${w.id.padEnd(5)} ${(v === undefined ? `?/${w.points}` : `${v}/${w.points}`).padStart(7)}  written: ${v === undefined ? 'to be graded by the teacher' : 'graded by the teacher'}${w.answer ? '' : ' (no answer)'}`);
  }
  const pending = t.manualPending ? ` (${t.manualPending} written question(s) not scored yet)` : '';
  return [`${s.student} (${s.assignment}): ${t.total}/${t.max} = ${t.percent} %${pending}`, ...rows, ...s.warnings.map((w) => `  ! ${w}`)].join('\n');
}

/** The exercises of every assignment, in order: the CSV's columns, the same whichever assignments a class handed in. */
const allExercises = () => ASSIGNMENTS.flatMap((a) => EXERCISES.filter((e) => e.assignment === a.name));

export function writeCsv(file, students, manual) {
  const ids = allExercises().map((e) => e.id);
  const lines = [['student', 'assignment', ...ids, 'total', 'max', 'percent'].join(',')];
  for (const s of students) {
    const t = totals(s, manual);
    const byId = new Map(s.results.map((r) => [r.id, r.score]));
    const row = ids.map((id) => (byId.has(id) ? byId.get(id) : t.manual[id] ?? ''));
    lines.push([s.student, s.assignment, ...row, t.total, t.max, t.percent].map(csvCell).join(','));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** One folder per assignment, one file per student: `<dir>/<assignment>/<student>.md`. */
export function writeFeedback(dir, students, manual) {
  for (const s of students) {
    const t = totals(s, manual);
    const md = [
      `# Feedback: ${s.student} (${s.assignment})`,
      '',
      `Score: **${t.total} / ${t.max} (${t.percent} %)**${t.manualPending ? `; ${t.manualPending} written question(s) still to be scored by your teacher` : ''}.`,
      '',
      '| exercise | score | result | what the grader found |',
      '|---|---|---|---|',
      ...s.results.map((r) => `| ${r.id}: ${r.title} | ${r.score}/${r.points} | ${r.status}${r.mistake ? ` (${r.mistake})` : ''} | ${r.message.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
      ...s.written.map((w) => `| ${w.id}: ${w.title} | ${t.manual[w.id] ?? '?'}/${w.points} | written | scored by your teacher |`),
      ...(s.warnings.length ? ['', 'Notes:', ...s.warnings.map((w) => `- ${w}`)] : []),
      '',
    ].join('\n');
    const folder = path.join(dir, s.assignment.replace(/[^A-Za-z0-9._-]+/g, '_'));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${s.feedbackName}.md`), md);
  }
}

/**
 * Every student's written answers, assignment by assignment and question by question, each question's rubric
 * (from the source notebook) beside the answers, and a manual-scores template to fill in.
 */
export function writeAnswers(dir, students) {
  fs.mkdirSync(dir, { recursive: true });
  const present = ASSIGNMENTS.filter((a) => students.some((s) => s.assignment === a.name));
  const md = ['# Written answers', ''];
  for (const a of present) {
    const rubrics = rubricsOf(path.join(sourceDir, `${a.name}.ipynb`));
    const theirs = students.filter((s) => s.assignment === a.name);
    md.push(`# ${a.title} (${a.name})`, '');
    for (const e of EXERCISES.filter((x) => x.assignment === a.name && x.kind === 'written')) {
      md.push(`## ${e.id}: ${e.title} (${e.points} points)`, '', ...(rubrics[e.id] ?? '*(no rubric)*').split('\n').map((l) => `> ${l}`), '');
      for (const s of theirs) {
        const w = s.written.find((x) => x.id === e.id);
        md.push(`### ${s.student}: ${e.id}, __ / ${e.points}`, '', w?.answer ? w.answer : '*(no answer)*', '');
      }
    }
  }
  fs.writeFileSync(path.join(dir, 'answers.md'), md.join('\n'));
  const written = allExercises().filter((e) => e.kind === 'written');
  const template = [
    ['student', 'assignment', ...written.map((e) => e.id)].join(','),
    ...students.filter((s) => s.assignment !== '?').map((s) => [csvCell(s.student), csvCell(s.assignment), ...written.map(() => '')].join(',')),
  ];
  fs.writeFileSync(path.join(dir, 'manual-scores.template.csv'), template.join('\n') + '\n');
}
