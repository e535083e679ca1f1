// Source notebook (solutions) -> student notebook: solutions replaced by stubs that type-check and throw
// "not implemented", rubrics left out, the overview of exercises and points written from the exercise list,
// outputs cleared, points taken from the exercise list, locked cells' checksums recorded.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  BEGIN,
  OVERVIEW_ID,
  RUBRIC_SUFFIX,
  TEACHER_PLACEHOLDER,
  assignmentOf,
  cellText,
  checksum,
  gradeId,
  gradeInfo,
  isRubric,
  listNotebooks,
  notebookText,
  readNotebook,
  releaseDir,
  rubricId,
  sourceDir,
  stripSolution,
  toSource,
} from './notebook.mjs';

const require = createRequire(import.meta.url);
const { ASSIGNMENTS, exercisesOf, pointsOf } = require('tsgan').homework;

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The overview cell's text: every exercise with what it practises and its points, and the totals. */
export function overviewText(name) {
  const p = pointsOf(name);
  const rows = exercisesOf(name).map((e) => `| ${e.id} | ${e.title} | ${e.section} | ${e.points} |`);
  return [
    '## The exercises and their points',
    '',
    '| | exercise | practises | points |',
    '|---|---|---|---|',
    ...rows,
    '',
    p.written > 0
      ? `**Total: ${plural(p.total, 'point')}**: ${p.autograded} checked by the grader, ${p.written} for written answers scored by your teacher.`
      : `**Total: ${plural(p.total, 'point')}**, all checked by the grader.`,
  ].join('\n');
}

/**
 * The points a heading states ("## Exercise 2 — … (3 points)", "## Question 1 — … (2 + 2 points)") must be the
 * exercise list's: the exercise's own, plus its written part's when the heading covers both.
 */
function checkHeading(where, id, text, byId) {
  const heading = text.split('\n').find((l) => l.startsWith('#'));
  const stated = heading?.match(/\(([\d\s+.]+) points?\)/);
  if (!stated) return;
  const sum = stated[1].split('+').reduce((t, x) => t + Number(x), 0);
  const ex = byId.get(id);
  const want = ex.points + (byId.get(`${id}_written`)?.points ?? 0);
  if (sum !== want) {
    throw new Error(`${where}: the heading of "${id}_text" says ${stated[1].trim()} points, but lib/src/homework/spec.ts gives ${want}: fix the heading (or the points in spec.ts).`);
  }
}

/** The released notebook for one source notebook (an object; nothing is written). */
export function releaseNotebook(sourceFile) {
  const src = readNotebook(sourceFile);
  const where = path.basename(sourceFile);
  const name = assignmentOf(src, sourceFile);
  if (!ASSIGNMENTS.some((a) => a.name === name)) {
    throw new Error(`${where}: assignment "${name}" is not in lib/src/homework/spec.ts's ASSIGNMENTS (${ASSIGNMENTS.map((a) => a.name).join(', ')}); add it there, or name the notebook after one.`);
  }
  const exercises = exercisesOf(name);
  const byId = new Map(exercises.map((e) => [e.id, e]));
  const seen = new Set();
  const cells = [];
  for (const [index, cell] of src.cells.entries()) {
    const info = gradeInfo(cell);
    const id = gradeId(cell);
    if (!id) throw new Error(`${where}: cell ${index} has no nbgrader grade_id; every homework cell needs one (and a unique one).`);
    if (seen.has(id)) throw new Error(`${where}: grade_id "${id}" is used twice.`);
    seen.add(id);
    if (isRubric(cell)) continue; // the teacher's: shown in answers.md, never released
    const text = cellText(cell);
    const isSolution = Boolean(info.solution);
    if (isSolution !== text.includes(BEGIN)) {
      throw new Error(`${where}: cell "${id}" ${isSolution ? 'is a solution cell without' : 'has solution markers but is not marked solution:'} "${BEGIN}".`);
    }
    if (id.endsWith('_text') && byId.has(id.slice(0, -'_text'.length))) checkHeading(where, id.slice(0, -'_text'.length), text, byId);
    const out = { id: cell.id ?? id, cell_type: cell.cell_type, metadata: { nbgrader: { ...info } }, source: [] };
    const released = id === OVERVIEW_ID ? overviewText(name) : isSolution ? stripSolution(text, cell.cell_type, `${where} cell "${id}"`) : text;
    out.source = toSource(released);
    if (cell.cell_type === 'code') Object.assign(out, { execution_count: null, outputs: [] });
    const checkOf = id.startsWith('check_') ? id.slice('check_'.length) : null;
    const ex = byId.get(checkOf ?? id);
    if (info.grade && ex) out.metadata.nbgrader.points = ex.points;
    if (!isSolution) out.metadata.nbgrader.checksum = checksum(out);
    // keep the key order stable: id, cell_type, metadata, source, then code fields
    cells.push(out);
  }
  if (!seen.has(OVERVIEW_ID)) throw new Error(`${where}: no cell with grade_id "${OVERVIEW_ID}" (the release writes the exercises and their points there).`);
  for (const e of exercises) {
    if (!seen.has(e.id)) throw new Error(`${where}: no cell with grade_id "${e.id}" (${e.title}).`);
    if (e.kind === 'function' && !seen.has(`check_${e.id}`)) throw new Error(`${where}: exercise ${e.id} has no check cell "check_${e.id}".`);
    if (e.kind === 'written' && !seen.has(rubricId(e.id))) throw new Error(`${where}: written question ${e.id} has no rubric cell "${rubricId(e.id)}" (what earns each point, and what earns part of it).`);
  }
  const metadata = { ...src.metadata, tsgan_homework: { ...(src.metadata?.tsgan_homework ?? {}), assignment: name, role: 'release' } };
  return { cells, metadata, nbformat: src.nbformat ?? 4, nbformat_minor: src.nbformat_minor ?? 5 };
}

/** The rubric of each written question of a source notebook: { question id: markdown }. */
export function rubricsOf(sourceFile) {
  const out = {};
  for (const c of readNotebook(sourceFile).cells) if (isRubric(c)) out[gradeId(c).slice(0, -RUBRIC_SUFFIX.length)] = cellText(c);
  return out;
}

export function releasedPath(sourceFile) {
  return path.join(releaseDir, path.basename(sourceFile));
}

/**
 * Writes (or with check: compares) every released notebook. Returns [{source, released, upToDate, placeholders}]:
 * placeholders counts the "[TEACHER: …]" a teacher still has to fill in.
 */
export function releaseAll({ check = false } = {}) {
  const sources = listNotebooks(sourceDir);
  if (sources.length === 0) throw new Error(`no source notebooks in ${sourceDir}`);
  for (const a of ASSIGNMENTS) {
    if (!sources.some((s) => path.basename(s, '.ipynb') === a.name)) throw new Error(`no source notebook for assignment "${a.name}": expected homework/source/${a.name}.ipynb.`);
  }
  fs.mkdirSync(releaseDir, { recursive: true });
  return sources.map((source) => {
    const released = releasedPath(source);
    const text = notebookText(releaseNotebook(source));
    const upToDate = fs.existsSync(released) && fs.readFileSync(released, 'utf8') === text;
    if (!check && !upToDate) fs.writeFileSync(released, text);
    return { source, released, upToDate, placeholders: text.split(TEACHER_PLACEHOLDER).length - 1 };
  });
}
