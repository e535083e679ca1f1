/** Central finite differences of a float64 function of a vector: the reference for tf's gradients in the loss tests. */
export function numericGrad(f: (v: number[]) => number, v: number[], h = 1e-5): number[] {
  return v.map((_, i) => {
    const up = v.slice();
    const dn = v.slice();
    up[i] += h;
    dn[i] -= h;
    return (f(up) - f(dn)) / (2 * h);
  });
}
