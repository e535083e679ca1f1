/**
 * Run folders and model files that cannot be tricked (issue 28): export and eval never write into a run's
 * checkpoint, readers never finish a live trainer's save, the run lock proves its owner and is taken over
 * atomically, stray and damaged files are named, and bad paths and flags give clear messages and codes.
 * Each test names the item it reproduces.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../src';
import { inProcess } from './cli-in-process';
import { claimRunFolder, RUN_LOCK } from '../src/experiments/runLock';
import { loadRunModels, planTrainRun, readRunManifest, trimEpochLines } from '../src/experiments';
import { makeDirectory } from '../src/host/makeDirectory';
import { mnistClassifier } from '../src/classifier/model';
import { loadClassifier, readClassifierFolder, saveClassifier, sealClassifier } from '../src/classifier/weights';
import { readVerified } from '../src/checkpoint/verify';
import { withChecksum } from '../src/host/manifestChecksum';
import { bootId, processStartTime } from '../src/host/processIdentity';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'lib/src/cli/main.ts');
const TINY = ['train', '--experiment', 'paper-mnist', '--train-count', '20', '--batch-size', '10'];
let tmp: string;
let run: string;

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** Every file of a folder with its sha256: equal before and after means nothing was touched. */
function tree(dir: string): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isFile()) out[name] = sha(p);
  }
  return out;
}

/** Replaces a method of the CommonJS fs module (which the lib's `import * as fs` sees) for the length of `f`. */
async function patchFs<K extends 'accessSync' | 'statSync'>(
  name: K,
  replacement: (real: (typeof fs)[K]) => (typeof fs)[K],
  f: () => Promise<void>,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, which the import namespace only copies
  const nodeFs = require('fs') as typeof fs;
  const real = nodeFs[name];
  (nodeFs as { [k: string]: unknown })[name] = replacement(real);
  try {
    await f();
  } finally {
    (nodeFs as { [k: string]: unknown })[name] = real;
  }
}

const eacces = (p: string) => Object.assign(new Error(`EACCES: permission denied, stat '${p}'`), { code: 'EACCES' });

before(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-run-folders-'));
  run = path.join(tmp, 'r');
  const r = await inProcess([...TINY, '--epochs', '1', '--out', run]);
  assert.equal(r.code, 0, r.err);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('export and eval never write into what tsgan train owns (items 1, 8)', () => {
  test('item 1: export into the run, its checkpoint/ or best/, or a resumable checkpoint is refused; the run is unchanged', async () => {
    const before = tree(run);
    const other = path.join(tmp, 'other');
    fs.cpSync(run, other, { recursive: true });
    for (const [out, why] of [
      [path.join(run, 'checkpoint'), /is the checkpoint being exported/],
      [run, /is a run folder of `tsgan train`/],
      [path.join(run, 'best'), /is the best of the run in/],
      [
        path.join(other, 'checkpoint'),
        /is the checkpoint of the run in .*other; an export there would replace it with weights only/,
      ],
    ] as const) {
      const r = await inProcess(['export', run, '--out', out]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, why);
      assert.match(r.err, /Give another --out/);
    }
    const loose = path.join(tmp, 'loose-checkpoint');
    fs.cpSync(path.join(run, 'checkpoint'), loose, { recursive: true });
    const r = await inProcess(['export', run, '--out', loose]);
    assert.equal(r.code, 1);
    assert.match(r.err, /holds a resumable checkpoint \(with optimiser state\)/);
    assert.deepEqual(tree(run), before);
    // a new folder, and an earlier export, are fine
    const model = path.join(tmp, 'model');
    assert.equal((await inProcess(['export', run, '--out', model])).code, 0);
    assert.equal((await inProcess(['export', run, '--out', model])).code, 0);
  });

  test('item 8: eval/figures --out RUN/checkpoint (or a model folder) is refused before computing; a stray file in checkpoint/ is named at once', async () => {
    const before = tree(run);
    const loose = path.join(tmp, 'loose-for-eval');
    fs.cpSync(path.join(run, 'checkpoint'), loose, { recursive: true });
    const classifier = path.join(tmp, 'classifier-like');
    fs.mkdirSync(classifier);
    fs.writeFileSync(path.join(classifier, 'manifest.json'), JSON.stringify({ format: 'tsgan-mnist-classifier' }));
    for (const out of [path.join(run, 'checkpoint'), loose, classifier]) {
      const r = await inProcess(['figures', run, '--out', out]);
      assert.equal(r.code, 1);
      assert.match(r.err, /results are not written into/);
    }
    assert.deepEqual(tree(run), before);
    const stray = path.join(tmp, 'stray');
    fs.cpSync(run, stray, { recursive: true });
    fs.writeFileSync(path.join(stray, 'checkpoint', 'results.json'), '{}');
    const t0 = Date.now();
    const r = await inProcess([...TINY, '--epochs', '50', '--out', stray, '--resume']);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /checkpoint holds files a checkpoint does not \(results\.json\).*Move them out of the folder, then run again/,
    );
    assert.ok(Date.now() - t0 < 30_000, 'refused before training');
  });
});

