/**
 * Writes the paper run's numbers into README.md and docs/paper-mnist-results.md from its records, so that no
 * score in them is typed by hand. Each generated block sits between `<!-- NAME: node scripts/paper-results.mjs -->`
 * and `<!-- end of NAME -->`; a file may hold any of them:
 *   validation table   one row per scored epoch (docs/paper-mnist-validation.jsonl), the best by validation in bold
 *   trend              validation's slope over the last epochs with its 95 % interval (metrics/trend.ts)
 *   table 1            the paper's rows and ours: the selected epoch on a fresh draw of centres, the mean over fresh
 *                      draws, the selection's own draw, the last epoch
 *   fresh draws        the selected and the last epoch on test centres drawn with seeds other than the
 *                      selection's (docs/paper-mnist-fresh-draws.jsonl; selectionSeed = the run's seed, which
 *                      validation draws its centres with), mean ± s.e. over the draws
 *   noise table        the prior experiment: N(0, 1) against U(−√3, √3) at the same seeds (docs/paper-mnist-noise.json)
 *   node scripts/paper-results.mjs          rewrite the blocks
 *   node scripts/paper-results.mjs --check  exit 1 if a block differs from what the records give
 *   --root DIR                              read records and documents under DIR (tests)
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readCommandLine, userPath } from './args.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: node scripts/paper-results.mjs [--check] [--root <folder>]';
const flags = readCommandLine(
  process.argv.slice(2),
  { check: { type: 'boolean' }, root: { type: 'string' } },
  { usage: USAGE },
).values;
const root = flags.root === undefined ? repo : userPath(flags.root);
const rel = (p) => path.relative(root, p);
const require = createRequire(import.meta.url);
const { STOPPING_RULE, validationTrend } = require(path.join(repo, 'lib', 'dist', 'experiments', 'validation.js'));

const DOCUMENTS = [path.join(root, 'docs', 'paper-mnist-results.md'), path.join(root, 'README.md')];
const VALIDATION = path.join(root, 'docs', 'paper-mnist-validation.jsonl');
const FRESH = path.join(root, 'docs', 'paper-mnist-fresh-draws.jsonl');
const NOISE = path.join(root, 'docs', 'paper-mnist-noise.json');
function readJsonLines(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new Error(`${rel(file)} line ${i + 1} is not JSON`);
      }
    });
}

const score = (s) => `${s.mean.toFixed(1)} ± ${s.stdErr.toFixed(1)}`;
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const stdErrOfMean = (v) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1) / v.length);
const signed = (v, digits = 1) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;

let validationRecords;
const records = () => (validationRecords ??= readJsonLines(VALIDATION));
const bestOf = (lines) => lines.reduce((b, l) => (l.validation.mean > b.validation.mean ? l : b));

/** Per G of the fresh-draws file: its draws, the lowest seed's draw, and the mean ± s.e. over the draws. */
function freshDraws() {
  const draws = readJsonLines(FRESH);
  return [...new Set(draws.map((d) => d.epoch))].map((epoch) => {
    const of = draws.filter((d) => d.epoch === epoch);
    const means = of.map((d) => d.mean);
    return {
      epoch,
      model: of[0].model,
      seeds: of.map((d) => d.seed),
      first: of.reduce((a, d) => (d.seed < a.seed ? d : a)),
      mean: mean(means),
      stdErr: stdErrOfMean(means),
    };
  });
}

