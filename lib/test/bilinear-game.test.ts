import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bilinearGame, closestReturn } from '../src';

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

  test('alternating steps (y first, as D in Algorithm 1): determinant 1, a bounded orbit that comes back to its start', () => {
    const eta = 0.3;
    const t = bilinearGame({ mode: 'alternating', learningRate: eta, steps: 5000, start: [1, 0.5] });
    // one step by hand: y + ηx first, then x − η·(the new y)
    assert.ok(Math.abs(t.y[1] - (0.5 + eta * 1)) < 1e-15, 'y moves first');
    assert.ok(Math.abs(t.x[1] - (1 - eta * t.y[1])) < 1e-15, 'x answers the y that has just moved');
    // the linear map [[1 − η², −η], [η, 1]] has determinant 1: no spiral in or out over 5,000 steps
    const [lo, hi] = [Math.min(...t.distance), Math.max(...t.distance)];
    assert.ok(hi / lo < 1.5 && Math.abs(t.distance[5000] / t.distance[0] - 1) < 0.3, `distance in [${lo}, ${hi}]`);
    // rotation by θ with cos θ = 1 − η²/2 per step: back within a step's length of the start after each turn
    assert.ok(closestReturn(t, 10) < eta * hi, `closest return ${closestReturn(t, 10)}`);
    const s = bilinearGame({ mode: 'simultaneous', learningRate: eta, steps: 5000, start: [1, 0.5] });
    assert.ok(closestReturn(s, 10) > 1, 'the simultaneous spiral never comes back');
    assert.throws(() => closestReturn(t, 0), /from must be/);
  });

  test('bad options are refused', () => {
    assert.throws(() => bilinearGame({ mode: 'both' as never, learningRate: 0.1, steps: 1 }), /simultaneous/);
    assert.throws(() => bilinearGame({ mode: 'alternating', learningRate: 0, steps: 1 }), /learningRate/);
    assert.throws(() => bilinearGame({ mode: 'alternating', learningRate: 0.1, steps: 1.5 }), /steps/);
  });
});