describe('readers and the run lock (items 4, 5, 6, 15)', () => {
  test("item 5: a reader never moves a live trainer's half-finished save into place", async () => {
    const dir = path.join(tmp, 'mid-save');
    fs.cpSync(run, dir, { recursive: true });
    const trainer = spawn('sleep', ['60']); // stands for a trainer between its two renames
    try {
      const ckpt = path.join(dir, 'checkpoint');
      fs.renameSync(ckpt, `${ckpt}.old-${trainer.pid}`);
      fs.cpSync(`${ckpt}.old-${trainer.pid}`, `${ckpt}.tmp-${trainer.pid}`, { recursive: true });
      const names = () => fs.readdirSync(dir).sort();
      const before = names();
      assert.equal(readRunManifest(ckpt).manifest.step, 2);
      const loaded = await loadRunModels(dir);
      loaded.run.dispose();
      assert.throws(
        () => planTrainRun({ out: dir, resume: false, given: { experiment: 'paper-mnist' } }),
        /already holds a run/,
      );
      const r = await inProcess(['figures', dir, '--out', path.join(tmp, 'fig')]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(names(), before, 'nothing was renamed');
      assert.ok(!fs.existsSync(ckpt));
    } finally {
      trainer.kill('SIGKILL');
    }
  });

  test('item 6: a lock naming a live process that is no trainer (pid 1, a reused pid) does not block; a live holder does', async () => {
    const dir = path.join(tmp, 'locks');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.tsgan-run'), '{}');
    const lock = path.join(dir, RUN_LOCK);
    // an old-style lock naming pid 1 (alive, but not node), and a record of this very pid with another start time
    for (const text of ['1\n', JSON.stringify({ pid: process.pid, start: '1', boot: bootId(), token: 'x' })]) {
      fs.writeFileSync(lock, text);
      const c = claimRunFolder(dir);
      assert.notEqual(fs.readFileSync(lock, 'utf8'), text);
      c.release();
      assert.ok(!fs.existsSync(lock));
    }
    // a record from before a reboot names another boot
    fs.writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, start: processStartTime(process.pid), boot: 'old-boot', token: 'x' }),
    );
    claimRunFolder(dir).release();
    const holder = spawn('sleep', ['60']);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const record = { pid: holder.pid, start: processStartTime(holder.pid!), boot: bootId(), token: 'y' };
      fs.writeFileSync(lock, JSON.stringify(record));
      assert.throws(
        () => claimRunFolder(dir),
        new RegExp(`Another tsgan train \\(process ${holder.pid}\\) is training in`),
      );
      assert.equal(fs.readFileSync(lock, 'utf8'), JSON.stringify(record));
    } finally {
      holder.kill('SIGKILL');
      fs.rmSync(lock, { force: true });
    }
  });

  test('item 4: a claimant that judged a lock stale never removes the lock another took meanwhile', () => {
    const dir = path.join(tmp, 'race');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.tsgan-run'), '{}');
    fs.writeFileSync(path.join(dir, RUN_LOCK), `${2 ** 22 + 7}\n`); // a dead process
    const inner: ReturnType<typeof claimRunFolder>[] = [];
    // between the outer claimant's stale check and its removal, another claimant takes the folder
    assert.throws(
      () => claimRunFolder(dir, { afterStaleCheck: () => void (inner.length || inner.push(claimRunFolder(dir))) }),
      /Another tsgan train \(process \d+\) is training in/,
    );
    assert.equal(inner.length, 1, 'the other claimant got the lock');
    assert.ok(fs.existsSync(path.join(dir, RUN_LOCK)));
    inner[0].release();
    assert.deepEqual(fs.readdirSync(dir), ['.tsgan-run']);
  });

  test('item 4: many processes claiming a folder with a dead lock at the same moment: exactly one wins each round', async () => {
    const rounds = 25;
    const claimants = 4;
    const dirs = Array.from({ length: rounds }, (_, i) => path.join(tmp, `simultaneous-${i}`));
    for (const d of dirs) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, '.tsgan-run'), '{}');
      fs.writeFileSync(path.join(d, RUN_LOCK), `${2 ** 22 + 11}\n`);
    }
    // a barrier in files: every child is running before the first claim, and keeps the locks it won (exit
    // releases them) until every child has finished, as a live trainer keeps its own
    const go = path.join(tmp, 'simultaneous-go');
    const done = path.join(tmp, 'simultaneous-done');
    const script = `
      const fs = require('fs');
      const { claimRunFolder } = require(${JSON.stringify(path.join(ROOT, 'lib/src/experiments/runLock.ts'))});
      const sleep = (ms) => ms > 0 && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      const waitFor = (f) => { while (!fs.existsSync(f)) sleep(5); };
      process.stdout.write('ready\\n');
      waitFor(${JSON.stringify(go)});
      const start = Number(fs.readFileSync(${JSON.stringify(go)}, 'utf8'));
      const won = [];
      ${JSON.stringify(dirs)}.forEach((d, i) => {
        sleep(start + 40 * i - Date.now());
        try { claimRunFolder(d); won.push(i); } catch {}
      });
      process.stdout.write(JSON.stringify(won) + '\\n');
      waitFor(${JSON.stringify(done)});
    `;
    let ready = 0;
    const results: number[][] = [];
    const children = Array.from(
      { length: claimants },
      () =>
        new Promise<void>((resolve, reject) => {
          const c = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          let reported = false;
          c.stdout.on('data', (d) => {
            out += d;
            if (out === 'ready\n' && ++ready === claimants) fs.writeFileSync(go, String(Date.now() + 200));
            const line = out.split('\n')[1];
            if (!reported && line?.startsWith('[') && out.endsWith('\n')) {
              reported = true;
              if (results.push(JSON.parse(line)) === claimants) fs.writeFileSync(done, '');
            }
          });
          c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`claimant exited ${code}`))));
        }),
    );
    await Promise.all(children);
    const won = results.flat();
    for (let i = 0; i < rounds; i++)
      assert.equal(
        won.filter((w) => w === i).length,
        1,
        `round ${i}: ${won.filter((w) => w === i).length} claimants got the lock`,
      );
  });

  test('item 15: a foreign non-empty folder holding a stray .tsgan-run.lock is not a run folder', async () => {
    const foreign = path.join(tmp, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'thesis.tex'), 'mine');
    fs.writeFileSync(path.join(foreign, RUN_LOCK), '12345\n');
    const before = tree(foreign);
    const r = await inProcess([...TINY, '--epochs', '1', '--out', foreign]);
    assert.equal(r.code, 1);
    assert.match(r.err, /foreign is not empty and is not a tsgan run folder/);
    assert.deepEqual(tree(foreign), before);
  });
});

