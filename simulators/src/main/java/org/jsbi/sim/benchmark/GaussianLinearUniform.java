package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/** gaussian_linear_uniform: θ_i ~ U(−1, 1) independently and x ~ N(θ, 0.1·I₁₀) (0.1 is the variance). */
public final class GaussianLinearUniform implements BenchmarkTask, Simulator {

    public static final String NAME = "gaussian_linear_uniform";
    static final int DIM = 10;

    private final Prior prior = Priors.boxUniform(DIM, -1.0, 1.0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public Simulator simulator() {
        return this;
    }

    @Override
    public int parameterDim() {
        return DIM;
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

    @Override
    public String toString() {
        return NAME;
    }
}
