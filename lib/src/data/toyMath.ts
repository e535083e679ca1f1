/** Helpers shared by the data module; not part of the public API (names like normalPdf would clash across modules). */

/** Half-width of `range` in standard deviations: the mass outside ±5σ is 5.7e-7. */
export const RANGE_SIGMAS = 5;

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function normalPdf(x: number, mean = 0, std = 1): number {
  const u = (x - mean) / std;
  return (INV_SQRT_2PI / std) * Math.exp(-0.5 * u * u);
}

export function normalCdf(x: number, mean = 0, std = 1): number {
  return 0.5 * erfc(-(x - mean) / (std * Math.SQRT2));
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Index k with cumulative[k−1] <= u < cumulative[k]; the last one absorbs rounding of the sum. */
export function pick(cumulative: number[], u: number): number {
  for (let k = 0; k < cumulative.length - 1; k++) if (u < cumulative[k]) return k;
  return cumulative.length - 1;
}

export function checkGaussian(where: string, mean: number, std: number): void {
  if (!Number.isFinite(mean)) throw new Error(`${where}: mean must be a finite number, got ${mean}`);
  if (!(Number.isFinite(std) && std > 0)) throw new Error(`${where}: std must be a positive finite number, got ${std}`);
}

export function checkCount(where: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: n must be a non-negative integer, got ${n}`);
}

export function fmt(v: number): string {
  return String(Number(v.toPrecision(4)));
}
