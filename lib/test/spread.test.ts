import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, pixelSpread, withinClassSpread } from '../src';

before(async () => {
  await initBackend();
});

describe('pixelSpread and withinClassSpread', () => {
  test('equal images have spread 0; two images a and b have √(mean over pixels of ((a − b)/2)²)', () => {
    const same = tf.tensor2d([1, 2, 3, 1, 2, 3], [2, 3]);
    assert.equal(pixelSpread(same), 0);
    // variance of {a, b} (population) is ((a − b)/2)²: pixels differ by 2, 0, 4 → variances 1, 0, 4
    const two = tf.tensor2d([0, 5, 1, 2, 5, 5], [2, 3]);
    assert.ok(Math.abs(pixelSpread(two) - Math.sqrt(5 / 3)) < 1e-6);
    tf.dispose([same, two]);
  });

  test('per class: each class on its own rows; a class with one image is NaN; no tensor is leaked', () => {
    const images = tf.tensor2d([0, 0, 2, 2, 7, 7, 1, 1, 1, 1], [5, 2]);
    const before = tf.memory().numTensors;
    const s = withinClassSpread(images, [0, 0, 1, 2, 2], 3);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(Math.abs(s[0] - 1) < 1e-6, 'class 0: rows (0, 0) and (2, 2)');
    assert.ok(Number.isNaN(s[1]), 'class 1 has one image');
    assert.equal(s[2], 0, 'class 2: two equal images');
    assert.throws(() => withinClassSpread(images, [0, 1], 3), /2 labels for 5 images/);
    assert.throws(() => pixelSpread(tf.tensor2d([1, 2], [1, 2])), /at least 2/);
    images.dispose();
  });
});
