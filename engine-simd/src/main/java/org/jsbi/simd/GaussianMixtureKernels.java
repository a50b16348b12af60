package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.UnaryOp;

/**
 * A Gaussian mixture's log-density in one pass over a block of columns, forward and backward ({@code
 * SimdBackend.gaussianMixtureForward} and {@code gaussianMixtureBackward}); the scalar reference is {@code
 * org.jsbi.backend.GaussianMixtureReference}, the conformance test {@code GaussianMixtureConformanceTest}, the
 * benchmark {@code GaussianMixtureBench}.
 * <p>
 * Each lane is one column (one sample of the batch), so a component's quadratic form y = A(μ − z) is d(d+1)/2 FMAs
 * per lane on vectors loaded straight from the heads' rows. Built from the primitives (the MDN's graph without a
 * fused backend) the same density took gathers into K·d(d+1)/2 rows, products with 0/1 matrices and a dozen more
 * passes over those rows each way: for d = 10 and K = 10, 550 x 200 floats per intermediate, about a quarter of an
 * NPE-MDN training step on gaussian_linear.
 * <p>
 * The forward pass leaves every component's term t_c and the two log-sum-exps in {@code work} ((K + 2) x n), from
 * which the backward pass takes the mixture weights; it recomputes e and y, which cost FMAs only. Vectors never cross
 * a method boundary (the helpers read and write scratch rows), so that C2 keeps them in registers. Columns go in
 * whole vectors; the last n mod L through zero-padded copies of their rows, made by {@link AffineFlowKernels}' copies
 * (the padding's lanes compute −∞ and NaN, which are dropped).
 */
final class GaussianMixtureKernels {

    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;
    private static final int L = SimdConfig.LANES;
    /** Rows of work per task (floats per column times columns), as the elementwise kernels' grain. */
    private static final int GRAIN_FLOATS = 1 << 15;
    private static final UnaryKernels.Loop LOG = UnaryKernels.of(UnaryOp.LOG);

    /** Per thread: [0] the tail's padded rows, [1] e, y and the log-sum-exp's sums, [2] log diag, [3] dz sums. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private GaussianMixtureKernels() {
    }

    private static float[] scratch(int slot, int size) {
        float[][] h = SCRATCH.get();
        if (h[slot].length < size) h[slot] = new float[Math.max(size, 2 * h[slot].length)];
        return h[slot];
    }

    private static int upperRows(int k, int d) {
        return k * d * (d - 1) / 2;
    }

    private static int grain(int k, int d) {
        return Math.max(L, GRAIN_FLOATS / (k * (d * (d + 3) / 2 + 3)));
    }

    // ---- forward --------------------------------------------------------------------------------------------------

    static void forward(int k, int d, int n, float[] logits, float[] means, float[] diag, float[] upper, float[] z,
                        float[] out, float[] work) {
        int full = n / L * L;
        if (full > 0) {
            Parallel.forRange(full, grain(k, d), L, (j0, j1) -> {
                for (int j = j0; j < j1; j += L) {
                    forwardBlock(k, d, n, j, logits, 0, means, 0, diag, 0, upper, 0, z, 0, out, 0, work, 0);
                }
            });
        }
        if (full == n) return;
        int tail = n - full, kd = k * d, ku = upperRows(k, d);
        // Rows: logits k, means kd, diag kd, upper ku, z d; then out 1 and work k + 2.
        float[] w = scratch(0, (k + 2 * kd + ku + d + 1 + k + 2) * L);
        int wl = 0, wm = k * L, wd = wm + kd * L, wu = wd + kd * L, wz = wu + ku * L, wo = wz + d * L, ww = wo + L;
        AffineFlowKernels.padRows(logits, full, n, k, tail, w, wl);
        AffineFlowKernels.padRows(means, full, n, kd, tail, w, wm);
        AffineFlowKernels.padRows(diag, full, n, kd, tail, w, wd);
        if (upper != null) AffineFlowKernels.padRows(upper, full, n, ku, tail, w, wu);
        AffineFlowKernels.padRows(z, full, n, d, tail, w, wz);
        forwardBlock(k, d, L, 0, w, wl, w, wm, w, wd, upper == null ? null : w, wu, w, wz, w, wo, w, ww);
        AffineFlowKernels.unpadRows(w, wo, 1, tail, out, full, n);
        AffineFlowKernels.unpadRows(w, ww, k + 2, tail, work, full, n);
    }

    /** Columns [j, j + L) of matrices at leading dimension ld, each from its offset. */
    private static void forwardBlock(int k, int d, int ld, int j, float[] logits, int lOff, float[] means, int mOff,
                                     float[] diag, int dOff, float[] upper, int uOff, float[] z, int zOff, float[] out,
                                     int oOff, float[] work, int wOff) {
        float[] lg = scratch(2, k * d * L), tmp = scratch(1, (d + 1) * L);
        for (int r = 0; r < k * d; r++) LOG.run(diag, dOff + r * ld + j, lg, r * L, 0, L);
        for (int c = 0; c < k; c++) {
            differences(k, d, ld, j, c, means, mOff, z, zOff, tmp);
            terms(k, d, ld, j, c, logits, lOff, diag, dOff, upper, uOff, lg, tmp, work, wOff + c * ld + j);
        }
        logSumExp(k, work, wOff + j, ld, tmp, work, wOff + k * ld + j);
        logSumExp(k, logits, lOff + j, ld, tmp, work, wOff + (k + 1) * ld + j);
        FloatVector.fromArray(S, work, wOff + k * ld + j).sub(FloatVector.fromArray(S, work, wOff + (k + 1) * ld + j))
                .intoArray(out, oOff + j);
    }

