// The Chinese edition as a whole: generate every translated notebook (write), or say what is wrong with the
// committed files (check), or start a translation file (init). The rules are in layout.mjs (which notebooks),
// translationFile.mjs (the file a translator edits) and edition.mjs (one notebook).
import fs from 'node:fs';
import { cellText, notebookText, readNotebook } from '../homework/notebook.mjs';
import { brokenLinks, buildEdition, cellName, codeDifferences, folderRelativePaths, linksTo } from './edition.mjs';
import { readGlossaryTerms, untranslatedTerms } from './glossary.mjs';
import {
  LOCALE,
  chineseNames,
  editionLayout,
  englishNames,
  readPending,
  removePending,
  translationNames,
} from './layout.mjs';
import { statusTable, withStatus } from './status.mjs';
import { englishHash, formatTranslations, parseTranslations } from './translationFile.mjs';

/** One translated notebook, generated in memory: { name, english, text, problems, warnings }. */
function generate(layout, name, terms) {
  const english = readNotebook(layout.english(name));
  const file = layout.rel(layout.translation(name));
  const { entries, problems: parseProblems } = parseTranslations(fs.readFileSync(layout.translation(name), 'utf8'));
  const { notebook, problems } = buildEdition(english, entries, { locale: LOCALE, source: `../${name}.ipynb` });
  const warnings = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type === 'code') {
      for (const p of folderRelativePaths(cellText(cell))) {
        problems.push(
          `code ${cellName(cell, index)}: '${p}' is relative to the notebook's folder: use gan.projectPath`,
        );
      }
    }
    if (cell.cell_type !== 'markdown' || !entries.has(cell.id)) return;
    const text = cellText(cell);
    for (const t of brokenLinks(text, layout.zhDir)) problems.push(`${cellName(cell, index)}: link ${t} leads nowhere`);
    const untranslated = untranslatedTerms(text, terms);
    if (untranslated.length)
      warnings.push(`${cellName(cell, index)}: English glossary terms ${untranslated.join(', ')}`);
  });
  if (!linksTo(notebook, layout.zhDir, layout.glossary)) {
    problems.push(`no markdown cell links the glossary (${layout.rel(layout.glossary)})`);
  }
  return {
    name,
    english,
    text: notebookText(notebook),
    problems: [...parseProblems.map((p) => `${file}, ${p}`), ...problems],
    warnings,
  };
}

/** Which notebooks are translated and pending, and the mismatches between the lists and the files. */
function inventory(layout) {
  const names = englishNames(layout);
  const translated = new Set(translationNames(layout));
  const pending = new Set(readPending(layout));
  const errors = [];
  for (const name of names) {
    if (translated.has(name) && pending.has(name)) {
      errors.push(`notebooks/${name}.ipynb is translated but still in ${layout.rel(layout.pendingFile)}: take it off`);
    } else if (!translated.has(name) && !pending.has(name)) {
      errors.push(
        `notebooks/${name}.ipynb has no translation (${layout.rel(layout.translation(name))}) and is not in ` +
          `${layout.rel(layout.pendingFile)}: start one with npm run zh -- --init ${name}, or list it as pending`,
      );
    }
  }
  const known = new Set(names);
  for (const n of pending)
    if (!known.has(n)) errors.push(`${layout.rel(layout.pendingFile)} lists ${n}, which is not a notebook`);
  for (const n of translated)
    if (!known.has(n)) errors.push(`${layout.rel(layout.translation(n))} translates a notebook that does not exist`);
  for (const n of chineseNames(layout)) {
    if (!translated.has(n))
      errors.push(`${layout.rel(layout.chinese(n))} has no translation file: it cannot be regenerated`);
  }
  return {
    names,
    translated: names.filter((n) => translated.has(n)),
    pending: names.filter((n) => pending.has(n)),
    errors,
  };
}

