// The grader under attack (issue 27): hostile submissions (tests/homework/attacks.mjs) graded beside honest ones
// with hidden cases, through the command a teacher runs. Honest students get 100 %, every attacked exercise 0,
// the teacher's files stay byte for byte, nothing is written outside the grader's output, nothing of the hidden
// cases, the solutions or a classmate's notebook reaches any output, and the class finishes with a row and a
// feedback file for everyone, with no process of a student left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  notebookText,
  readNotebook,
  releaseDir,
  repoRoot,
  sourceDir,
  toSource,
} from '../scripts/homework/notebook.mjs';
import {
  ATTACKERS,
  DETACHED_MARKER,
  HONEST_MARKER,
  NET_PORT,
  SLEEP_DETACHED,
  SLEEP_FORK,
} from './homework/attacks.mjs';
import { variant } from './homework/fixtures.mjs';
import { sandboxMode } from '../scripts/homework/sandbox.mjs';

const require = createRequire(import.meta.url);
const { autograded } = require('tsgan').homework;
// the hostile and honest students hand in Assignment 1
const AUTO = autograded('gan_homework');
const SOURCE = path.join(sourceDir, 'gan_homework.ipynb');
const RELEASED = path.join(releaseDir, 'gan_homework.ipynb');
const PUBLIC = path.join(repoRoot, 'homework', 'cases', 'public.json');
const CANARY = 'HIDDEN-CANARY-5e1d';
const TEACHER_FILES = [PUBLIC, SOURCE, RELEASED];

// hostile code is never run unsandboxed on a developer's machine: without a sandbox, one test fails and says why
const SANDBOX = sandboxMode();
const skip = SANDBOX.mode === 'none' ? `not sandboxed: ${SANDBOX.why}` : false;

const sha = (f) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
/** pids of processes whose command line contains `needle` (to find and end what a hostile cell left). */
function processesWith(needle) {
  const out = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(needle)) out.push(Number(p));
    } catch {
      /* gone */
    }
  }
  return out;
}

let dir;
let out;
let run;
let seconds;
let connections = 0;
let server;
const teacherBefore = new Map();
const teacherText = new Map();
let hiddenFile;
let hiddenExpected;
let generatedMode;

