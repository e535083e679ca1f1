// The Chinese edition's sync check (npm run zh -- --check, issue 33): passes on the committed files, and on
// copies of them fails, naming the notebook and the cell, when an English cell changed after its translation,
// when a markdown cell has no translation, when a generated notebook's code differs from the English, and when
// a notebook is neither translated nor pending. `npm run zh` brings a copy back in line. The real English
// notebooks are never edited: every change is made in a copy of the files the check reads. Last, the first
// translated notebook runs in quick mode from its subfolder (a smoke test: its code is proven identical).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cellText, notebookText, readNotebook, toSource } from '../scripts/homework/notebook.mjs';
import { parseTranslations, formatTranslations } from '../scripts/zh/translationFile.mjs';
import { glossaryTerms, untranslatedTerms } from '../scripts/zh/glossary.mjs';
import { readSetup } from '../scripts/jupyter-env.mjs';
import { checkEdition, writeEdition } from '../scripts/zh/pipeline.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const zh = (...args) => {
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'zh.mjs'), ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
};

/** A copy of what the check reads: the notebooks (with zh-CN/), the top-level Markdown files and docs/. */
function copyOfCheckout(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-zh-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(repo, 'notebooks'), path.join(dir, 'notebooks'), { recursive: true });
  fs.cpSync(path.join(repo, 'docs', 'glossary.md'), path.join(dir, 'docs', 'glossary.md'));
  for (const f of fs.readdirSync(repo).filter((f) => f.endsWith('.md')))
    fs.copyFileSync(path.join(repo, f), path.join(dir, f));
  return dir;
}
const editNotebook = (file, edit) => {
  const nb = readNotebook(file);
  edit(nb);
  fs.writeFileSync(file, notebookText(nb));
};
const firstTranslated = () => checkEdition(repo).translated[0];

test('the committed Chinese edition passes the check', () => {
  const r = zh('--check');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /zh check passed/);
  assert.match(r.out, /^not translated yet \(pending\.txt\): /m);
});

test('an English markdown cell changed after its translation: stale, named by notebook and cell', (t) => {
  const dir = copyOfCheckout(t);
  const name = firstTranslated();
  const file = path.join(dir, 'notebooks', `${name}.ipynb`);
  let changed;
  editNotebook(file, (nb) => {
    const index = nb.cells.findIndex((c) => c.cell_type === 'markdown');
    changed = `cell ${index} \\(id ${nb.cells[index].id}\\)`;
    nb.cells[index].source = toSource(cellText(nb.cells[index]) + '\nOne more English sentence.');
  });
  const r = zh('--check', '--root', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(
    r.out,
    new RegExp(
      `notebooks/zh-CN/${name}\\.ipynb: ${changed}: the English changed after its translation was made .*stale`,
    ),
  );
  assert.match(r.out, /zh check failed/);
});

test('a markdown cell without translation fails the check; npm run zh does not hide it', (t) => {
  const dir = copyOfCheckout(t);
  const name = firstTranslated();
  const file = path.join(dir, 'notebooks', 'zh-CN', 'translations', `${name}.md`);
  const content = fs.readFileSync(file, 'utf8');
  const { entries } = parseTranslations(content);
  const [dropped] = [...entries.keys()].slice(-1);
  const kept = [...entries].filter(([id]) => id !== dropped).map(([id, e]) => ({ id, ...e }));
  fs.writeFileSync(file, formatTranslations('<!-- header -->', kept));
  const index = readNotebook(path.join(dir, 'notebooks', `${name}.ipynb`)).cells.findIndex((c) => c.id === dropped);
  const expected = new RegExp(
    `notebooks/zh-CN/${name}\\.ipynb: cell ${index} \\(id ${dropped}\\): markdown cell has no translation`,
  );
  let r = zh('--check', '--root', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, expected);
  r = zh('--root', dir); // regenerates with the English standing in, and says what is still to do
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, expected);
  r = zh('--check', '--root', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, expected);
});

test('a code cell of the Chinese notebook that differs from the English fails the check', (t) => {
  const dir = copyOfCheckout(t);
  const name = firstTranslated();
  let changed;
  editNotebook(path.join(dir, 'notebooks', 'zh-CN', `${name}.ipynb`), (nb) => {
    const index = nb.cells.findIndex((c) => c.cell_type === 'code');
    changed = `cell ${index} \\(id ${nb.cells[index].id}\\)`;
    nb.cells[index].source = toSource(cellText(nb.cells[index]) + '\nconsole.log("翻译过的代码");');
  });
  const r = zh('--check', '--root', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, new RegExp(`notebooks/zh-CN/${name}\\.ipynb: code ${changed} differs from the English`));
  assert.match(r.out, new RegExp(`notebooks/zh-CN/${name}\\.ipynb: is not what npm run zh writes now`));
});