    /** e_i = μ_{c,i} − z_i into e's rows 0..d−1 (L floats each). */
    private static void differences(int k, int d, int ld, int j, int c, float[] means, int mOff, float[] z, int zOff,
                                    float[] e) {
        for (int i = 0; i < d; i++) {
            FloatVector.fromArray(S, means, mOff + (i * k + c) * ld + j).sub(FloatVector.fromArray(S, z, zOff + i * ld + j))
                    .intoArray(e, i * L);
        }
    }

    /** t_c = logit_c + (Σ_i log a_ii − ½ Σ_i y_i²) with y = A_c e, stored at t[tOff]. */
    private static void terms(int k, int d, int ld, int j, int c, float[] logits, int lOff, float[] diag, int dOff,
                              float[] upper, int uOff, float[] lg, float[] e, float[] t, int tOff) {
        FloatVector s = FloatVector.zero(S), q = FloatVector.zero(S);
        for (int i = 0; i < d; i++) {
            s = s.add(FloatVector.fromArray(S, lg, (i * k + c) * L));
            FloatVector y = FloatVector.fromArray(S, diag, dOff + (i * k + c) * ld + j).mul(FloatVector.fromArray(S, e, i * L));
            int p = Backend.upperTriangleIndex(i, i + 1, d);
            for (int jj = i + 1; jj < d; jj++, p++) {
                y = FloatVector.fromArray(S, upper, uOff + (p * k + c) * ld + j).fma(FloatVector.fromArray(S, e, jj * L), y);
            }
            q = y.fma(y, q);
        }
        FloatVector.fromArray(S, logits, lOff + c * ld + j).add(q.fma(q.broadcast(-0.5f), s)).intoArray(t, tOff);
    }

