package org.jsbi.sim.channel;

import java.util.Arrays;
import org.jsbi.random.Rng;

/** Shared helpers of the channel tests: one small PCA basis per test JVM, prior draws, the KS test. */
final class ChannelTesting {

    /** Prior simulations of the shared test basis (small: the tests check the machinery, not the basis quality). */
    static final int BASIS_N = 12;
    static final long BASIS_SEED = 7;
    private static PcaBasis basis;

    private ChannelTesting() {
    }

    static long seed() {
        return Long.getLong("jsbi.test.seed", 20240611L);
    }

    static synchronized PcaBasis basis() {
        if (basis == null) basis = PcaBasis.compute(ChannelProtocols.load(), BASIS_N, BASIS_SEED);
        return basis;
    }

    static ChannelOmnimodel model() {
        return ChannelOmnimodel.withBasis(basis());
    }

    static ChannelKernel kernel() {
        return model().kernel();
    }

    static float[] priorDraws(int n, long seed) {
        float[][] rows = ChannelOmnimodel.prior().sample(n, new Rng(seed));
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

    /** Two-sample Kolmogorov–Smirnov p-value (asymptotic Kolmogorov distribution, Stephens' correction). */
    static double ksPValue(float[] a, float[] b) {
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
     * An independent float64 transcription of the paper's simulator (ChannelOmniCython_comp.expeuler2, noise off) for
     * one protocol: m_0 = m∞(V_0), m_i = m∞(V_{i−1}) + (m_{i−1} − m∞(V_{i−1}))·exp(max(−500, −dt·tadj/τ(V_{i−1}))),
     * I = tadj·m·(V − E_K), divided by its maximum over all sweeps. Flattened sweep-major.
     */
    static double[] referenceTrace(ChannelProtocol p, float[] th) {
        double a = th[0], b = th[1], c = th[2], d = th[3], e = th[4], f = th[5], g = th[6], h = th[7];
        double tadj = Math.pow(2.3, 1.4), dt = p.dt();
        int n = p.samples();
        double[] out = new double[p.length()];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < p.sweeps(); s++) {
            double m = 0;
            for (int t = 0; t < n; t++) {
                double v = p.voltage(s, t);
                if (t == 0) {
                    m = 1 / (1 + Math.exp(-a * v + b));
                } else {
                    double vp = p.voltage(s, t - 1);
                    double inf = 1 / (1 + Math.exp(-a * vp + b));
                    double y = vp - c;
                    double tau = d / (Math.exp(-(e * y + f * y * y)) + Math.exp(g * y + h * y * y));
                    m = inf + (m - inf) * Math.exp(Math.max(-500, -dt * tadj / tau));
                }
                double i = tadj * m * (v - ChannelKernel.E_K);
                out[s * n + t] = i;
                max = Math.max(max, i);
            }
        }
        for (int i = 0; i < out.length; i++) out[i] /= max;
        return out;
    }
}
