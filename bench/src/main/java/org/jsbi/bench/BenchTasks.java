package org.jsbi.bench;

import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.simulation.Simulations;
import org.jsbi.train.TrainingData;

/** Simulated pairs of a benchmark task (two_moons, gaussian_linear, ...) for the training benchmarks. */
final class BenchTasks {

    private BenchTasks() {
    }

    static TrainingData pairs(String task, int n, long seed) {
        BenchmarkTask t = BenchmarkTasks.byName(task);
        return Simulations.run(t.simulator(), t.prior(), n, seed).toTrainingData();
    }
}
