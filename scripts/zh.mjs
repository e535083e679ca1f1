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

const usage = 'usage: npm run zh -- [--check] [--init <notebook name>] [--root <checkout>]';
const args = process.argv.slice(2);
let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let mode = 'write';
let name = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-h' || a === '--help') {
    console.log(usage);
    process.exit(0);
  } else if (a === '--check') mode = 'check';
  else if ((a === '--init' || a === '--root') && args[i + 1] && !args[i + 1].startsWith('-')) {
    if (a === '--init') {
      mode = 'init';
      name = path.basename(args[++i], '.ipynb');
    } else root = path.resolve(process.env.INIT_CWD || process.cwd(), args[++i]);
  } else {
    console.error(`${a === '--init' || a === '--root' ? `${a} needs a value` : `Unknown argument ${a}`}.\n${usage}`);
    process.exit(2);
  }
}

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
