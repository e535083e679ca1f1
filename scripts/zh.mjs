// `npm run zh`: the Chinese edition (notebooks/zh-CN/), generated from the English notebooks and the
// translation files in notebooks/zh-CN/translations/ (one section per markdown cell, keyed by cell id, each
// recording a hash of the English text it was made from). Code cells are copied, never translated.
//   npm run zh                    regenerate every translated notebook and README.zh-CN.md's status table
//   npm run zh -- --check         change nothing; exit 1 naming notebook and cell when a translated notebook's
//                                 code differs from the English, a markdown cell has no translation or a stale
//                                 one, or a committed file is not what `npm run zh` writes now (tests run this)
//   npm run zh -- --init <name>   start translating notebooks/<name>.ipynb (a file of todo sections)
//   --root <folder>               another checkout (the tests use a copy)
// Notebooks listed in notebooks/zh-CN/translations/pending.txt are reported as not translated yet.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkEdition, initTranslation, writeEdition } from './zh/pipeline.mjs';
import { readCommandLine, userPath } from './args.mjs';

const usage = 'usage: npm run zh -- [--check] [--init <notebook name>] [--root <checkout>]';
const flags = readCommandLine(
  process.argv.slice(2),
  { check: { type: 'boolean' }, init: { type: 'string' }, root: { type: 'string' } },
  { usage, describe: (e) => (e.kind === 'missing' ? e.message : `Unknown argument ${e.arg}`) },
);
const root =
  flags.values.root === undefined
    ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
    : userPath(flags.values.root);
const name = flags.values.init === undefined ? null : path.basename(flags.values.init, '.ipynb');
const mode = name !== null ? 'init' : flags.values.check ? 'check' : 'write';

if (mode === 'init') {
  try {
    console.log(`wrote ${initTranslation(root, name)}: translate its sections, then npm run zh`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  process.exit(0);
}

const result = mode === 'check' ? checkEdition(root) : writeEdition(root);
for (const f of result.written ?? []) console.log(`wrote ${f}`);
for (const w of result.warnings) console.log(`warning: ${w}`);
for (const e of result.errors) console.log(`${mode === 'check' ? '✘' : 'to do:'} ${e}`);
console.log(`translated: ${result.translated.join(', ') || 'none'}`);
console.log(`not translated yet (pending.txt): ${result.pending.join(', ') || 'none'}`);
if (mode === 'check') {
  console.log(result.errors.length ? `zh check failed: ${result.errors.length} problem(s)` : 'zh check passed');
  process.exit(result.errors.length ? 1 : 0);
}
