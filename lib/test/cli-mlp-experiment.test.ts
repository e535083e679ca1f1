/**
 * A second experiment through the whole command line: `tsgan train --experiment mlp-mnist` (the small MLP
 * GAN with Adam), a stop and --resume that ends bit-identical, then `tsgan eval parzen` and its
 * results.json read back by readParzenResults. Kept tiny with --train-count and --batch-size. Also the
 * registry and the checkpoint meta and results.json readers' errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  countParams,
  initBackend,
  makeImageSet,
  MLP_MNIST_DISCRIMINATOR,
  MLP_MNIST_GENERATOR,
  Rng,
  trainGan,
} from '../src';
import {
  EXPERIMENTS,
  MLP_MNIST_EXPERIMENT,
  PAPER_MNIST_EXPERIMENT,
  createRun,
  defaultRunSettings,
  ganLossOf,
  getExperiment,
  isRunMeta,
  readParzenResults,
  readRunManifest,
  runMetaProblem,
  stepsPerEpoch,
  trainConfigOf,
} from '../src/experiments';
import { TINY_MLP_TRAIN as TINY, inProcess as cli } from './cli-in-process';

let tmp: string;

before(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-mlp-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function weightsOf(dir: string): Buffer {
  return fs.readFileSync(path.join(dir, 'checkpoint', 'weights.bin'));
}

describe('the experiment registry', () => {
  test('knows the experiments by their names; an unknown name lists the known ones', () => {
    assert.deepEqual(Object.keys(EXPERIMENTS).sort(), ['mlp-mnist', 'paper-mnist', 'paper-mnist-normal-noise']);
    assert.equal(getExperiment('mlp-mnist'), MLP_MNIST_EXPERIMENT);
    assert.equal(getExperiment('paper-mnist'), PAPER_MNIST_EXPERIMENT);
    assert.throws(
      () => getExperiment('toString'),
      /Unknown experiment "toString". Known: paper-mnist, paper-mnist-normal-noise, mlp-mnist/,
    );
  });

  test('paper-mnist-normal-noise is paper-mnist with z ~ N(0, 1): same seed, same initial nets, other noise', () => {
    const normal = getExperiment('paper-mnist-normal-noise');
    const { name, reference, prior, ...rest } = normal;
    const { name: _n, reference: _r, prior: uniform, ...paperRest } = PAPER_MNIST_EXPERIMENT;
    assert.deepEqual(rest, paperRest);
    assert.equal(name, 'paper-mnist-normal-noise');
    assert.match(reference, /N\(0, 1\)/);
    assert.deepEqual(prior, { kind: 'normal', dim: 100 });
    assert.equal(uniform.kind, 'uniform');
    const rng = new Rng(3);
    const train = makeImageSet(rng.fillUniform(new Float32Array(100 * 784)), new Uint8Array(100), 28, 28, 'random');
    const runOf = (e: typeof normal | typeof PAPER_MNIST_EXPERIMENT) =>
      createRun({ ...defaultRunSettings(e), seed: 2, trainCount: 100 }, train, e);
    const [a, b] = [runOf(normal), runOf(PAPER_MNIST_EXPERIMENT)];
    const values = (m: typeof a.generator) => m.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(values(a.generator), values(b.generator));
    assert.deepEqual(values(a.discriminator), values(b.discriminator));
    const za = a.prior.sampleArray(1000, a.noise);
    const zb = b.prior.sampleArray(1000, b.noise);
    assert.ok(Math.max(...zb.map(Math.abs)) <= Math.sqrt(3) + 1e-6);
    assert.ok(Math.max(...za.map(Math.abs)) > Math.sqrt(3), 'normal noise leaves [-√3, √3] somewhere in 100,000 draws');
    a.dispose();
    b.dispose();
  });

  test('a mlp-mnist run is built from its config: the MLP nets, Adam, its batch size', () => {
    const rng = new Rng(1);
    const train = makeImageSet(
      rng.fillUniform(new Float32Array(64 * 784)),
      new Uint8Array(64),
      28,
      28,
      'random test images',
    );
    const settings = { ...defaultRunSettings(MLP_MNIST_EXPERIMENT), trainCount: 64 };
    assert.equal(settings.batchSize, 64);
    assert.equal(stepsPerEpoch(settings), 1);
    const run = createRun(settings, train);
    assert.equal(run.experiment, MLP_MNIST_EXPERIMENT);
    assert.equal(MLP_MNIST_EXPERIMENT.generator, MLP_MNIST_GENERATOR);
    assert.equal(MLP_MNIST_EXPERIMENT.discriminator, MLP_MNIST_DISCRIMINATOR);
    // G: 100 → 256 → 784, D: 784 → 256 → 1, dense layers with biases
    assert.equal(countParams(run.generator), 101 * 256 + 257 * 784);
    assert.equal(countParams(run.discriminator), 785 * 256 + 257);
    assert.equal(run.dOptimizer.name, 'adam');
    assert.equal(run.gOptimizer.learningRate, 2e-4);
    assert.equal(trainConfigOf(run).loss?.name, 'minimax, non-saturating G');
    run.dispose();
    assert.throws(
      () => createRun(settings, train, PAPER_MNIST_EXPERIMENT),
      /settings are for experiment "mlp-mnist", not "paper-mnist"/,
    );
  });

  test('another loss is one field of the config: least squares trains the MLP pair', async () => {
    const rng = new Rng(2);
    const train = makeImageSet(
      rng.fillUniform(new Float32Array(64 * 784)),
      new Uint8Array(64),
      28,
      28,
      'random test images',
    );
    const lsgan = { ...MLP_MNIST_EXPERIMENT, losses: { kind: 'leastSquares', dropoutInGeneratorLoss: true } } as const;
    const settings = { ...defaultRunSettings(lsgan), trainCount: 64, batchSize: 16 };
    const trainFor3 = async (experiment: typeof lsgan | typeof MLP_MNIST_EXPERIMENT) => {
      const run = createRun(settings, train, experiment);
      const history = await trainGan({ ...trainConfigOf(run), steps: 3 });
      run.dispose();
      return history;
    };
    assert.equal(ganLossOf(lsgan.losses).name, 'least squares (LSGAN)');
    const ls = await trainFor3(lsgan);
    const minimax = await trainFor3(MLP_MNIST_EXPERIMENT);
    assert.equal(ls.dLoss.length, 3);
    for (const v of [...ls.dLoss, ...ls.gLoss]) assert.ok(Number.isFinite(v) && v >= 0, String(v));
    // the same seed, nets and batches: only the loss differs, and so do the numbers
    assert.notEqual(ls.dLoss[0], minimax.dLoss[0]);
    assert.equal(ls.output.axisTitle, 'mean D(·), a least-squares score');
  });
});

describe('tsgan train and eval with --experiment mlp-mnist', () => {
  let reference: string;
  before(async () => {
    reference = path.join(tmp, 'reference');
    const r = await cli([...TINY, '--epochs', '3', '--out', reference]);
    assert.equal(r.code, 0, r.err);
  });

  test('trains: a checkpoint whose meta names the experiment, one metrics line per epoch (no momentum: Adam), settings.json', () => {
    const { manifest, meta } = readRunManifest(path.join(reference, 'checkpoint'));
    assert.deepEqual([manifest.step, manifest.epoch], [12, 3]);
    assert.equal(meta.settings.experiment, 'mlp-mnist');
    assert.equal(meta.settings.mode, 'alternating');
    assert.equal(manifest.optimizers.dOptimizer?.kind, 'adam');
    const lines = fs
      .readFileSync(path.join(reference, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.epoch, l.step, l.steps]),
      [
        [1, 4, 4],
        [2, 8, 4],
        [3, 12, 4],
      ],
    );
    for (const l of lines) {
      assert.equal(l.momentum, null);
      assert.equal(l.learningRate, 2e-4);
      assert.ok(l.dReal > 0 && l.dReal < 1 && l.dFake > 0 && l.dFake < 1, JSON.stringify(l));
    }
    const settings = JSON.parse(fs.readFileSync(path.join(reference, 'settings.json'), 'utf8'));
    assert.equal(settings.experiment.name, 'mlp-mnist');
    assert.deepEqual(settings.experiment.generator.hidden, [256]);
    assert.equal(settings.experiment.optimizer.kind, 'adam');
  });

  test('stopped after 5 steps, then --resume: ends bit-identical to the uninterrupted run (Adam state and every stream restored)', async () => {
    const dir = path.join(tmp, 'resumed');
    const a = await cli([...TINY, '--epochs', '3', '--steps', '5', '--out', dir]);
    assert.equal(a.code, 0, a.err);
    assert.equal(readRunManifest(path.join(dir, 'checkpoint')).manifest.step, 5);
    const b = await cli([...TINY, '--epochs', '3', '--resume', '--out', dir]);
    assert.equal(b.code, 0, b.err);
    assert.match(b.err + b.out, /resuming at epoch 1, step 5/);
    assert.ok(weightsOf(dir).equals(weightsOf(reference)), 'weights differ from the uninterrupted run');
  });

  test('--resume with more --epochs: settings.json says what now runs, as the checkpoint does', async () => {
    const dir = path.join(tmp, 'longer');
    assert.equal((await cli([...TINY, '--epochs', '1', '--out', dir])).code, 0);
    const settingsOf = () => JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    const before = settingsOf();
    assert.equal(before.settings.epochs, 1);
    const r = await cli([...TINY, '--epochs', '2', '--resume', '--out', dir]);
    assert.equal(r.code, 0, r.err);
    const after = settingsOf();
    assert.equal(after.settings.epochs, 2);
    assert.deepEqual(after.settings, readRunManifest(path.join(dir, 'checkpoint')).meta.settings);
    assert.deepEqual(after.experiment, before.experiment);
  });

  test("export, then --init-from: a new run continues from the model's step and epoch with the data order replayed", async () => {
    const exported = path.join(tmp, 'exported');
    assert.equal((await cli(['export', reference, '--out', exported])).code, 0);
    const dir = path.join(tmp, 'from-model');
    const r = await cli([...TINY, '--epochs', '4', '--init-from', exported, '--out', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err + r.out, /starting from the model in .* at epoch 3, step 12/);
    assert.deepEqual(
      fs
        .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).step),
      [16],
    );
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).initFrom, 'exported');
    const again = await cli([
      ...TINY,
      '--epochs',
      '4',
      '--init-from',
      exported,
      '--resume',
      '--out',
      path.join(tmp, 'both'),
    ]);
    assert.equal(again.code, 2);
    assert.match(again.err, /--init-from starts a new run from a model; --resume continues one/);
  });

  test('a flag that contradicts the resumed run is a usage error naming the setting', async () => {
    const r = await cli([...TINY, '--epochs', '3', '--resume', '--batch-size', '16', '--out', reference]);
    assert.equal(r.code, 2);
    assert.match(r.err, /trained with batchSize = 32, not 16/);
  });

  test("--train-count above the experiment's training images is a usage error", async () => {
    const r = await cli([
      'train',
      '--experiment',
      'mlp-mnist',
      '--train-count',
      '50001',
      '--out',
      path.join(tmp, 'never'),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--train-count must be an integer in 1\.\.50000/);
  });

  test('eval parzen writes results.json that readParzenResults reads back', async () => {
    const out = path.join(tmp, 'eval');
    const r = await cli([
      'eval',
      'parzen',
      reference,
      '--samples',
      '40',
      '--validation-count',
      '20',
      '--test-count',
      '30',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const results = readParzenResults(out);
    assert.ok(results);
    assert.equal(results.experiment, 'mlp-mnist');
    assert.deepEqual([results.epochs, results.steps], [3, 12]);
    assert.equal(results.protocol.paperProtocol, false);
    assert.deepEqual(
      [results.parzen.centres, results.protocol.validationImages, results.protocol.testImages],
      [40, 20, 30],
    );
    assert.ok(Number.isFinite(results.parzen.mean));
    assert.match(r.out, /Adversarial nets \(paper\)/);
  });
});

describe('readers of what the CLI writes', () => {
  test('readParzenResults: none is null, a bad file is a clear error', () => {
    assert.equal(readParzenResults(path.join(tmp, 'nowhere')), null);
    const bad = path.join(tmp, 'bad-results');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'results.json'), '{"experiment": "paper-mnist"');
    assert.throws(() => readParzenResults(bad), /results\.json is not JSON .*run `tsgan eval parzen` again/);
    fs.writeFileSync(
      path.join(bad, 'results.json'),
      JSON.stringify({ experiment: 'paper-mnist', checkpoint: 'x', time: 't', epochs: 1, steps: 2, evalSeed: 1 }),
    );
    assert.throws(() => readParzenResults(bad), /not a results file of `tsgan eval parzen` \(no protocol/);
  });

  test('isRunMeta / runMetaProblem: a checkpoint meta without run settings is named', () => {
    assert.equal(runMetaProblem({}), 'its meta has no run settings');
    assert.match(
      String(runMetaProblem({ settings: { ...defaultRunSettings(PAPER_MNIST_EXPERIMENT), mode: 'sideways' } })),
      /settings\.mode is "sideways"/,
    );
    assert.equal(
      isRunMeta({
        settings: defaultRunSettings(PAPER_MNIST_EXPERIMENT),
        trainSeconds: 1,
        backend: 'cpu',
        startedAt: 'now',
        epochSums: { steps: 0, dLoss: 0, gLoss: 0, dReal: 0, dFake: 0 },
      }),
      true,
    );
  });
});
