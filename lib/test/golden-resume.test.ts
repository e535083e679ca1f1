/**
 * The golden resume check (issues 25 and 26): the committed paper run, state/paper-mnist, resumed through
 * `tsgan train --resume` for a few steps, must give G and D weights whose digest was recorded when the
 * check was written. A refactor of the checkpoint, the run folder, the steps, the optimiser, the data
 * order or any random stream that breaks the run's bit-exact continuation fails here, before it can
 * damage the real run. The digest covers the models' values (not a file format), so a new checkpoint
 * format keeps it.
 *
 * The wasm matrix products round differently with and without fused multiply-adds (relaxed SIMD), so one
 * digest is recorded per build; any thread count gives the same bits.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, relaxedSimd } from '../src';
import { loadRunModels, readRunManifest } from '../src/experiments';
import { main } from '../src/cli/main';

const STATE = path.resolve(__dirname, '../../state/paper-mnist');
/** Steps taken past the committed checkpoint: enough to use the velocities, the noise, dropout and the data order. */
const STEPS = 3;
/** sha256 of G's then D's weights (float32 bytes, in model order) after STEPS steps from the committed state. */
const GOLDEN = {
  step: 355151 + STEPS,
  relaxedSimd: '899ff1a4937c03607473cfd8696030a4c2edd2450e36c06c021705106eadac20',
  plainSimd: 'aa49dbf13eb29ab186abf42d7f286041263c0cf976cf4b874641595fcdc8ab65',
};

let dir: string;
before(async () => {
  await initBackend({ backend: 'wasm' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-golden-'));
  fs.cpSync(STATE, path.join(dir, 'run'), { recursive: true });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`state/paper-mnist resumed for ${STEPS} steps gives the recorded weights, bit for bit`, async () => {
  const run = path.join(dir, 'run');
  const { manifest } = readRunManifest(path.join(run, 'checkpoint'));
  assert.equal(manifest.step, GOLDEN.step - STEPS, 'the committed state moved: record a new golden digest with it');
  let err = '';
  const code = await main(
    [
      'train',
      '--experiment',
      'paper-mnist',
      '--out',
      run,
      '--resume',
      '--steps',
      String(GOLDEN.step),
      '--validate-every',
      '0',
    ],
    { out: () => {}, err: (t) => void (err += t) },
  );
  assert.equal(code, 0, err);
  const loaded = await loadRunModels(run);
  assert.equal(loaded.step, GOLDEN.step);
  const hash = crypto.createHash('sha256');
  for (const model of [loaded.run.generator, loaded.run.discriminator]) {
    for (const w of model.getWeights()) hash.update(Buffer.from((w.dataSync() as Float32Array).buffer));
  }
  loaded.run.dispose();
  const build = relaxedSimd().relaxed ? 'relaxedSimd' : 'plainSimd';
  assert.equal(hash.digest('hex'), GOLDEN[build], `digest of G and D after the resume (${build} build)`);
});

test('state/paper-mnist/best.json points at the best epoch by validation: a model of that epoch, or how to regenerate it', () => {
  const best = JSON.parse(fs.readFileSync(path.join(STATE, 'best.json'), 'utf8'));
  const records = fs
    .readFileSync(path.join(STATE, 'validation.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const top = records.reduce((a, r) => (r.validation.mean > a.validation.mean ? r : a));
  assert.deepEqual([best.epoch, best.step, best.validation], [top.epoch, top.step, top.validation]);
  if (best.model === null) {
    // not shipped yet (a state commit stays small): an earlier committed state resumed to that epoch gives it, bit for bit
    assert.match(best.weightsSha256, /^[0-9a-f]{64}$/, 'the checksum of the weights the regeneration must give');
    assert.match(best.regenerate, new RegExp(`--resume --epochs ${best.epoch}\\b`));
    return;
  }
  const model = readRunManifest(path.resolve(STATE, '../..', best.model)).manifest;
  assert.deepEqual([model.epoch, model.step], [best.epoch, best.step], `${best.model} is not the best epoch`);
});
