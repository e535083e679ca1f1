// The translation file of one notebook: plain Markdown, one section per markdown cell of the English notebook.
// A section starts with a marker line naming the cell's id and a hash of the English text it was translated
// from; the Chinese text follows as it will appear in the cell. `todo` after the hash marks a section whose
// text is still the English (written by `npm run zh -- --init`); the check fails until the word is removed.
//
//   <!-- cell a6459d0d from 3f2a9c1b7d04 -->
//   # 00 — 检查环境
//   …
//
// Lines before the first marker are a header for the translator and are ignored. Markers are HTML comments, so
// the file also reads as Markdown. Nothing else is parsed: one format, read here and written here.
import { createHash } from 'node:crypto';

const MARKER = /^<!-- cell (\S+) from ([0-9a-f]{12})( todo)? -->$/;

/** What a translation records of its English cell: the first 12 hex digits of the sha256 of the cell's text. */
export function englishHash(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Parses a translation file. Returns { entries: Map<id, { from, todo, text, line }>, problems: [string] }
 * (a cell id given twice, a marker-like line that does not parse).
 */
export function parseTranslations(content) {
  const entries = new Map();
  const problems = [];
  let current = null;
  const lines = content.split('\n');
  const close = () => {
    if (current) current.text = current.lines.join('\n').replace(/^\n+|\s+$/g, '');
  };
  lines.forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) {
      close();
      const [, id, from, todo] = m;
      if (entries.has(id))
        problems.push(`line ${i + 1}: cell ${id} is translated twice (first on line ${entries.get(id).line})`);
      current = { from, todo: Boolean(todo), lines: [], line: i + 1 };
      entries.set(id, current);
    } else if (line.startsWith('<!-- cell ')) {
      problems.push(`line ${i + 1}: "${line}" is not a marker "<!-- cell <id> from <12 hex digits> -->"`);
    } else if (current) current.lines.push(line);
  });
  close();
  for (const e of entries.values()) delete e.lines;
  return { entries, problems };
}

/** A translation file: `header` (a Markdown comment is best), then one section per { id, from, todo, text }. */
export function formatTranslations(header, sections) {
  const body = sections.map(
    ({ id, from, todo, text }) => `<!-- cell ${id} from ${from}${todo ? ' todo' : ''} -->\n${text}\n`,
  );
  return [header.trimEnd() + '\n', ...body].join('\n');
}
