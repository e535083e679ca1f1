// Argument handling and output of `npm run homework -- <command>` (see scripts/homework.mjs for the usage).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { listNotebooks, publicCasesFile, repoRoot } from './notebook.mjs';
import { releaseAll } from './release.mjs';
import { gradeNotebooks } from './grade.mjs';
import { sandboxMode } from './sandbox.mjs';
import { readManualScores, studentTable, writeAnswers, writeCsv, writeFeedback } from './report.mjs';

const require = createRequire(import.meta.url);
const USAGE = fs.readFileSync(new URL('../homework.mjs', import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n');
// npm runs scripts from the package root; paths the user typed are relative to where they typed them.
const userPath = (p) => path.resolve(process.env.INIT_CWD || process.cwd(), p);
const rel = (p) => {
  const r = path.relative(repoRoot, p);
  return r.startsWith('..') ? p : r || '.';
};

function options(args, spec) {
  const o = { _: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) { o._.push(a); continue; }
    const name = a.slice(2);
    if (!(name in spec)) throw new Error(`unknown option ${a}.\n${USAGE}`);
    if (spec[name] === 'flag') o[name] = true;
    else {
      if (i + 1 >= args.length) throw new Error(`${a} needs a value.`);
      o[name] = args[++i];
    }
  }
  return o;
}

function positiveNumber(v, what) {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${what} must be a positive number, got "${v}".`);
  return n;
}

async function cases(args) {
  const o = options(args, { seed: 'value', hidden: 'flag', out: 'value' });
  if (o.hidden && (o.seed === undefined || o.out === undefined)) {
    throw new Error('hidden cases need --seed (your own, secret) and --out (a file outside the repository, e.g. ~/course/hidden-cases.json).');
  }
  const seed = o.seed === undefined ? 1 : Number(o.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${o.seed}".`);
  const out = o.out ? userPath(o.out) : publicCasesFile;
  require('@tensorflow/tfjs').enableProdMode(); // no "install tfjs-node" banner
  const file = await require('tsgan').homework.generateCases(seed, o.hidden ? 'hidden' : 'public');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // hidden cases: readable by the teacher only (the grader refuses nothing, but re-modes a file others can read)
  fs.writeFileSync(out, casesText(file), o.hidden ? { mode: 0o600 } : {});
  if (o.hidden) fs.chmodSync(out, 0o600);
  const n = Object.values(file.exercises).reduce((t, c) => t + c.length, 0);
  console.log(`wrote ${n} ${file.visibility} cases (seed ${seed}) to ${rel(out)}`);
  return 0;
}

/** One case per line: readable in a diff, without one line per number. */
function casesText(file) {
  const { exercises, ...head } = file;
  const body = Object.entries(exercises).map(([id, list]) => `  ${JSON.stringify(id)}: [\n${list.map((c) => `   ${JSON.stringify(c)}`).join(',\n')}\n  ]`);
  const top = JSON.stringify(head, null, 1).replace(/\n}$/, '');
  return `${top},\n "exercises": {\n${body.join(',\n')}\n }\n}\n`;
}

function release(args) {
  const o = options(args, { check: 'flag' });
  const results = releaseAll({ check: Boolean(o.check) });
  for (const r of results) {
    console.log(`${r.upToDate ? 'up to date' : o.check ? 'OUT OF DATE' : 'released'}: ${rel(r.source)} -> ${rel(r.released)}`);
    if (r.placeholders) console.log(`  note: ${r.placeholders} "[TEACHER: …]" placeholder(s) left in ${rel(r.released)} (submission and collaboration): fill them in in ${rel(r.source)} and release again before handing it out.`);
  }
  const stale = results.filter((r) => !r.upToDate);
  if (o.check && stale.length) {
    console.error('Run `npm run homework -- release` and commit the released notebooks.');
    return 1;
  }
  return 0;
}

