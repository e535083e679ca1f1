/**
 * 1-D toy data distributions with exact densities, for the theory notebooks: Figure 1 of the paper,
 * Proposition 1 (D* = p_data / (p_data + p_g)) and Theorem 1 (C(G) = −log 4 + 2·JSD) need p_data(x)
 * in closed form, and a sampler that feeds the same distribution to a GAN.
 */
import { Rng } from '../random';
import { checkCount, checkGaussian, fmt, normalCdf, normalPdf, pick, RANGE_SIGMAS } from './toyMath';

export interface Distribution1D {
  readonly name: string;
  readonly dim: 1;
  /** Exact density (integrates to 1). */
  pdf(x: number): number;
  /** Exact cumulative distribution function. */
  cdf(x: number): number;
  /** n independent draws; advances `rng`. */
  sample(n: number, rng: Rng): Float32Array;
  /** An interval holding all but ~1e-6 of the mass, for plots and quadrature. */
  readonly range: [number, number];
  /** Exact mean and variance. */
  readonly mean: number;
  readonly variance: number;
}

export interface GaussianComponent {
  weight: number;
  mean: number;
  std: number;
}

export function gaussian1D(mean: number, std: number): Distribution1D {
  checkGaussian('gaussian1D', mean, std);
  return {
    name: `N(${fmt(mean)}, ${fmt(std)}²)`,
    dim: 1,
    pdf: (x) => normalPdf(x, mean, std),
    cdf: (x) => normalCdf(x, mean, std),
    sample: (n, rng) => {
      checkCount('gaussian1D.sample', n);
      return rng.fillNormal(new Float32Array(n), mean, std);
    },
    range: [mean - RANGE_SIGMAS * std, mean + RANGE_SIGMAS * std],
    mean,
    variance: std * std,
  };
}

/** Σ_k w_k N(mean_k, std_k²); the weights are normalised to sum to 1. */
export function mixture1D(components: GaussianComponent[]): Distribution1D {
  if (!Array.isArray(components) || components.length === 0) {
    throw new Error('mixture1D: pass at least one component {weight, mean, std}');
  }
  components.forEach((c, k) => {
    checkGaussian(`mixture1D component ${k}`, c.mean, c.std);
    if (!(Number.isFinite(c.weight) && c.weight > 0)) {
      throw new Error(`mixture1D: component ${k} has weight ${c.weight}; weights must be positive finite numbers`);
    }
  });
  const total = components.reduce((s, c) => s + c.weight, 0);
  const comps = components.map((c) => ({ weight: c.weight / total, mean: c.mean, std: c.std }));
  // cumulative weights, for picking a component with one uniform draw
  const cumulative: number[] = [];
  comps.reduce((s, c) => (cumulative.push(s + c.weight), s + c.weight), 0);
  const mean = comps.reduce((s, c) => s + c.weight * c.mean, 0);
  const second = comps.reduce((s, c) => s + c.weight * (c.std * c.std + c.mean * c.mean), 0);
  return {
    name:
      comps.length === 1
        ? `N(${fmt(comps[0].mean)}, ${fmt(comps[0].std)}²)`
        : comps.map((c) => `${fmt(c.weight)}·N(${fmt(c.mean)}, ${fmt(c.std)}²)`).join(' + '),
    dim: 1,
    pdf: (x) => comps.reduce((s, c) => s + c.weight * normalPdf(x, c.mean, c.std), 0),
    cdf: (x) => comps.reduce((s, c) => s + c.weight * normalCdf(x, c.mean, c.std), 0),
    sample: (n, rng) => {
      checkCount('mixture1D.sample', n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const c = comps[pick(cumulative, rng.uniform())];
        out[i] = c.mean + c.std * rng.normal();
      }
      return out;
    },
    range: [
      Math.min(...comps.map((c) => c.mean - RANGE_SIGMAS * c.std)),
      Math.max(...comps.map((c) => c.mean + RANGE_SIGMAS * c.std)),
    ],
    mean,
    variance: second - mean * mean,
  };
}