    /**
     * LSE over m rows of x (at leading dimension ld) into y: max-shifted; all −∞ gives −∞, an infinite or NaN maximum
     * is the answer itself. The log goes through the LOG kernel's loop (SimdMath.log is a loop, not a function).
     */
    private static void logSumExp(int m, float[] x, int xOff, int ld, float[] tmp, float[] y, int yOff) {
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < m; r++) mx = FloatVector.fromArray(S, x, xOff + r * ld).max(mx);
        VectorMask<Float> special = mx.test(VectorOperators.IS_INFINITE).or(mx.test(VectorOperators.IS_NAN));
        FloatVector shift = mx.blend(0f, special);
        FloatVector sum = FloatVector.zero(S);
        for (int r = 0; r < m; r++) sum = SimdMath.exp(FloatVector.fromArray(S, x, xOff + r * ld).sub(shift)).add(sum);
        sum.intoArray(tmp, 0);
        LOG.run(tmp, 0, tmp, 0, 0, L);
        FloatVector.fromArray(S, tmp, 0).add(shift).blend(mx, special).intoArray(y, yOff);
    }

    // ---- backward -------------------------------------------------------------------------------------------------

    static void backward(int k, int d, int n, float[] logits, float[] means, float[] diag, float[] upper, float[] z,
                         float[] work, float[] g, float[] dLogits, float[] dMeans, float[] dDiag, float[] dUpper,
                         float[] dz) {
        int full = n / L * L;
        if (full > 0) {
            Parallel.forRange(full, grain(k, d), L, (j0, j1) -> {
                for (int j = j0; j < j1; j += L) {
                    backwardBlock(k, d, n, j, logits, 0, means, 0, diag, 0, upper, 0, z, 0, work, 0, g, 0,
                            dLogits, 0, dMeans, 0, dDiag, 0, dUpper, 0, dz, 0);
                }
            });
        }
        if (full == n) return;
        int tail = n - full, kd = k * d, ku = upperRows(k, d);
        // Inputs: logits k, means kd, diag kd, upper ku, z d, work k + 2, g 1; gradients: k, kd, kd, ku, d.
        int in = k + 2 * kd + ku + d + k + 2 + 1;
        float[] w = scratch(0, (in + k + 2 * kd + ku + d) * L);
        int wl = 0, wm = k * L, wd = wm + kd * L, wu = wd + kd * L, wz = wu + ku * L, ww = wz + d * L,
                wg = ww + (k + 2) * L;
        int gl = wg + L, gm = gl + k * L, gd = gm + kd * L, gu = gd + kd * L, gz = gu + ku * L;
        AffineFlowKernels.padRows(logits, full, n, k, tail, w, wl);
        AffineFlowKernels.padRows(means, full, n, kd, tail, w, wm);
        AffineFlowKernels.padRows(diag, full, n, kd, tail, w, wd);
        if (upper != null) AffineFlowKernels.padRows(upper, full, n, ku, tail, w, wu);
        AffineFlowKernels.padRows(z, full, n, d, tail, w, wz);
        AffineFlowKernels.padRows(work, full, n, k + 2, tail, w, ww);
        AffineFlowKernels.padRows(g, full, n, 1, tail, w, wg);
        if (dLogits != null) AffineFlowKernels.padRows(dLogits, full, n, k, tail, w, gl);
        if (dMeans != null) AffineFlowKernels.padRows(dMeans, full, n, kd, tail, w, gm);
        if (dDiag != null) AffineFlowKernels.padRows(dDiag, full, n, kd, tail, w, gd);
        if (dUpper != null) AffineFlowKernels.padRows(dUpper, full, n, ku, tail, w, gu);
        if (dz != null) AffineFlowKernels.padRows(dz, full, n, d, tail, w, gz);
        backwardBlock(k, d, L, 0, w, wl, w, wm, w, wd, upper == null ? null : w, wu, w, wz, w, ww, w, wg,
                dLogits == null ? null : w, gl, dMeans == null ? null : w, gm, dDiag == null ? null : w, gd,
                dUpper == null ? null : w, gu, dz == null ? null : w, gz);
        if (dLogits != null) AffineFlowKernels.unpadRows(w, gl, k, tail, dLogits, full, n);
        if (dMeans != null) AffineFlowKernels.unpadRows(w, gm, kd, tail, dMeans, full, n);
        if (dDiag != null) AffineFlowKernels.unpadRows(w, gd, kd, tail, dDiag, full, n);
        if (dUpper != null) AffineFlowKernels.unpadRows(w, gu, ku, tail, dUpper, full, n);
        if (dz != null) AffineFlowKernels.unpadRows(w, gz, d, tail, dz, full, n);
    }

    private static void backwardBlock(int k, int d, int ld, int j, float[] logits, int lOff, float[] means, int mOff,
                                      float[] diag, int dOff, float[] upper, int uOff, float[] z, int zOff,
                                      float[] work, int wOff, float[] g, int gOff, float[] dLogits, int glOff,
                                      float[] dMeans, int gmOff, float[] dDiag, int gdOff, float[] dUpper, int guOff,
                                      float[] dz, int gzOff) {
        // tmp: e (d rows), then dy (d rows), the weight g·w_c and w_c, π_c (3 rows); dzSum: −Σ_c de (d rows).
        float[] tmp = scratch(1, (2 * d + 3) * L), dzSum = scratch(3, d * L);
        java.util.Arrays.fill(dzSum, 0, d * L, 0f);
        for (int c = 0; c < k; c++) {
            differences(k, d, ld, j, c, means, mOff, z, zOff, tmp);
            weights(k, ld, j, c, logits, lOff, work, wOff, g, gOff, dLogits, glOff, tmp, 2 * d * L);
            scaledFactorProducts(k, d, ld, j, c, diag, dOff, upper, uOff, tmp);
            factorGradients(k, d, ld, j, c, diag, dOff, tmp, dDiag, gdOff, dUpper, guOff);
            differenceGradients(k, d, ld, j, c, diag, dOff, upper, uOff, tmp, dMeans, gmOff, dzSum);
        }
        if (dz != null) {
            for (int i = 0; i < d; i++) {
                FloatVector.fromArray(S, dzSum, i * L).add(FloatVector.fromArray(S, dz, gzOff + i * ld + j))
                        .intoArray(dz, gzOff + i * ld + j);
            }
        }
    }

    /**
     * dlogit_c += g (w_c − π_c); gc = g w_c at tmp[gcOff], with w_c = exp(t_c − LSE(t)) and π_c = exp(logit_c −
     * LSE(logits)) through tmp[gcOff + L] and tmp[gcOff + 2L]: one exp per method, since a body with two inlined
     * copies of it grew past what C2 inlines and boxed the vectors crossing the call (SimdAllocationTest).
     */
    private static void weights(int k, int ld, int j, int c, float[] logits, int lOff, float[] work, int wOff,
                                float[] g, int gOff, float[] dLogits, int glOff, float[] tmp, int gcOff) {
        expOfDifference(work, wOff + c * ld + j, work, wOff + k * ld + j, tmp, gcOff + L);
        expOfDifference(logits, lOff + c * ld + j, work, wOff + (k + 1) * ld + j, tmp, gcOff + 2 * L);
        FloatVector gv = FloatVector.fromArray(S, g, gOff + j);
        FloatVector w = FloatVector.fromArray(S, tmp, gcOff + L);
        if (dLogits != null) {
            int at = glOff + c * ld + j;
            gv.mul(w.sub(FloatVector.fromArray(S, tmp, gcOff + 2 * L))).add(FloatVector.fromArray(S, dLogits, at))
                    .intoArray(dLogits, at);
        }
        gv.mul(w).intoArray(tmp, gcOff);
    }

    /** out[outOff..] = exp(a[aOff..] − b[bOff..]), one vector. */
    private static void expOfDifference(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        SimdMath.exp(FloatVector.fromArray(S, a, aOff).sub(FloatVector.fromArray(S, b, bOff))).intoArray(out, outOff);
    }

    /** dy_i = −gc · y_i with y = A_c e, into tmp's rows d..2d−1. */
    private static void scaledFactorProducts(int k, int d, int ld, int j, int c, float[] diag, int dOff, float[] upper,
                                             int uOff, float[] tmp) {
        FloatVector gc = FloatVector.fromArray(S, tmp, 2 * d * L).neg();
        for (int i = 0; i < d; i++) {
            FloatVector y = FloatVector.fromArray(S, diag, dOff + (i * k + c) * ld + j).mul(FloatVector.fromArray(S, tmp, i * L));
            int p = Backend.upperTriangleIndex(i, i + 1, d);
            for (int jj = i + 1; jj < d; jj++, p++) {
                y = FloatVector.fromArray(S, upper, uOff + (p * k + c) * ld + j).fma(FloatVector.fromArray(S, tmp, jj * L), y);
            }
            gc.mul(y).intoArray(tmp, (d + i) * L);
        }
    }

    /** da_ii += gc / a_ii + dy_i e_i; du_ij += dy_i e_j. */
    private static void factorGradients(int k, int d, int ld, int j, int c, float[] diag, int dOff, float[] tmp,
                                        float[] dDiag, int gdOff, float[] dUpper, int guOff) {
        FloatVector gc = FloatVector.fromArray(S, tmp, 2 * d * L);
        for (int i = 0; i < d; i++) {
            FloatVector dy = FloatVector.fromArray(S, tmp, (d + i) * L);
            if (dDiag != null) {
                int at = gdOff + (i * k + c) * ld + j;
                dy.fma(FloatVector.fromArray(S, tmp, i * L), gc.div(FloatVector.fromArray(S, diag, dOff + (i * k + c) * ld + j)))
                        .add(FloatVector.fromArray(S, dDiag, at)).intoArray(dDiag, at);
            }
            if (dUpper != null) {
                int p = Backend.upperTriangleIndex(i, i + 1, d);
                for (int jj = i + 1; jj < d; jj++, p++) {
                    int at = guOff + (p * k + c) * ld + j;
                    dy.fma(FloatVector.fromArray(S, tmp, jj * L), FloatVector.fromArray(S, dUpper, at)).intoArray(dUpper, at);
                }
            }
        }
    }

    /** de_j = dy_j a_jj + Σ_{i<j} dy_i u_ij; dμ_{c,j} += de_j; dzSum_j −= de_j. */
    private static void differenceGradients(int k, int d, int ld, int j, int c, float[] diag, int dOff, float[] upper,
                                            int uOff, float[] tmp, float[] dMeans, int gmOff, float[] dzSum) {
        for (int jj = 0; jj < d; jj++) {
            FloatVector de = FloatVector.fromArray(S, tmp, (d + jj) * L)
                    .mul(FloatVector.fromArray(S, diag, dOff + (jj * k + c) * ld + j));
            for (int i = 0; i < jj; i++) {
                int p = Backend.upperTriangleIndex(i, jj, d);
                de = FloatVector.fromArray(S, tmp, (d + i) * L).fma(FloatVector.fromArray(S, upper, uOff + (p * k + c) * ld + j), de);
            }
            if (dMeans != null) {
                int at = gmOff + (jj * k + c) * ld + j;
                de.add(FloatVector.fromArray(S, dMeans, at)).intoArray(dMeans, at);
            }
            FloatVector.fromArray(S, dzSum, jj * L).sub(de).intoArray(dzSum, jj * L);
        }
    }
}
