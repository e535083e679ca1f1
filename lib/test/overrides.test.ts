/**
 * `--set key=value` (experiments/overrides.ts): every field of an experiment can be overridden, a wrong key
 * or type is refused naming it (exit code 2), and a run records its overrides so that a resumed or
 * evaluated run rebuilds the same experiment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../src';
import {
  MLP_MNIST_EXPERIMENT,
  PAPER_MNIST_EXPERIMENT as PAPER,
  applyOverrides,
  parseOverride,
  readRunManifest,
} from '../src/experiments';
import { TINY_MLP_TRAIN as tiny, inProcess as cli } from './cli-in-process';

let tmp: string;
before(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-set-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('applyOverrides', () => {
  test('sets fields by their dotted paths in a new object; the registry keeps the values as written', () => {
    const e = applyOverrides(PAPER, {
      'optimizer.learningRate': 0.05,
      'optimizer.momentumSchedule.endEpoch': 100,
      'generator.hidden': [512, 512],
      'update.sharedForward': true,
      batchSize: 50,
    });
    assert.equal(e.optimizer.learningRate, 0.05);
    assert.equal(e.optimizer.kind === 'sgdMomentum' && e.optimizer.momentumSchedule.endEpoch, 100);
    assert.deepEqual(e.generator.hidden, [512, 512]);
    assert.match(e.generator.layers, /with --set generator\.hidden=\[512,512\]/);
    assert.equal(e.update.sharedForward, true);
    assert.equal(e.batchSize, 50);
    assert.equal(PAPER.optimizer.learningRate, 0.1);
    assert.deepEqual(PAPER.generator.hidden, [1200, 1200]);
    assert.equal(applyOverrides(PAPER, {}), PAPER);
  });

  test("a new kind drops the old kind's fields and takes its own", () => {
    const normal = applyOverrides(PAPER, { 'prior.kind': 'normal' });
    assert.deepEqual(normal.prior, { kind: 'normal', dim: 100 });
    const adam = applyOverrides(PAPER, {
      'optimizer.kind': 'adam',
      'optimizer.beta1': 0.5,
      'optimizer.learningRate': 2e-4,
    });
    assert.deepEqual(adam.optimizer, { kind: 'adam', learningRate: 2e-4, beta1: 0.5 });
    assert.throws(
      () => applyOverrides(MLP_MNIST_EXPERIMENT, { 'optimizer.kind': 'sgdMomentum' }),
      /optimizer\.kind=sgdMomentum also needs optimizer\.decayFactor=…, optimizer\.minLearningRate=…, optimizer\.momentumSchedule=…/,
    );
    assert.throws(() => applyOverrides(PAPER, { 'optimizer.beta1': 0.5 }), /paper-mnist has no such field/);
  });

  test('a wrong key, type or word is refused, naming it', () => {
    const cases: [Record<string, never> | { [k: string]: unknown }, RegExp][] = [
      [
        { 'optimizer.learningrate': 0.1 },
        /--set optimizer\.learningrate: paper-mnist has no such field \(optimizer: kind, learningRate/,
      ],
      [{ 'optimiser.learningRate': 0.1 }, /has no group "optimiser"/],
      [{ 'optimizer.learningRate': 'fast' }, /optimizer\.learningRate="fast": must be a number/],
      [{ batchSize: 2.5 }, /batchSize=2\.5: must be an integer/],
      [{ 'prior.kind': 'gaussian' }, /must be one of uniform, normal/],
      [{ 'update.mode': 'sideways' }, /must be one of simultaneous, alternating/],
      [{ 'update.sharedForward': 1 }, /must be true or false/],
      [{ 'generator.hidden': 512 }, /must be an array of numbers/],
      [{ optimizer: 1 }, /optimizer is a group \(kind, learningRate/],
      [{ name: 'x' }, /it says what the experiment is/],
      [{ 'table1.0.mean': 300 }, /it says what the experiment is/],
      [{ 'prior.dim': 50 }, /prior\.dim 50 must equal generator\.latentDim 100/],
    ];
    for (const [o, re] of cases) assert.throws(() => applyOverrides(PAPER, o as never), re, JSON.stringify(o));
  });

  test('parseOverride reads numbers, booleans, arrays and bare words', () => {
    assert.deepEqual(parseOverride('optimizer.learningRate=5e-2'), ['optimizer.learningRate', 0.05]);
    assert.deepEqual(parseOverride('update.sharedForward=true'), ['update.sharedForward', true]);
    assert.deepEqual(parseOverride('generator.hidden=[512, 256]'), ['generator.hidden', [512, 256]]);
    assert.deepEqual(parseOverride('prior.kind=normal'), ['prior.kind', 'normal']);
    assert.throws(() => parseOverride('learningRate'), /write key=value/);
    assert.throws(() => parseOverride('x={"a":1}'), /is not a number, true\/false, a word or an array of numbers/);
  });
});

describe('tsgan train --set', () => {
  test('runs with the override, records it in the checkpoint and settings.json, and a resumed run keeps it', async () => {
    const out = path.join(tmp, 'lr');
    const r = await cli([
      ...tiny,
      '--epochs',
      '1',
      '--out',
      out,
      '--set',
      'optimizer.learningRate=0.001',
      '--set',
      'generator.hidden=[32]',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out + r.err, /mlp-mnist with optimizer\.learningRate=0\.001, generator\.hidden=\[32\]/);
    const settings = JSON.parse(fs.readFileSync(path.join(out, 'settings.json'), 'utf8'));
    assert.deepEqual(settings.settings.overrides, { 'optimizer.learningRate': 0.001, 'generator.hidden': [32] });
    assert.equal(settings.experiment.optimizer.learningRate, 0.001);
    const line = JSON.parse(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')[0]);
    assert.equal(line.learningRate, 0.001, "the optimiser ran with the override (Adam's learning rate does not decay)");
    assert.deepEqual(
      readRunManifest(path.join(out, 'checkpoint')).meta.settings.overrides,
      settings.settings.overrides,
    );

    const other = await cli([
      ...tiny,
      '--epochs',
      '2',
      '--out',
      out,
      '--resume',
      '--set',
      'optimizer.learningRate=0.01',
    ]);
    assert.equal(other.code, 2, 'a continued run keeps its own overrides');
    assert.match(other.err, /trained with overrides = \{"optimizer\.learningRate":0\.001/);
    const resumed = await cli([...tiny, '--epochs', '2', '--out', out, '--resume']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out + resumed.err, /with optimizer\.learningRate=0\.001, generator\.hidden=\[32\]/);
  });

  test('a wrong key or type exits 2 naming it, before anything is written', async () => {
    for (const [set, re] of [
      ['optimizer.lr=0.1', /--set optimizer\.lr: mlp-mnist has no such field/],
      ['batchSize=many', /--set batchSize="many": must be a number/],
      ['optimizer.learningRate', /write key=value/],
    ] as const) {
      const out = path.join(tmp, 'bad');
      const r = await cli([...tiny, '--epochs', '1', '--out', out, '--set', set]);
      assert.equal(r.code, 2, set);
      assert.match(r.err, re);
      assert.equal(fs.existsSync(out), false);
    }
    const twice = await cli([...tiny, '--out', path.join(tmp, 'x'), '--set', 'seed=2', '--set', 'seed=3']);
    assert.equal(twice.code, 2);
    assert.match(twice.err, /--set seed is given twice/);
  });
});
