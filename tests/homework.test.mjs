// The course homework end to end: release is reproducible, the solutions score 100 %, the blank notebook 0,
// a broken exercise costs only itself, every named mistake is recognised with the expected score, tampering
// with check cells changes nothing, and in the tslab kernel the self-checks say "not implemented" / pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  cellText,
  cellsById,
  notebookText,
  readNotebook,
  releaseDir,
  repoRoot,
  sourceDir,
} from '../scripts/homework/notebook.mjs';
import { releaseAll, releaseNotebook } from '../scripts/homework/release.mjs';
import { gradeNotebooks } from '../scripts/homework/grade.mjs';
import { fnCell, variant } from './homework/fixtures.mjs';
import { TRAINING_MISTAKES } from './homework/training-mistakes.mjs';
import { writeAnswers, writeCsv, writeFeedback, readManualScores, totals } from '../scripts/homework/report.mjs';

const require = createRequire(import.meta.url);
const { EXERCISES, exercisesOf, pointsOf } = require('tsgan').homework;
const SOURCE = path.join(sourceDir, 'gan_homework.ipynb');
const RELEASED = path.join(releaseDir, 'gan_homework.ipynb');
const A1 = exercisesOf('gan_homework');
const AUTO = A1.filter((e) => e.kind === 'function');
const AUTO_POINTS = AUTO.reduce((t, e) => t + e.points, 0);
// Assignment 2 (training and failure): autograded only, for now
const SOURCE2 = path.join(sourceDir, 'gan_training.ipynb');
const RELEASED2 = path.join(releaseDir, 'gan_training.ipynb');
const AUTO2 = exercisesOf('gan_training').filter((e) => e.kind === 'function');
const AUTO2_POINTS = AUTO2.reduce((t, e) => t + e.points, 0);
const assignmentOfExercise = (id) => EXERCISES.find((e) => e.id === id).assignment;

const body = (id, code) => fnCell(id, code);

/**
 * ex11's loop in the ways a student may combine the two players' gradients: 'simultaneous' (right), 'dFirst'
 * (D's update applied before G's gradient), 'gFirst' (G's before D's), 'secondZ' (G on a z of its own); `leak`
 * leaves each step's batches behind.
 */
function loopBody(order, leak = false) {
  const dGrads = 'tf.variableGrads(() => discriminatorLoss(dOf(real), dOf(fake(z))), dV).grads';
  const gGrads = (zz) => `tf.variableGrads(() => generatorLoss(dOf(fake(${zz})), 'nonSaturating'), gV).grads`;
  const step = {
    simultaneous: `const d = ${dGrads}; const g = ${gGrads('z')}; dOptimizer.applyGradients(d); gOptimizer.applyGradients(g);`,
    dFirst: `dOptimizer.applyGradients(${dGrads}); gOptimizer.applyGradients(${gGrads('z')});`,
    gFirst: `gOptimizer.applyGradients(${gGrads('z')}); dOptimizer.applyGradients(${dGrads});`,
    secondZ: `const z2 = samplePrior(options.batchSize, options.latentDim, rng); const d = ${dGrads}; const g = ${gGrads('z2')}; dOptimizer.applyGradients(d); gOptimizer.applyGradients(g);`,
  }[order];
  return [
    'const dV = D.trainableWeights.map((w) => w.read()); const gV = G.trainableWeights.map((w) => w.read());',
    'const dOf = (x) => D.apply(x, { training: true }); const fake = (zz) => G.apply(zz, { training: true });',
    'for (let s = 0; s < options.steps; s++) {',
    '  const real = sampleReal(options.batchSize); const z = samplePrior(options.batchSize, options.latentDim, rng);',
    `  tf.tidy(() => { ${step} });`,
    leak ? '' : '  tf.dispose([real, z]);',
    '}',
  ].join('\n');
}

