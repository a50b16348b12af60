package org.jsbi.sim.channel;

import org.jsbi.random.Rng;
import org.jsbi.sim.SimTesting;

/** Shared helpers of the channel tests: one small PCA basis per test JVM, prior draws, the KS test. */
final class ChannelTesting {

    /** Prior simulations of the shared test basis (small: the tests check the machinery, not the basis quality). */
    static final int BASIS_N = 12;
    static final long BASIS_SEED = 7;
    private static PcaBasis basis;

    private ChannelTesting() {
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
        return SimTesting.rowMajor(ChannelOmnimodel.prior().sample(n, new Rng(seed)), 8);
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
