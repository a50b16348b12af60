package org.jsbi.sim.hh;

import org.jsbi.random.Rng;
import org.jsbi.sim.SimTesting;

/** Shared helpers of the HH tests. */
public final class HhTesting {

    private HhTesting() {
    }

    /** n prior draws, row-major. */
    static float[] priorDraws(int n, long seed) {
        return SimTesting.rowMajor(HodgkinHuxley.prior().sample(n, new Rng(seed)), 8);
    }

    /**
     * The paper's 7 features computed from a stored trace the way its numpy code does (clip, np.diff twice, windows,
     * two-pass moments in double): the independent check of the online accumulation.
     */
    static double[] featuresFromTrace(float[] trace, int off) {
        int n = HhProtocol.SAMPLES;
        double[] x = new double[n];
        for (int k = 0; k < n; k++) x[k] = trace[off + k];
        double[] v = x.clone();
        for (int k = 0; k < n; k++) if (v[k] < -10) v[k] = -10;
        boolean[] neg = new boolean[n - 1];
        for (int k = 0; k < n - 1; k++) neg[k] = v[k + 1] - v[k] < 0;
        for (int k = 0; k < n - 1; k++) if (neg[k]) v[k] = -10;
        double prev = Double.NaN;
        int spikes = 0;
        for (int k = 0; k < n - 1; k++) {
            if (v[k + 1] - v[k] < 0) {
                double t = k * 0.01;
                if (t > 10 && t < 110) {
                    if (Double.isNaN(prev) || t - prev > 0.5) spikes++;
                    prev = t;
                }
            }
        }
        double rest = mean(x, 0, 1000);
        double restSd = Math.sqrt(central(x, 900, 1000, 2));
        double mu = mean(x, 1001, 11000);
        double m2 = central(x, 1001, 11000, 2), m3 = central(x, 1001, 11000, 3), m4 = central(x, 1001, 11000, 4);
        double sd = Math.sqrt(m2);
        return new double[] {spikes, rest, restSd, mu, m2, m3 / (sd * sd * sd), m4 / (sd * sd * sd * sd)};
    }

    static double mean(double[] x, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) s += x[k];
        return s / (to - from);
    }

    static double central(double[] x, int from, int to, int order) {
        double mu = mean(x, from, to), s = 0;
        for (int k = from; k < to; k++) s += Math.pow(x[k] - mu, order);
        return s / (to - from);
    }
}