// One fixture per named mistake: [exercise, the wrong code, expected status, expected score, expected mistake name].
const MISTAKES = {
  'ex1 U(-1, 1)': [
    'ex1',
    'const v = new Float32Array(n * dim); for (let i = 0; i < v.length; i++) v[i] = -1 + 2 * rng.uniform(); return tf.tensor2d(v, [n, dim]);',
    'fail',
    0,
    'U(−1, 1) instead of U(−√3, √3)',
  ],
  'ex1 Math.random': [
    'ex1',
    'const v = new Float32Array(n * dim); for (let i = 0; i < v.length; i++) v[i] = Math.sqrt(3) * (2 * Math.random() - 1); return tf.tensor2d(v, [n, dim]);',
    'fail',
    0,
    'Math.random instead of the seeded generator',
  ],
  'ex1 other stream': [
    'ex1',
    'const v = new Float32Array(n * dim); for (let i = v.length - 1; i >= 0; i--) v[i] = Math.sqrt(3) * (2 * rng.uniform() - 1); return tf.tensor2d(v, [n, dim]);',
    'partial',
    1,
    undefined,
  ],
  'ex2 sign flipped': [
    'ex2',
    'return tf.tidy(() => tf.neg(tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)))) as tf.Scalar);',
    'fail',
    0,
    'sign flipped',
  ],
  'ex2 labels swapped': [
    'ex2',
    'return tf.tidy(() => tf.add(tf.mean(tf.softplus(realLogits)), tf.mean(tf.softplus(tf.neg(fakeLogits)))) as tf.Scalar);',
    'fail',
    0,
    'real/fake labels swapped',
  ],
  'ex2 sum instead of mean': [
    'ex2',
    'return tf.tidy(() => tf.add(tf.sum(tf.softplus(tf.neg(realLogits))), tf.sum(tf.softplus(fakeLogits))) as tf.Scalar);',
    'fail',
    0,
    'sum instead of mean',
  ],
  'ex2 naive log': [
    'ex2',
    'return tf.tidy(() => tf.neg(tf.add(tf.mean(tf.log(tf.sigmoid(realLogits))), tf.mean(tf.log(tf.sub(1, tf.sigmoid(fakeLogits)))))) as tf.Scalar);',
    'partial',
    1.5,
    'naive log of σ',
  ],
  'ex2 logits as probabilities': [
    'ex2',
    'return tf.tidy(() => tf.neg(tf.add(tf.mean(tf.log(realLogits)), tf.mean(tf.log(tf.sub(1, fakeLogits))))) as tf.Scalar);',
    'fail',
    0,
    'logits treated as probabilities',
  ],
  'ex3 swapped': [
    'ex3',
    "return tf.tidy(() => variant === 'nonSaturating' ? tf.mean(tf.neg(tf.softplus(fakeLogits))) as tf.Scalar : tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar);",
    'fail',
    0,
    'saturating and non-saturating swapped',
  ],
  'ex3 naive log': [
    'ex3',
    "return tf.tidy(() => variant === 'saturating' ? tf.mean(tf.log(tf.sub(1, tf.sigmoid(fakeLogits)))) as tf.Scalar : tf.neg(tf.mean(tf.log(tf.sigmoid(fakeLogits)))) as tf.Scalar);",
    'partial',
    1.5,
    'naive log of σ',
  ],
  'ex4 moves G': [
    'ex4',
    'return tf.tidy(() => (optimizer.minimize(() => discriminatorLoss(D.apply(real) as tf.Tensor, D.apply(G.apply(z) as tf.Tensor) as tf.Tensor), true) as tf.Scalar).dataSync()[0]);',
    'fail',
    0,
    'a step that also moves the other network',
  ],
  'ex4 sign flipped': [
    'ex4',
    'const v = D.trainableWeights.map((w) => w.read() as tf.Variable); return tf.tidy(() => -(optimizer.minimize(() => tf.neg(discriminatorLoss(D.apply(real) as tf.Tensor, D.apply(G.apply(z) as tf.Tensor) as tf.Tensor)) as tf.Scalar, true, v) as tf.Scalar).dataSync()[0]);',
    'fail',
    0,
    'sign flipped',
  ],
  'ex5 moves D': [
    'ex5',
    "return tf.tidy(() => (optimizer.minimize(() => generatorLoss(D.apply(G.apply(z) as tf.Tensor) as tf.Tensor, 'nonSaturating'), true) as tf.Scalar).dataSync()[0]);",
    'fail',
    0,
    'a step that also moves the other network',
  ],
  'ex5 saturating': [
    'ex5',
    "const v = G.trainableWeights.map((w) => w.read() as tf.Variable); return tf.tidy(() => (optimizer.minimize(() => generatorLoss(D.apply(G.apply(z) as tf.Tensor) as tf.Tensor, 'saturating'), true, v) as tf.Scalar).dataSync()[0]);",
    'fail',
    0,
    'saturating and non-saturating swapped',
  ],
  'ex6 stride': [
    'ex6',
    'return tf.tidy(() => tf.max(tf.reshape(tf.add(tf.matMul(x, kernel), bias), [-1, pieces, units]), 1) as tf.Tensor2D);',
    'fail',
    0,
    'pieces grouped by stride',
  ],
  'ex7 biases left out': [
    'ex7',
    'const s = [inputs, ...hidden]; let c = 0; for (let i = 1; i < s.length; i++) c += s[i - 1] * s[i] * pieces; return c + s[s.length - 1];',
    'fail',
    0,
    'biases left out',
  ],
  'ex8 inverted': [
    'ex8',
    'return pData.map((p, i) => (p + pG[i] === 0 ? 0.5 : pG[i] / (p + pG[i])));',
    'fail',
    0,
    'D* inverted',
  ],
  'ex9 0 log 0': [
    'ex9',
    'let s = 0; for (let i = 0; i < pData.length; i++) { const d = pData[i] / (pData[i] + pG[i]); s += pData[i] * Math.log(d) + pG[i] * Math.log(1 - d); } return s * dx;',
    'partial',
    1,
    '0·log 0 not taken as 0',
  ],
  'ex10 missing normaliser': [
    'ex10',
    'const e = centres.map((mu) => -mu.reduce((s, m, i) => s + (x[i] - m) ** 2, 0) / (2 * sigma * sigma)); const top = Math.max(...e); return top + Math.log(e.reduce((s, v) => s + Math.exp(v - top), 0) / centres.length);',
    'fail',
    0,
    'Parzen missing the d·log(σ√(2π)) term',
  ],
  'ex10 naive log-mean-exp': [
    'ex10',
    'const e = centres.map((mu) => -mu.reduce((s, m, i) => s + (x[i] - m) ** 2, 0) / (2 * sigma * sigma)); return Math.log(e.reduce((s, v) => s + Math.exp(v), 0) / centres.length) - x.length * Math.log(sigma * Math.sqrt(2 * Math.PI));',
    'partial',
    1.5,
    'naive log-mean-exp',
  ],
  'ex3 only the saturating branch wrong': [
    'ex3',
    'return tf.tidy(() => tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar);',
    'fail',
    0,
    "'saturating' branch gives the nonSaturating loss",
  ],
  'ex6 shape [batch, units, 1]': [
    'ex6',
    'return tf.tidy(() => tf.max(tf.reshape(tf.add(tf.matMul(x, kernel), bias), [-1, units, pieces]), -1, true) as tf.Tensor2D);',
    'fail',
    0,
    undefined,
  ],
  'ex10 mean of the logs': [
    'ex10',
    'const e = centres.map((mu) => -mu.reduce((s, m, i) => s + (x[i] - m) ** 2, 0) / (2 * sigma * sigma)); return e.reduce((s, v) => s + v, 0) / centres.length - x.length * Math.log(sigma * Math.sqrt(2 * Math.PI));',
    'fail',
    0,
    'mean of the logs instead of the log of the mean',
  ],
  'ex10 wrong axis': [
    'ex10',
    'const e = x.map((xi, i) => -centres.reduce((s, mu) => s + (xi - mu[i]) ** 2, 0) / (2 * sigma * sigma)); const top = Math.max(...e); return top + Math.log(e.reduce((s, v) => s + Math.exp(v - top), 0) / centres.length) - x.length * Math.log(sigma * Math.sqrt(2 * Math.PI));',
    'fail',
    0,
    'Parzen over the wrong axis',
  ],
  'ex2 calls the reference': [
    'ex2',
    'return gan.discriminatorLoss(realLogits, fakeLogits);',
    'fail',
    0,
    "calls the library's reference",
  ],
  'q1 swapped': [
    'q1',
    'return { saturating: -(1 - d), nonSaturating: -d };',
    'fail',
    0,
    'saturating and non-saturating swapped',
  ],
  'q2 the x-first order': ['q2', 'return x * x + y * y - eta * x * y;', 'fail', 0, "the other order's quantity"],
  'q2 the distance': ['q2', 'return x * x + y * y;', 'fail', 0, 'x² + y²'],
  'q2 a constant': ['q2', 'return 1;', 'fail', 0, 'a constant'],
  'ex11 alternating': ['ex11', loopBody('dFirst'), 'fail', 0, "Algorithm 1's order, not simultaneous"],
  'ex11 G first': ['ex11', loopBody('gFirst'), 'fail', 0, 'G moved before D'],
  'ex11 a second z': ['ex11', loopBody('secondZ'), 'fail', 0, 'a second z for G'],
  'ex11 leak': ['ex11', loopBody('simultaneous', true), 'partial', 2, 'tensors left behind'],
  ...TRAINING_MISTAKES,
};