test('a code cell changed in the English makes the committed Chinese notebook stale until npm run zh', (t) => {
  const dir = copyOfCheckout(t);
  const name = firstTranslated();
  editNotebook(path.join(dir, 'notebooks', `${name}.ipynb`), (nb) => {
    const cell = nb.cells.find((c) => c.cell_type === 'code');
    cell.source = toSource(cellText(cell) + '\n// changed in English');
  });
  let r = zh('--check', '--root', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(
    r.out,
    new RegExp(`notebooks/zh-CN/${name}\\.ipynb: code cell \\d+ \\(id \\S+\\) differs from the English`),
  );
  assert.deepEqual(writeEdition(dir).written, [`notebooks/zh-CN/${name}.ipynb`]);
  r = zh('--check', '--root', dir);
  assert.equal(r.status, 0, r.out);
  const copy = readNotebook(path.join(dir, 'notebooks', 'zh-CN', `${name}.ipynb`));
  assert.match(cellText(copy.cells.find((c) => c.cell_type === 'code')), /\/\/ changed in English$/);
});

test('a translated notebook whose code uses a path relative to its folder fails the check', (t) => {
  const dir = copyOfCheckout(t);
  const name = firstTranslated();
  let changed;
  editNotebook(path.join(dir, 'notebooks', `${name}.ipynb`), (nb) => {
    const index = nb.cells.findIndex((c) => c.cell_type === 'code');
    changed = `cell ${index} \\(id ${nb.cells[index].id}\\)`;
    nb.cells[index].source = toSource(cellText(nb.cells[index]) + "\nconst dir = '../models/paper-mnist';");
  });
  writeEdition(dir);
  const { errors } = checkEdition(dir);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(
    errors[0],
    new RegExp(`notebooks/zh-CN/${name}\\.ipynb: code ${changed}: '\\.\\./models/paper-mnist' is relative`),
  );
});

test('a notebook neither translated nor pending fails; one listed as pending is reported, not failed', (t) => {
  const dir = copyOfCheckout(t);
  fs.copyFileSync(path.join(dir, 'notebooks', '00_setup.ipynb'), path.join(dir, 'notebooks', '99_new.ipynb'));
  let r = zh('--check', '--root', dir);
  assert.equal(r.status, 1, r.out);
  assert.match(
    r.out,
    /notebooks\/99_new\.ipynb has no translation .* and is not in notebooks\/zh-CN\/translations\/pending\.txt/,
  );
  fs.appendFileSync(path.join(dir, 'notebooks', 'zh-CN', 'translations', 'pending.txt'), '99_new\n');
  assert.deepEqual(writeEdition(dir).written, ['README.zh-CN.md']); // its status table gains the new notebook
  r = zh('--check', '--root', dir);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^not translated yet \(pending\.txt\): .*99_new/m);
  assert.match(fs.readFileSync(path.join(dir, 'README.zh-CN.md'), 'utf8'), /\| `99_new` \| 待翻译/);
});

test('the translation file keeps its text and hash as written; a repeated cell id is reported', () => {
  const text = '# 标题\n\n正文，带 `code`。\n\n| a | b |\n|---|---|';
  const file = formatTranslations('<!-- h -->', [
    { id: 'x1', from: 'aaaaaaaaaaaa', todo: false, text },
    { id: 'x2', from: 'bbbbbbbbbbbb', todo: true, text: 'English still' },
  ]);
  const { entries, problems } = parseTranslations(file);
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.get('x1'), { from: 'aaaaaaaaaaaa', todo: false, text, line: 3 });
  assert.equal(entries.get('x2').todo, true);
  assert.match(parseTranslations(file + file).problems[0], /cell x1 is translated twice/);
});

test('the glossary names the Chinese word for each idea; English left in a translation is pointed out', () => {
  const terms = glossaryTerms(fs.readFileSync(path.join(repo, 'docs', 'glossary.md'), 'utf8'));
  const find = (english) => terms.find((t) => t.english.includes(english));
  assert.ok(find('discriminator')?.chinese.includes('判别器'));
  assert.ok(find('generator')?.chinese.includes('生成器'));
  assert.ok(find('mode collapse')?.chinese.includes('模式崩溃'));
  assert.deepEqual(untranslatedTerms('这里的 discriminator 很强。', terms), ['"discriminator" (判别器)']);
  assert.deepEqual(untranslatedTerms('判别器（discriminator）很强；`generator` 与 $G$ 是代码和公式。', terms), []);
});

test(
  'the first translated notebook runs in quick mode from notebooks/zh-CN/ and shows its Chinese text',
  { skip: !readSetup().setup && 'no Jupyter set up (npm run setup)', timeout: 600_000 },
  (t) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-zh-run-'));
    t.after(() => fs.rmSync(out, { recursive: true, force: true }));
    const name = firstTranslated();
    const source = path.join('notebooks', 'zh-CN', `${name}.ipynb`);
    const r = spawnSync(
      process.execPath,
      [path.join(repo, 'scripts', 'notebooks.mjs'), '--no-pictures', '--out', out, source],
      { cwd: repo, env: { ...process.env, INIT_CWD: repo, TSGAN_QUICK: '1', TSGAN_RERUN: '0' }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^1 passed, 0 failed/m);
    const executed = readNotebook(path.join(out, `${name}.ipynb`));
    const heading = cellText(readNotebook(path.join(repo, source)).cells[0]).split('\n')[0];
    assert.equal(cellText(executed.cells[0]).split('\n')[0], heading);
    assert.match(heading, /\p{Script=Han}/u);
    assert.ok(
      executed.cells.some((c) => JSON.stringify(c.outputs ?? []).includes('✔')),
      'no claim printed ✔',
    );
  },
);
