/** The lib calls that replaced notebook plumbing: stageCheckpoints, figure1Recorder, trainWatched. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import {
  figure1Recorder,
  framesPng,
  imageGridPng,
  labelWidth,
  gaussian1D,
  initBackend,
  mlpDiscriminator,
  mlpGenerator,
  stageCheckpoints,
  trainGan,
  trainWatched,
  uniformPrior,
} from '../src';
import { disposeToy, toyGan } from './toy-gan';

let tmp: string;
before(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-notebook-helpers-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const weightsOf = (t: ReturnType<typeof toyGan>) =>
  [...t.generator.getWeights(), ...t.discriminator.getWeights()].map((w) => Array.from(w.dataSync()));

test('stageCheckpoints: resuming a stage and training again gives the same weights as the first time', async () => {
  const stages = stageCheckpoints('toy', tmp);
  assert.equal(stages.dirOf('a'), path.join(tmp, 'toy_a'));
  const t = toyGan(3, { optimizer: 'adam' });
  await trainGan({ ...t, batchSize: 16, steps: 5 });
  await stages.save(t, 'a');
  await trainGan({ ...t, batchSize: 16, steps: 5 });
  const once = weightsOf(t);
  await trainGan({ ...t, batchSize: 16, steps: 5 }); // moves on from the stage's end
  assert.notDeepEqual(weightsOf(t), once);
  await stages.resume(t, 'a');
  await trainGan({ ...t, batchSize: 16, steps: 5 });
  assert.deepEqual(weightsOf(t), once, 'the same weights, optimiser moments, noise and data as after stage a');
  assert.throws(() => stages.dirOf('../b'), /plain name/);
  assert.throws(() => stageCheckpoints('a/b', tmp), /plain file name/);
  disposeToy(t);
});

test('figure1Recorder: a G that maps z to 2 + z/2 covers 2 ± √3/2 with mean 2; a later panel of one letter replaces it', () => {
  const generator = mlpGenerator({ latentDim: 1, hidden: [], outputDim: 1, outputActivation: 'linear', seed: 1 });
  tf.tidy(() => generator.setWeights([tf.tensor2d([[0.5]]), tf.tensor1d([2])]));
  const discriminator = mlpDiscriminator({ inputDim: 1, hidden: [4], activation: 'leakyRelu', seed: 2 });
  const recorder = figure1Recorder({ prior: uniformPrior(1), pData: gaussian1D(2, 0.5).pdf, range: [0, 4] });
  const s = recorder.addPanel({ generator, discriminator }, 'a', 'first');
  const half = Math.sqrt(3) / 2;
  const dx = 4 / 300;
  assert.ok(Math.abs(s.meanG - 2) < 1e-3, `mean ${s.meanG}`);
  assert.ok(
    Math.abs(s.support[0] - (2 - half)) <= dx && Math.abs(s.support[1] - (2 + half)) <= dx,
    `support ${s.support}`,
  );
  assert.equal(recorder.panels.get('a')!.title, '(a) first');
  tf.tidy(() => generator.setWeights([tf.tensor2d([[0.5]]), tf.tensor1d([1.5])]));
  recorder.addPanel({ generator, discriminator }, 'a', 'again');
  assert.equal(recorder.panels.size, 1);
  assert.equal(recorder.panels.get('a')!.title, '(a) again');
  assert.ok(Math.abs(recorder.summaries.get('a')!.meanG - 1.5) < 1e-3);
  tf.tidy(() => generator.setWeights([tf.tensor2d([[0.5]]), tf.tensor1d([10])]));
  assert.throws(() => recorder.addPanel({ generator, discriminator }, 'b', 'off the grid'), /no mass/);
  generator.dispose();
  discriminator.dispose();
});

test('trainWatched: the same weights as trainGan, the kept frames at their steps, one time per step, onStep can stop it', async () => {
  const byLib = toyGan(5);
  const watched = toyGan(5);
  await trainGan({ ...byLib, batchSize: 16, steps: 12 });
  let drawn = 0;
  const samples = () => Buffer.from([drawn++]);
  const run = await trainWatched(
    { ...watched, batchSize: 16, steps: 12 },
    { samples, sampleEvery: 5, keepSteps: [0, 3, 12, 40] },
  );
  assert.deepEqual(weightsOf(watched), weightsOf(byLib));
  assert.deepEqual(
    run.frames.map((f) => f.step),
    [0, 3, 12],
  );
  // drawn before step 1, then at steps 3, 5, 10 and 12
  assert.deepEqual(
    run.frames.map((f) => f.png[0]),
    [0, 1, 4],
  );
  assert.equal(drawn, 5);
  assert.equal(run.stepMs.length, 12);
  assert.equal(run.cpuMs.length, 12);
  assert.ok(run.stepMs.every((ms) => ms >= 0) && run.cpuMs.every((ms) => ms >= 0));
  assert.equal(run.history.finalStep, 12);
  const stopped = toyGan(5);
  const early = await trainWatched(
    { ...stopped, batchSize: 16, steps: 12, onStep: (s) => s.step < 4 },
    { samples: () => Buffer.alloc(0) },
  );
  assert.equal(early.history.finalStep, 4);
  assert.equal(early.history.stoppedBy, 'onStep');
  // a frame of its own: drawn only at the kept steps, the view's samples still every sampleEvery steps
  const framed = toyGan(5);
  let views = 0;
  let own = 0;
  const ownFrames = await trainWatched(
    { ...framed, batchSize: 16, steps: 6 },
    {
      samples: () => Buffer.from([views++]),
      frame: () => Buffer.from([100 + own++]),
      sampleEvery: 3,
      keepSteps: [2, 6],
    },
  );
  assert.deepEqual(
    ownFrames.frames.map((f) => [f.step, f.label, f.png[0]]),
    [
      [2, 'step 2', 100],
      [6, 'step 6', 101],
    ],
  );
  assert.equal(views, 3, 'before step 1, at steps 3 and 6');
  await assert.rejects(
    trainWatched({ ...stopped, batchSize: 16, steps: 1 }, { samples, sampleEvery: 0 }),
    /sampleEvery/,
  );
  [byLib, watched, stopped, framed].forEach(disposeToy);
});

test('framesPng: frames side by side under their labels, every pixel of each frame where it belongs', () => {
  const a = imageGridPng(new Float32Array(4).fill(1), { rows: 1, cols: 1, imageRows: 2, imageCols: 2 }); // 4×4, white in a gray frame
  const b = imageGridPng(new Float32Array(9).fill(0), { rows: 1, cols: 1, imageRows: 3, imageCols: 3 }); // 5×5, black inside
  const png = PNG.sync.read(
    framesPng(
      [
        { label: 'step 10', png: a },
        { label: '2', png: b },
      ],
      { gap: 2, labelScale: 1 },
    ),
  );
  const labelA = labelWidth('STEP 10', 1); // 27 pixels: wider than frame a
  assert.equal(labelA, 27);
  assert.equal(png.width, 2 + labelA + 2 + 5 + 2);
  assert.equal(png.height, 2 + 5 + 2 + 5 + 2); // label 5 high, gap, the taller frame, gap
  const gray = (x: number, y: number) => png.data[(y * png.width + x) * 4];
  const top = 2 + 5 + 2;
  assert.equal(gray(2 + 1, top + 1), 255, 'a: white inside');
  assert.equal(gray(2, top), 128, 'a: its gray border');
  const leftB = 2 + labelA + 2;
  assert.equal(gray(leftB + 2, top + 2), 0, 'b: black inside');
  assert.equal(gray(leftB + 5, top + 2), 255, 'background right of b');
  // label 'S' of frame a: top row 011 → the pixel at column 1 black, column 0 white
  assert.equal(gray(2, 2), 255);
  assert.equal(gray(3, 2), 0);
  // label '2' of frame b: top row 111
  assert.deepEqual(
    [0, 1, 2].map((x) => gray(leftB + x, 2)),
    [0, 0, 0],
  );
  const two = PNG.sync.read(
    framesPng(
      [
        { label: '1', png: a },
        { label: '2', png: a },
        { label: '3', png: a },
      ],
      { columns: 2, gap: 1 },
    ),
  );
  assert.equal(two.height, 1 + (15 + 1 + 4) * 2 + 2, 'two rows');
  assert.throws(() => framesPng([{ label: 'step Ω', png: a }]), /no "Ω"/);
  assert.throws(() => framesPng([]), /at least one/);
});
