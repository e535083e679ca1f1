import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  batchTensor,
  distributionSource,
  gaussian1D,
  ImageSet,
  imageSource,
  initBackend,
  Minibatches,
  ringMixture2D,
  Rng,
} from '../src';

before(async () => {
  await initBackend();
});

function take(mb: Minibatches, n: number): number[][] {
  return Array.from({ length: n }, () => Array.from(mb.next().indices));
}

/** A JSON round trip, as a checkpoint would do. */
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('Minibatches', () => {
  test("lastBatch 'keep': every index exactly once per epoch, short last batch, epoch flags", () => {
    const mb = new Minibatches(10, 3, new Rng(1), { lastBatch: 'keep' });
    assert.equal(mb.batchesPerEpoch, 4);
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (let b = 0; b < 4; b++) {
        const batch = mb.next();
        assert.equal(batch.epoch, epoch);
        assert.equal(batch.batchInEpoch, b);
        assert.equal(batch.epochEnd, b === 3);
        assert.equal(batch.indices.length, b === 3 ? 1 : 3);
        seen.push(...batch.indices);
      }
      assert.deepEqual(
        [...seen].sort((x, y) => x - y),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      assert.equal(mb.epochsCompleted, epoch + 1);
      orders.push(seen);
    }
    assert.notDeepEqual(orders[0], orders[1], 'reshuffled every epoch');
    assert.equal(mb.step, 12);
  });

  test("lastBatch 'drop' (the default): full batches only, distinct indices, leftovers vary by epoch", () => {
    const mb = new Minibatches(10, 3, new Rng(2));
    assert.equal(mb.lastBatch, 'drop');
    assert.equal(mb.batchesPerEpoch, 3);
    const dropped = new Set<number>();
    for (let epoch = 0; epoch < 6; epoch++) {
      const seen = take(mb, 3).flat();
      assert.equal(seen.length, 9);
      assert.equal(new Set(seen).size, 9);
      dropped.add([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((i) => !seen.includes(i))!);
    }
    assert.ok(dropped.size > 1, 'a different example is left out in different epochs');
    assert.equal(mb.epochsCompleted, 6);
    // an exact division: 50,000 / 100 = the paper's 500 updates per epoch
    assert.equal(new Minibatches(50000, 100, new Rng(0)).batchesPerEpoch, 500);
  });

  test('same seed ⇒ same batches; another seed ⇒ other batches', () => {
    const a = take(new Minibatches(100, 10, new Rng(5)), 25);
    assert.deepEqual(take(new Minibatches(100, 10, new Rng(5)), 25), a);
    assert.notDeepEqual(take(new Minibatches(100, 10, new Rng(6)), 25), a);
  });

  test('getState/setState continues exactly (mid-epoch, at an epoch boundary, before the first batch)', () => {
    for (const [lastBatch, before] of [
      ['keep', 5],
      ['keep', 4],
      ['drop', 7],
      ['drop', 0],
    ] as const) {
      const rng = new Rng(9);
      const mb = new Minibatches(11, 4, rng, { lastBatch });
      take(mb, before);
      const state = viaJson(mb.getState());
      const expected = take(mb, 9);
      const expectedNextUniform = rng.uniform();

      const rng2 = new Rng(12345);
      const resumed = new Minibatches(11, 4, rng2, { lastBatch });
      resumed.setState(state);
      assert.equal(resumed.epochsCompleted, state.epochsCompleted);
      assert.deepEqual(take(resumed, 9), expected, `${lastBatch}, resumed after ${before} batches`);
      assert.equal(rng2.uniform(), expectedNextUniform, 'the Rng continues too');
    }
  });

  test('bad settings and mismatched states give clear errors', () => {
    const rng = new Rng(0);
    assert.throws(() => new Minibatches(10, 0, rng), /batchSize must be a positive integer, got 0/);
    assert.throws(() => new Minibatches(10, 2.5, rng), /batchSize must be a positive integer, got 2.5/);
    assert.throws(() => new Minibatches(10, 11, rng), /batchSize 11 is larger than the 10 examples.*lastBatch: 'keep'/);
    assert.equal(new Minibatches(10, 11, rng, { lastBatch: 'keep' }).next().indices.length, 10);
    assert.throws(() => new Minibatches(0, 1, rng), /count must be a positive integer/);
    assert.throws(
      () => new Minibatches(10, 2, rng, { lastBatch: 'pad' as 'drop' }),
      /lastBatch must be 'drop' or 'keep'/,
    );
    const state = new Minibatches(10, 2, rng).getState();
    assert.throws(() => new Minibatches(10, 5, rng).setState(state), /saved for count 10, batchSize 2.*same settings/);
  });
});

describe('imageSource', () => {
  const set: ImageSet = {
    images: Float32Array.from({ length: 7 * 4 }, (_, i) => i / 28),
    labels: new Uint8Array(7),
    count: 7,
    rows: 2,
    cols: 2,
    source: 'seven',
  };

  test('next(b) gives [b, rows·cols] tensors of the shuffled batches, epoch counts passes', () => {
    const before = tf.memory().numTensors;
    const src = imageSource(set, new Rng(3));
    const mb = new Minibatches(7, 2, new Rng(3));
    assert.equal(src.dim, 4);
    assert.equal(src.epoch, 0);
    for (let i = 0; i < 7; i++) {
      const x = src.next(2);
      const ref = batchTensor(set, mb.next().indices);
      assert.deepEqual(x.shape, [2, 4]);
      assert.deepEqual(x.dataSync(), ref.dataSync());
      tf.dispose([x, ref]);
    }
    assert.equal(src.epoch, 2, '7 batches of 2 from 7 images (3 per epoch, drop) = 2 epochs and 1 batch');
    assert.throws(() => src.next(3), /batch size 3 differs from this source's 2/);
    assert.equal(tf.memory().numTensors, before);
  });

  test("lastBatch 'keep' yields the short last batch", () => {
    const src = imageSource(set, new Rng(3), { batchSize: 3, lastBatch: 'keep' });
    const shapes = Array.from({ length: 3 }, () => {
      const x = src.next(3);
      const s = x.shape[0];
      x.dispose();
      return s;
    });
    assert.deepEqual(shapes, [3, 3, 1]);
    assert.equal(src.epoch, 1);
  });

  test('state round trip (via JSON) continues bit-identically', () => {
    const src = imageSource(set, new Rng(4), { batchSize: 2 });
    tf.dispose([src.next(2), src.next(2), src.next(2), src.next(2)]);
    const state = viaJson(src.getState());
    const expected = Array.from({ length: 5 }, () => {
      const x = src.next(2);
      const d = Array.from(x.dataSync());
      x.dispose();
      return d;
    });
    const resumed = imageSource(set, new Rng(99));
    resumed.setState(state);
    assert.equal(resumed.epoch, 1);
    for (const d of expected) {
      const x = resumed.next(2);
      assert.deepEqual(Array.from(x.dataSync()), d);
      x.dispose();
    }
    assert.throws(() => resumed.setState({ kind: 'images', count: 8, batches: null }), /image source over 7 images/);
  });

  test('classes: rows [x | one-hot y] with the same batches as the unlabelled source; its state says it has labels; bad options refused', () => {
    const labelled: ImageSet = { ...set, labels: Uint8Array.from([0, 1, 2, 0, 1, 2, 2]) };
    const before = tf.memory().numTensors;
    const src = imageSource(labelled, new Rng(5), { classes: 3 });
    const plain = imageSource(labelled, new Rng(5));
    const mb = new Minibatches(7, 3, new Rng(5));
    assert.equal(src.dim, 4 + 3);
    for (let i = 0; i < 4; i++) {
      const [row, x] = [src.next(3), plain.next(3)];
      const indices = mb.next().indices;
      assert.deepEqual(row.shape, [3, 7]);
      const rows = row.arraySync() as number[][];
      const images = x.arraySync() as number[][];
      rows.forEach((r, j) => {
        assert.deepEqual(r.slice(0, 4), images[j]);
        assert.deepEqual(
          r.slice(4),
          [0, 1, 2].map((c) => (c === labelled.labels[indices[j]] ? 1 : 0)),
        );
      });
      tf.dispose([row, x]);
    }
    assert.equal(tf.memory().numTensors, before, 'leaked tensors');
    const state = viaJson(src.getState()) as { classes?: number };
    assert.equal(state.classes, 3);
    assert.equal('classes' in (plain.getState() as object), false, 'an unlabelled source keeps its state as before');
    assert.throws(() => plain.setState(state), /image source over 7 images, got kind images, count 7 with 3 classes/);
    assert.throws(() => src.setState(plain.getState()), /over 7 images with 3 classes, got kind images, count 7$/);
    assert.throws(() => imageSource(labelled, new Rng(1), { classes: 0 }), /classes must be a positive integer/);
    assert.throws(
      () => imageSource({ ...set, labels: new Uint8Array(2) }, new Rng(1), { classes: 3 }),
      /needs a labelled set.*2 labels for 7 images/,
    );
    const tensors = tf.memory().numTensors;
    assert.throws(
      () =>
        imageSource({ ...labelled, labels: Uint8Array.from([0, 1, 2, 3, 0, 0, 0]) }, new Rng(1), { classes: 3 }).next(
          7,
        ),
      /label 3 at position \d is not a class 0\.\.2/,
    );
    assert.equal(tf.memory().numTensors, tensors, 'a refused batch leaks nothing');
  });
});

describe('distributionSource', () => {
  test('1-D and 2-D shapes, values from dist.sample, state round trip, no leaks', () => {
    const before = tf.memory().numTensors;
    for (const dist of [gaussian1D(1, 2), ringMixture2D()]) {
      const src = distributionSource(dist, new Rng(8));
      const x = src.next(5);
      assert.deepEqual(x.shape, [5, dist.dim]);
      assert.deepEqual(x.dataSync(), dist.sample(5, new Rng(8)));
      x.dispose();
      assert.equal(src.epoch, 0);
      const state = viaJson(src.getState());
      const a = src.next(4);
      const resumed = distributionSource(dist, new Rng(1));
      resumed.setState(state);
      const b = resumed.next(4);
      assert.deepEqual(b.dataSync(), a.dataSync());
      tf.dispose([a, b]);
      assert.throws(() => src.next(0), /batchSize must be a positive integer/);
    }
    const g = distributionSource(gaussian1D(0, 1), new Rng(0));
    assert.throws(
      () => g.setState(distributionSource(gaussian1D(0, 2), new Rng(0)).getState()),
      /saved for "N\(0, 2²\)"/,
    );
    assert.equal(tf.memory().numTensors, before);
  });
});
