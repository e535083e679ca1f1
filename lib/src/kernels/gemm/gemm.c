/*
 * Single-precision matrix product for tfjs's wasm heap:  C[m×n] = op(A)·op(B) (+ bias[n]).
 *
 * Why not XNNPACK (which tfjs-backend-wasm ships): tfjs calls it only for untransposed operands, so every
 * dense layer's backward pass first copied a transpose; and XNNPACK repacks its right operand for every
 * new weight tensor, i.e. at every training step. Here operands are read through strides (a transpose is
 * just other strides) and packed once per block, in the way of GotoBLAS/BLIS: B in KC×NC blocks, A in
 * MC×KC blocks, and a 4×8 register tile: 8 accumulators, 8 multiply-adds per 4 broadcasts and 2 loads. (Measured
 * here, V8 on x86-64: 4×8 ran at 30–39 GFLOP/s, 40–50 with relaxed-SIMD FMA; 6×8, 5×8, 8×4 and 2×16 at 14–26
 * with or without FMA, as the larger tiles spill registers.)
 *
 * Memory: the module imports tfjs's memory and owns nothing in it. It has no data segment and no shadow
 * stack (scripts/build-gemm.mjs checks both), so it cannot write outside the pointers it is given.
 * Element (i, k) of A is a[i*a_rs + k*a_cs]; element (k, j) of B is b[k*b_rs + j*b_cs].
 */
#include <wasm_simd128.h>

#define MR 4
#define NR 8
#define KC 256
#define MC 96 /* 24 register tiles: A's block stays in L2 while B's panel streams from L1 */
#define NC 1024 /* B's packed block: KC·NC floats = 1 MiB */

/* Floats of scratch one call needs (packed A, packed B, one edge tile). */
int tsgan_gemm_work_floats(void) { return MC * KC + KC * NC + MR * NR; }

static int min_int(int a, int b) { return a < b ? a : b; }

/*
 * Packs `extent` lanes (rows of A or columns of B) × kc depths into panels of `lanes` lanes, depth-major,
 * short panels padded with zeros. Element (lane l, depth p) is src[l*lane_stride + p*depth_stride].
 */
static void pack(int lanes, int extent, int kc, const float *src, int lane_stride, int depth_stride, float *dst) {
  for (int l0 = 0; l0 < extent; l0 += lanes) {
    const int nl = min_int(lanes, extent - l0);
    const float *panel = src + l0 * lane_stride;
    if (lane_stride == 1 && nl == NR && lanes == NR) {
      for (int p = 0; p < kc; p++, dst += NR) {
        const float *row = panel + p * depth_stride;
        wasm_v128_store(dst, wasm_v128_load(row));
        wasm_v128_store(dst + 4, wasm_v128_load(row + 4));
      }
      continue;
    }
    for (int p = 0; p < kc; p++, dst += lanes) {
      const float *at = panel + p * depth_stride;
      int l = 0;
      for (; l < nl; l++) dst[l] = at[l * lane_stride];
      for (; l < lanes; l++) dst[l] = 0.0f;
    }
  }
}

#ifdef __wasm_relaxed_simd__
/* relaxed_madd becomes one fused multiply-add where the CPU has one (x86 FMA3, ARM): +20 % measured here.
 * Where it has none, V8 multiplies and adds; either way one machine always computes the same bits. */
typedef float f32x4 __attribute__((vector_size(16)));
#define FMA(acc, x, y) acc = (v128_t)__builtin_wasm_relaxed_madd_f32x4((f32x4)(x), (f32x4)(y), (f32x4)(acc))
#else
#define FMA(acc, x, y) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(x, y))
#endif
#define ROW(i)                                     \
  a = wasm_v128_load32_splat(pa + i);              \
  FMA(c##i##0, a, b0);                             \
  FMA(c##i##1, a, b1)

/* One mr×nr tile of C from packed panels. first: C = tile (+ bias); else C += tile. */
static void tile(int kc, const float *pa, const float *pb, float *c, int ldc, int mr, int nr,
                 const float *bias, int first, float *edge) {
  v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00;
  v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int p = 0; p < kc; p++) {
    const v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 4);
    v128_t a;
    ROW(0); ROW(1); ROW(2); ROW(3);
    pa += MR;
    pb += NR;
  }
  const v128_t acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
  if (mr == MR && nr == NR) {
    const v128_t zero = wasm_f32x4_splat(0.0f);
    const v128_t bias0 = first && bias ? wasm_v128_load(bias) : zero;
    const v128_t bias1 = first && bias ? wasm_v128_load(bias + 4) : zero;
    for (int i = 0; i < MR; i++) {
      float *ci = c + i * ldc;
      const v128_t base0 = first ? bias0 : wasm_v128_load(ci);
      const v128_t base1 = first ? bias1 : wasm_v128_load(ci + 4);
      wasm_v128_store(ci, wasm_f32x4_add(base0, acc[i][0]));
      wasm_v128_store(ci + 4, wasm_f32x4_add(base1, acc[i][1]));
    }
    return;
  }
  for (int i = 0; i < MR; i++) {
    wasm_v128_store(edge + i * NR, acc[i][0]);
    wasm_v128_store(edge + i * NR + 4, acc[i][1]);
  }
  for (int i = 0; i < mr; i++) {
    float *ci = c + i * ldc;
    for (int j = 0; j < nr; j++) {
      const float base = first ? (bias ? bias[j] : 0.0f) : ci[j];
      ci[j] = base + edge[i * NR + j];
    }
  }
}

/* bias may be 0 (none). work: tsgan_gemm_work_floats() floats that nothing else uses during the call. */
void tsgan_gemm(int m, int n, int k, const float *a, int a_rs, int a_cs, const float *b, int b_rs, int b_cs,
                float *c, int ldc, const float *bias, float *work) {
  float *pa = work, *pb = work + MC * KC, *edge = pb + KC * NC;
  if (k == 0) {
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) c[i * ldc + j] = bias ? bias[j] : 0.0f;
    return;
  }
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = min_int(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = min_int(KC, k - pc);
      pack(NR, nc, kc, b + pc * b_rs + jc * b_cs, b_cs, b_rs, pb);
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = min_int(MC, m - ic);
        pack(MR, mc, kc, a + ic * a_rs + pc * a_cs, a_rs, a_cs, pa);
        for (int jr = 0; jr < nc; jr += NR) {
          const int nr = min_int(NR, nc - jr);
          for (int ir = 0; ir < mc; ir += MR) {
            tile(kc, pa + ir * kc, pb + jr * kc, c + (ic + ir) * ldc + jc + jr, ldc, min_int(MR, mc - ir), nr,
                 bias ? bias + jc + jr : 0, pc == 0, edge);
          }
        }
      }
    }
  }
}
