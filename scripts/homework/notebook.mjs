// Reading and writing homework notebooks: nbgrader-style cell metadata, solution markers, checksums.
// One place for the notebook format, shared by release and grade.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const homeworkDir = path.join(repoRoot, 'homework');
export const sourceDir = path.join(homeworkDir, 'source');
export const releaseDir = path.join(homeworkDir, 'release');
export const publicCasesFile = path.join(homeworkDir, 'cases', 'public.json');

export const BEGIN = 'BEGIN SOLUTION';
export const END = 'END SOLUTION';
export const CODE_STUB = "throw new Error('not implemented');";
export const ANSWER_STUB = 'YOUR ANSWER HERE';
/** A written question's rubric: the source's cell `<question id>_rubric`, for the teacher only (not released). */
export const RUBRIC_SUFFIX = '_rubric';
export const rubricId = (questionId) => `${questionId}${RUBRIC_SUFFIX}`;
export const isRubric = (cell) => String(gradeId(cell) ?? '').endsWith(RUBRIC_SUFFIX);
/** The source's cell whose text the release writes from the exercise list (the overview of exercises and points). */
export const OVERVIEW_ID = 'overview';
/** What a teacher still has to fill in, in a cell the release keeps: the release reminds them. */
export const TEACHER_PLACEHOLDER = '[TEACHER:';

export function readNotebook(file) {
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    // never the parser's message: it quotes the input, and a submission's bytes are no message
    const at = e instanceof SyntaxError ? e.message.match(/position (\d+)/)?.[1] : undefined;
    const why = e instanceof SyntaxError ? `not valid JSON${at ? ` (at byte ${at})` : ''}` : e.code ?? 'unreadable';
    throw new Error(`${path.basename(file)} is not a readable notebook (${why}).`, { cause: e });
  }
  if (!Array.isArray(nb?.cells)) throw new Error(`${file} is not a Jupyter notebook (no cells).`);
  return nb;
}

/** Jupyter's own layout (indent 1, trailing newline), so that a notebook saved by Jupyter and by us diff cleanly. */
export function notebookText(nb) {
  return JSON.stringify(nb, null, 1) + '\n';
}

export const cellText = (cell) => (Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? ''));
export const toSource = (text) => text.split(/(?<=\n)/);
export const gradeInfo = (cell) => cell.metadata?.nbgrader ?? {};
export const gradeId = (cell) => gradeInfo(cell).grade_id;

/** nbgrader-style checksum of a cell: what a locked cell must keep. */
export function checksum(cell) {
  return createHash('sha256').update(`${cell.cell_type}\n${cellText(cell).trim()}`).digest('hex');
}

/** The cells with a grade_id, by grade_id. */
export function cellsById(nb) {
  const out = new Map();
  for (const c of nb.cells) if (gradeId(c)) out.set(gradeId(c), c);
  return out;
}

/**
 * Replaces every region from a line containing BEGIN SOLUTION to the line containing END SOLUTION by the stub:
 * code keeps the BEGIN line's indentation; markdown gets YOUR ANSWER HERE.
 */
export function stripSolution(text, kind, where) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes(BEGIN)) {
      if (lines[i].includes(END)) throw new Error(`${where}: "${END}" without "${BEGIN}" on line ${i + 1}.`);
      out.push(lines[i]);
      continue;
    }
    const indent = lines[i].match(/^\s*/)[0];
    let j = i + 1;
    while (j < lines.length && !lines[j].includes(END)) j++;
    if (j === lines.length) throw new Error(`${where}: "${BEGIN}" on line ${i + 1} has no "${END}".`);
    out.push(kind === 'code' ? indent + CODE_STUB : ANSWER_STUB);
    i = j;
  }
  return out.join('\n');
}

/** Which assignment a notebook belongs to: its metadata, else its file name. */
export function assignmentOf(nb, file) {
  return nb.metadata?.tsgan_homework?.assignment ?? path.basename(file, '.ipynb');
}

export function listNotebooks(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listNotebooks(p));
    else if (e.name.endsWith('.ipynb')) out.push(p);
  }
  return out;
}
