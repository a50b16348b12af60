package org.jsbi.testing;

import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/**
 * x = θ + N(0, σ² I) in 2-D, with counter-based noise keyed by the simulation index: the posterior under a box prior
 * is a Gaussian centred on x truncated to the box, known in closed form, for the posterior tests.
 */
public final class NoisyIdentity implements Simulator {

    private final double sigma;

    public NoisyIdentity(double sigma) {
        this.sigma = sigma;
    }

    @Override
    public String name() {
        return "noisy_identity";
    }

    @Override
    public int parameterDim() {
        return 2;
    }

    @Override
    public int dataDim() {
        return 2;
    }

    @Override
    public void simulate(ParameterBatch b, long seed, float[] out) {
        b.check(this);
        for (int i = 0; i < b.count(); i++) {
            CounterRandom r = new CounterRandom(seed, b.firstIndex() + i, 0);
            out[2 * i] = b.get(i, 0) + (float) (sigma * r.nextGaussian());
            out[2 * i + 1] = b.get(i, 1) + (float) (sigma * r.nextGaussian());
        }
    }
}
