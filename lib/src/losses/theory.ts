/**
 * The paper's section 4 in plain float64 numbers, for 1-D densities: Proposition 1 (the optimal
 * discriminator) and Theorem 1 (the virtual training criterion C(G) = −log 4 + 2·JSD(p_data ‖ p_g)).
 * Integrals are by Simpson's rule on a uniform grid over `range`; mass outside `range` is ignored,
 * so choose a range that holds nearly all of both densities (Distribution1D.range does).
 */

/** A 1-D density: a function, or an object with a pdf method (e.g. a Distribution1D). */
export type Density1D = ((x: number) => number) | { pdf(x: number): number; range?: [number, number] };

/** Default number of Simpson intervals; exact to ~1e-10 for smooth densities over ±8σ. */
export const DEFAULT_QUADRATURE_POINTS = 4000;

/**
 * Proposition 1: for a fixed G, the best D is D*(x) = p_data(x) / (p_data(x) + p_g(x)).
 * Where both densities are 0, V does not depend on D(x) at all; we return 1/2 there (the value at
 * equilibrium), so D* is defined everywhere. Numbers give a number; arrays give a Float64Array.
 */
export function optimalDiscriminator(pData: number, pG: number): number;
export function optimalDiscriminator(pData: ArrayLike<number>, pG: ArrayLike<number>): Float64Array;
export function optimalDiscriminator(
  pData: number | ArrayLike<number>,
  pG: number | ArrayLike<number>,
): number | Float64Array {
  if (typeof pData === 'number' && typeof pG === 'number') return dStar(pData, pG);
  if (typeof pData === 'number' || typeof pG === 'number') {
    throw new Error('optimalDiscriminator: pass two numbers or two arrays of the same length, not a mix.');
  }
  if (pData.length !== pG.length) {
    throw new Error(
      `optimalDiscriminator: pData has ${pData.length} values but pG has ${pG.length}; evaluate both on the same grid.`,
    );
  }
  const out = new Float64Array(pData.length);
  for (let i = 0; i < out.length; i++) out[i] = dStar(pData[i], pG[i], i);
  return out;
}

function dStar(a: number, b: number, index?: number): number {
  checkDensityValue('optimalDiscriminator', a, 'pData', index);
  checkDensityValue('optimalDiscriminator', b, 'pG', index);
  const s = a + b;
  return s === 0 ? 0.5 : a / s;
}

/**
 * ∫ f(x) dx over `range` by composite Simpson's rule with `n` intervals (made even).
 * Returns what it computed; callers check finiteness.
 */
