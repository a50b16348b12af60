package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * gaussian_linear: θ ~ N(0, 0.1·I₁₀) and x ~ N(θ, 0.1·I₁₀). In both, 0.1 is the variance (sbibm passes it as
 * {@code prior_scale}/{@code simulator_scale} to a precision matrix), so the standard deviations are √0.1.
 */
public final class GaussianLinear extends SimulatorTask {

    public static final String NAME = "gaussian_linear";
    static final int DIM = 10;
    /** The variance of the prior and of the simulator's noise. */
    static final double VARIANCE = 0.1;
    static final double NOISE_SD = Math.sqrt(VARIANCE);

    private final Prior prior;

    public GaussianLinear() {
        super(NAME);
        double[][] cov = new double[DIM][DIM];
        for (int i = 0; i < DIM; i++) cov[i][i] = VARIANCE;
        this.prior = Priors.gaussian(new double[DIM], cov);
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return DIM;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        addIsotropicNoise(batch, seed, NOISE_SD, out);
    }

    /** x = θ + sd·z with z standard normal, from stream 0 of each simulation (shared with gaussian_linear_uniform). */
    static void addIsotropicNoise(ParameterBatch batch, long seed, double sd, float[] out) {
        float[] v = batch.values();
        int d = batch.dim();
        for (int i = 0; i < batch.count(); i++) {
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, 0);
            int o = i * d;
            for (int k = 0; k < d; k++) out[o + k] = (float) (v[o + k] + sd * rng.nextGaussian());
        }
    }

}