const BLOCKS = {
  'table 1': () => {
    const TABLE1_MNIST = require(path.join(repo, 'lib', 'dist', 'experiments', 'paperMnist.js')).PAPER_MNIST_EXPERIMENT
      .table1;
    const best = bestOf(records());
    const fresh = freshDraws();
    const selected = fresh.find((f) => f.epoch === best.epoch);
    const last = fresh.filter((f) => f.epoch !== best.epoch).at(-1);
    if (!selected) throw new Error(`${rel(FRESH)} has no draws of the selected epoch ${best.epoch}`);
    const f = (x) => `${x.mean.toFixed(1)} ± ${x.stdErr.toFixed(1)}`;
    return [
      '| Model | Parzen log-likelihood on the MNIST test set (nats) |',
      '|---|---|',
      ...TABLE1_MNIST.map((r) => `| ${r.model} (paper, Table 1) | ${r.mean} ± ${r.stdErr} |`),
      `| **tsgan, epoch ${best.epoch}** (best by validation, our protocol), centres of a fresh draw (seed ${selected.first.seed}) | **${score(selected.first)}** |`,
      `| tsgan, epoch ${best.epoch}, mean ± s.e. over ${selected.seeds.length} fresh draws of centres | ${f(selected)} |`,
      `| tsgan, epoch ${best.epoch}, the draw that selected it (seed ${selected.first.selectionSeed}: reused, so biased upwards) | ${score(best.test)} |`,
      ...(last
        ? [
            `| tsgan, epoch ${last.epoch} (the last epoch, as the original code kept), mean ± s.e. over ${last.seeds.length} fresh draws | ${f(last)} |`,
          ]
        : []),
    ].join('\n');
  },
  'validation table': () => {
    const lines = records();
    const best = bestOf(lines);
    const bold = (l, s) => (l === best ? `**${s}**` : s);
    return [
      '| epoch | validation (nats) | test (nats) | σ |',
      '|---|---|---|---|',
      ...lines.map(
        (l) =>
          `| ${bold(l, String(l.epoch))} | ${bold(l, score(l.validation))} | ${bold(l, score(l.test))} | ${l.sigma.toFixed(4)} |`,
      ),
    ].join('\n');
  },
  trend: () => {
    const t = validationTrend(records());
    const per100 = (v) => signed(100 * v);
    return (
      `Validation's slope over epochs ${t.from}–${t.to} (${t.scored} scored epochs, means of ${t.blockSize} consecutive ` +
      `scores, ${t.n} points): **${per100(t.slope)} nats per 100 epochs, 95 % interval ${per100(t.lower)} to ${per100(t.upper)}**. ` +
      `Stopping rule (at least ${STOPPING_RULE.min} epochs and an upper end below ${STOPPING_RULE.flat} nats per 100 epochs, or ${STOPPING_RULE.cap} ` +
      `epochs): ${t.stop ? '**met: stop**' : 'not met, go on'}.`
    );
  },
  'fresh draws': () =>
    [
      '| G | test score, one fresh draw of centres (nats) | mean ± s.e. over fresh draws (nats) |',
      '|---|---|---|',
      ...freshDraws().map(
        (g) =>
          `| ${g.model} | ${score(g.first)} (seed ${g.first.seed}) | ${g.mean.toFixed(1)} ± ${g.stdErr.toFixed(1)} ` +
          `(seeds ${g.seeds.join(', ')}) |`,
      ),
    ].join('\n'),
  'noise table': () => {
    const n = JSON.parse(fs.readFileSync(NOISE, 'utf8'));
    const runs = n.runs.map((r) => ({
      ...r,
      byEpoch: new Map(
        (r.records ? readJsonLines(path.join(root, r.records)) : r.scores).map((s) => [s.epoch, s.validation]),
      ),
    }));
    const v = (x) => (x === undefined ? '—' : (typeof x === 'number' ? x : x.mean).toFixed(1));
    const lines = [
      `| epoch | ${runs.map((r) => r.label).join(' | ')} |`,
      `|---|${runs.map(() => '---').join('|')}|`,
      ...n.epochs.map((e) => `| ${e} | ${runs.map((r) => v(r.byEpoch.get(e))).join(' | ')} |`),
    ];
    const candidate = runs.find((r) => r.label === n.candidate);
    const others = runs.filter((r) => r !== candidate);
    const verdicts = n.decideAt.map((e) => {
      const c = candidate.byEpoch.get(e);
      const known = others.map((r) => r.byEpoch.get(e)).filter((x) => x !== undefined);
      if (c === undefined || known.length < others.length) return { e, known: false };
      const lead = Math.min(...known.map((x) => c.mean - (typeof x === 'number' ? x : x.mean)));
      return { e, known: true, lead, wins: lead > n.margin };
    });
    const decided = verdicts.filter((v) => v.known);
    const missing = verdicts.filter((v) => !v.known).map((v) => v.e);
    const wins = decided.length > 0 && decided.every((v) => v.wins);
    const lead = decided.map((v) => `epoch ${v.e}: ${signed(v.lead)}`).join(', ');
    const gaps = missing.length ? ` (epoch ${missing.join(', ')}: not recorded for every run)` : '';
    lines.push(
      '',
      decided.length === 0
        ? `Not decided yet: no epoch of ${n.decideAt.join(', ')} is scored for every run.`
        : `Lead of ${n.candidate} over the better of the others, ${lead} nats${gaps}. Rule: ahead by more than ` +
            `${n.margin} nats at each of these epochs → **${n.candidate} ${wins ? 'wins' : 'does not win'}**.`,
    );
    return lines.join('\n');
  },
};

const check = Boolean(flags.check);
let differ = 0;
let blocks = 0;
for (const doc of DOCUMENTS) {
  if (!fs.existsSync(doc)) continue;
  let text = fs.readFileSync(doc, 'utf8');
  const before = text;
  for (const [name, render] of Object.entries(BLOCKS)) {
    const [begin, end] = [`<!-- ${name}: node scripts/paper-results.mjs -->`, `<!-- end of ${name} -->`];
    const a = text.indexOf(begin);
    if (a < 0) continue;
    const b = text.indexOf(end, a);
    if (b < 0) throw new Error(`${rel(doc)}: ${begin} has no ${end}`);
    text = `${text.slice(0, a + begin.length)}\n${render()}\n${text.slice(b)}`;
    blocks++;
  }
  if (text !== before) {
    differ++;
    if (check)
      console.error(`${rel(doc)}: generated blocks differ from the records; run node scripts/paper-results.mjs`);
    else fs.writeFileSync(doc, text);
  }
}
if (check && differ) process.exit(1);
const best = bestOf(records());
console.log(
  `${check ? 'checked' : 'wrote'} ${blocks} generated block(s): ${records().length} validation records, best epoch ${best.epoch} ` +
    `(validation ${score(best.validation)}, test ${score(best.test)})`,
);
