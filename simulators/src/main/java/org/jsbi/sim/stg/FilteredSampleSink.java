package org.jsbi.sim.stg;

/**
 * Receives the filtered samples of one neuron, in order (sample 0 first), from a {@link SavitzkyGolayStream};
 * {@link #finish()} follows the last one. {@link NeuronEventDetector} is the sink the simulators use; tests collect the
 * samples.
 */
public interface FilteredSampleSink {

    /** The next filtered sample. */
    void accept(float filtered);

    /** No more samples: the trace has ended. */
    void finish();
}