const TAMPERED_CHECK =
  "console.log('✔ ex2 passed'); // check removed\n(gan.homework as any).grade = () => ({ status: 'pass', score: 3 });";

let dir;
let graded;
/** The fixture notebook that holds each named mistake: { mistake name: student }, and the exercises each one fills. */
const mistakeStudent = {};
const packed = new Map();
let isolated;
let seconds;
const byStudent = (name) => graded.find((s) => s.student === name);
const result = (s, id) => s.results.find((r) => r.id === id);

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-homework-'));
  const source = readNotebook(SOURCE);
  const released = readNotebook(RELEASED);
  const released2 = readNotebook(RELEASED2);
  const write = (name, nb) => fs.writeFileSync(path.join(dir, `${name}.ipynb`), notebookText(nb));
  write('solutions', source);
  fs.writeFileSync(path.join(dir, 'corrupt.ipynb'), '{ "cells": [');
  write('blank', released);
  write('training solutions', readNotebook(SOURCE2));
  write('training blank', released2);
  write(
    'broken',
    variant(source, {
      ex2: body('ex2', 'return tf.tidy(() => tf.add(tf.mean(realLogits), ) as tf.Scalar;'), // syntax error
      ex6: body('ex6', 'while (true) {}\nreturn x;'), // infinite loop
      ex7: body('ex7', "throw new RangeError('oops');"), // exception
      ex8: body('ex8', 'process.exit(3);\nreturn pData;'), // kills its process
    }),
  );
  // a correct cell with a top-level await (tslab allows it) scores like any other, in every mode
  write('await', variant(source, { ex1: `await Promise.resolve();\n${cellText(cellsById(source).get('ex1'))}` }));
  // the named mistakes, packed into as few notebooks as there are mistakes of one exercise (each notebook holds at
  // most one mistake per exercise; each exercise is graded on its own, so they cannot mix): fewer sandboxes to start
  const packs = [];
  for (const [name, [id, code]] of Object.entries(MISTAKES)) {
    const a = assignmentOfExercise(id);
    let pack = packs.find((p) => p.assignment === a && !(id in p.cells));
    if (!pack)
      packs.push(
        (pack = {
          assignment: a,
          student: `${a === 'gan_homework' ? '' : 'training '}mistakes ${packs.length + 1}`,
          cells: {},
        }),
      );
    pack.cells[id] = body(id, code);
    mistakeStudent[name] = pack.student;
  }
  for (const p of packs) {
    write(p.student, variant(p.assignment === 'gan_homework' ? released : released2, p.cells));
    packed.set(p.student, new Set(Object.keys(p.cells)));
  }
  // the same mistake as 'ex2 sign flipped', with the locked check cell and the lib's grade() tampered with
  write(
    'tampered',
    variant(released, {
      ex2: body(
        'ex2',
        "try { (hw as any).grade = () => ({ status: 'pass', fraction: 1, score: 3 }); } catch { /* read-only */ }\n" +
          MISTAKES['ex2 sign flipped'][1],
      ),
      check_ex2: TAMPERED_CHECK,
    }),
  );
  // one student's notebooks of three assignments in their folder: Assignments 1 and 2 (blank), and one of an
  // assignment this grader does not know (a later assignment's notebook graded by a grader without it)
  const topLevel = fs.readdirSync(dir).map((f) => path.join(dir, f));
  fs.mkdirSync(path.join(dir, 'carol'));
  fs.writeFileSync(path.join(dir, 'carol', 'gan_homework.ipynb'), notebookText(released));
  fs.writeFileSync(path.join(dir, 'carol', 'gan_training.ipynb'), notebookText(released2));
  const other = structuredClone(released);
  other.metadata.tsgan_homework.assignment = 'gan_unknown';
  fs.writeFileSync(path.join(dir, 'carol', 'gan_unknown.ipynb'), notebookText(other));
  const t0 = Date.now();
  graded = (
    await gradeNotebooks(
      [
        ...topLevel,
        ...['gan_homework', 'gan_training', 'gan_unknown'].map((a) => path.join(dir, 'carol', `${a}.ipynb`)),
      ],
      dir,
      { timeoutSeconds: 30 },
    )
  ).students;
  seconds = (Date.now() - t0) / 1000;
  console.log(
    `# graded ${graded.length} fixture notebooks in ${seconds.toFixed(1)} s (scripts/homework-bench.mjs times a class)`,
  );
  isolated = (await gradeNotebooks([path.join(dir, 'broken.ipynb')], dir, { timeoutSeconds: 30, isolate: true }))
    .students[0];
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('released notebooks are up to date and regenerate byte for byte', () => {
  const results = releaseAll({ check: true });
  assert.ok(results.length > 0);
  for (const r of results) {
    assert.ok(r.upToDate, `${path.relative(repoRoot, r.released)} is out of date: run npm run homework -- release`);
    assert.equal(notebookText(releaseNotebook(r.source)), fs.readFileSync(r.released, 'utf8'));
  }
});

