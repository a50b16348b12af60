package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * gaussian_mixture: θ_i ~ U(−10, 10); x ~ 0.5·N(θ, I₂) + 0.5·N(θ, 0.01·I₂), with one mixture index per simulation
 * shared by both dimensions (drawing it once per batch was a bug of an old benchmark version).
 */
public final class GaussianMixture extends SimulatorTask {

    public static final String NAME = "gaussian_mixture";
    /** The components' standard deviations, chosen with probability 1/2 each. */
    static final double SD_WIDE = 1.0;
    static final double SD_NARROW = 0.1;

    private final Prior prior = Priors.boxUniform(2, -10.0, 10.0);

    public GaussianMixture() {
        super(NAME);
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return 2;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        float[] v = batch.values();
        for (int i = 0; i < batch.count(); i++) {
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, 0);
            double sd = rng.nextDouble() < 0.5 ? SD_WIDE : SD_NARROW;
            out[2 * i] = (float) (v[2 * i] + sd * rng.nextGaussian());
            out[2 * i + 1] = (float) (v[2 * i + 1] + sd * rng.nextGaussian());
        }
    }

}
