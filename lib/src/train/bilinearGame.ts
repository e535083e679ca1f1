/**
 * The smallest game with the GAN's difficulty: min over x, max over y of f(x, y) = x·y, whose only
 * equilibrium is (0, 0). Gradient descent on x and ascent on y, in the two orders trainGan knows:
 * - 'simultaneous' (the paper's code: both gradients at the current point, then both applied):
 *   r² grows by exactly (1 + η²) per step, a spiral outwards;
 * - 'alternating' (Algorithm 1's order: D first, so y moves, then x answers the new y): the map has
 *   determinant 1 and, for η < 2, keeps the players on one closed curve round (0, 0), bounded but never
 *   reaching it. (Which quantity it keeps is a homework question: not said here.)
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

/**
 * The closest the trajectory comes back to its start after step `from` (a distance): for a closed orbit
 * it is at most about one step's length, for an outward spiral it grows with the turns.
 */
export function closestReturn(t: BilinearTrajectory, from: number): number {
  if (!Number.isInteger(from) || from < 1 || from >= t.x.length)
    throw new Error(`closestReturn: from must be a step between 1 and ${t.x.length - 1}, got ${String(from)}`);
  let best = Infinity;
  for (let i = from; i < t.x.length; i++) best = Math.min(best, Math.hypot(t.x[i] - t.x[0], t.y[i] - t.y[0]));
  return best;
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
      y = y + eta * x; // D (y) moves first, as in Algorithm 1
      x = x - eta * y; // then G (x) answers the y that has just moved
    }
    out.x.push(x);
    out.y.push(y);
    out.distance.push(Math.hypot(x, y));
  }
  return out;
}
