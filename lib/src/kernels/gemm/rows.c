/*
 * Element-wise kernels over rows of the last axis, for the shapes a GAN step makes that the shipped wasm
 * kernels handle with per-element index arithmetic (3–5 ns per element here; these loops vectorise):
 * maxout's max over its pieces and that max's gradient (x == max, dy · mask, both broadcast along the
 * last axis), and LeakyReLU's gradient (x > 0). Same rules as gemm.c: no data segment, no stack.
 * x is [rows, p] (row-major); m holds one value per row.
 */
#include <wasm_simd128.h>

/* out[r] = max_j x[r, j] (p ≥ 1); a NaN in the row gives NaN, as on the cpu backend. Four rows at a time
 * in the lanes of one vector: one f32x4.max per piece instead of a compare that mispredicts. */
void tsgan_max_rows(const float *x, int rows, int p, float *out) {
  int r = 0;
  for (; r + 4 <= rows; r += 4, x += 4 * p) {
    v128_t best = wasm_f32x4_make(x[0], x[p], x[2 * p], x[3 * p]);
    for (int j = 1; j < p; j++) best = wasm_f32x4_max(best, wasm_f32x4_make(x[j], x[p + j], x[2 * p + j], x[3 * p + j]));
    wasm_v128_store(out + r, best);
  }
  for (; r < rows; r++, x += p) {
    float best = x[0];
    for (int j = 1; j < p; j++) best = __builtin_wasm_max_f32(best, x[j]);
    out[r] = best;
  }
}

/* out[r, j] = x[r, j] == m[r] (bool as one byte). */
void tsgan_equal_rows(const float *x, const float *m, int rows, int p, unsigned char *out) {
  for (int r = 0; r < rows; r++, x += p, out += p) {
    const float v = m[r];
    for (int j = 0; j < p; j++) out[j] = x[j] == v;
  }
}

/* out[r, j] = x[r, j] · m[r]. */
void tsgan_mul_rows(const float *x, const float *m, int rows, int p, float *out) {
  for (int r = 0; r < rows; r++, x += p, out += p) {
    const float v = m[r];
    for (int j = 0; j < p; j++) out[j] = x[j] * v;
  }
}

/* out[i] = x[i] > s (bool as one byte). */
void tsgan_greater_scalar(const float *x, int n, float s, unsigned char *out) {
  for (int i = 0; i < n; i++) out[i] = x[i] > s;
}

/*
 * Dropout masks: out[i] = value if the i-th next number of the xoshiro128** generator `state` (4 words,
 * advanced in place) has (word >> 8) < threshold, else 0. The same stream and test as Rng.fillBernoulli
 * (lib/src/random/rng.ts), whose (word >>> 8) / 2²⁴ < p is, for integers, (word >> 8) < ⌈p · 2²⁴⌉.
 */
void tsgan_bernoulli(unsigned *state, int n, unsigned threshold, float value, float *out) {
  unsigned s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (int i = 0; i < n; i++) {
    const unsigned r = s1 * 5;
    const unsigned word = ((r << 7) | (r >> 25)) * 9;
    const unsigned t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
    out[i] = (word >> 8) < threshold ? value : 0.0f;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}