function readmeStatus(layout, inv) {
  const table = statusTable(inv.names, new Set(inv.translated));
  if (!fs.existsSync(layout.readme)) return { text: null, upToDate: false };
  const current = fs.readFileSync(layout.readme, 'utf8');
  const text = withStatus(current, table);
  return { text, upToDate: text === current };
}

/**
 * Checks the committed edition. Returns { errors, warnings, translated, pending }: errors name the file and
 * the cell; an empty `errors` means every translated notebook is complete, current and as generated.
 */
export function checkEdition(root) {
  const layout = editionLayout(root);
  const inv = inventory(layout);
  const errors = [...inv.errors];
  const warnings = [];
  const terms = readGlossaryTerms(layout.glossary);
  for (const name of inv.translated) {
    const out = layout.rel(layout.chinese(name));
    const g = generate(layout, name, terms);
    errors.push(...g.problems.map((p) => `${out}: ${p}`));
    warnings.push(...g.warnings.map((w) => `${out}: ${w}`));
    if (!fs.existsSync(layout.chinese(name))) {
      errors.push(`${out}: not generated yet (npm run zh)`);
      continue;
    }
    const committed = fs.readFileSync(layout.chinese(name), 'utf8');
    let parsed;
    try {
      parsed = readNotebook(layout.chinese(name));
    } catch (e) {
      errors.push(`${out}: ${e.message}`);
      continue;
    }
    errors.push(...codeDifferences(g.english, parsed).map((d) => `${out}: ${d}`));
    if (committed !== g.text)
      errors.push(
        `${out}: is not what npm run zh writes now: run npm run zh (and change ${layout.rel(layout.translation(name))}, never the generated notebook)`,
      );
  }
  const status = readmeStatus(layout, inv);
  if (status.text === null) errors.push(`${layout.rel(layout.readme)}: no translation status table (markers missing)`);
  else if (!status.upToDate)
    errors.push(`${layout.rel(layout.readme)}: the translation status table is out of date (npm run zh)`);
  return { errors, warnings, translated: inv.translated, pending: inv.pending };
}

/** Regenerates every translated notebook and the README's status table. Returns what checkEdition does, after writing. */
export function writeEdition(root) {
  const layout = editionLayout(root);
  const inv = inventory(layout);
  const terms = readGlossaryTerms(layout.glossary);
  const written = [];
  for (const name of inv.translated) {
    const g = generate(layout, name, terms);
    const file = layout.chinese(name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== g.text) {
      fs.writeFileSync(file, g.text);
      written.push(layout.rel(file));
    }
  }
  const status = readmeStatus(layout, inv);
  if (status.text !== null && !status.upToDate) {
    fs.writeFileSync(layout.readme, status.text);
    written.push(layout.rel(layout.readme));
  }
  return { written, ...checkEdition(root) };
}

/** Starts the translation of `name`: a file with every markdown cell's English text marked todo; off pending.txt. */
export function initTranslation(root, name) {
  const layout = editionLayout(root);
  const file = layout.translation(name);
  if (!fs.existsSync(layout.english(name))) throw new Error(`no notebook notebooks/${name}.ipynb`);
  if (fs.existsSync(file)) throw new Error(`${layout.rel(file)} exists already`);
  const english = readNotebook(layout.english(name));
  const sections = english.cells
    .filter((c) => c.cell_type === 'markdown')
    .map((c) => ({ id: c.id, from: englishHash(cellText(c)), todo: true, text: cellText(c) }));
  const header =
    `<!-- ${LOCALE} translation of notebooks/${name}.ipynb, one section per markdown cell (scripts/zh/translationFile.mjs).\n` +
    '     Replace each text by its translation and delete " todo" from its marker; keep the marker otherwise.\n' +
    '     Terms: docs/glossary.md. Links are relative to notebooks/zh-CN/. Then: npm run zh. -->';
  fs.mkdirSync(layout.translationsDir, { recursive: true });
  fs.writeFileSync(file, formatTranslations(header, sections));
  removePending(layout, name);
  return layout.rel(file);
}
