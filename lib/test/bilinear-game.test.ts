import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bilinearGame } from '../src';

describe('bilinearGame (min_x max_y x·y)', () => {
  test('simultaneous steps: the distance from (0, 0) grows by exactly √(1 + η²) per step', () => {
    const eta = 0.1;
    const t = bilinearGame({ mode: 'simultaneous', learningRate: eta, steps: 200, start: [1, 0.5] });
    assert.equal(t.x.length, 201);
    t.distance.forEach((r, i) =>
      assert.ok(Math.abs(r / (Math.hypot(1, 0.5) * (1 + eta * eta) ** (i / 2)) - 1) < 1e-12),
    );
    // one step by hand: x − ηy, y + ηx
    assert.ok(Math.abs(t.x[1] - (1 - eta * 0.5)) < 1e-15 && Math.abs(t.y[1] - (0.5 + eta * 1)) < 1e-15);
  });

  test('alternating steps keep x² + y² − η·x·y, so they stay on a bounded ellipse', () => {
    const eta = 0.3;
    const t = bilinearGame({ mode: 'alternating', learningRate: eta, steps: 5000, start: [1, 0.5] });
    const q = (i: number) => t.x[i] ** 2 + t.y[i] ** 2 - eta * t.x[i] * t.y[i];
    for (let i = 0; i <= 5000; i += 250) assert.ok(Math.abs(q(i) - q(0)) < 1e-9);
    // x² + y² ≤ Q / (1 − η/2) on that ellipse
    assert.ok(Math.max(...t.distance) <= Math.sqrt(q(0) / (1 - eta / 2)) + 1e-12);
    assert.ok(Math.abs(t.y[1] - (0.5 + eta * t.x[1])) < 1e-15, 'y answers the x that has just moved');
  });

  test('bad options are refused', () => {
    assert.throws(() => bilinearGame({ mode: 'both' as never, learningRate: 0.1, steps: 1 }), /simultaneous/);
    assert.throws(() => bilinearGame({ mode: 'alternating', learningRate: 0, steps: 1 }), /learningRate/);
    assert.throws(() => bilinearGame({ mode: 'alternating', learningRate: 0.1, steps: 1.5 }), /steps/);
  });
});
