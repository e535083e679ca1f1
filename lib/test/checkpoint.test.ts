import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'child_process';
import { withChecksum } from '../src/host/manifestChecksum';
import {
  adam,
  GanOptimizer,
  imageSource,
  initBackend,
  loadCheckpoint,
  makeImageSet,
  mlpDiscriminator,
  mlpGenerator,
  OptimizerState,
  Rng,
  saveCheckpoint,
  sgdMomentum,
  trainGan,
  TrainMode,
  checkpointExists,
  sealCheckpoint,
  uniformPrior,
} from '../src';
import * as crypto from 'crypto';

let tmp = '';
before(async () => {
  await initBackend();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgan-checkpoint-test-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 40 fixed "images" of 2×3 pixels: the same data set whatever the run's seed. */
const SET = (() => {
  const r = new Rng(123);
  return makeImageSet(r.fillUniform(new Float32Array(40 * 6)), new Uint8Array(40), 2, 3, 'synthetic 2×3');
})();

/** A small GAN over SET with every kind of state: dropout stream, data order, noise, momentum ramp. */
function run(seed: number, mode: TrainMode, opts: { hidden?: number } = {}) {
  const root = new Rng(seed);
  const generator = mlpGenerator({ latentDim: 3, hidden: [8], outputDim: 6, seed: root.nextUint32() });
  const discriminator = mlpDiscriminator({
    inputDim: 6,
    hidden: [opts.hidden ?? 8],
    activation: 'maxout',
    pieces: 2,
    dropoutKeep: [0.8, 0.5],
    dropoutRng: root.fork(),
    seed: root.nextUint32(),
  });
  const optimizer = (): GanOptimizer =>
    mode === 'alternating'
      ? sgdMomentum({
          learningRate: 0.05,
          decayFactor: 1.01,
          minLearningRate: 1e-4,
          momentumSchedule: { start: 0.5, end: 0.7, startEpoch: 1, endEpoch: 4 },
        })
      : adam({ learningRate: 0.01, beta1: 0.5 });
  const t = {
    generator,
    discriminator,
    dOptimizer: optimizer(),
    gOptimizer: optimizer(),
    prior: uniformPrior(3),
    real: imageSource(SET, root.fork()),
    rng: root.fork(),
    batchSize: 8,
    mode,
  };
  return {
    ...t,
    train: (steps: number, startStep = 0) => trainGan({ ...t, steps, startStep }),
    contents: (step: number, epoch: number) => ({
      ...t,
      step,
      epoch,
      states: { noise: t.rng, data: t.real },
      meta: { seed, mode },
    }),
    target: () => ({ ...t, states: { noise: t.rng, data: t.real } }),
    dispose: () => {
      generator.dispose();
      discriminator.dispose();
      t.dOptimizer.dispose();
      t.gOptimizer.dispose();
    },
  };
}
type Run = ReturnType<typeof run>;

/** Every number a run carries: weights, optimiser slots (in order) and counters, stream states. */
async function snapshot(r: Run) {
  const slotValues = (s: OptimizerState) =>
    Object.values(s.slots).flatMap((bySlot) => Object.values(bySlot).map((v) => Array.from(v.values)));
  const d = await r.dOptimizer.getState();
  const g = await r.gOptimizer.getState();
  return {
    g: r.generator.weights.map((w) => Array.from(w.read().dataSync())),
    d: r.discriminator.weights.map((w) => Array.from(w.read().dataSync())),
    dSlots: slotValues(d),
    gSlots: slotValues(g),
    counters: [d.counters, g.counters],
    noise: r.rng.getState(),
    data: r.real.getState(),
    dropout: (r.discriminator.layers.find((l) => 'rng' in l) as unknown as { rng: Rng }).rng.getState(),
  };
}

describe('checkpoints', () => {
  test('round trip is bit-identical (weights, optimiser state, streams), and re-saving gives the same bytes', async () => {
    const a = run(1, 'alternating');
    const h = await a.train(7);
    const dir = path.join(tmp, 'roundtrip');
    const saved = await saveCheckpoint(dir, a.contents(h.finalStep, h.finalEpoch));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['manifest.json', 'weights.bin']);
    const b = run(99, 'alternating'); // different seed: every number differs before loading
    assert.notDeepEqual((await snapshot(b)).g, (await snapshot(a)).g);
    const loaded = await loadCheckpoint(dir, b.target());
    assert.equal(loaded.step, 7);
    assert.deepEqual(loaded.meta, { seed: 1, mode: 'alternating' });
    assert.deepEqual(await snapshot(b), await snapshot(a));
    const again = await saveCheckpoint(path.join(tmp, 'roundtrip2'), b.contents(7, h.finalEpoch));
    assert.equal(again.manifest.weights.sha256, saved.manifest.weights.sha256);
    a.dispose();
    b.dispose();
  });

  for (const mode of ['alternating', 'simultaneous'] as const) {
    test(`${mode}: save at step n, resume to 2n = an uninterrupted 2n run, bitwise`, async () => {
      const n = 12; // 8 per batch over 40 images: 5 batches an epoch, so the run crosses epochs (momentum ramp)
      const whole = run(5, mode);
      const wh = await whole.train(2 * n);
      const first = run(5, mode);
      const fh = await first.train(n);
      const dir = path.join(tmp, `resume-${mode}`);
      await saveCheckpoint(dir, first.contents(fh.finalStep, fh.finalEpoch));
      first.dispose();
      const second = run(77, mode);
      const loaded = await loadCheckpoint(dir, second.target());
      const sh = await second.train(2 * n, loaded.step);
      assert.equal(sh.finalStep, 2 * n);
      assert.ok(wh.finalEpoch >= 4, `the run should cross several epochs, got ${wh.finalEpoch}`);
      assert.deepEqual(sh.dLoss, wh.dLoss.slice(n));
      assert.deepEqual(sh.gLoss, wh.gLoss.slice(n));
      assert.deepEqual(await snapshot(second), await snapshot(whole));
      whole.dispose();
      second.dispose();
    });
  }

  describe('bad checkpoints are clear errors and change nothing', () => {
    let good = '';
    before(async () => {
      const a = run(2, 'alternating');
      await a.train(3);
      good = path.join(tmp, 'good');
      await saveCheckpoint(good, a.contents(3, 0));
      a.dispose();
    });

    /** Copies the good checkpoint, damages the copy, loads it into a fresh run, checks the run did not change. */
    async function expectFailure(
      damage: (dir: string) => void,
      pattern: RegExp,
      target?: (r: Run) => Parameters<typeof loadCheckpoint>[1],
      seed = 3,
      hidden?: number,
    ) {
      const dir = path.join(tmp, `bad-${Math.random().toString(36).slice(2)}`);
      fs.cpSync(good, dir, { recursive: true });
      damage(dir);
      const r = run(seed, 'alternating', { hidden });
      await r.train(2);
      const before = await snapshot(r);
      await assert.rejects(loadCheckpoint(dir, target ? target(r) : r.target()), (e: Error) => {
        assert.match(e.message, pattern);
        assert.ok(e.message.includes(path.basename(dir)), `the error should name the checkpoint: ${e.message}`);
        return true;
      });
      assert.deepEqual(await snapshot(r), before);
      r.dispose();
    }

    test('missing directory', () => expectFailure((d) => fs.rmSync(d, { recursive: true }), /does not exist/));
    test('partial: manifest.json deleted', () =>
      expectFailure((d) => fs.rmSync(path.join(d, 'manifest.json')), /manifest\.json is missing/));
    test('partial: weights.bin deleted', () =>
      expectFailure((d) => fs.rmSync(path.join(d, 'weights.bin')), /weights\.bin is missing/));
    test('truncated weights.bin', () =>
      expectFailure(
        (d) => fs.truncateSync(path.join(d, 'weights.bin'), 100),
        /weights\.bin has 100 bytes, the manifest says \d+/,
      ));
    test('one flipped byte in weights.bin', () =>
      expectFailure((d) => {
        const f = path.join(d, 'weights.bin');
        const b = fs.readFileSync(f);
        b[17] ^= 0x01;
        fs.writeFileSync(f, b);
      }, /sha256/));
    test('damaged manifest', () =>
      expectFailure((d) => fs.appendFileSync(path.join(d, 'manifest.json'), '}'), /not valid JSON/));
    test('a tensor entry whose shape is null (hand-edited manifest)', () =>
      expectFailure((d) => {
        const f = path.join(d, 'manifest.json');
        const m = JSON.parse(fs.readFileSync(f, 'utf8'));
        m.tensors[2].shape = null;
        delete m.checksum; // as in a manifest saved before checksums (with one, the checksum fails first)
        fs.writeFileSync(f, JSON.stringify(m));
      }, /tensor generator\/2 has no valid shape in manifest\.json \(got null\); the file is damaged/));
    type Manifest = { tensors: { offset: number }[]; weights: { file: string }; [key: string]: unknown };
    /** Edits manifest.json with `edit`; `seal`: recompute its checksum (what a careful forger would do). */
    const editManifest =
      (edit: (m: Manifest) => void, seal = false) =>
      (d: string) => {
        const f = path.join(d, 'manifest.json');
        const m = JSON.parse(fs.readFileSync(f, 'utf8'));
        edit(m);
        fs.writeFileSync(f, JSON.stringify(seal ? withChecksum(m) : m));
      };
    // issue 28, item 3: the checksum over manifest.json catches every change of what it says
    test('one changed digit of a random-stream state in manifest.json fails the checksum', () =>
      expectFailure((d) => {
        const f = path.join(d, 'manifest.json');
        const text = fs.readFileSync(f, 'utf8');
        const at = text.indexOf('"noise"');
        const digit = text.slice(at).search(/[0-8]/) + at;
        fs.writeFileSync(f, text.slice(0, digit) + String(Number(text[digit]) + 1) + text.slice(digit + 1));
      }, /manifest\.json fails its checksum: it was changed or damaged after it was saved/));
    test('a changed step fails the checksum', () =>
      expectFailure(
        editManifest((m) => (m.step = 205427)),
        /fails its checksum/,
      ));
    test('overlapping tensor offsets are refused (even with a recomputed checksum)', () =>
      expectFailure(
        editManifest((m) => (m.tensors[1].offset = m.tensors[0].offset), true),
        /tensors generator\/0 and generator\/1 overlap in weights\.bin/,
      ));
    test('epoch "abc" is refused (even with a recomputed checksum)', () =>
      expectFailure(
        editManifest((m) => (m.epoch = 'abc'), true),
        /its epoch is "abc", not a non-negative integer/,
      ));
    // issue 28, item 2: what a manifest names must be a regular file inside its folder, of its size
    test('weights.file pointing out of the folder (../../../../dev/zero) is refused before anything is read', () =>
      expectFailure(
        editManifest((m) => (m.weights.file = '../../../../dev/zero'), true),
        /its weights\.file "\.\.\/\.\.\/\.\.\/\.\.\/dev\/zero" leaves the folder/,
      ));
    test('an absolute weights.file is refused', () =>
      expectFailure(
        editManifest((m) => (m.weights.file = '/dev/zero'), true),
        /its weights\.file "\/dev\/zero" is not a relative path/,
      ));
    test('weights.bin as a symbolic link (to /dev/zero, or to a good copy outside) is refused', async () => {
      await expectFailure((d) => {
        fs.rmSync(path.join(d, 'weights.bin'));
        fs.symlinkSync('/dev/zero', path.join(d, 'weights.bin'));
      }, /weights\.bin is a symbolic link; only a regular file in the folder is read/);
      await expectFailure((d) => {
        fs.rmSync(path.join(d, 'weights.bin'));
        fs.symlinkSync(path.join(good, 'weights.bin'), path.join(d, 'weights.bin'));
      }, /weights\.bin is a symbolic link/);
    });
    test('weights.bin as a FIFO is refused at once (no hang)', () =>
      expectFailure((d) => {
        fs.rmSync(path.join(d, 'weights.bin'));
        execFileSync('mkfifo', [path.join(d, 'weights.bin')]);
      }, /weights\.bin is not a regular file \(a device, FIFO, socket or folder\); nothing was read/));
    test('weights.bin as a folder is refused', () =>
      expectFailure((d) => {
        fs.rmSync(path.join(d, 'weights.bin'));
        fs.mkdirSync(path.join(d, 'weights.bin'));
      }, /weights\.bin is not a regular file/));
    test('a weights.bin that cannot be read (mode 000) says so in words, once', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, which the import namespace only copies
      const nodeFs = require('fs') as { openSync: (...args: unknown[]) => number };
      const realOpen = nodeFs.openSync;
      // these tests run as root, whom mode 000 does not stop: the error is what open(2) gives another user
      nodeFs.openSync = (file: unknown, ...rest: unknown[]) => {
        if (String(file).endsWith('weights.bin'))
          throw Object.assign(new Error(`EACCES: permission denied, open '${String(file)}'`), { code: 'EACCES' });
        return realOpen(file, ...rest);
      };
      try {
        await expectFailure(() => {}, /weights\.bin: no permission \(EACCES\): give yourself access/);
      } finally {
        nodeFs.openSync = realOpen;
      }
    });
    test('another format version', () =>
      expectFailure((d) => {
        const f = path.join(d, 'manifest.json');
        fs.writeFileSync(f, JSON.stringify({ ...JSON.parse(fs.readFileSync(f, 'utf8')), version: 99 }));
      }, /version 99 is not supported/));
    test('a model of another size', () =>
      expectFailure(
        () => {},
        /discriminator weight 0 .* shape \[6,16\] in the checkpoint but \[6,18\]/,
        undefined,
        3,
        9,
      ));
    test('an optimiser of another kind', () =>
      expectFailure(
        () => {},
        /dOptimizer is "sgdMomentum", the target's is "adam"/,
        (r) => ({ ...r.target(), dOptimizer: adam({ learningRate: 1e-3 }) }),
      ));
    test('a state the checkpoint lacks', () =>
      expectFailure(
        () => {},
        /has no state "dropoutOfG"/,
        (r) => ({ ...r.target(), states: { ...r.target().states, dropoutOfG: new Rng(0) } }),
      ));
    test('a state that refuses the saved value is rolled back with the others', () =>
      expectFailure(
        () => {},
        /restoring state "data" failed .*nothing was changed/,
        (r) => ({
          ...r.target(),
          states: {
            noise: r.rng,
            data: imageSource(makeImageSet(new Float32Array(6 * 7), new Uint8Array(7), 2, 3, 'seven'), new Rng(1)),
          },
        }),
      ));
  });

  test('an interrupted save leaves a loadable checkpoint (old or new), and the next save tidies up', async () => {
    const a = run(4, 'alternating');
    await a.train(2);
    const dir = path.join(tmp, 'interrupted');
    await saveCheckpoint(dir, a.contents(2, 0));
    // crash between "old aside" and "new in": dir is missing, the old one is dir.old-<pid>,
    // and an unfinished new one (no manifest yet) is dir.tmp-<pid>
    const deadPid = 2 ** 22 + 12345;
    fs.renameSync(dir, `${dir}.old-${deadPid}`);
    fs.mkdirSync(`${dir}.tmp-${deadPid}`);
    fs.writeFileSync(`${dir}.tmp-${deadPid}/weights.bin`, 'partial');
    const b = run(8, 'alternating');
    // a reader loads the complete copy where it lies and moves nothing (it may be a live trainer's save)
    assert.equal((await loadCheckpoint(dir, b.target())).step, 2);
    assert.ok(!fs.existsSync(dir));
    // the lock owner finishes the dead process's save
    assert.equal((await loadCheckpoint(dir, b.target(), { recoverInterruptedSave: true })).step, 2);
    assert.ok(fs.existsSync(path.join(dir, 'manifest.json')));
    // the same crash after the new one was complete: the newer one wins
    await a.train(3, 2);
    await saveCheckpoint(`${dir}-new`, a.contents(3, 0));
    fs.renameSync(dir, `${dir}.old-${deadPid}`);
    fs.rmSync(`${dir}.tmp-${deadPid}`, { recursive: true });
    fs.renameSync(`${dir}-new`, `${dir}.tmp-${deadPid}`);
    assert.equal((await loadCheckpoint(dir, b.target(), { recoverInterruptedSave: true })).step, 3);
    await saveCheckpoint(dir, a.contents(3, 0));
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.startsWith('interrupted')),
      ['interrupted'],
    );
    a.dispose();
    b.dispose();
  });

  test('a save of non-finite weights is refused, naming the tensor, and the good checkpoint stays', async () => {
    const a = run(10, 'alternating');
    await a.train(2);
    const dir = path.join(tmp, 'nan-over-good');
    await saveCheckpoint(dir, a.contents(2, 0));
    const before = fs.readFileSync(path.join(dir, 'weights.bin'));
    const w = a.discriminator.weights[1].read() as tf.Variable;
    w.assign(tf.fill(w.shape, NaN));
    await assert.rejects(
      saveCheckpoint(dir, a.contents(3, 0)),
      /saveCheckpoint: refusing to write .*nan-over-good: tensor discriminator\/1 \(.+\) holds 16 NaN values\. .*diverged.*nothing was written/,
    );
    assert.deepEqual(fs.readFileSync(path.join(dir, 'weights.bin')), before);
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.startsWith('nan-over-good')),
      ['nan-over-good'],
    );
    a.dispose();
  });

  test('leftovers of a process killed during the first save: a clear message, then the next save clears them', async () => {
    const a = run(11, 'alternating');
    await a.train(1);
    const dir = path.join(tmp, 'killed-first-save');
    const deadPid = 2 ** 22 + 4321;
    fs.mkdirSync(`${dir}.tmp-${deadPid}`);
    fs.writeFileSync(`${dir}.tmp-${deadPid}/weights.bin`, 'partial'); // SIGKILL before manifest.json
    assert.equal(checkpointExists(dir), false);
    await assert.rejects(
      loadCheckpoint(dir, a.target()),
      /does not exist; killed-first-save\.tmp-4198625 beside it is an unfinished save of process 4198625, which was stopped before its first checkpoint was complete.*Start the run again \(without --resume\)/,
    );
    await saveCheckpoint(dir, a.contents(1, 0));
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.startsWith('killed-first-save')),
      ['killed-first-save'],
    );
    assert.equal(checkpointExists(dir), true);
    a.dispose();
  });

  test('a failed write (disk full) names the path, leaves no temporary folder and the old checkpoint intact; stale leftovers go first', async () => {
    const a = run(12, 'alternating');
    await a.train(1);
    const dir = path.join(tmp, 'disk-full');
    await saveCheckpoint(dir, a.contents(1, 0));
    const before = fs.readFileSync(path.join(dir, 'manifest.json'));
    const deadPid = 2 ** 22 + 999;
    fs.mkdirSync(`${dir}.tmp-${deadPid}`); // an earlier kill's 22 MB
    fs.writeFileSync(`${dir}.tmp-${deadPid}/weights.bin`, Buffer.alloc(1000));
    // the module object itself (an import namespace is a copy): atomicDir sees the failing write
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, which the import namespace only copies
    const nodeFs = require('fs') as { writeFileSync: unknown };
    const realWrite = nodeFs.writeFileSync;
    nodeFs.writeFileSync = (file: unknown, ...rest: unknown[]) => {
      if (typeof file === 'number')
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      return (realWrite as (...args: unknown[]) => void)(file, ...rest);
    };
    try {
      await assert.rejects(saveCheckpoint(dir, a.contents(1, 0)), (e: NodeJS.ErrnoException) => {
        assert.match(
          e.message,
          new RegExp(
            `^Could not write ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-${process.pid}/weights\\.bin: the disk is full \\(ENOSPC\\): free some space`,
          ),
        );
        assert.equal(e.code, 'ENOSPC');
        return true;
      });
    } finally {
      nodeFs.writeFileSync = realWrite;
    }
    assert.deepEqual(
      fs.readdirSync(tmp).filter((f) => f.startsWith('disk-full')),
      ['disk-full'],
    );
    assert.deepEqual(fs.readFileSync(path.join(dir, 'manifest.json')), before);
    await loadCheckpoint(dir, a.target());
    a.dispose();
  });

  test('refuses to replace a directory that is not a checkpoint', async () => {
    const a = run(6, 'alternating');
    const dir = path.join(tmp, 'not-a-checkpoint');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'precious');
    await assert.rejects(saveCheckpoint(dir, a.contents(0, 0)), /Refusing to replace .*not-a-checkpoint/);
    assert.equal(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'precious');
    a.dispose();
  });

  test('an old checkpoint without checksum loads with a loud UNVERIFIED warning; sealing rewrites manifest.json only', async () => {
    const a = run(21, 'alternating');
    await a.train(2);
    const dir = path.join(tmp, 'old-unsealed');
    await saveCheckpoint(dir, a.contents(2, 0));
    const f = path.join(dir, 'manifest.json');
    const { checksum: _checksum, ...old } = JSON.parse(fs.readFileSync(f, 'utf8'));
    fs.writeFileSync(f, JSON.stringify(old, null, 1));
    const weightsBefore = fs.readFileSync(path.join(dir, 'weights.bin'));
    const warnings: string[] = [];
    const realWarn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const b = run(22, 'alternating');
      assert.equal((await loadCheckpoint(dir, b.target())).step, 2);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /WARNING: Checkpoint .*old-unsealed is UNVERIFIED: its manifest\.json has no checksum/);
      assert.match(warnings[0], /tsgan seal /);
      assert.equal(sealCheckpoint(dir), true);
      assert.equal(sealCheckpoint(dir), false); // already sealed
      assert.deepEqual(fs.readFileSync(path.join(dir, 'weights.bin')), weightsBefore);
      const sealed = JSON.parse(fs.readFileSync(f, 'utf8'));
      assert.match(sealed.checksum.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual({ ...sealed, checksum: undefined }, { ...old, checksum: undefined });
      const c = run(23, 'alternating');
      const dir2 = path.join(tmp, 'old-unsealed-copy'); // another path: the warning is once per folder
      fs.cpSync(dir, dir2, { recursive: true });
      assert.equal((await loadCheckpoint(dir2, c.target())).step, 2);
      assert.equal(warnings.length, 1, 'a sealed checkpoint loads without warning');
      b.dispose();
      c.dispose();
    } finally {
      console.warn = realWarn;
    }
    a.dispose();
  });

  test('a NaN in an optimiser slot: load refuses the poisoned checkpoint naming the slot, not the learning rate', async () => {
    const a = run(24, 'simultaneous');
    await a.train(2);
    const dir = path.join(tmp, 'poisoned-slot');
    await saveCheckpoint(dir, a.contents(2, 0));
    const f = path.join(dir, 'manifest.json');
    const m = JSON.parse(fs.readFileSync(f, 'utf8'));
    const slot = m.tensors.find((t: { key: string }) => t.key.startsWith('dOptimizer/'));
    const w = path.join(dir, 'weights.bin');
    const bin = fs.readFileSync(w);
    bin.writeFloatLE(NaN, slot.offset);
    fs.writeFileSync(w, bin);
    m.weights.sha256 = crypto.createHash('sha256').update(bin).digest('hex');
    fs.writeFileSync(f, JSON.stringify(withChecksum(m)));
    const b = run(25, 'simultaneous');
    await assert.rejects(loadCheckpoint(dir, b.target()), (e: Error) => {
      assert.match(e.message, new RegExp(`tensor ${slot.key} .* holds 1 NaN value: the checkpoint is poisoned`));
      assert.match(e.message, /It is optimiser state \(e\.g\. an Adam moment that overflowed\), not a weight/);
      assert.doesNotMatch(e.message, /learning rate/);
      return true;
    });
    a.dispose();
    b.dispose();
  });

  test('no tensors leak through save and load', async () => {
    const a = run(9, 'simultaneous');
    await a.train(2);
    const dir = path.join(tmp, 'leaks');
    const before = tf.memory().numTensors;
    await saveCheckpoint(dir, a.contents(2, 0));
    await loadCheckpoint(dir, a.target());
    assert.equal(tf.memory().numTensors, before);
    a.dispose();
  });
});
