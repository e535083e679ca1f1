// The state of the translation in README.zh-CN.md: a table between two marker lines, written by `npm run zh`
// from the translation files and pending.txt (never by hand), and compared by `npm run zh -- --check`.
export const BEGIN = '<!-- zh-status:begin (npm run zh writes this table) -->';
export const END = '<!-- zh-status:end -->';

/** The table: one row per English notebook, translated ones linking their Chinese edition. */
export function statusTable(names, translated) {
  const rows = names.map((name) =>
    translated.has(name)
      ? `| \`${name}\` | 已翻译：[notebooks/zh-CN/${name}.ipynb](notebooks/zh-CN/${name}.ipynb) |`
      : `| \`${name}\` | 待翻译（暂读英文版 [notebooks/${name}.ipynb](notebooks/${name}.ipynb)） |`,
  );
  return ['| 笔记本 | 中文版 |', '|---|---|', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by `table`; null when the markers are missing. */
export function withStatus(readme, table) {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return null;
  return `${readme.slice(0, start + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}
