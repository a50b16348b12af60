package org.jsbi.sim.benchmark;

import org.jsbi.sim.ParameterChecks;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/** Checks shared by the benchmark simulators. */
final class TaskSupport {

    private TaskSupport() {
    }

    /** A clear error when {@code out} cannot hold the batch's data. */
    static void checkOutput(Simulator sim, ParameterBatch batch, float[] out) {
        // An empty batch is a caller's mistake (an off-by-one in a chunking loop), refused as the neuron models do.
        ParameterChecks.nonEmpty(sim.name(), batch);
        long need = (long) batch.count() * sim.dataDim();
        if (out == null || out.length < need) {
            throw new IllegalArgumentException(sim.name() + ": the output array must hold " + need + " values ("
                    + batch.count() + " simulations x " + sim.dataDim() + "), got " + (out == null ? "null" : out.length));
        }
    }
}