describe('damaged files and manifests (items 9, 12)', () => {
  test('item 9: a line whose epoch was damaged into the future is kept aside with the others, not deleted', () => {
    const file = path.join(tmp, 'metrics.jsonl');
    fs.writeFileSync(
      file,
      ['{"epoch":1}', '{"epoch":2}', '{"epoch":3}', '{"epoch":9002}', '{"epoch":"x"}', ''].join('\n'),
    );
    const r = trimEpochLines(file, 2);
    assert.deepEqual(r, { dropped: 1, damaged: 2, damagedFile: `${file}.damaged` });
    assert.equal(fs.readFileSync(file, 'utf8'), '{"epoch":1}\n{"epoch":2}\n');
    assert.equal(fs.readFileSync(`${file}.damaged`, 'utf8'), '{"epoch":9002}\n{"epoch":"x"}\n');
  });

  test('item 12: --init-from a manifest claiming 1e8 steps is refused at once, before any batch is replayed', async () => {
    for (const [edit, why] of [
      [
        (m: { step: number; epoch: number }) => (m.step = 1e8),
        /says epoch 1 at step 100000000, but .* step 100000000 is in epoch 50000000/,
      ],
      [
        (m: { step: number; epoch: number }) => ((m.step = 1e8), (m.epoch = 5e7)),
        /says epoch 50000000, beyond the 1 epochs its run was set to train/,
      ],
    ] as const) {
      const model = path.join(tmp, `claims-${Math.random().toString(36).slice(2)}`);
      fs.cpSync(path.join(run, 'checkpoint'), model, { recursive: true });
      const f = path.join(model, 'manifest.json');
      const m = JSON.parse(fs.readFileSync(f, 'utf8'));
      edit(m);
      fs.writeFileSync(f, JSON.stringify(withChecksum(m))); // the checksum recomputed: the consistency check must still catch it
      const t0 = Date.now();
      const r = await inProcess([
        ...TINY,
        '--epochs',
        '2',
        '--out',
        path.join(tmp, `init-${path.basename(model)}`),
        '--init-from',
        model,
      ]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, why);
      assert.ok(Date.now() - t0 < 20_000);
    }
  });
});

