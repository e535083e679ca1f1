/**
 * trainedGeneratorOrBrief (notebook 06's model cell): the first candidate with a checkpoint is loaded and
 * its weights are the checkpoint's; with none, a brief run trains from scratch and says so.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, Rng } from '../src';
import { PAPER_MNIST_EXPERIMENT, loadRunModels, trainedGeneratorOrBrief } from '../src/experiments';

const SHIPPED = path.resolve(__dirname, '../../models/paper-mnist');

before(async () => {
  await initBackend();
});

/** console.log's lines while `f` runs. */
async function printed<T>(f: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    return { value: await f(), lines };
  } finally {
    console.log = log;
  }
}

test('the first candidate with a checkpoint is loaded: missing ones are skipped, its weights are the checkpoint’s', async () => {
  const missing = path.join(os.tmpdir(), 'tsgan-no-such-run');
  assert.equal(fs.existsSync(missing), false);
  const { value: t, lines } = await printed(() =>
    trainedGeneratorOrBrief(PAPER_MNIST_EXPERIMENT, {
      candidates: [undefined, missing, SHIPPED],
      steps: 1,
      trainCount: 100,
    }),
  );
  assert.equal(t.loadedFrom, SHIPPED);
  assert.equal(t.runFolder, SHIPPED);
  assert.match(t.label, /^\d+ epochs?/);
  assert.match(lines.join('\n'), /^Loaded .*paper-mnist: \d+ epochs/);
  const direct = await loadRunModels(SHIPPED);
  const [a, b] = [t.generator, direct.run.generator].map((g) => g.getWeights().map((w) => w.dataSync()));
  assert.deepEqual(a, b);
});

test('with no checkpoint, a brief run of the given steps trains G from scratch and says so', async () => {
  const { value: t, lines } = await printed(() =>
    trainedGeneratorOrBrief(PAPER_MNIST_EXPERIMENT, { candidates: [os.tmpdir()], steps: 2, trainCount: 200 }),
  );
  assert.equal(t.loadedFrom, null);
  assert.equal(t.runFolder, null);
  assert.equal(t.label, '2 steps');
  assert.equal(t.data.train.count, 200);
  assert.match(lines[0], /^No checkpoint in .*: training briefly \(2 steps\)/);
  const z = t.prior.sample(3, new Rng(0));
  const x = t.generator.predict(z) as tf.Tensor;
  assert.deepEqual(x.shape, [3, 784]);
  tf.dispose([z, x]);
});
