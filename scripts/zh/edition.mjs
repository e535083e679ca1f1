// One Chinese notebook from its English notebook and its translation entries (translationFile.mjs): markdown
// cells get their translation, every other cell is copied as it is (code identical, outputs cleared), the
// notebook keeps the English metadata and kernel. Also says what is wrong with a translation, cell by cell.
import fs from 'node:fs';
import path from 'node:path';
import { cellText, toSource } from '../homework/notebook.mjs';
import { englishHash } from './translationFile.mjs';

/** How a cell is named in messages: its position counted from 0 (as the notebook runner counts) and its id. */
export const cellName = (cell, index) => `cell ${index} (id ${cell.id ?? 'none'})`;

const isMarkdown = (cell) => cell.cell_type === 'markdown';

/**
 * The Chinese notebook for `english` (parsed .ipynb) with `entries` (Map id -> { from, todo, text }), and the
 * problems that make it incomplete: a markdown cell without translation (the English text stands in), one
 * still marked todo, one whose English changed after it was translated (stale), entries for cells that are
 * not markdown cells of the English notebook. `source` is the English file name, recorded in the metadata.
 */
export function buildEdition(english, entries, { locale, source }) {
  const problems = [];
  const used = new Set();
  const cells = english.cells.map((cell, index) => {
    if (!isMarkdown(cell)) {
      return cell.cell_type === 'code' ? { ...cell, execution_count: null, outputs: [] } : { ...cell };
    }
    const where = cellName(cell, index);
    const entry = cell.id === undefined ? undefined : entries.get(cell.id);
    if (cell.id === undefined) problems.push(`${where}: the English cell has no id to key its translation by`);
    else if (!entry) problems.push(`${where}: markdown cell has no translation`);
    if (!entry) return { ...cell };
    used.add(cell.id);
    const now = englishHash(cellText(cell));
    if (entry.todo) problems.push(`${where}: not translated yet (marked todo)`);
    else if (entry.from !== now) {
      problems.push(
        `${where}: the English changed after its translation was made (from ${entry.from}, now ${now}): stale`,
      );
    }
    return { ...cell, source: toSource(entry.text) };
  });
  for (const id of entries.keys()) {
    if (!used.has(id))
      problems.push(`translation of cell id ${id}: the English notebook has no markdown cell with that id`);
  }
  const metadata = { ...english.metadata, tsgan_translation: { locale, source, generator: 'npm run zh' } };
  return { notebook: { ...english, cells, metadata }, problems };
}

/** Where the code of a committed Chinese notebook differs from the English: [message] (empty when identical). */
export function codeDifferences(english, chinese) {
  const code = (nb) => nb.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => !isMarkdown(cell));
  const en = code(english);
  const zh = code(chinese);
  const out = [];
  for (let i = 0; i < Math.max(en.length, zh.length); i++) {
    const a = en[i];
    const b = zh[i];
    if (!b) out.push(`${cellName(a.cell, a.index)} of the English is missing`);
    else if (!a) out.push(`${cellName(b.cell, b.index)} is not in the English`);
    else if (
      a.cell.id !== b.cell.id ||
      a.cell.cell_type !== b.cell.cell_type ||
      cellText(a.cell) !== cellText(b.cell)
    ) {
      out.push(`code ${cellName(b.cell, b.index)} differs from the English ${cellName(a.cell, a.index)}`);
    }
  }
  return out;
}

const LINK = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|#)/i;

/**
 * The relative links of a Markdown text that lead nowhere from `dir` (the Chinese notebook's folder: one
 * level further down than the English, so `../docs/x.md` becomes `../../docs/x.md`). Returns [target].
 */
export function brokenLinks(text, dir) {
  const out = [];
  for (const [, target] of text.matchAll(LINK)) {
    if (EXTERNAL.test(target)) continue;
    const file = decodeURI(target.split('#')[0]);
    if (file && !fs.existsSync(path.resolve(dir, file))) out.push(target);
  }
  return out;
}

/** Whether a notebook's markdown links to `file` (absolute) from `dir`. */
export function linksTo(notebook, dir, file) {
  return notebook.cells.some(
    (cell) =>
      isMarkdown(cell) &&
      [...cellText(cell).matchAll(LINK)].some(
        ([, t]) => !EXTERNAL.test(t) && path.resolve(dir, t.split('#')[0]) === file,
      ),
  );
}

/**
 * The paths in a code cell written relative to the notebook's folder ('../models/x'): they resolve elsewhere
 * from notebooks/zh-CN/, so a translated notebook must use gan.projectPath('models/x') instead (issue 33, item 2).
 */
export function folderRelativePaths(code) {
  return [...code.matchAll(/(['"`])(\.\.\/[^'"`\n]*)/g)].map((m) => m[2]);
}