export function integrate1D(f: (x: number) => number, range: [number, number], n = DEFAULT_QUADRATURE_POINTS): number {
  const [a, b] = checkRange('integrate1D', range);
  const m = checkPoints('integrate1D', n);
  const h = (b - a) / m;
  let sum = f(a) + f(b);
  for (let i = 1; i < m; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

/**
 * A discriminator for the quadrature functions: D(x) as a probability, `{ logit }` giving the
 * log-odds log(D/(1 − D)), or `{ grid, logits }` tabulated (see tabulatedLogit). Prefer the logit form for a trained network: σ(logit) rounds to exactly
 * 1 (or 0) for |logit| ≳ 37 in float64, and log(1 − 1) = −Infinity would swamp the integral even where
 * the true value is tiny.
 */
export type Discriminator1D =
  ((x: number) => number) | { logit(x: number): number } | { grid: ArrayLike<number>; logits: ArrayLike<number> };

/**
 * A D known only at grid points (e.g. a network evaluated on all of them in one batch), as a
 * function of x: its logits are interpolated linearly and held constant beyond the ends.
 */
export function tabulatedLogit(grid: ArrayLike<number>, logits: ArrayLike<number>): (x: number) => number {
  const n = grid.length;
  if (n < 2 || logits.length !== n) {
    throw new Error(
      `tabulatedLogit: need at least 2 grid points and one logit per point, got ${n} points and ${logits.length} logits.`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(grid[i]) || (i > 0 && !(grid[i] > grid[i - 1]))) {
      throw new Error(`tabulatedLogit: grid must be finite and strictly increasing; grid[${i}] = ${grid[i]}.`);
    }
    if (Number.isNaN(logits[i])) throw new Error(`tabulatedLogit: logits[${i}] is NaN.`);
  }
  return (x) => {
    if (x <= grid[0]) return logits[0];
    if (x >= grid[n - 1]) return logits[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (grid[mid] <= x) lo = mid;
      else hi = mid;
    }
    const t = (x - grid[lo]) / (grid[hi] - grid[lo]);
    return logits[lo] + t * (logits[hi] - logits[lo]);
  };
}

/**
 * V(D, G) of Eq. 1 for a given D and the two densities, by quadrature:
 *   ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx   (0·log 0 = 0).
 * With D = D* this is C(G); any other D gives less (Proposition 1).
 */
export function valueFunctionByQuadrature(
  discriminator: Discriminator1D,
  pData: Density1D,
  pG: Density1D,
  range?: [number, number],
  n = DEFAULT_QUADRATURE_POINTS,
): number {
  const p = asFunction('valueFunctionByQuadrature', pData, 'pData');
  const q = asFunction('valueFunctionByQuadrature', pG, 'pG');
  const r = rangeOf('valueFunctionByQuadrature', range, pData, pG);
  let logD: (x: number) => [number, number];
  if (typeof discriminator === 'function') {
    logD = (x) => {
      const d = discriminator(x);
      if (!(d >= 0 && d <= 1)) {
        throw new Error(
          `valueFunctionByQuadrature: D(${x}) = ${d} is not a probability in [0, 1]; pass σ(logit), or { logit }.`,
        );
      }
      return [Math.log(d), Math.log1p(-d)];
    };
  } else if (discriminator && ('logit' in discriminator || 'grid' in discriminator)) {
    const logit =
      'logit' in discriminator ? discriminator.logit : tabulatedLogit(discriminator.grid, discriminator.logits);
    if (typeof logit !== 'function') throw new Error('valueFunctionByQuadrature: { logit } must be a function of x.');
    logD = (x) => {
      const t = logit(x);
      if (Number.isNaN(t)) throw new Error(`valueFunctionByQuadrature: logit(${x}) is NaN.`);
      return [logSigmoid64(t), logSigmoid64(-t)];
    };
  } else {
    throw new Error(
      'valueFunctionByQuadrature: discriminator must be (x) => D(x) in [0, 1], { logit(x) }, or { grid, logits }.',
    );
  }
  return integrate1D(
    (x) => {
      const a = p(x);
      const b = q(x);
      if (a === 0 && b === 0) return 0;
      const [ld, l1d] = logD(x);
      return xTimes(a, ld) + xTimes(b, l1d);
    },
    r,
    n,
  );
}

/**
 * Theorem 1's virtual training criterion C(G) = max_D V(D, G)
 *   = E_{p_data}[log D*(x)] + E_{p_g}[log(1 − D*(x))],
 * by quadrature, with 0·log 0 = 0. C(G) ≥ −log 4, with equality exactly when p_g = p_data.
 */
export function virtualCriterion(
  pData: Density1D,
  pG: Density1D,
  range?: [number, number],
  n = DEFAULT_QUADRATURE_POINTS,
): number {
  return integratePair('virtualCriterion', [pData, 'pData'], [pG, 'pG'], range, n, (a, b) => {
    const s = a + b;
    return xLogY(a, a / s) + xLogY(b, b / s);
  });
}

/**
 * KL(p ‖ q) = ∫ p log(p/q) dx in nats, with 0·log(0/q) = 0. Infinity when p has mass where q has none.
 */
export function klDivergence(
  p: Density1D,
  q: Density1D,
  range?: [number, number],
  n = DEFAULT_QUADRATURE_POINTS,
): number {
  return integratePair('klDivergence', [p, 'p'], [q, 'q'], range, n, (a, b) => {
    if (a === 0) return 0;
    return b === 0 ? Infinity : a * Math.log(a / b);
  });
}

/**
 * JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, in nats: symmetric, 0 iff p = q, at most log 2
 * (disjoint supports). Theorem 1: C(G) = −log 4 + 2·JSD(p_data ‖ p_g).
 */
export function jensenShannon(
  p: Density1D,
  q: Density1D,
  range?: [number, number],
  n = DEFAULT_QUADRATURE_POINTS,
): number {
  return integratePair('jensenShannon', [p, 'p'], [q, 'q'], range, n, (a, b) => {
    const m = (a + b) / 2;
    return 0.5 * (xLogY(a, a / m) + xLogY(b, b / m));
  });
}

/** ∫ f(p(x), q(x)) dx: the two densities checked, their range resolved and the integral taken alike for every divergence. */
function integratePair(
  where: string,
  [p, pName]: [Density1D, string],
  [q, qName]: [Density1D, string],
  range: [number, number] | undefined,
  n: number,
  f: (a: number, b: number) => number,
): number {
  const pf = asFunction(where, p, pName);
  const qf = asFunction(where, q, qName);
  const r = rangeOf(where, range, p, q);
  return integrate1D((x) => f(pf(x), qf(x)), r, n);
}

/** log σ(t) in float64 without overflow. */
function logSigmoid64(t: number): number {
  return t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
}

/** x·v where v is a logarithm, with 0·(−∞) = 0. */
function xTimes(x: number, v: number): number {
  return x === 0 ? 0 : x * v;
}

/** x·log y with the convention 0·log 0 = 0 (the term's limit as x → 0). */
function xLogY(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

function asFunction(fn: string, d: Density1D, name: string): (x: number) => number {
  let f: (x: number) => number;
  if (typeof d === 'function') f = d;
  else if (d && typeof (d as { pdf?: unknown }).pdf === 'function') f = (x) => d.pdf(x);
  else
    throw new Error(
      `${fn}: ${name} must be a density function (x) => number or an object with pdf(x), e.g. gaussian1D(0, 1).`,
    );
  return (x) => {
    const v = f(x);
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new Error(`${fn}: ${name}(${x}) = ${String(v)}; a density must be a finite number ≥ 0.`);
    }
    return v;
  };
}

function rangeOf(fn: string, range: [number, number] | undefined, a: Density1D, b: Density1D): [number, number] {
  if (range !== undefined) return checkRange(fn, range);
  const ra = typeof a === 'function' ? undefined : a.range;
  const rb = typeof b === 'function' ? undefined : b.range;
  if (!ra || !rb) {
    throw new Error(
      `${fn}: pass a range [lo, hi] that holds nearly all the mass of both densities (needed when they are plain functions).`,
    );
  }
  return checkRange(fn, [Math.min(ra[0], rb[0]), Math.max(ra[1], rb[1])]);
}

function checkRange(fn: string, range: [number, number]): [number, number] {
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !Number.isFinite(range[0]) ||
    !Number.isFinite(range[1]) ||
    !(range[0] < range[1])
  ) {
    throw new Error(`${fn}: range must be [lo, hi] with finite lo < hi, got ${JSON.stringify(range)}.`);
  }
  return [range[0], range[1]];
}

function checkPoints(fn: string, n: number): number {
  if (!Number.isInteger(n) || n < 2)
    throw new Error(`${fn}: n (the number of quadrature intervals) must be an integer ≥ 2, got ${n}.`);
  return n % 2 === 0 ? n : n + 1;
}

function checkDensityValue(fn: string, v: number, name: string, index?: number): void {
  if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
    const where = index === undefined ? '' : `[${index}]`;
    throw new Error(`${fn}: ${name}${where} = ${String(v)}; densities must be finite numbers ≥ 0.`);
  }
}
