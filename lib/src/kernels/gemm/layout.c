/*
 * The data moves around tsgan_gemm that turn convolutions into matrix products (NHWC, float32), and the
 * channel sums of their gradients. Same rules as gemm.c: no data segment, no stack, only given pointers.
 *
 * The patch matrix of a convolution with input x [n, h, w, cin] and filter [fh, fw, cin, cout]:
 *   col[(b, y, x), (i, j, c)] = x[b, y·sh + i·dh − top, x·sw + j·dw − left, c]   (0 outside x)
 * so that conv(x, W) = col · W (W read as [fh·fw·cin, cout]), dW = colᵀ · dy, and dx = col2im(dy · Wᵀ).
 */

/* Visits the patch matrix row by row, tap by tap: gathers x into col, or (scatter) adds col back into x. */
static void walk_patches(float *x, int n, int h, int w, int cin, int fh, int fw, int sh, int sw, int dh, int dw,
                         int top, int left, int oh, int ow, float *col, int scatter) {
  for (int b = 0; b < n; b++)
    for (int y = 0; y < oh; y++)
      for (int xo = 0; xo < ow; xo++)
        for (int i = 0; i < fh; i++) {
          const int iy = y * sh + i * dh - top;
          for (int j = 0; j < fw; j++, col += cin) {
            const int ix = xo * sw + j * dw - left;
            float *px = x + ((b * h + iy) * w + ix) * cin;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              if (!scatter)
                for (int c = 0; c < cin; c++) col[c] = 0.0f;
            } else if (scatter) {
              for (int c = 0; c < cin; c++) px[c] += col[c];
            } else {
              for (int c = 0; c < cin; c++) col[c] = px[c];
            }
          }
        }
}

void tsgan_im2col(const float *x, int n, int h, int w, int cin, int fh, int fw, int sh, int sw, int dh, int dw,
                  int top, int left, int oh, int ow, float *col) {
  walk_patches((float *)x, n, h, w, cin, fh, fw, sh, sw, dh, dw, top, left, oh, ow, col, 0);
}

/* The adjoint of tsgan_im2col: dx = 0, then every patch entry is added back where it was read from. */
void tsgan_col2im(const float *col, int n, int h, int w, int cin, int fh, int fw, int sh, int sw, int dh, int dw,
                  int top, int left, int oh, int ow, float *dx) {
  for (int e = 0; e < n * h * w * cin; e++) dx[e] = 0.0f;
  walk_patches(dx, n, h, w, cin, fh, fw, sh, sw, dh, dw, top, left, oh, ow, (float *)col, 1);
}

/* out[c] = Σ_r x[r·cols + c]: a sum over every axis but the last (bias and batch-norm gradients). */
void tsgan_sum_rows(const float *x, int rows, int cols, float *out) {
  for (int c = 0; c < cols; c++) out[c] = 0.0f;
  for (int r = 0; r < rows; r++, x += cols)
    for (int c = 0; c < cols; c++) out[c] += x[c];
}
