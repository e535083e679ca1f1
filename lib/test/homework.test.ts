/**
 * The homework's checks, in process: the lib's own functions pass them, known mistakes are named, the case
 * generator is deterministic and matches the committed public cases' format. (tests/homework.test.mjs grades
 * whole notebooks through the grader.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as gan from '../src';

const hw = gan.homework;
tf.enableProdMode();

/** A student's training function (ex11, t5): the models, optimisers, real sampler, z stream and options O. */
type StudentTraining<O> = (
  G: tf.LayersModel,
  D: tf.LayersModel,
  dOpt: gan.GanOptimizer,
  gOpt: gan.GanOptimizer,
  sampleReal: (n: number) => tf.Tensor2D,
  rng: gan.Rng,
  o: O,
) => void;

test('generateCases is deterministic for a seed and differs between seeds', async () => {
  const a = await hw.generateCases(5);
  const b = await hw.generateCases(5);
  const c = await hw.generateCases(6);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.exercises.ex2, c.exercises.ex2);
  for (const e of hw.autograded())
    assert.ok((a.exercises as unknown as Record<string, unknown[]>)[e.id].length > 0, e.id);
});

test('the committed public cases are the ones `npm run homework -- cases` makes (seed 1)', async () => {
  const committed = hw.readCaseFile(hw.publicCasesFile());
  const fresh = await hw.generateCases(committed.seed);
  assert.deepEqual(committed.exercises, JSON.parse(JSON.stringify(fresh.exercises)));
});

test('the lib functions themselves pass the checks; a flipped sign is named; calling the reference scores 0', () => {
  // `lib`, not `gan`: a function that names gan.discriminatorLoss is a call of the reference (below)
  const lib = gan;
  const called = hw.grade('ex2', (r: tf.Tensor, f: tf.Tensor) => gan.discriminatorLoss(r, f));
  assert.equal(called.status, 'fail');
  assert.equal(called.score, 0);
  assert.match(called.message, /calls the library's reference gan.discriminatorLoss/);
  assert.equal(
    hw.grade('ex1', (n: number, dim: number, rng: gan.Rng) => lib.uniformPrior(dim).sample(n, rng)).status,
    'pass',
  );
  assert.equal(hw.grade('ex2', (r: tf.Tensor, f: tf.Tensor) => lib.discriminatorLoss(r, f)).status, 'pass');
  assert.equal(
    hw.grade('ex3', (f: tf.Tensor, variant: gan.GeneratorLossVariant) => lib.generatorLoss(f, { variant })).status,
    'pass',
  );
  assert.equal(
    hw.grade('ex8', (p: number[], q: number[]) => Array.from(lib.optimalDiscriminator(p, q))).status,
    'pass',
  );
  const flipped = hw.grade('ex2', (r: tf.Tensor, f: tf.Tensor) => tf.neg(lib.discriminatorLoss(r, f)));
  assert.equal(flipped.status, 'fail');
  assert.equal(flipped.mistake, 'sign flipped');
});

test('hw.check prints exactly one line and returns nothing (so a cell shows that line only)', () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  let value: unknown;
  try {
    value = hw.check('ex8', (p: number[], q: number[]) => p.map((x, i) => (x + q[i] === 0 ? 0.5 : x / (x + q[i]))));
  } finally {
    console.log = log;
  }
  assert.equal(value, undefined);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].split('\n').length, 1);
  assert.match(lines[0], /^✔ ex8 /);
});

test("q2: any function of Algorithm 1's invariant passes; the other order's, x² + y² and a constant are named", () => {
  const q = (x: number, y: number, eta: number) => x * x + y * y + eta * x * y;
  assert.equal(hw.grade('q2', q).status, 'pass');
  assert.equal(hw.grade('q2', (x: number, y: number, eta: number) => Math.sqrt(3 * q(x, y, eta)) - 7).status, 'pass');
  const named = (fn: (x: number, y: number, eta: number) => number) => hw.grade('q2', fn).mistake;
  assert.equal(
    named((x, y, eta) => x * x + y * y - eta * x * y),
    "the other order's quantity",
  );
  assert.equal(
    named((x, y) => 2 * (x * x + y * y)),
    'x² + y²',
  );
  assert.equal(
    named(() => 1),
    'a constant',
  );
  assert.equal(hw.grade('q2', (x: number, y: number) => x * x + y * y + 0.1 * x * y).status, 'fail'); // η ignored
});

