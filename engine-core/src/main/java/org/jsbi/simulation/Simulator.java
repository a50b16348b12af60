package org.jsbi.simulation;

/**
 * A batched simulator: parameter sets in, summary data out. Any user model implements this.
 *
 * <p>Contract: the noise of the batch's row i is a function of (seed, {@code batch.firstIndex() + i}) only — use
 * {@link org.jsbi.random.CounterRandom} — so a simulation's result does not depend on batch size, chunking or thread
 * count; nor may a row's data depend on the batch's other rows (no normalising across the batch). jsbi cannot check
 * this: a simulator that breaks it gives data that change with the thread count, and a {@link SimulationStore} that
 * depends on where it was resumed. A simulation that fails or diverges writes NaN into its own row and leaves the
 * others intact (an exception ends the whole run); invalid parameters (wrong dimension, outside the model's domain)
 * raise an {@link IllegalArgumentException} naming the parameter. A long {@code simulate} may stop on an interrupt by
 * throwing, with the interrupt status set or an {@link InterruptedException} as the cause: {@link Simulations} and
 * {@link SimulationStore} take that for an interrupt and keep the finished work. Implementations must be safe to call
 * from several threads at once on different batches.
 */
public interface Simulator {

    /** A short name for logs and files, e.g. {@code two_moons}. */
    String name();

    int parameterDim();

    int dataDim();

    /**
     * The revision of this simulator's numerics. A {@link SimulationStore} records it and resumes only with a simulator
     * of the same revision: chunks simulated after a change of the numerics would not be the data an uninterrupted run
     * gives. A simulator whose output bits for given (θ, seed, simulation index) change must change its revision (jsbi's
     * own simulators pin their bits in a test that says so). The default, {@code "1"}, suits a simulator that never
     * changes.
     */
    default String revision() {
        return "1";
    }

    /**
     * The settings of this instance that change its output bits beyond its name and revision (noise on or off, a
     * stimulus, a feature configuration, a basis), as one line of text. A {@link SimulationStore} records it and
     * resumes only with a simulator of the same configuration, so that a store begun with noise is not finished
     * without it. Empty (the default) where the name fixes the output; an implementation choice that gives the same
     * bits (a SIMD and a scalar version of one model) is not part of it.
     */
    default String configuration() {
        return "";
    }

    /**
     * Simulates every row of the batch into {@code out}, row-major: row i's data at {@code out[i * dataDim()] ..}.
     * {@code out} holds at least {@code batch.count() * dataDim()} values, and what it holds on entry is unspecified:
     * set every one of them (do not add to them). {@link Simulations} and {@link SimulationStore} refuse, with an
     * {@link IllegalStateException}, a call that leaves one unwritten or writes past them.
     */
    void simulate(ParameterBatch batch, long seed, float[] out);
}
