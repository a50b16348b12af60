package org.jsbi.sim.gabor;

import org.jsbi.sim.SimTesting;

/** Helpers of the Gabor tests. */
final class GaborTesting {

    private GaborTesting() {
    }

    static float[] priorDraws(int n, long seed) {
        return SimTesting.rowMajor(Gabor.prior().sample(n, new org.jsbi.random.Rng(seed)), Gabor.PARAMETERS);
    }

    /** Pearson correlation of out[off .. off + 1680] with h. */
    static double correlation(float[] out, int off, double[] h) {
        int n = Gabor.PIXELS;
        double ma = 0, mb = 0;
        for (int p = 0; p < n; p++) {
            ma += out[off + p];
            mb += h[p];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int p = 0; p < n; p++) {
            double a = out[off + p] - ma, b = h[p] - mb;
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
