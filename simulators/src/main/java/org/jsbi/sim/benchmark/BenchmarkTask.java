package org.jsbi.sim.benchmark;

import org.jsbi.dist.Prior;
import org.jsbi.simulation.Simulator;

/**
 * A task of the SBI benchmark (Lueckmann et al. 2021, ../shared/reference/TASKS.md and EXTRA-TASKS.md): a prior and
 * a batched simulator with exactly the benchmark's definitions, so that jsbi's posteriors can be scored against the
 * benchmark's reference posteriors.
 */
public interface BenchmarkTask {

    /** The benchmark's name, e.g. {@code two_moons}; also the folder name of its reference data. */
    String name();

    Prior prior();

    Simulator simulator();

    default int parameterDim() {
        return prior().dim();
    }

    default int dataDim() {
        return simulator().dataDim();
    }

    /** The parameters' names, where the benchmark gives them (sir: β, γ); else theta_1, theta_2, .... */
    default java.util.List<String> parameterNames() {
        return org.jsbi.posterior.DirectPosterior.defaultNames(parameterDim());
    }
}
