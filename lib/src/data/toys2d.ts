/**
 * 2-D toy distributions with exact densities. The ring of Gaussians is the standard picture of mode
 * collapse (the paper's "Helvetica scenario", Section 6): a generator that covers 1 of 8 modes is
 * easy to see in a scatter plot.
 */
import { Rng } from '../random';
import { checkCount, checkGaussian, fmt, RANGE_SIGMAS } from './toyMath';

export interface Distribution2D {
  readonly name: string;
  readonly dim: 2;
  /** Exact density (integrates to 1 over the plane). */
  pdf(x: number, y: number): number;
  /** n independent draws as a row-major n×2 array (x0, y0, x1, y1, …); advances `rng`. */
  sample(n: number, rng: Rng): Float32Array;
  /** A box holding all but ~1e-6 of the mass: [[x0, x1], [y0, y1]]. */
  readonly range: [[number, number], [number, number]];
  /** Centres of the modes (one for a Gaussian). */
  readonly modes: [number, number][];
}

/** Isotropic Gaussian N(mean, std²·I). */
export function gaussian2D(mean: [number, number], std: number): Distribution2D {
  if (!Array.isArray(mean) || mean.length !== 2)
    throw new Error(`gaussian2D: mean must be [x, y], got ${JSON.stringify(mean)}`);
  checkGaussian('gaussian2D', mean[0], std);
  checkGaussian('gaussian2D', mean[1], std);
  const [mx, my] = mean;
  const r = RANGE_SIGMAS * std;
  return {
    name: `N((${fmt(mx)}, ${fmt(my)}), ${fmt(std)}²·I)`,
    dim: 2,
    pdf: (x, y) => isoPdf(x - mx, y - my, std),
    sample: (n, rng) => {
      checkCount('gaussian2D.sample', n);
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        out[2 * i] = mx + std * rng.normal();
        out[2 * i + 1] = my + std * rng.normal();
      }
      return out;
    },
    range: [
      [mx - r, mx + r],
      [my - r, my + r],
    ],
    modes: [[mx, my]],
  };
}

/** Equal mixture of `modes` isotropic Gaussians (std) centred evenly on a circle of `radius`. */
export function ringMixture2D(modes = 8, radius = 2, std = 0.02): Distribution2D {
  if (!Number.isInteger(modes) || modes <= 0)
    throw new Error(`ringMixture2D: modes must be a positive integer, got ${modes}`);
  if (!(Number.isFinite(radius) && radius >= 0))
    throw new Error(`ringMixture2D: radius must be a finite number >= 0, got ${radius}`);
  checkGaussian('ringMixture2D', 0, std);
  const centres: [number, number][] = [];
  for (let k = 0; k < modes; k++) {
    const a = (2 * Math.PI * k) / modes;
    centres.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  const r = radius + RANGE_SIGMAS * std;
  return {
    name: `ring of ${modes} Gaussians (radius ${fmt(radius)}, std ${fmt(std)})`,
    dim: 2,
    pdf: (x, y) => {
      let s = 0;
      for (const [cx, cy] of centres) s += isoPdf(x - cx, y - cy, std);
      return s / modes;
    },
    sample: (n, rng) => {
      checkCount('ringMixture2D.sample', n);
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const [cx, cy] = centres[rng.int(modes)];
        out[2 * i] = cx + std * rng.normal();
        out[2 * i + 1] = cy + std * rng.normal();
      }
      return out;
    },
    range: [
      [-r, r],
      [-r, r],
    ],
    modes: centres,
  };
}

function isoPdf(dx: number, dy: number, std: number): number {
  return Math.exp(-(dx * dx + dy * dy) / (2 * std * std)) / (2 * Math.PI * std * std);
}
