package org.jsbi.sim.benchmark;

import org.jsbi.simulation.Simulator;

/** A benchmark task that is its own simulator: the name, the parameter dimension (the prior's) and the string form. */
abstract class SimulatorTask implements BenchmarkTask, Simulator {

    private final String name;

    SimulatorTask(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Simulator simulator() {
        return this;
    }

    @Override
    public int parameterDim() {
        return prior().dim();
    }

    /** Declared here because both interfaces name it; each task gives its own. */
    @Override
    public abstract int dataDim();

    @Override
    public String toString() {
        return name;
    }
}
