// The glossary (docs/glossary.md) as the translation's word list. A row whose Chinese column has a word in
// **bold** names the word the Chinese edition uses for that idea; its English column lists the English names
// (comma-separated; a note after " — " or in parentheses is not a name). A translated cell that uses one of
// those English names (outside code, formulas and link targets) without the bold Chinese word gets a warning:
// the English may have been left untranslated. Warnings only: a name in parentheses after the Chinese is fine.
import fs from 'node:fs';

const cells = (line) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** [{ chinese: [bold words], english: [names] }] from the glossary's tables. */
export function glossaryTerms(markdown) {
  const terms = [];
  let englishColumn = -1;
  for (const line of markdown.split('\n')) {
    if (!line.trim().startsWith('|')) {
      englishColumn = -1;
      continue;
    }
    const row = cells(line);
    if (englishColumn < 0) {
      englishColumn = row.findIndex((c) => c.startsWith('English'));
      continue;
    }
    if (/^:?-+/.test(row[0])) continue;
    const chinese = [...row[0].matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1].trim());
    if (!chinese.length || englishColumn < 0 || !row[englishColumn]) continue;
    const english = row[englishColumn]
      .split(' — ')[0]
      .replace(/\([^)]*\)|\*[^*]*\*|"[^"]*"/g, '')
      .split(/[,;/]/)
      .map((n) => n.trim().toLowerCase())
      .filter((n) => /^[a-z][a-z –-]*[a-z]$/.test(n) && n.length >= 4);
    if (english.length) terms.push({ chinese, english });
  }
  return terms;
}

export function readGlossaryTerms(file) {
  return fs.existsSync(file) ? glossaryTerms(fs.readFileSync(file, 'utf8')) : [];
}

/** Prose only: code spans and blocks, formulas, link targets and HTML comments removed. */
const prose = (text) =>
  text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/\$[^$]*\$/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/<!--[\s\S]*?-->/g, ' ');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The English names of `terms` that `text` uses without a Chinese word for them: ['"discriminator" (判别器)'].
 * A name shared by several rows ("kernel": 内核 and 算子内核) is satisfied by any of their words.
 */
export function untranslatedTerms(text, terms) {
  const p = prose(text);
  const byName = new Map();
  for (const { chinese, english } of terms)
    for (const n of english) byName.set(n, [...(byName.get(n) ?? []), ...chinese]);
  const out = [];
  for (const [name, chinese] of byName) {
    if (chinese.some((c) => p.includes(c))) continue;
    if (new RegExp(`\\b${escape(name)}(?:s|es)?\\b`, 'i').test(p)) out.push(`"${name}" (${chinese.join(' / ')})`);
  }
  return out;
}
