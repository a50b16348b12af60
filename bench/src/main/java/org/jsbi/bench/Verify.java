package org.jsbi.bench;

import java.util.SplittableRandom;

/**
 * The correctness checks that every benchmark runs in its setup, so that a broken kernel fails the run instead of
 * reporting a fast number, and the inputs they run on.
 */
final class Verify {

    /** Relative tolerance for float32 kernels against a float64 reference. */
    static final double TOLERANCE = 1e-4;

    private Verify() {
    }

    /** n floats uniform in [lo, hi), the same for a given seed. */
    static float[] uniform(int n, float lo, float hi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return v;
    }

    /**
     * Plain float64 op(A) · op(B) (m x n, dense, row-major), with the storage conventions of
     * {@link org.jsbi.backend.Backend#gemm}: transA means A is stored k x m, transB means B is stored n x k.
     */
    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double av = transA ? a[p * lda + i] : a[i * lda + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += av * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                }
            }
        }
        return c;
    }

    /** The transpose of a dense rows x cols matrix. */
    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        }
        return t;
    }

    /** The transpose of a dense rows x cols matrix. */
    static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        }
        return t;
    }

    /**
     * Fails unless max|got - want| <= TOLERANCE · max|want|. Products are held to the largest magnitude rather than
     * element by element: a dot product that cancels to nearly zero carries the rounding of its large terms.
     */
    static void matrixClose(String what, float[] got, double[] want) {
        requireLength(what, got, want);
        double scale = 0;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        int worst = worstIndex(got, want, 0);
        double err = Math.abs(got[worst] - want[worst]);
        if (!(err <= TOLERANCE * scale)) {
            throw new IllegalStateException(what + ": deviates from the float64 reference: |got - want| = " + err
                    + " at index " + worst + " (got " + got[worst] + ", want " + want[worst] + ") exceeds "
                    + TOLERANCE + " x max|want| = " + TOLERANCE * scale);
        }
    }

    /** Fails unless every |got - want| <= TOLERANCE · |want| + atol (atol absorbs results that round to ~0). */
    static void elementsClose(String what, float[] got, double[] want, double atol) {
        requireLength(what, got, want);
        int worst = worstIndex(got, want, atol);
        double err = Math.abs(got[worst] - want[worst]);
        if (!(err <= TOLERANCE * Math.abs(want[worst]) + atol)) {
            throw new IllegalStateException(what + ": deviates from the float64 reference at index " + worst + ": got "
                    + got[worst] + ", want " + want[worst] + " (relative tolerance " + TOLERANCE + ", absolute "
                    + atol + ")");
        }
    }

    /** Index of the largest error relative to TOLERANCE · |want| + atol; atol = 0 ranks absolute errors. */
    private static int worstIndex(float[] got, double[] want, double atol) {
        int worst = 0;
        double worstRatio = -1;
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            double ratio = atol == 0 ? err : err / (TOLERANCE * Math.abs(want[i]) + atol);
            if (Double.isNaN(ratio)) return i;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        return worst;
    }

    private static void requireLength(String what, float[] got, double[] want) {
        if (got.length != want.length) {
            throw new IllegalStateException(what + ": result has " + got.length + " values, expected " + want.length);
        }
    }
}
