package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.simulation.ParameterBatch;

/** gaussian_linear_uniform: θ_i ~ U(−1, 1) independently and x ~ N(θ, 0.1·I₁₀) (0.1 is the variance). */
public final class GaussianLinearUniform extends SimulatorTask {

    public static final String NAME = "gaussian_linear_uniform";
    static final int DIM = 10;

    private final Prior prior = Priors.boxUniform(DIM, -1.0, 1.0);

    public GaussianLinearUniform() {
        super(NAME);
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
        GaussianLinear.addIsotropicNoise(batch, seed, GaussianLinear.NOISE_SD, out);
    }

}