test('the released notebooks hold no solution and no output; every solution cell throws "not implemented"', () => {
  for (const [released, source] of [
    [RELEASED, SOURCE],
    [RELEASED2, SOURCE2],
  ])
    checkReleased(released, source);
});

function checkReleased(released, source) {
  const nb = readNotebook(released);
  const src = cellsById(readNotebook(source));
  for (const c of nb.cells) {
    const text = cellText(c);
    assert.ok(
      !text.includes('BEGIN SOLUTION') && !text.includes('END SOLUTION'),
      `${c.metadata.nbgrader.grade_id} still has markers`,
    );
    if (c.cell_type === 'code') assert.deepEqual(c.outputs, []);
    const id = c.metadata.nbgrader.grade_id;
    const e = EXERCISES.find((x) => x.id === id);
    if (e?.kind === 'function') {
      assert.match(text, /throw new Error\('not implemented'\);/);
      assert.notEqual(text, cellText(src.get(id)));
    }
  }
}

test('the solution notebooks score 100 %', () => {
  for (const [student, assignment, points] of [
    ['solutions', 'gan_homework', AUTO_POINTS],
    ['training solutions', 'gan_training', AUTO2_POINTS],
  ]) {
    const s = byStudent(student);
    assert.equal(s.assignment, assignment);
    for (const r of s.results) assert.equal(r.status, 'pass', `${r.id}: ${r.message}`);
    assert.equal(totals(s, new Map()).total, points);
    assert.deepEqual(s.warnings, []);
  }
});