test('ex11: the simultaneous update passes; the alternating one is named; a leak costs the stated point', () => {
  const lib = gan;
  type Opts = { steps: number; batchSize: number; latentDim: number };
  const loop =
    (how: 'simultaneous' | 'alternating', leak: boolean): StudentTraining<Opts> =>
    (G, D, dOpt, gOpt, sampleReal, rng, o) => {
      const prior = lib.uniformPrior(o.latentDim);
      for (let s = 0; s < o.steps; s++) {
        const real = sampleReal(o.batchSize);
        const z = prior.sample(o.batchSize, rng);
        const models = { generator: G, discriminator: D };
        if (how === 'simultaneous') lib.simultaneousStep({ ...models, dOptimizer: dOpt, gOptimizer: gOpt, real, z });
        else {
          lib.discriminatorStep({ ...models, optimizer: dOpt, real, z });
          lib.generatorStep({ ...models, optimizer: gOpt, z });
        }
        if (!leak) tf.dispose([real, z]);
      }
    };
  const right = hw.grade('ex11', loop('simultaneous', false));
  assert.equal(right.status, 'pass', right.message);
  assert.equal(right.score, right.points);
  const leaky = hw.grade('ex11', loop('simultaneous', true));
  assert.equal(leaky.mistake, 'tensors left behind');
  assert.equal(leaky.score, leaky.points - 1);
  assert.match(leaky.message, /costs 1 point/);
  const alternating = hw.grade('ex11', loop('alternating', false));
  assert.equal(alternating.score, 0);
  assert.equal(alternating.mistake, "Algorithm 1's order, not simultaneous");
});

test("t1's cases are the lib's DCGAN G: PyTorch's (kernel 4, stride 2, padding 1) is TF's 'same' there", () => {
  const G = gan.dcganGenerator({ seed: 1 });
  const up = G.layers
    .filter((l) => l.getClassName() === 'Conv2DTranspose')
    .map((l) => (l.outputShape as number[]).slice(1));
  G.dispose();
  const c = hw.loadCases('t1')[0];
  assert.deepEqual(up, c.expected);
  assert.deepEqual(c.expected, [
    [14, 14, 64],
    [28, 28, 1],
  ]);
});

test('t2 and t5: the lib passes; calling its mixtureMetrics scores 0; the same noise for every D step is named', () => {
  const lib = gan;
  const metrics = (points: number[][], centres: number[][], std: number) =>
    lib.mixtureMetrics(points.flat(), { centres: centres as [number, number][], std });
  assert.equal(hw.grade('t2', metrics).status, 'pass');
  const called = hw.grade('t2', (p: number[][], c: number[][], std: number) =>
    gan.mixtureMetrics(p.flat(), { centres: c as [number, number][], std }),
  );
  assert.equal(called.mistake, "calls the library's reference");
  type Opts = { iterations: number; k: number; batchSize: number; latentDim: number };
  const loop =
    (sameNoise: boolean): StudentTraining<Opts> =>
    (G, D, dOpt, gOpt, sampleReal, rng, o) => {
      const prior = lib.uniformPrior(o.latentDim);
      const models = { generator: G, discriminator: D };
      for (let it = 0; it < o.iterations; it++) {
        const shared = sameNoise ? prior.sample(o.batchSize, rng) : undefined;
        for (let j = 0; j < o.k; j++) {
          const real = sampleReal(o.batchSize);
          const z = shared ?? prior.sample(o.batchSize, rng);
          lib.discriminatorStep({ ...models, optimizer: dOpt, real, z });
          tf.dispose(z === shared ? [real] : [real, z]);
        }
        shared?.dispose();
        const z = prior.sample(o.batchSize, rng);
        lib.generatorStep({ ...models, optimizer: gOpt, z });
        z.dispose();
      }
    };
  const right = hw.grade('t5', loop(false));
  assert.equal(right.status, 'pass', right.message);
  assert.equal(right.score, right.points);
  const same = hw.grade('t5', loop(true));
  assert.equal(same.mistake, 'the same noise for every D step', same.message);
  assert.equal(same.score, 0);
});

