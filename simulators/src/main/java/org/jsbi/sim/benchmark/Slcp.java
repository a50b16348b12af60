package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * slcp ("simple likelihood, complex posterior"): θ_i ~ U(−3, 3); four i.i.d. 2-D draws from N(m, S) with
 * m = (θ1, θ2), s1 = θ3², s2 = θ4², ρ = tanh θ5 and S = [[s1² + 1e−6, ρ s1 s2], [ρ s1 s2, s2² + 1e−6]], flattened
 * pairwise: x = (x1a, x1b, x2a, x2b, x3a, x3b, x4a, x4b).
 */
public final class Slcp extends SimulatorTask {

    public static final String NAME = "slcp";
    static final int PARAMETERS = 5;
    static final int DATA = 8;
    static final double JITTER = 1e-6;

    private final Prior prior = Priors.boxUniform(PARAMETERS, -3.0, 3.0);

    public Slcp() {
        super(NAME);
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return DATA;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        float[] v = batch.values();
        double[] x = new double[DATA];
        for (int i = 0; i < batch.count(); i++) {
            draw(v, i * PARAMETERS, new CounterRandom(seed, batch.firstIndex() + i, 0), x);
            for (int k = 0; k < DATA; k++) out[i * DATA + k] = (float) x[k];
        }
    }

    /**
     * The 8 SLCP values for θ = theta[off..off+4] into x[0..7], from 8 standard normals of rng (shared with
     * slcp_distractors, so both give the same informative values for the same seed and simulation index).
     */
    static void draw(float[] theta, int off, CounterRandom rng, double[] x) {
        double m1 = theta[off], m2 = theta[off + 1];
        double t3 = theta[off + 2], t4 = theta[off + 3], t5 = theta[off + 4];
        double s1 = t3 * t3, s2 = t4 * t4;
        double rho = Math.tanh(t5);
        double cosh = Math.cosh(t5);
        double oneMinusRho2 = 1.0 / (cosh * cosh);     // 1 − tanh², without cancellation near |ρ| = 1
        // Cholesky factor of S. The Schur complement S22 − S12²/S11 is rewritten as
        // s2²·(s1²(1 − ρ²) + 1e−6)/(s1² + 1e−6) + 1e−6, which is positive term by term, so no cancellation can
        // make it negative even when |ρ| rounds to 1.
        double s11 = s1 * s1 + JITTER;
        double l11 = Math.sqrt(s11);
        double l21 = rho * s1 * s2 / l11;
        double l22 = Math.sqrt(s2 * s2 * (s1 * s1 * oneMinusRho2 + JITTER) / s11 + JITTER);
        for (int j = 0; j < 4; j++) {
            double z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
            x[2 * j] = m1 + l11 * z1;
            x[2 * j + 1] = m2 + l21 * z1 + l22 * z2;
        }
    }

}