describe('messages and exit codes (items 13, 16)', () => {
  test('item 13: --epochs -1 and export --backend foo are usage errors (exit 2) that say what is allowed', async () => {
    const e = await inProcess([...TINY, '--epochs', '-1', '--out', path.join(tmp, 'neg')]);
    assert.equal(e.code, 2);
    assert.match(e.err, /--epochs must be an integer ≥ 1, got "-1"/);
    assert.doesNotMatch(e.err, /ambiguous/);
    const b = await inProcess(['export', run, '--out', path.join(tmp, 'x'), '--backend', 'foo']);
    assert.equal(b.code, 2);
    assert.match(b.err, /--backend must be one of wasm, cpu, tensorflow, got "foo"/);
  });

  test('item 13: an unreadable (0700, another owner) folder is said to be unreadable, not missing', async () => {
    const ckpt = path.join(run, 'checkpoint');
    await patchFs(
      'statSync',
      (real) =>
        ((p: fs.PathLike, o?: fs.StatSyncOptions) => {
          if (String(p) === ckpt) throw eacces(String(p));
          return real(p, o);
        }) as typeof fs.statSync,
      async () => {
        const r = await inProcess(['figures', run]);
        assert.equal(r.code, 1);
        assert.match(r.err, /Cannot read the run at .*checkpoint: no permission \(EACCES\)/);
        assert.doesNotMatch(r.err, /does not exist/);
      },
    );
  });

  test('item 13: file-system codes are printed once', () => {
    assert.throws(
      () => makeDirectory(path.join('/proc', 'self', 'no', 'such')),
      (e: Error) => {
        assert.doesNotMatch(e.message, /\b(E[A-Z]+)\b.*\b\1\b/);
        assert.match(e.message, /Cannot create the folder/);
        return true;
      },
    );
  });

  test('item 13: eval into a folder that cannot be written fails before computing anything', async () => {
    const out = path.join(tmp, 'unwritable');
    fs.mkdirSync(out);
    await patchFs(
      'accessSync',
      (real) =>
        ((p: fs.PathLike, mode?: number) => {
          if (String(p) === out) throw eacces(String(p));
          return real(p, mode);
        }) as typeof fs.accessSync,
      async () => {
        const r = await inProcess([
          'eval',
          'parzen',
          run,
          '--out',
          out,
          '--samples',
          '10',
          '--validation-count',
          '10',
          '--test-count',
          '10',
        ]);
        assert.equal(r.code, 1);
        assert.match(r.err, /Cannot write into .*unwritable: no permission \(EACCES\).*Nothing was computed/);
        assert.deepEqual(fs.readdirSync(out), []);
      },
    );
  });

  test('item 16: a path that is not valid UTF-8 is a usage error, and no folder of another name is created', () => {
    const sh = `exec "$0" --import tsx "$1" train --experiment mlp-mnist --out "$2/$(printf 'bad\\377name')"`;
    const r = spawnSync('/bin/sh', ['-c', sh, process.execPath, MAIN, tmp], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /is not valid UTF-8 .*Rename the folder to a UTF-8 name/);
    assert.deepEqual(
      fs.readdirSync(tmp).filter((n) => n.startsWith('bad')),
      [],
    );
  });
});

