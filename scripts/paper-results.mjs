/**
 * Rewrites the model-selection table of docs/paper-mnist-results.md from docs/paper-mnist-validation.jsonl
 * (the validation.jsonl of the paper run, one line per scored epoch), so that no score in that table is typed
 * by hand. The best epoch by validation is in bold; the test column is for the curve only.
 *   node scripts/paper-results.mjs          rewrite the table
 *   node scripts/paper-results.mjs --check  exit 1 if the table differs from the records
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = path.join(root, 'docs', 'paper-mnist-results.md');
const records = path.join(root, 'docs', 'paper-mnist-validation.jsonl');
const [BEGIN, END] = ['<!-- validation table: node scripts/paper-results.mjs -->', '<!-- end of validation table -->'];

const lines = fs
  .readFileSync(records, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, i) => {
    try {
      return JSON.parse(l);
    } catch {
      throw new Error(`${path.relative(root, records)} line ${i + 1} is not JSON`);
    }
  });
const best = lines.reduce((b, l) => (l.validation.mean > b.validation.mean ? l : b));
const score = (s) => `${s.mean.toFixed(1)} ± ${s.stdErr.toFixed(1)}`;
const bold = (l, s) => (l === best ? `**${s}**` : s);
const table = [
  '| epoch | validation (nats) | test (nats) | σ |',
  '|---|---|---|---|',
  ...lines.map(
    (l) =>
      `| ${bold(l, String(l.epoch))} | ${bold(l, score(l.validation))} | ${bold(l, score(l.test))} | ${l.sigma.toFixed(4)} |`,
  ),
].join('\n');

const text = fs.readFileSync(doc, 'utf8');
const [a, b] = [text.indexOf(BEGIN), text.indexOf(END)];
if (a < 0 || b < a) throw new Error(`${path.relative(root, doc)} has no ${BEGIN} … ${END} block`);
const next = `${text.slice(0, a + BEGIN.length)}\n${table}\n${text.slice(b)}`;
if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error(
      `${path.relative(root, doc)}: the validation table differs from ${path.relative(root, records)}; run node scripts/paper-results.mjs`,
    );
    process.exit(1);
  }
  console.log(`validation table matches ${lines.length} records (best epoch ${best.epoch})`);
} else {
  fs.writeFileSync(doc, next);
  console.log(
    `wrote ${lines.length} rows; best epoch by validation ${best.epoch}: validation ${score(best.validation)}, test ${score(best.test)}`,
  );
}