test('a stub that throws "not implemented" is not attempted; a missing function too; no tensor leaks', () => {
  const before = tf.memory().numTensors;
  const r = hw.grade('ex2', () => {
    throw new Error('not implemented');
  });
  assert.equal(r.status, 'not attempted');
  assert.equal(r.score, 0);
  assert.equal(hw.grade('ex6', undefined).status, 'not attempted');
  assert.equal(tf.memory().numTensors, before);
});

test('exercise ids are unique across assignments, and each assignment has autograded points (Assignment 1 written ones too)', () => {
  const ids = hw.EXERCISES.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(hw.pointsOf('gan_homework').written > 0);
  for (const a of hw.ASSIGNMENTS) {
    const p = hw.pointsOf(a.name);
    assert.ok(p.autograded > 0, a.name);
    assert.equal(
      p.total,
      hw.exercisesOf(a.name).reduce((t, e) => t + e.points, 0),
    );
  }
  assert.throws(() => hw.exercisesOf('gan_homwork'), /no assignment "gan_homwork". Assignments: gan_homework/);
});

test('written questions cannot be autograded; unknown ids are named', () => {
  assert.throws(() => hw.grade('q2_written', () => 0), /grades it by hand/);
  assert.throws(() => hw.grade('ex99', () => 0), /no exercise "ex99". Exercises: ex1/);
});

test('dependencies are transitive and in notebook order', () => {
  assert.deepEqual(hw.dependencies('ex11'), ['ex1', 'ex2', 'ex3']);
  assert.deepEqual(hw.dependencies('ex9'), ['ex8']);
});

test('an async answer is told to be synchronous', () => {
  const r = hw.grade('ex7', async () => 1_231_441);
  assert.equal(r.status, 'fail');
  assert.match(r.message, /returned a Promise: write a synchronous function/);
});

test('a call of the reference is found through gan.name, gan[name] and destructuring, not in comments', () => {
  assert.equal(hw.referenceCalled('ex2', 'return gan.discriminatorLoss(r, f);'), 'discriminatorLoss');
  assert.equal(hw.referenceCalled('ex2', "return gan['discriminatorLoss'](r, f);"), 'discriminatorLoss');
  assert.equal(hw.referenceCalled('ex2', 'const { discriminatorLoss: d } = gan; return d(r, f);'), 'discriminatorLoss');
  assert.equal(
    hw.referenceCalled('ex2', '// not gan.discriminatorLoss(r, f): by hand\nreturn tf.add(a, b);'),
    undefined,
  );
  assert.equal(hw.referenceCalled('ex9', 'const d = optimalDiscriminator(p, q); // my own ex8'), undefined);
});

test('the judge trusts nothing a child reports: malformed or forged results score within the points', () => {
  const cases = hw.loadCases('ex2');
  const forged = hw.judge('ex2', cases, {
    raws: cases.map(() => ({ ok: true, values: 'pass', shape: [], score: 1000 })),
  });
  assert.equal(forged.status, 'fail');
  assert.equal(forged.score, 0);
  const short = hw.judge('ex2', cases, { raws: [] });
  assert.equal(short.score, 0);
  // right values in the wrong shape fail: the shape is compared, not only how many numbers come back
  const maxout = hw.loadCases('ex6');
  const flatShape = hw.judge('ex6', maxout, {
    raws: maxout.map((c) => ({ ok: true, values: c.expected.flat(), shape: [c.x.length, c.units, 1], leaked: 0 })),
  });
  assert.equal(flatShape.status, 'fail');
  assert.match(flatShape.message, /shape \[\d+, \d+, 1\]/);
  const right = hw.judge('ex6', maxout, {
    raws: maxout.map((c) => ({ ok: true, values: c.expected.flat(), shape: [c.x.length, c.units], leaked: 0 })),
  });
  assert.equal(right.score, right.points);
});

test("each assignment's default time limit keeps a student's worst case within its grading budget", () => {
  // issue 30: at most 60 s of grading per student for Assignment 2; Assignment 1 was written for 20 s an exercise
  const budget: { [name: string]: number } = {
    gan_homework: 20 * gan.homework.autograded('gan_homework').length,
    gan_training: 60,
  };
  for (const a of gan.homework.ASSIGNMENTS) {
    const worst = a.timeoutSeconds * gan.homework.autograded(a.name).length;
    assert.ok(
      worst <= budget[a.name],
      `${a.name}: ${gan.homework.autograded(a.name).length} exercises × ${a.timeoutSeconds} s = ${worst} s`,
    );
  }
});
