/**
 * The tsgan command line on the real paper models, kept tiny with --train-count and --batch-size:
 * a run killed with SIGKILL or stopped with SIGTERM and then resumed ends bit-identical to an
 * uninterrupted run; bad flags and missing or corrupt checkpoints give clear errors and exit codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../src';
import { inProcess } from './cli-in-process';
import { withChecksum } from '../src/host/manifestChecksum';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'lib/src/cli/main.ts');
const TINY = ['train', '--experiment', 'paper-mnist', '--train-count', '20', '--batch-size', '10', '--epochs', '3'];
let tmp: string;

before(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-cli-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Child {
  code: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(sig: NodeJS.Signals): void;
}

/** The CLI in a child process (through tsx, so no build is needed); the backend comes from TSGAN_BACKEND. */
function cli(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return {
    code: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))),
    kill: (sig) => child.kill(sig),
  };
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function waitFor(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function manifestOf(dir: string): { step: number; epoch: number } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint', 'manifest.json'), 'utf8'));
}

/** metrics.jsonl without its wall-clock fields. */
function metricsOf(dir: string): object[] {
  return fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { time: _time, epochSeconds: _epochSeconds, trainSeconds: _trainSeconds, ...rest } = JSON.parse(l);
      return rest;
    });
}

describe('tsgan train', () => {
  let reference: string;

  before(async () => {
    reference = path.join(tmp, 'reference');
    const r = await cli([...TINY, '--out', reference]).code;
    assert.equal(r.code, 0, r.stderr);
  });

  test('an uninterrupted tiny run writes a checkpoint, one metrics line per epoch and the sample grid', () => {
    assert.deepEqual({ step: manifestOf(reference).step, epoch: manifestOf(reference).epoch }, { step: 6, epoch: 3 });
    const lines = metricsOf(reference) as { epoch: number; step: number; dReal: number }[];
    assert.deepEqual(
      lines.map((l) => [l.epoch, l.step]),
      [
        [1, 2],
        [2, 4],
        [3, 6],
      ],
    );
    for (const l of lines) assert.ok(l.dReal > 0 && l.dReal < 1);
    const png = fs.readFileSync(path.join(reference, 'samples.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
  });

  test('SIGKILL after the first checkpoint, then --resume: ends bit-identical to the uninterrupted run', async (t) => {
    const out = path.join(tmp, 'killed');
    const child = cli([...TINY, '--out', out]);
    await waitFor(() => fs.existsSync(path.join(out, 'checkpoint', 'manifest.json')), 'the first checkpoint');
    child.kill('SIGKILL');
    const killed = await child.code;
    assert.equal(killed.signal, 'SIGKILL');
    const at = manifestOf(out);
    t.diagnostic(`killed; last checkpoint ${JSON.stringify({ step: at.step, epoch: at.epoch })}`);
    assert.ok(at.epoch >= 1 && at.epoch <= 3, `the surviving checkpoint is complete (epoch ${at.epoch})`);
    const r = await cli([...TINY, '--out', out, '--resume']).code;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      sha(path.join(out, 'checkpoint', 'weights.bin')),
      sha(path.join(reference, 'checkpoint', 'weights.bin')),
    );
    assert.deepEqual(metricsOf(out), metricsOf(reference));
  });

  test('SIGTERM (twice) mid-run: the run saves a complete checkpoint and exits 143', async (t) => {
    const out = path.join(tmp, 'terminated');
    const child = cli([...TINY, '--out', out]);
    await waitFor(() => fs.existsSync(path.join(out, 'metrics.jsonl')), 'the first epoch');
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGTERM'), 30); // a second signal must not break the save
    const r = await child.code;
    const m = manifestOf(out);
    t.diagnostic(`exit ${r.code}, checkpoint at step ${m.step}, epoch ${m.epoch}`);
    if (r.code === 0) return; // the run had already finished: nothing was interrupted
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stderr, /SIGTERM: stopping after this step and saving a checkpoint/);
    assert.match(r.stdout, new RegExp(`Stopped by SIGTERM at epoch ${m.epoch}, step ${m.step}.*--resume`));
    const e = await inProcess(['export', out, '--out', path.join(tmp, 'terminated-export')]); // loads and verifies it
    assert.equal(e.code, 0, e.err);
  });

  test('a stop in the middle of an epoch (--steps), then --resume: ends bit-identical', async () => {
    const out = path.join(tmp, 'mid-epoch');
    const r1 = await cli([...TINY, '--out', out, '--steps', '3']).code;
    assert.equal(r1.code, 0, r1.stderr);
    assert.deepEqual([manifestOf(out).step, manifestOf(out).epoch], [3, 1]);
    const r2 = await cli([...TINY, '--out', out, '--resume']).code;
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(
      sha(path.join(out, 'checkpoint', 'weights.bin')),
      sha(path.join(reference, 'checkpoint', 'weights.bin')),
    );
    assert.deepEqual(metricsOf(out), metricsOf(reference)); // epoch 2's means include the step run before the stop
  });

  test('--resume of a finished run has nothing to do; a new run into a used folder is refused', async () => {
    const r = await inProcess([...TINY, '--out', reference, '--resume']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Nothing to do/);
    const again = await inProcess([...TINY, '--out', reference]);
    assert.equal(again.code, 2);
    assert.match(again.err, /already holds a run .* Add --resume/);
    const seed = await inProcess([...TINY, '--out', reference, '--resume', '--seed', '7']);
    assert.equal(seed.code, 2);
    assert.match(seed.err, /trained with seed = 1, not 7/);
  });

  test('the run folder is claimed: --out "" and a file are refused, an unrelated non-empty folder is left untouched', async () => {
    const empty = await inProcess([...TINY, '--out', '']);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /--out is empty: give a path/);
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const f = await inProcess([...TINY, '--out', file]);
    assert.equal(f.code, 1);
    assert.match(f.err, /a-file is a file, not a folder/);
    const mine = path.join(tmp, 'my-project');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'settings.json'), '{"mine": true}');
    fs.writeFileSync(path.join(mine, 'metrics.jsonl'), '{"epoch": 3}\n');
    const u = await inProcess([...TINY, '--out', mine]);
    assert.equal(u.code, 1);
    assert.match(
      u.err,
      /my-project is not empty and is not a tsgan run folder \(no \.tsgan-run in it; it holds metrics\.jsonl, settings\.json\).*choose a new or empty folder/,
    );
    assert.deepEqual(fs.readdirSync(mine).sort(), ['metrics.jsonl', 'settings.json']);
    assert.equal(fs.readFileSync(path.join(mine, 'settings.json'), 'utf8'), '{"mine": true}');
    assert.ok(fs.existsSync(path.join(reference, '.tsgan-run')), 'a run folder carries the marker');
    assert.equal(fs.existsSync(path.join(reference, '.tsgan-run.lock')), false, 'the lock is gone after the run');
  });

  test('two trainers on one folder: the second is refused; a lock left by a killed process is taken over', async () => {
    const out = path.join(tmp, 'shared');
    const first = cli([...TINY, '--epochs', '1000', '--out', out]);
    await waitFor(() => fs.existsSync(path.join(out, '.tsgan-run.lock')), "the first trainer's lock");
    const second = await inProcess([
      ...TINY,
      '--epochs',
      '1000',
      '--out',
      out,
      ...(fs.existsSync(path.join(out, 'checkpoint')) ? ['--resume'] : []),
    ]);
    first.kill('SIGKILL');
    await first.code;
    assert.equal(second.code, 1, second.err);
    assert.match(second.err, /Another tsgan train \(process \d+\) is training in .*shared: wait for it to finish/);
    // the killed trainer's lock names a process that is gone: the next run takes it over
    assert.ok(fs.existsSync(path.join(out, '.tsgan-run.lock')));
    const again = await inProcess([
      ...TINY,
      '--epochs',
      '1',
      '--out',
      path.join(tmp, 'shared'),
      ...(fs.existsSync(path.join(out, 'checkpoint')) ? ['--resume'] : []),
    ]);
    assert.equal(again.code, 0, again.err);
    assert.equal(fs.existsSync(path.join(out, '.tsgan-run.lock')), false);
  });

  test('--shared-forward: said at the start, recorded in the checkpoint, kept on resume; refused on a run trained with two passes', async () => {
    const out = path.join(tmp, 'shared-forward');
    const a = await inProcess([...TINY, '--epochs', '1', '--out', out, '--shared-forward']);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /simultaneous updates \(one D pass on G\(z\) for both\)/);
    const meta = (manifestOf(out) as unknown as { meta: { settings: { sharedForward?: boolean } } }).meta;
    assert.equal(meta.settings.sharedForward, true);
    const b = await inProcess([...TINY, '--epochs', '2', '--out', out, '--resume']);
    assert.equal(b.code, 0, b.err);
    assert.match(b.err, /one D pass on G\(z\) for both/);
    // the reference run (two passes, same seed and data) reached epoch 1 with other dropout masks for G's loss
    const [first, shared] = [reference, out].map((dir) =>
      JSON.parse(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').split('\n')[0]),
    );
    assert.equal(first.epoch, 1);
    assert.notEqual(shared.gLoss, first.gLoss);
    const twoPasses = path.join(tmp, 'two-passes');
    fs.cpSync(reference, twoPasses, { recursive: true });
    const c = await inProcess([...TINY, '--epochs', '4', '--out', twoPasses, '--resume', '--shared-forward']);
    assert.equal(c.code, 2, c.err);
    assert.match(c.err, /was trained with sharedForward = false, not true/);
  });

  test('a damaged metrics line on resume is kept aside in metrics.jsonl.damaged, with a warning', async () => {
    const out = path.join(tmp, 'damaged-metrics');
    fs.cpSync(reference, out, { recursive: true });
    const file = path.join(out, 'metrics.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    fs.writeFileSync(file, [lines[0], '{"epoch": 2, "dLo', ...lines.slice(1)].join('\n') + '\n');
    const r = await inProcess([...TINY, '--epochs', '4', '--out', out, '--resume']);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.err,
      /warning: 1 damaged line of .*metrics\.jsonl \(not JSON, cut by a kill, or an epoch number that cannot be: edited or damaged\) moved to .*metrics\.jsonl\.damaged/,
    );
    assert.equal(fs.readFileSync(`${file}.damaged`, 'utf8'), '{"epoch": 2, "dLo\n');
    assert.deepEqual(
      (metricsOf(out) as { epoch: number }[]).map((l) => l.epoch),
      [1, 2, 3, 4],
    );
  });

  test('a checkpoint with an infinite weight: --resume refuses it when loading, exit 1, the checkpoint is unchanged', async () => {
    const out = path.join(tmp, 'inf-weight');
    fs.cpSync(reference, out, { recursive: true });
    const dir = path.join(out, 'checkpoint');
    const w = fs.readFileSync(path.join(dir, 'weights.bin'));
    w.writeFloatLE(Infinity, 40);
    fs.writeFileSync(path.join(dir, 'weights.bin'), w);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    m.weights.sha256 = crypto.createHash('sha256').update(w).digest('hex');
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(withChecksum(m)));
    const before = sha(path.join(dir, 'weights.bin'));
    const r = await inProcess([...TINY, '--epochs', '4', '--out', out, '--resume']);
    assert.equal(r.code, 1, r.err);
    // refused when loaded: a poisoned checkpoint is never trained on, nor called "the last good checkpoint"
    assert.match(
      r.err,
      /checkpoint: tensor generator\/0 .* holds 1 infinite value: the checkpoint is poisoned and cannot be trained on or evaluated\. The model had diverged when it was saved/,
    );
    assert.doesNotMatch(r.err, /last good checkpoint/);
    assert.equal(sha(path.join(dir, 'weights.bin')), before);
    assert.doesNotMatch(r.out, /Done/);
  });

  test('SIGKILL during the first checkpoint write: resume says what to do, a new run clears the leftover', async () => {
    const out = path.join(tmp, 'killed-in-first-save');
    fs.mkdirSync(path.join(out, 'checkpoint.tmp-4198625'), { recursive: true }); // a pid that is not running
    fs.writeFileSync(path.join(out, 'checkpoint.tmp-4198625', 'weights.bin'), 'partial');
    fs.writeFileSync(path.join(out, '.tsgan-run'), '{}');
    const resume = await inProcess([...TINY, '--out', out, '--resume']);
    assert.equal(resume.code, 1);
    assert.match(resume.err, /--resume: no checkpoint in .*killed-in-first-save/);
    const ev = await inProcess(['eval', 'parzen', out]);
    assert.equal(ev.code, 1);
    assert.match(
      ev.err,
      /checkpoint\.tmp-4198625 beside it is an unfinished save of process 4198625, which was stopped before its first checkpoint was complete.*Start the run again \(without --resume\)/,
    );
    const fresh = await inProcess([...TINY, '--epochs', '1', '--out', out]);
    assert.equal(fresh.code, 0, fresh.err);
    assert.equal(fs.existsSync(path.join(out, 'checkpoint.tmp-4198625')), false);
    assert.equal(manifestOf(out).epoch, 1);
  });

  test('bad flags: a clear message, the usage, exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--experiment', 'paper-mnist', '--epoch', '3'], /Unknown option '--epoch'/],
      [['train', '--experiment', 'paper-mnist', '--epochs', 'ten'], /--epochs must be an integer ≥ 1, got "ten"/],
      [['train', '--experiment', 'paper-mnist', '--epochs', '0'], /--epochs must be an integer ≥ 1, got "0"/],
      [['train', '--experiment', 'paper-cifar'], /Unknown experiment "paper-cifar"/],
      [['train'], /--experiment is required/],
      [
        ['train', '--experiment', 'paper-mnist', '--update', 'sometimes'],
        /--update must be one of simultaneous, alternating/,
      ],
      [['train', '--experiment', 'paper-mnist', '--k', '2'], /--k 2 needs --update alternating/],
      [
        ['train', '--experiment', 'paper-mnist', '--update', 'alternating', '--shared-forward'],
        /--shared-forward needs --update simultaneous/,
      ],
      [['train', '--experiment', 'paper-mnist', '--backend', 'gpu'], /--backend must be one of wasm, cpu, tensorflow/],
      [['eval', 'fid', reference], /Unknown metric "fid"/],
      [['eval', 'parzen'], /Give the run folder/],
      [['eval', 'parzen', reference, '--samples', '0'], /--samples must be an integer ≥ 1/],
      [['fly'], /Unknown command "fly"/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.match(r.err, /Usage: tsgan/);
    }
  });
});