test('a correct cell with a top-level await scores full marks', () => {
  const r = result(byStudent('await'), 'ex1');
  assert.equal(r.status, 'pass', r.message);
});

test('the blank released notebooks score 0, "not attempted" everywhere', () => {
  for (const [student, auto] of [
    ['blank', AUTO],
    ['training blank', AUTO2],
  ]) {
    const s = byStudent(student);
    assert.deepEqual(
      s.results.map((r) => r.id),
      auto.map((e) => e.id),
    );
    for (const r of s.results) assert.equal(r.status, 'not attempted', r.id);
    assert.equal(totals(s, new Map()).total, 0);
    assert.ok(s.written.every((w) => w.answer === ''));
  }
});

const BROKEN = ['ex2', 'ex6', 'ex7', 'ex8'];
test('an unreadable notebook scores 0 with the reason and does not stop the class', () => {
  const s = byStudent('corrupt');
  assert.equal(totals(s, new Map()).total, 0);
  assert.match(s.warnings[0], /not graded: .*corrupt.ipynb is not a readable notebook/);
});

for (const mode of ['one process per student', 'one process per exercise (--isolate)']) {
  test(`a syntax error, an infinite loop, an exception and process.exit each cost only their own exercise: ${mode}`, () => {
    const s = mode.startsWith('one process per student') ? byStudent('broken') : isolated;
    assert.match(result(s, 'ex2').message, /does not compile: line 2 of your cell/);
    assert.match(result(s, 'ex6').message, /timed out after 30 s/);
    assert.match(result(s, 'ex7').message, /threw: oops/);
    assert.match(result(s, 'ex8').message, /ended without a result \(exit 3\)/);
    for (const r of s.results) {
      if (BROKEN.includes(r.id)) assert.equal(r.score, 0, r.id);
      else assert.equal(r.status, 'pass', `${r.id}: ${r.message}`); // ex4 and ex9 pass: they use the reference ex2 and ex8
    }
  });
}