/** The hidden cases must be the teacher's alone: a file others may read is re-moded to 0600, with a notice. */
function privateFile(file, shown) {
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  fs.chmodSync(file, 0o600);
  console.log(`${shown} was readable by others (mode ${mode.toString(8)}): made it 0600, readable by you only.`);
}

async function grade(args) {
  const o = options(args, { csv: 'value', hidden: 'value', manual: 'value', out: 'value', timeout: 'value', jobs: 'value', memory: 'value', isolate: 'flag' });
  if (o._.length !== 1) throw new Error(`grade takes one notebook or folder.\n${USAGE}`);
  const target = userPath(o._[0]);
  if (!fs.existsSync(target)) throw new Error(`no such notebook or folder: ${o._[0]}`);
  const isDir = fs.statSync(target).isDirectory();
  const files = isDir ? listNotebooks(target) : [target];
  if (files.length === 0) throw new Error(`no .ipynb files in ${o._[0]}`);
  const root = isDir ? target : path.dirname(target);
  const hiddenCases = o.hidden ? userPath(o.hidden) : undefined;
  if (hiddenCases && !fs.existsSync(hiddenCases)) throw new Error(`no hidden cases file ${o.hidden}; make it with \`npm run homework -- cases --hidden --seed <yours> --out ${o.hidden}\`.`);
  if (hiddenCases) privateFile(hiddenCases, o.hidden);
  const sandbox = sandboxMode();
  if (sandbox.mode === 'none') {
    console.error(
      ['', '!'.repeat(100), `!!! NOT SANDBOXED: ${sandbox.why}.`, "!!! Student code will run with YOUR rights: it can read and change your files, reach the network and outlive",
        '!!! the grader. Grade only code you trust, or install bubblewrap / allow user namespaces (README, Homework).', '!'.repeat(100), ''].join('\n'),
    );
  } else console.log(`sandbox: ${sandbox.why}`);
  const manualFile = o.manual ? userPath(o.manual) : path.join(root, 'manual-scores.csv');
  if (o.manual && !fs.existsSync(manualFile)) throw new Error(`no manual scores file ${o.manual}.`);
  const manual = fs.existsSync(manualFile) ? readManualScores(manualFile) : new Map();
  console.log(`grading ${files.length} notebook(s) from ${o._[0]}: ${sandbox.mode === 'none' ? 'NOT sandboxed' : 'in a sandbox'}, each exercise with a time limit${hiddenCases ? ', public + hidden cases' : ', public cases only (add --hidden <file> for hidden ones)'}`);
  const { students, seconds } = await gradeNotebooks(files, root, {
    hiddenCases,
    timeoutSeconds: o.timeout ? positiveNumber(o.timeout, '--timeout') : undefined,
    jobs: o.jobs ? Math.floor(positiveNumber(o.jobs, '--jobs')) : undefined,
    isolate: Boolean(o.isolate),
    memoryMb: o.memory ? positiveNumber(o.memory, '--memory') : undefined,
  });
  for (const s of students) console.log(studentTable(s, manual));
  const outDir = o.out ? userPath(o.out) : path.join(repoRoot, 'build', 'homework', 'grades');
  writeFeedback(path.join(outDir, 'feedback'), students, manual);
  writeAnswers(outDir, students);
  if (o.csv) writeCsv(userPath(o.csv), students, manual);
  console.log(`graded ${students.length} student(s) in ${seconds.toFixed(1)} s (${(seconds / students.length).toFixed(1)} s per student)` +
    `${manual.size ? `, manual scores from ${rel(manualFile)}` : ''}`);
  console.log(`feedback: ${rel(path.join(outDir, 'feedback'))}/, written answers: ${rel(path.join(outDir, 'answers.md'))}${o.csv ? `, grades: ${rel(userPath(o.csv))}` : ''}`);
  return 0;
}

export async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'cases') return cases(rest);
  if (command === 'release') return release(rest);
  if (command === 'grade') return grade(rest);
  throw new Error(`unknown command "${command}".\n${USAGE}`);
}