describe('tsgan seal, and the classifier follows the same rules (item 3, item 2)', () => {
  test('seal adds the checksum to an old checkpoint, rewriting manifest.json only; an edited one needs --force', async () => {
    const old = path.join(tmp, 'old-model');
    fs.cpSync(path.join(run, 'checkpoint'), old, { recursive: true });
    const f = path.join(old, 'manifest.json');
    const { checksum: _checksum, ...unsealed } = JSON.parse(fs.readFileSync(f, 'utf8'));
    fs.writeFileSync(f, JSON.stringify(unsealed, null, 1));
    const weights = sha(path.join(old, 'weights.bin'));
    let r = await inProcess(['seal', old]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /old-model: sealed \(manifest\.json rewritten, weights untouched\)/);
    r = await inProcess(['seal', old]);
    assert.match(r.out, /old-model: already sealed/);
    const m = JSON.parse(fs.readFileSync(f, 'utf8'));
    m.meta.settings.epochs = 2; // an edit on purpose
    fs.writeFileSync(f, JSON.stringify(m));
    r = await inProcess(['seal', old]);
    assert.equal(r.code, 1);
    assert.match(r.err, /manifest\.json fails its checksum/);
    r = await inProcess(['seal', '--force', old]);
    assert.equal(r.code, 0, r.err);
    assert.equal(readRunManifest(old).meta.settings.epochs, 2);
    assert.equal(sha(path.join(old, 'weights.bin')), weights);
    assert.equal((await inProcess(['seal', path.join(tmp, 'nothing-here')])).code, 2);
  });

  test('the classifier: a weights file outside its folder or a changed manifest is refused; an old one loads with a warning', () => {
    const dir = path.join(tmp, 'classifier');
    const model = mnistClassifier(1);
    saveClassifier(dir, model, { note: 'test' });
    model.dispose();
    const f = path.join(dir, 'manifest.json');
    const saved = fs.readFileSync(f, 'utf8');
    const edit = (change: (m: { [key: string]: unknown }) => void, seal: boolean) => {
      const m = JSON.parse(saved);
      change(m);
      fs.writeFileSync(f, JSON.stringify(seal ? withChecksum(m) : m));
    };
    edit((m) => ((m.weights as { file: string }).file = '../../../../dev/zero'), true);
    assert.throws(() => loadClassifier(dir), /the file name "\.\.\/\.\.\/\.\.\/\.\.\/dev\/zero" leaves the folder/);
    edit((m) => ((m.meta as { note: string }).note = 'changed'), false);
    assert.throws(() => loadClassifier(dir), /manifest\.json fails its checksum/);
    edit((m) => delete m.checksum, false);
    const warnings: string[] = [];
    const realWarn = console.warn;
    console.warn = (...a: unknown[]) => void warnings.push(a.join(' '));
    try {
      loadClassifier(dir).model.dispose();
    } finally {
      console.warn = realWarn;
    }
    assert.match(warnings.join('\n'), /WARNING: Classifier .*classifier is UNVERIFIED/);
    assert.equal(sealClassifier(dir), true);
    loadClassifier(dir).model.dispose();
  });
});

test('the shipped checkpoint and models carry a valid checksum (they load verified, without the UNVERIFIED warning)', () => {
  for (const dir of ['state/paper-mnist/checkpoint', 'models/paper-mnist']) {
    const v = readVerified(path.join(ROOT, dir), (p) => assert.fail(`${dir}: ${p}`));
    assert.equal(v.sealed, true, dir);
  }
  assert.equal(readClassifierFolder(path.join(ROOT, 'models/mnist-classifier')).sealed, true);
});
