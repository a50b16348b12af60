/**
 * The tasks of the SBI benchmark (Lueckmann et al., AISTATS 2021; definitions in ../shared/reference/TASKS.md and
 * EXTRA-TASKS.md): each a {@link org.jsbi.sim.benchmark.BenchmarkTask} with its prior and batched simulator, found by
 * name through {@link org.jsbi.sim.benchmark.BenchmarkTasks}. Each simulation draws its noise from its own
 * {@link org.jsbi.random.CounterRandom} stream keyed by (seed, simulation index, stream), so results do not depend
 * on batching; {@link org.jsbi.sim.benchmark.ReferenceData} finds and reads the benchmark's reference files.
 */
package org.jsbi.sim.benchmark;