for (const [name, [id, , status, score, mistake]] of Object.entries(MISTAKES)) {
  test(`named mistake: ${name} -> ${status}, ${score} points${mistake ? `, "${mistake}"` : ''}`, () => {
    const s = byStudent(mistakeStudent[name]);
    const r = result(s, id);
    assert.equal(r.status, status, r.message);
    assert.equal(r.score, score, r.message);
    assert.equal(r.mistake, mistake, r.message);
    if (mistake) assert.ok(r.message.startsWith(mistake), r.message);
    // the notebook's other exercises hold other mistakes (checked by their own tests) or are blank
    for (const other of s.results.filter((x) => !packed.get(s.student).has(x.id)))
      assert.equal(other.status, 'not attempted', other.id);
  });
}

test('tampering with a check cell or with the lib inside a cell changes nothing', () => {
  const s = byStudent('tampered');
  const plain = byStudent(mistakeStudent['ex2 sign flipped']);
  assert.deepEqual(result(s, 'ex2'), result(plain, 'ex2'));
  assert.ok(
    s.warnings.some((w) => w.includes('locked cell "check_ex2" was modified')),
    s.warnings.join('; '),
  );
});

test('CSV: one row per student and assignment, each exercise, total and percent; manual scores merged', () => {
  const manualFile = path.join(dir, 'manual.csv');
  fs.writeFileSync(manualFile, 'student,assignment,q1_written,q2_written\nsolutions,gan_homework,2,1.5\n');
  const manual = readManualScores(manualFile);
  const csv = path.join(dir, 'grades.csv');
  writeCsv(csv, graded, manual);
  const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], ['student', 'assignment', ...EXERCISES.map((e) => e.id), 'total', 'max', 'percent'].join(','));
  assert.equal(lines.length, graded.length + 1);
  const row = lines.find((l) => l.startsWith('solutions,')).split(',');
  assert.equal(row[1], 'gan_homework');
  // Assignment 2's row: its exercises filled, Assignment 1's left empty
  const row2 = lines.find((l) => l.startsWith('training solutions,')).split(',');
  const header = lines[0].split(',');
  assert.equal(row2[1], 'gan_training');
  for (const e of EXERCISES) assert.equal(row2[header.indexOf(e.id)] === '', e.assignment !== 'gan_training', e.id);
  assert.deepEqual(row2.slice(-3).map(Number), [AUTO2_POINTS, AUTO2_POINTS, 100]);
  const written = pointsOf('gan_homework').written;
  assert.deepEqual(row.slice(-3).map(Number), [
    AUTO_POINTS + 3.5,
    AUTO_POINTS + written,
    Math.round((10000 * (AUTO_POINTS + 3.5)) / (AUTO_POINTS + written)) / 100,
  ]);
  // with two assignments, a row must say which one it scores
  fs.writeFileSync(manualFile, 'student,q1_written\nsolutions,2\n');
  assert.throws(
    () => readManualScores(manualFile),
    /several assignments \(gan_homework, gan_training\): add an "assignment" column/,
  );
  assert.throws(() => {
    fs.writeFileSync(manualFile, 'student,assignment,q1_written\nx,gan_homework,7\n');
    readManualScores(manualFile);
  }, /not a score between 0 and 2/);
  assert.throws(() => {
    fs.writeFileSync(manualFile, 'student,assignment,q1_written\nx,gan_training,1\n');
    readManualScores(manualFile);
  }, /q1_written is a question of gan_homework, not of gan_training/);
  assert.throws(() => {
    fs.writeFileSync(manualFile, 'student,assignment,q1_written\nx,gan_unknown,1\n');
    readManualScores(manualFile);
  }, /line 2: assignment "gan_unknown" is not one of gan_homework, gan_training/);
});

