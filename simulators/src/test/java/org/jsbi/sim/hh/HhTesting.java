package org.jsbi.sim.hh;

import java.util.Arrays;
import org.jsbi.random.Rng;

/** Shared helpers of the HH tests. */
public final class HhTesting {

    private HhTesting() {
    }

    static long seed() {
        return Long.getLong("jsbi.test.seed", 20240611L);
    }

    /** n prior draws, row-major. */
    static float[] priorDraws(int n, long seed) {
        float[][] rows = HodgkinHuxley.prior().sample(n, new Rng(seed));
        float[] v = new float[n * 8];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, v, i * 8, 8);
        return v;
    }

    static float[] repeat(float[] theta, int n) {
        float[] v = new float[n * theta.length];
        for (int i = 0; i < n; i++) System.arraycopy(theta, 0, v, i * theta.length, theta.length);
        return v;
    }

    static float[] column(float[] rows, int dim, int c) {
        float[] x = new float[rows.length / dim];
        for (int i = 0; i < x.length; i++) x[i] = rows[i * dim + c];
        return x;
    }

    /**
     * Two-sample Kolmogorov–Smirnov test: the p-value of D by the asymptotic Kolmogorov distribution with the
     * effective size n1·n2/(n1 + n2) and Stephens' small-sample correction.
     */
    public static double ksPValue(float[] a, float[] b) {
        float[] x = a.clone(), y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            float t = Math.min(x[i], y[j]);
            while (i < x.length && x[i] == t) i++;
            while (j < y.length && y[j] == t) j++;
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        double ne = (double) x.length * y.length / (x.length + y.length);
        double lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
        if (lambda < 1e-3) return 1.0;
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? 1 : -1) * term;
            if (term < 1e-12) break;
        }
        return Math.max(0, Math.min(1, 2 * sum));
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
