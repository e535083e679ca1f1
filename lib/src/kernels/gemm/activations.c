/*
 * The DCGAN's element-wise layers over [N, H, W, C] activations, which the shipped wasm kernels run at
 * 2–3 ns per element here (these loops vectorise): LeakyReLU, its gradient's select, and batch norm.
 * Same rules as gemm.c: no data segment, no stack.
 */

/* out = x < 0 ? alpha · x : x, the product in double and rounded once, exactly as the cpu backend. */
void tsgan_leaky_relu(const float *x, int n, double alpha, float *out) {
  for (int i = 0; i < n; i++) out[i] = x[i] < 0.0f ? (float)(alpha * x[i]) : x[i];
}

/* out = condition ? t : e, all of n elements (condition as bool bytes). */
void tsgan_select(const unsigned char *condition, const float *t, const float *e, int n, float *out) {
  for (int i = 0; i < n; i++) out[i] = condition[i] ? t[i] : e[i];
}

/*
 * out[r, c] = (x[r, c] − mean[c]) · scale[c] / √(variance[c] + ε) + offset[c] for x [rows, channels];
 * scale or offset 0 means 1 or 0 (tf.batchNorm without them).
 */
void tsgan_batch_norm(const float *x, int rows, int channels, const float *mean, const float *variance,
                      const float *scale, const float *offset, float epsilon, float *out) {
  for (int r = 0; r < rows; r++, x += channels, out += channels)
    for (int c = 0; c < channels; c++) {
      const float s = scale ? scale[c] : 1.0f, o = offset ? offset[c] : 0.0f;
      out[c] = (x[c] - mean[c]) * s / __builtin_sqrtf(variance[c] + epsilon) + o;
    }
}