test('a folder mixing assignments: one row per student and assignment; a notebook of an unknown assignment is a row that says so', () => {
  const carol = graded.filter((s) => s.student === 'carol');
  assert.deepEqual(carol.map((s) => s.assignment).sort(), ['?', 'gan_homework', 'gan_training']);
  const unknown = carol.find((s) => s.assignment === '?');
  assert.match(
    unknown.warnings[0],
    /not graded: gan_unknown.ipynb belongs to no assignment this grader knows \("gan_unknown"; assignments: gan_homework, gan_training\)/,
  );
  assert.equal(totals(unknown, new Map()).total, 0);
  for (const [a, auto] of [
    ['gan_homework', AUTO],
    ['gan_training', AUTO2],
  ]) {
    const known = carol.find((s) => s.assignment === a);
    assert.deepEqual(known.warnings, []);
    assert.deepEqual(
      known.results.map((r) => r.id),
      auto.map((e) => e.id),
    );
  }
});

test("answers.md shows each written question's rubric beside the students' answers; feedback per student and assignment", () => {
  const out = path.join(dir, 'report');
  writeAnswers(out, graded);
  writeFeedback(path.join(out, 'feedback'), graded, new Map());
  const answers = fs.readFileSync(path.join(out, 'answers.md'), 'utf8');
  const rubrics = cellsById(readNotebook(SOURCE));
  for (const q of A1.filter((e) => e.kind === 'written')) {
    const section = answers.slice(answers.indexOf(`## ${q.id}:`));
    const rubricLine = cellText(rubrics.get(`${q.id}_rubric`)).split('\n')[0];
    assert.ok(
      section.startsWith(`## ${q.id}: ${q.title} (${q.points} points)\n\n> ${rubricLine}`),
      section.slice(0, 300),
    );
    assert.match(section, new RegExp(`### solutions: ${q.id}, __ / ${q.points}`));
  }
  assert.match(answers, /positive definite/); // the solution notebook's answer to Question 2, beside its rubric
  const template = fs.readFileSync(path.join(out, 'manual-scores.template.csv'), 'utf8').split('\n');
  assert.equal(template[0], 'student,assignment,q1_written,q2_written');
  assert.ok(template.includes('carol,gan_homework,,'), template.join('\n'));
  assert.ok(fs.existsSync(path.join(out, 'feedback', 'gan_homework', 'carol.md')));
  assert.ok(fs.existsSync(path.join(out, 'feedback', 'gan_training', 'carol.md')));
  assert.ok(fs.existsSync(path.join(out, 'feedback', '_', 'carol.md')));
});

