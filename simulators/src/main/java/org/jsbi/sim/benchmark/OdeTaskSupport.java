package org.jsbi.sim.benchmark;

import org.jsbi.sim.ParameterChecks;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/** Input checks shared by the ODE benchmark tasks. */
final class OdeTaskSupport {

    private OdeTaskSupport() {
    }

    /**
     * The batch contract ({@link ParameterBatch#check}), an output buffer large enough, and every parameter &gt; 0
     * (the rates of these models; a log-normal prior never proposes anything else). Checked before any simulation
     * runs, so a bad batch leaves {@code out} untouched.
     */
    static void check(Simulator sim, String[] parameterNames, ParameterBatch batch, float[] out) {
        batch.check(sim);
        ParameterChecks.nonEmpty(sim.name(), batch);
        long need = (long) batch.count() * sim.dataDim();
        if (out == null || out.length < need) {
            throw new IllegalArgumentException(sim.name() + ": the output needs " + need + " values for " + batch.count()
                    + " simulations, got " + (out == null ? "null" : out.length));
        }
        int dim = batch.dim();
        float[] v = batch.values();
        for (int i = 0; i < batch.count(); i++) {
            for (int d = 0; d < dim; d++) {
                float x = v[i * dim + d];
                if (!(x > 0)) {
                    throw new IllegalArgumentException(sim.name() + ": parameter " + parameterNames[d] + " (index " + d
                            + ") of set " + (batch.firstIndex() + i) + " is " + x + "; it is a rate and must be > 0");
                }
            }
        }
    }
}