describe('tsgan eval, figures and export on a checkpoint', () => {
  let run: string;
  before(async () => {
    run = path.join(tmp, 'small');
    const r = await inProcess([
      'train',
      '--experiment',
      'paper-mnist',
      '--train-count',
      '20',
      '--batch-size',
      '10',
      '--epochs',
      '1',
      '--out',
      run,
    ]);
    assert.equal(r.code, 0, r.err);
  });

  test('eval parzen (reduced protocol, with baselines) writes results.json and results.md', async () => {
    const r = await inProcess([
      'eval',
      'parzen',
      run,
      '--samples',
      '30',
      '--validation-count',
      '20',
      '--test-count',
      '40',
      '--baselines',
      '--kmeans-iterations',
      '2',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Adversarial nets \(paper\)\s+225 ± 2/);
    assert.match(r.out, /Reduced protocol/);
    const res = JSON.parse(fs.readFileSync(path.join(run, 'results.json'), 'utf8'));
    assert.equal(res.epochs, 1);
    assert.equal(res.protocol.paperProtocol, false);
    assert.equal(res.parzen.centres, 30);
    assert.ok(Number.isFinite(res.parzen.mean) && res.parzen.stdErr > 0);
    assert.ok(
      [0.1, 0.1292, 0.1668, 0.2154, 0.2783, 0.3594, 0.4642, 0.5995, 0.7743, 1].some(
        (s) => Math.abs(s - res.parzen.sigma) < 1e-4,
      ),
    );
    assert.equal(res.baselines.length, 2);
    assert.equal(res.baselines[0].centres, 20); // only 20 training images in this run
    const md = fs.readFileSync(path.join(run, 'results.md'), 'utf8');
    assert.match(md, /\| Adversarial nets \(paper, Table 1\) \| 225 ± 2 \|/);
    assert.match(md, /Baseline: 20 k-means centroids/);
  });

  test('figures writes figure2.png and figure3.png', async () => {
    const out = path.join(tmp, 'figs');
    const r = await inProcess(['figures', run, '--out', out, '--scale', '1']);
    assert.equal(r.code, 0, r.err);
    for (const f of ['figure2.png', 'figure3.png']) assert.ok(fs.statSync(path.join(out, f)).size > 100);
    assert.match(r.out, /nearest training images: (\d+, ){3}\d+/);
  });

  test('export writes models without optimiser state, and eval/figures accept it', async () => {
    const out = path.join(tmp, 'exported');
    const r = await inProcess(['export', run, '--out', out]);
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.optimizers, {});
    assert.equal(JSON.stringify(m).includes(tmp), false, 'the manifest names a path of this machine');
    assert.ok(
      fs.statSync(path.join(out, 'weights.bin')).size <
        fs.statSync(path.join(run, 'checkpoint', 'weights.bin')).size / 1.9,
    );
    const f = await inProcess(['figures', out, '--out', path.join(tmp, 'figs2')]);
    assert.equal(f.code, 0, f.err);
  });

  test('an exported (shipped) model: eval and figures write to build/runs/<name>, never into the model folder', async () => {
    const project = path.join(tmp, 'project');
    fs.mkdirSync(path.join(project, 'models'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), '{}');
    const model = path.join(project, 'models', 'shipped');
    assert.equal((await inProcess(['export', run, '--out', model])).code, 0);
    const files = fs.readdirSync(model).sort();
    const f = await inProcess(['figures', model, '--scale', '1']);
    assert.equal(f.code, 0, f.err);
    const e = await inProcess([
      'eval',
      'parzen',
      model,
      '--samples',
      '20',
      '--validation-count',
      '10',
      '--test-count',
      '10',
    ]);
    assert.equal(e.code, 0, e.err);
    assert.deepEqual(fs.readdirSync(model).sort(), files, 'the model folder is unchanged');
    const results = path.join(project, 'build', 'runs', 'shipped');
    assert.deepEqual(fs.readdirSync(results).sort(), ['figure2.png', 'figure3.png', 'results.json', 'results.md']);
    assert.match(e.out, new RegExp(`Wrote ${results.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/results\\.json`));
    assert.match(e.out, /models\/shipped is a model folder and stays as it is; --out DIR writes elsewhere/);
  });

  test('bad paths: a file as run folder, --out on a path that cannot be created (no hang)', async () => {
    const file = path.join(tmp, 'not-a-run.txt');
    fs.writeFileSync(file, 'x');
    const r = await inProcess(['eval', 'parzen', file]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /not-a-run\.txt is a file: give a run folder \(the --out of `tsgan train`\) or a checkpoint folder/,
    );
    const t0 = Date.now();
    const p = await inProcess(['figures', run, '--out', '/proc/tsgan-x']);
    assert.equal(p.code, 1);
    assert.match(p.err, /Cannot create the folder \/proc\/tsgan-x/);
    assert.ok(Date.now() - t0 < 60_000);
  });

  test('a missing checkpoint: exit 1 and a message that says where and what to do', async () => {
    const r = await inProcess(['eval', 'parzen', path.join(tmp, 'nowhere')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /No run at .*nowhere.*tsgan train --out/);
    fs.mkdirSync(path.join(tmp, 'empty'));
    const e = await inProcess(['figures', path.join(tmp, 'empty')]);
    assert.equal(e.code, 1);
    assert.match(e.err, /checkpoint.*does not exist/);
    const resume = await inProcess([
      'train',
      '--experiment',
      'paper-mnist',
      '--out',
      path.join(tmp, 'empty'),
      '--resume',
    ]);
    assert.equal(resume.code, 1);
    assert.match(resume.err, /--resume: no checkpoint in .*empty/);
  });

  test('a corrupt checkpoint: exit 1 and a message naming the damage', async () => {
    const bad = path.join(tmp, 'corrupt');
    fs.cpSync(run, bad, { recursive: true });
    const w = path.join(bad, 'checkpoint', 'weights.bin');
    const buf = fs.readFileSync(w);
    buf[1000] ^= 0xff;
    fs.writeFileSync(w, buf);
    const r = await inProcess(['eval', 'parzen', bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, /weights\.bin fails its sha256 check/);
    fs.writeFileSync(path.join(bad, 'checkpoint', 'manifest.json'), '{"format": "tsgan-check');
    const t = await inProcess(['train', '--experiment', 'paper-mnist', '--out', bad, '--resume']);
    assert.equal(t.code, 1);
    assert.match(t.err, /manifest\.json is not valid JSON/);
  });
});