test('the release leaves the rubrics out, states the points from the exercise list, and refuses a heading that disagrees', () => {
  const released = readNotebook(RELEASED);
  assert.ok(!released.cells.some((c) => c.metadata.nbgrader.grade_id.endsWith('_rubric')));
  assert.ok(!notebookText(released).includes('Rubric for'));
  const overview = cellText(cellsById(released).get('overview'));
  const p = pointsOf('gan_homework');
  assert.match(
    overview,
    new RegExp(`\\*\\*Total: ${p.total} points\\*\\*: ${p.autograded} checked by the grader, ${p.written} for written`),
  );
  for (const e of A1) assert.ok(overview.includes(`| ${e.id} | ${e.title} | ${e.section} | ${e.points} |`), e.id);
  // Assignment 2 has no written part yet: its overview says all its points are the grader's
  const overview2 = cellText(cellsById(readNotebook(RELEASED2)).get('overview'));
  assert.match(
    overview2,
    new RegExp(`\\*\\*Total: ${pointsOf('gan_training').total} points\\*\\*, all checked by the grader\\.`),
  );
  for (const e of exercisesOf('gan_training'))
    assert.ok(overview2.includes(`| ${e.id} | ${e.title} | ${e.section} | ${e.points} |`), e.id);
  const tmp = path.join(dir, 'release-check');
  fs.mkdirSync(tmp);
  const file = path.join(tmp, 'gan_homework.ipynb');
  const source = readNotebook(SOURCE);
  const heading = cellText(cellsById(source).get('ex2_text'));
  fs.writeFileSync(file, notebookText(variant(source, { ex2_text: heading.replace('(3 points)', '(4 points)') })));
  assert.throws(
    () => releaseNotebook(file),
    /the heading of "ex2_text" says 4 points, but lib\/src\/homework\/spec.ts gives 3/,
  );
  const noRubric = structuredClone(source);
  noRubric.cells = noRubric.cells.filter((c) => c.metadata.nbgrader.grade_id !== 'q1_written_rubric');
  fs.writeFileSync(file, notebookText(noRubric));
  assert.throws(() => releaseNotebook(file), /written question q1_written has no rubric cell "q1_written_rubric"/);
});

test('without a sandbox the grader says so loudly, and still grades', () => {
  const r = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'homework.mjs'), 'grade', SOURCE, '--out', path.join(dir, 'unsandboxed')],
    {
      cwd: repoRoot,
      env: { ...process.env, TSGAN_HOMEWORK_SANDBOX: 'none', INIT_CWD: repoRoot },
      encoding: 'utf8',
      timeout: 5 * 60_000,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /NOT SANDBOXED: TSGAN_HOMEWORK_SANDBOX=none/);
  assert.match(r.stdout, new RegExp(`gan_homework \\(gan_homework\\): ${AUTO_POINTS}/${AUTO_POINTS} = 100 %`));
});

/** Runs a homework notebook in the tslab kernel through the project's runner; returns the executed copy. */
function runInKernel(file) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'notebooks.mjs'), file], {
    cwd: repoRoot,
    env: { ...process.env, TSGAN_QUICK: '1', INIT_CWD: repoRoot },
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return readNotebook(path.join(repoRoot, 'build', 'notebooks', path.basename(file)));
}
/** Each check cell's output: exactly one line of text (no value shown after it), or the test fails. */
const checkOutputs = (nb) =>
  nb.cells
    .filter((c) => c.metadata?.nbgrader?.grade_id?.startsWith('check_'))
    .map((c) => {
      const id = c.metadata.nbgrader.grade_id;
      assert.deepEqual(
        c.outputs.map((o) => o.output_type),
        ['stream'],
        `${id}: ${JSON.stringify(c.outputs)}`,
      );
      const text = [c.outputs[0].text].flat().join('');
      assert.equal(text.trimEnd().split('\n').length, 1, `${id} printed more than one line: ${text}`);
      return [id, text];
    });

for (const [released, source, auto] of [
  [RELEASED, SOURCE, AUTO],
  [RELEASED2, SOURCE2, AUTO2],
]) {
  const name = path.basename(released);
  test(
    `in the tslab kernel, the released ${name} runs and every self-check says "not implemented"`,
    { timeout: 15 * 60_000 },
    () => {
      const outputs = checkOutputs(runInKernel(released));
      assert.equal(outputs.length, auto.length);
      for (const [id, text] of outputs) assert.match(text, /not attempted.*not implemented yet/, `${id}: ${text}`);
    },
  );

  test(`in the tslab kernel, the solutions of ${name} pass every self-check`, { timeout: 15 * 60_000 }, () => {
    const outputs = checkOutputs(runInKernel(source));
    assert.equal(outputs.length, auto.length);
    for (const [id, text] of outputs) assert.match(text, /^✔ .*: pass/, `${id}: ${text}`);
  });
}
