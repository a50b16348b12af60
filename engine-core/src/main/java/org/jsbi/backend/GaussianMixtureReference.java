package org.jsbi.backend;

/**
 * The scalar reference of the fused Gaussian mixture log-density ({@link Backend#gaussianMixtureForward} and
 * {@link Backend#gaussianMixtureBackward}): column by column, each component's quadratic form and log-determinant in
 * double, rounded to float once per output. The SIMD version ({@code org.jsbi.simd.GaussianMixtureKernels}) is tested
 * against it ({@code GaussianMixtureConformanceTest}).
 *
 * <p>For component c of a column: e = μ_c − z, y = A_c e (A_c upper triangular: y_i = a_ii e_i + Σ_{j>i} u_ij e_j),
 * t_c = logit_c + Σ_i log a_ii − ½ Σ_i y_i²; the output is LSE(t) − LSE(logits). Backward, with w = softmax(t),
 * π = softmax(logits) and g the output's gradient: dlogit_c = g (w_c − π_c); with g_c = g w_c and dy = −g_c y:
 * da_ii = g_c / a_ii + dy_i e_i, du_ij = dy_i e_j, de_j = Σ_{i ≤ j} dy_i A_ij, dμ_c = de and dz = −Σ_c de.
 */
final class GaussianMixtureReference {

    private GaussianMixtureReference() {
    }

    static void forward(int k, int d, int n, float[] logits, float[] means, float[] diag, float[] upper, float[] z,
                        float[] out, float[] work) {
        double[] e = new double[d], t = new double[k], l = new double[k];
        for (int col = 0; col < n; col++) {
            for (int c = 0; c < k; c++) {
                t[c] = componentTerm(k, d, n, c, col, logits, means, diag, upper, z, e, null);
                l[c] = logits[c * n + col];
            }
            double lseT = logSumExp(t, k);
            double lseL = logSumExp(l, k);
            for (int c = 0; c < k; c++) work[c * n + col] = (float) t[c];
            work[k * n + col] = (float) lseT;
            work[(k + 1) * n + col] = (float) lseL;
            out[col] = (float) (lseT - lseL);
        }
    }

    static void backward(int k, int d, int n, float[] logits, float[] means, float[] diag, float[] upper, float[] z,
                         float[] dOut, float[] dLogits, float[] dMeans, float[] dDiag, float[] dUpper,
                         float[] dz) {
        double[] e = new double[d], y = new double[d], dy = new double[d], dzSum = new double[d];
        double[] t = new double[k], l = new double[k];
        for (int col = 0; col < n; col++) {
            // The terms and log-sum-exps again in double rather than the forward pass's floats, so that the weights are
            // exact to double
            // (one component: w = π = 1 exactly, and the logits get no gradient).
            for (int c = 0; c < k; c++) {
                t[c] = componentTerm(k, d, n, c, col, logits, means, diag, upper, z, e, null);
                l[c] = logits[c * n + col];
            }
            double g = dOut[col], lseT = logSumExp(t, k), lseL = logSumExp(l, k);
            java.util.Arrays.fill(dzSum, 0);
            for (int c = 0; c < k; c++) {
                componentTerm(k, d, n, c, col, logits, means, diag, upper, z, e, y);
                double w = Math.exp(t[c] - lseT), pi = Math.exp(l[c] - lseL);
                if (dLogits != null) dLogits[c * n + col] += (float) (g * (w - pi));
                double gc = g * w;
                for (int i = 0; i < d; i++) dy[i] = -gc * y[i];
                for (int i = 0; i < d; i++) {
                    double a = diag[(i * k + c) * n + col];
                    if (dDiag != null) dDiag[(i * k + c) * n + col] += (float) (gc / a + dy[i] * e[i]);
                    if (dUpper != null) {
                        for (int j = i + 1; j < d; j++) {
                            dUpper[(Backend.upperTriangleIndex(i, j, d) * k + c) * n + col] += (float) (dy[i] * e[j]);
                        }
                    }
                }
                for (int j = 0; j < d; j++) {
                    double de = dy[j] * diag[(j * k + c) * n + col];
                    for (int i = 0; i < j; i++) {
                        de += dy[i] * upper[(Backend.upperTriangleIndex(i, j, d) * k + c) * n + col];
                    }
                    if (dMeans != null) dMeans[(j * k + c) * n + col] += (float) de;
                    dzSum[j] -= de;
                }
            }
            if (dz != null) for (int j = 0; j < d; j++) dz[j * n + col] += (float) dzSum[j];
        }
    }

    /** t_c for one column; e (and y where not null) receive μ_c − z and A_c e. */
    private static double componentTerm(int k, int d, int n, int c, int col, float[] logits, float[] means,
                                        float[] diag, float[] upper, float[] z, double[] e, double[] y) {
        for (int i = 0; i < d; i++) e[i] = (double) means[(i * k + c) * n + col] - z[i * n + col];
        double logDet = 0, q = 0;
        for (int i = 0; i < d; i++) {
            double a = diag[(i * k + c) * n + col];
            logDet += Math.log(a);
            double yi = a * e[i];
            for (int j = i + 1; j < d; j++) {
                yi += upper[(Backend.upperTriangleIndex(i, j, d) * k + c) * n + col] * e[j];
            }
            if (y != null) y[i] = yi;
            q += yi * yi;
        }
        return logits[c * n + col] + logDet - 0.5 * q;
    }

    /** Max-shifted; all −∞ gives −∞, an infinite or NaN maximum is the answer itself. */
    private static double logSumExp(double[] v, int m) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            if (v[i] > mx || Double.isNaN(v[i])) mx = v[i];
            if (Double.isNaN(mx)) return mx;
        }
        if (Double.isInfinite(mx)) return mx;
        double s = 0;
        for (int i = 0; i < m; i++) s += Math.exp(v[i] - mx);
        return mx + Math.log(s);
    }
}
