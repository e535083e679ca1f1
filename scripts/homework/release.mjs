// Source notebook (solutions) -> student notebook: solutions replaced by stubs that type-check and throw
// "not implemented", outputs cleared, points taken from the exercise list, locked cells' checksums recorded.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ANSWER_STUB, BEGIN, cellText, checksum, gradeId, gradeInfo, notebookText, readNotebook, releaseDir, sourceDir, stripSolution, toSource, listNotebooks } from './notebook.mjs';

const require = createRequire(import.meta.url);

/** The released notebook for one source notebook (an object; nothing is written). */
export function releaseNotebook(sourceFile) {
  const { EXERCISES } = require('tsgan').homework;
  const src = readNotebook(sourceFile);
  const where = path.basename(sourceFile);
  const seen = new Set();
  const cells = src.cells.map((cell, index) => {
    const info = gradeInfo(cell);
    const id = gradeId(cell);
    if (!id) throw new Error(`${where}: cell ${index} has no nbgrader grade_id; every homework cell needs one (and a unique one).`);
    if (seen.has(id)) throw new Error(`${where}: grade_id "${id}" is used twice.`);
    seen.add(id);
    const text = cellText(cell);
    const isSolution = Boolean(info.solution);
    if (isSolution !== text.includes(BEGIN)) {
      throw new Error(`${where}: cell "${id}" ${isSolution ? 'is a solution cell without' : 'has solution markers but is not marked solution:'} "${BEGIN}".`);
    }
    const out = { id: cell.id ?? id, cell_type: cell.cell_type, metadata: { nbgrader: { ...info } }, source: [] };
    out.source = toSource(isSolution ? stripSolution(text, cell.cell_type, `${where} cell "${id}"`) : text);
    if (cell.cell_type === 'code') Object.assign(out, { execution_count: null, outputs: [] });
    const checkOf = id.startsWith('check_') ? id.slice('check_'.length) : null;
    const ex = EXERCISES.find((e) => e.id === (checkOf ?? id));
    if (info.grade && ex) out.metadata.nbgrader.points = ex.points;
    if (!isSolution) out.metadata.nbgrader.checksum = checksum(out);
    // keep the key order stable: id, cell_type, metadata, source, then code fields
    return out;
  });
  for (const e of EXERCISES) {
    if (!seen.has(e.id)) throw new Error(`${where}: no cell with grade_id "${e.id}" (${e.title}).`);
    if (e.kind === 'function' && !seen.has(`check_${e.id}`)) throw new Error(`${where}: exercise ${e.id} has no check cell "check_${e.id}".`);
  }
  const metadata = { ...src.metadata, tsgan_homework: { ...(src.metadata?.tsgan_homework ?? {}), role: 'release' } };
  return { cells, metadata, nbformat: src.nbformat ?? 4, nbformat_minor: src.nbformat_minor ?? 5 };
}

export function releasedPath(sourceFile) {
  return path.join(releaseDir, path.basename(sourceFile));
}

/** Writes (or with check: compares) every released notebook. Returns [{source, released, upToDate}]. */
export function releaseAll({ check = false } = {}) {
  const sources = listNotebooks(sourceDir);
  if (sources.length === 0) throw new Error(`no source notebooks in ${sourceDir}`);
  fs.mkdirSync(releaseDir, { recursive: true });
  return sources.map((source) => {
    const released = releasedPath(source);
    const text = notebookText(releaseNotebook(source));
    const upToDate = fs.existsSync(released) && fs.readFileSync(released, 'utf8') === text;
    if (!check && !upToDate) fs.writeFileSync(released, text);
    return { source, released, upToDate };
  });
}

export { ANSWER_STUB };
