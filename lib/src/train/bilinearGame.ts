/**
 * The smallest game with the GAN's difficulty: min over x, max over y of f(x, y) = x·y, whose only
 * equilibrium is (0, 0). Gradient descent on x and ascent on y, in the two orders trainGan knows:
 * - 'simultaneous' (the paper's code: both gradients at the current point, then both applied):
 *   r² grows by exactly (1 + η²) per step, a spiral outwards;
 * - 'alternating' (Algorithm 1: x moves, then y answers the new x): the map has determinant 1 and keeps
 *   x² + y² − η·x·y fixed, an ellipse, bounded for η < 2, that circles (0, 0) without ever reaching it.
 */
import type { TrainMode } from './trainGan';

export interface BilinearGameOptions {
  mode: TrainMode;
  /** Step size η of both players. */
  learningRate: number;
  steps: number;
  /** Starting point (x, y); default (1, 1). */
  start?: [number, number];
}

export interface BilinearTrajectory {
  /** x and y after 0, 1, …, steps steps (steps + 1 values each). */
  x: number[];
  y: number[];
  /** Distance from the equilibrium (0, 0) at each of those points. */
  distance: number[];
}

/** Runs gradient descent (x) – ascent (y) on f(x, y) = x·y. */
export function bilinearGame(o: BilinearGameOptions): BilinearTrajectory {
  if (!o || (o.mode !== 'simultaneous' && o.mode !== 'alternating')) {
    throw new Error(
      `bilinearGame: mode must be 'simultaneous' (the paper's code) or 'alternating' (Algorithm 1), got ${JSON.stringify(o?.mode)}`,
    );
  }
  const eta = o.learningRate;
  if (!(typeof eta === 'number' && eta > 0 && Number.isFinite(eta)))
    throw new Error(`bilinearGame: learningRate must be a positive number, got ${String(eta)}`);
  if (!Number.isInteger(o.steps) || o.steps < 0)
    throw new Error(`bilinearGame: steps must be a non-negative integer, got ${String(o.steps)}`);
  let [x, y] = o.start ?? [1, 1];
  if (!Number.isFinite(x) || !Number.isFinite(y))
    throw new Error(`bilinearGame: start must be two finite numbers, got ${JSON.stringify(o.start)}`);
  const out: BilinearTrajectory = { x: [x], y: [y], distance: [Math.hypot(x, y)] };
  for (let t = 0; t < o.steps; t++) {
    // ∂f/∂x = y (x descends), ∂f/∂y = x (y ascends)
    if (o.mode === 'simultaneous') [x, y] = [x - eta * y, y + eta * x];
    else {
      x = x - eta * y;
      y = y + eta * x; // y sees the x that has just moved
    }
    out.x.push(x);
    out.y.push(y);
    out.distance.push(Math.hypot(x, y));
  }
  return out;
}