test('the grader has an operating-system sandbox on this machine', () => {
  assert.notEqual(SANDBOX.mode, 'none', `${SANDBOX.why} (the attack tests need it; CI installs it)`);
});

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-homework-attacks-'));
  fs.chmodSync(dir, 0o700);
  const subs = path.join(dir, 'subs');
  out = path.join(dir, 'out');
  fs.mkdirSync(subs);
  for (const f of TEACHER_FILES) {
    teacherBefore.set(f, sha(f));
    teacherText.set(f, fs.readFileSync(f));
  }
  // hidden cases with a canary: if any byte of this file reaches an output, the canary shows it
  hiddenFile = path.join(dir, 'hidden-cases.json');
  const gen = spawn(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'homework.mjs'), 'cases', '--hidden', '--seed', '4242', '--out', hiddenFile],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  await new Promise((r) => gen.on('exit', r));
  generatedMode = fs.statSync(hiddenFile).mode & 0o777;
  const hidden = JSON.parse(fs.readFileSync(hiddenFile, 'utf8'));
  fs.writeFileSync(hiddenFile, JSON.stringify({ ...hidden, canary: CANARY }), { mode: 0o644 });
  fs.chmodSync(hiddenFile, 0o644); // world-readable: the grader must re-mode it before grading
  hiddenExpected = hidden.exercises.ex2.map((c) => String(c.expected));

  const source = readNotebook(SOURCE);
  const released = readNotebook(RELEASED);
  const honest = variant(source, {});
  for (const c of honest.cells) {
    // an honest student's notebook has no solution markers (so that any in an output came from the source)
    c.source = toSource(c.source.join('').replace(/^.*(BEGIN|END) SOLUTION.*\n?/gm, ''));
    if (c.metadata?.nbgrader?.grade_id === 'ex10') c.source = toSource(`// ${HONEST_MARKER}\n${c.source.join('')}`);
  }
  fs.writeFileSync(path.join(subs, 'honest1.ipynb'), notebookText(honest));
  fs.writeFileSync(path.join(subs, 'honest2.ipynb'), notebookText(honest));
  for (const [name, a] of Object.entries(ATTACKERS))
    fs.writeFileSync(path.join(subs, `${name}.ipynb`), notebookText(variant(released, a.cells)));
  // submissions are data: a symlink to a system file, a name a spreadsheet would run, names that collide
  fs.symlinkSync('/etc/passwd', path.join(subs, 'linky.ipynb'));
  for (const name of ['=2+3', 'alice', 'a b', 'a_b'])
    fs.writeFileSync(path.join(subs, `${name}.ipynb`), notebookText(released));
  fs.mkdirSync(path.join(subs, 'alice'));
  fs.writeFileSync(path.join(subs, 'alice', 'gan_homework.ipynb'), notebookText(released));

  server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise((r) => server.listen(NET_PORT, '127.0.0.1', r));

  const t0 = Date.now();
  run = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'scripts', 'homework.mjs'),
        'grade',
        subs,
        '--hidden',
        hiddenFile,
        '--csv',
        path.join(out, 'grades.csv'),
        '--out',
        out,
        '--timeout',
        '20',
      ],
      // without Node's permission model: what is measured is the operating system's sandbox alone
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, INIT_CWD: repoRoot, TSGAN_HOMEWORK_NO_SEAT_BELT: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  seconds = (Date.now() - t0) / 1000;
  console.log(`# graded ${2 + Object.keys(ATTACKERS).length + 6} notebooks (2 honest) in ${seconds.toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 2500)); // a detached grandchild would write now
});

after(() => {
  server?.close();
  // repair what an attack did to the checkout (so that a failing run leaves nothing behind), end what it left running
  for (const [f, text] of teacherText) if (sha(f) !== teacherBefore.get(f)) fs.writeFileSync(f, text);
  fs.rmSync(path.join(repoRoot, DETACHED_MARKER), { force: true });
  for (const pid of [...processesWith(SLEEP_DETACHED), ...processesWith(SLEEP_FORK)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function csvRows() {
  const lines = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  return new Map(
    lines.slice(1).map((l) => {
      const cells = l.split(',');
      return [cells[0], Object.fromEntries(header.map((h, i) => [h, cells[i]]))];
    }),
  );
}
function allOutputs() {
  const texts = [run.stdout, run.stderr];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else texts.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(out);
  return texts.join('\n');
}

test('the class finishes: exit 0, a CSV row and a feedback file for every student', { skip }, () => {
  assert.equal(run.code, 0, `exit ${run.code ?? run.signal}\n${run.stderr.slice(-2000)}`);
  const rows = csvRows();
  for (const s of ['honest1', 'honest2', ...Object.keys(ATTACKERS)]) {
    assert.ok(rows.has(s), `no CSV row for ${s}`);
    assert.ok(fs.existsSync(path.join(out, 'feedback', 'gan_homework', `${s}.md`)), `no feedback for ${s}`);
  }
});

test('honest students get 100 % on public and hidden cases', { skip }, () => {
  const rows = csvRows();
  const auto = AUTO.reduce((t, e) => t + e.points, 0);
  for (const s of ['honest1', 'honest2']) assert.equal(Number(rows.get(s).total), auto, JSON.stringify(rows.get(s)));
});

for (const [name, a] of Object.entries(ATTACKERS)) {
  test(
    `${name}: ${a.attacked.length ? `${a.attacked.join(', ')} score 0` : 'no points'}, no score above the maximum`,
    { skip },
    () => {
      const row = csvRows().get(name);
      assert.ok(row, `no CSV row for ${name}`);
      for (const id of a.attacked) assert.equal(Number(row[id]), 0, `${name} ${id}: ${row[id]}`);
      for (const e of AUTO) assert.ok(Number(row[e.id]) <= e.points, `${name} ${e.id}: ${row[e.id]} > ${e.points}`);
      assert.ok(Number(row.percent) <= 100, `${name}: ${row.percent} %`);
    },
  );
}

test(
  'submissions are data: a symlink is refused without quoting it, colliding names are kept apart, no CSV formula',
  { skip },
  () => {
    const rows = csvRows();
    for (const s of ['alice', 'alice (2)', 'a b', 'a_b', 'linky', "'=2+3"])
      assert.ok(rows.has(s), `no CSV row for ${s}: ${[...rows.keys()].join(', ')}`);
    assert.ok(![...rows.keys()].some((k) => k.startsWith('=')), 'a CSV cell starts with =');
    // one file per row, in its assignment's folder (the symlink's, whose assignment cannot be told, under "_")
    const feedback = fs
      .readdirSync(path.join(out, 'feedback'))
      .flatMap((a) => fs.readdirSync(path.join(out, 'feedback', a)).map((f) => `${a}/${f}`));
    assert.equal(feedback.length, rows.size, feedback.join(', '));
    assert.ok(feedback.includes('_/linky.md'), feedback.join(', '));
    assert.match(run.stdout, /linky.ipynb is not a regular file/);
    assert.match(run.stdout, /another submission is also named "alice"/);
    assert.ok(!allOutputs().includes('root:x:0'), 'the symlinked file reached an output');
  },
);

test("the teacher's files are byte for byte unchanged; the hidden cases file is 0600", { skip }, () => {
  for (const f of TEACHER_FILES) assert.equal(sha(f), teacherBefore.get(f), `${path.relative(repoRoot, f)} changed`);
  assert.equal(generatedMode, 0o600, 'cases --hidden wrote a file others can read');
  assert.equal(fs.statSync(hiddenFile).mode & 0o777, 0o600, 'grade left a world-readable hidden cases file as it was');
});

test('nothing of the hidden cases, the solutions or a classmate reaches any output', { skip }, () => {
  const all = allOutputs();
  assert.ok(!all.includes(CANARY), 'the hidden cases file reached an output');
  for (const v of hiddenExpected)
    if (v.length > 6) assert.ok(!all.includes(v), `hidden expected value ${v} in an output`);
  assert.ok(!all.includes('BEGIN SOLUTION'), 'solution markers in an output');
  assert.ok(
    !all.includes('tf.mean(tf.softplus(tf.neg(realLogits)))'),
    "the source notebook's ex2 solution in an output",
  );
  assert.ok(!all.includes(HONEST_MARKER), "a classmate's notebook in an output");
});

test(
  'no student process outlives its grading, none writes outside its sandbox, none reaches the network',
  { skip },
  () => {
    assert.ok(!fs.existsSync(path.join(repoRoot, DETACHED_MARKER)), 'a detached grandchild wrote into the checkout');
    assert.deepEqual(processesWith(SLEEP_DETACHED), [], 'a detached sleep survived');
    assert.deepEqual(processesWith(SLEEP_FORK), [], 'forked sleeps survived');
    assert.equal(connections, 0, 'a student connected to 127.0.0.1');
    assert.ok(seconds < 200, `grading took ${seconds.toFixed(0)} s: a student stalled the class`);
  },
);
