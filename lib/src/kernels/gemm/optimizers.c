/*
 * The optimisers' updates in one pass over each variable (lib/src/train: sgdMomentum.ts, adam.ts), instead
 * of one pass per tensor op (4 for SGD with momentum, 12 for Adam). Every operation is the float32 one the
 * tensor ops do, in the same order (built with -ffp-contract=off: no fused multiply-adds), so the results
 * are the same bits as the op-by-op update on any backend. Outputs are new buffers: tensors are immutable.
 */

/* vel' = vel·momentum − grad·lr;  θ' = θ + vel'  (pylearn2's momentum, as sgdMomentum.ts). */
void tsgan_sgd_momentum(const float *theta, const float *grad, const float *vel, int n, float momentum, float lr,
                        float *theta_out, float *vel_out) {
  for (int i = 0; i < n; i++) {
    const float v = vel[i] * momentum - grad[i] * lr;
    vel_out[i] = v;
    theta_out[i] = theta[i] + v;
  }
}

/*
 * m' = m·β1 + g·(1−β1);  v' = v·β2 + g²·(1−β2);  θ' = θ − m' / (√v' / c + ε) · step,
 * with c = √(1 − β2ᵗ) and step = lr / (1 − β1ᵗ) computed by the caller (as adam.ts).
 */
void tsgan_adam(const float *theta, const float *grad, const float *m, const float *v, int n, float beta1,
                float one_minus_beta1, float beta2, float one_minus_beta2, float c, float epsilon, float step,
                float *theta_out, float *m_out, float *v_out) {
  for (int i = 0; i < n; i++) {
    const float g = grad[i];
    const float mi = m[i] * beta1 + g * one_minus_beta1;
    const float vi = v[i] * beta2 + (g * g) * one_minus_beta2;
    m_out[i] = mi;
    v_out[i] = vi;
    theta_out[i] = theta[i] - (mi / (__builtin_sqrtf(vi) / c + epsilon)) * step;
  }
}
