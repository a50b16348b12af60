package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * bernoulli_glm_raw: the prior and spiking model of {@link BernoulliGlm}, returning the raw 100-bin spike train (0/1)
 * instead of its summary Xᵀy; for the same seed and simulation index the spike train is the one whose summary
 * bernoulli_glm returns.
 */
public final class BernoulliGlmRaw extends SimulatorTask {

    public static final String NAME = "bernoulli_glm_raw";

    public BernoulliGlmRaw() {
        super(NAME);
    }

    @Override
    public Prior prior() {
        return BernoulliGlm.PRIOR;
    }

    @Override
    public int dataDim() {
        return BernoulliGlm.BINS;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        float[] theta = batch.values();
        for (int i = 0; i < batch.count(); i++) {
            CounterRandom rng = new CounterRandom(seed, batch.firstIndex() + i, 0);
            int off = i * BernoulliGlm.PARAMETERS;
            for (int t = 0; t < BernoulliGlm.BINS; t++) {
                out[i * BernoulliGlm.BINS + t] = BernoulliGlm.spike(theta, off, t, rng) ? 1f : 0f;
            }
        }
    }

}
