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
import { main } from '../src/cli/main';

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
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return {
    code: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))),
    kill: (sig) => child.kill(sig),
  };
}

/** main() in this process, with its output captured (not process.stdout: the test reporter writes there). */
async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
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
      const { time, epochSeconds, trainSeconds, ...rest } = JSON.parse(l);
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
    assert.deepEqual(lines.map((l) => [l.epoch, l.step]), [[1, 2], [2, 4], [3, 6]]);
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
    assert.equal(sha(path.join(out, 'checkpoint', 'weights.bin')), sha(path.join(reference, 'checkpoint', 'weights.bin')));
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
    assert.equal(sha(path.join(out, 'checkpoint', 'weights.bin')), sha(path.join(reference, 'checkpoint', 'weights.bin')));
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

  test('bad flags: a clear message, the usage, exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--experiment', 'paper-mnist', '--epoch', '3'], /Unknown option '--epoch'/],
      [['train', '--experiment', 'paper-mnist', '--epochs', 'ten'], /--epochs must be an integer ≥ 1, got "ten"/],
      [['train', '--experiment', 'paper-mnist', '--epochs', '0'], /--epochs must be an integer ≥ 1, got "0"/],
      [['train', '--experiment', 'paper-cifar'], /Unknown experiment "paper-cifar"/],
      [['train'], /--experiment is required/],
      [['train', '--experiment', 'paper-mnist', '--update', 'sometimes'], /--update must be one of simultaneous, alternating/],
      [['train', '--experiment', 'paper-mnist', '--k', '2'], /--k 2 needs --update alternating/],
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
    const r = await inProcess(['train', '--experiment', 'paper-mnist', '--train-count', '20', '--batch-size', '10', '--epochs', '1', '--out', run]);
    assert.equal(r.code, 0, r.err);
  });

  test('eval parzen (reduced protocol, with baselines) writes results.json and results.md', async () => {
    const r = await inProcess(['eval', 'parzen', run, '--samples', '30', '--validation-count', '20', '--test-count', '40', '--baselines', '--kmeans-iterations', '2']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Adversarial nets \(paper\)\s+225 ± 2/);
    assert.match(r.out, /Reduced protocol/);
    const res = JSON.parse(fs.readFileSync(path.join(run, 'results.json'), 'utf8'));
    assert.equal(res.epochs, 1);
    assert.equal(res.protocol.paperProtocol, false);
    assert.equal(res.parzen.centres, 30);
    assert.ok(Number.isFinite(res.parzen.mean) && res.parzen.stdErr > 0);
    assert.ok([0.1, 0.1292, 0.1668, 0.2154, 0.2783, 0.3594, 0.4642, 0.5995, 0.7743, 1].some((s) => Math.abs(s - res.parzen.sigma) < 1e-4));
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
    assert.ok(fs.statSync(path.join(out, 'weights.bin')).size < fs.statSync(path.join(run, 'checkpoint', 'weights.bin')).size / 1.9);
    const f = await inProcess(['figures', out, '--out', path.join(tmp, 'figs2')]);
    assert.equal(f.code, 0, f.err);
  });

  test('a missing checkpoint: exit 1 and a message that says where and what to do', async () => {
    const r = await inProcess(['eval', 'parzen', path.join(tmp, 'nowhere')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /No run at .*nowhere.*tsgan train --out/);
    fs.mkdirSync(path.join(tmp, 'empty'));
    const e = await inProcess(['figures', path.join(tmp, 'empty')]);
    assert.equal(e.code, 1);
    assert.match(e.err, /checkpoint.*does not exist/);
    const resume = await inProcess(['train', '--experiment', 'paper-mnist', '--out', path.join(tmp, 'empty'), '--resume']);
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
