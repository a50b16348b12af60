package org.jsbi.posterior;

/**
 * Sampling several observations ({@link DirectPosterior#sample(int, float[][], long)}) stopped at one of them:
 * {@link #observation()} names it, {@link #accepted()} holds what was accepted for it, and {@link #finished()} the
 * complete samples of every observation before it, so no observation's work is lost.
 */
public final class BatchSamplingIncompleteException extends SamplingIncompleteException {

    private final int observation;
    private final transient float[][][] finished;

    BatchSamplingIncompleteException(SamplingIncompleteException cause, int observation, int observations,
                                     float[][][] finished) {
        super("sampling observation " + observation + " (of " + observations + ", counted from 0) stopped; the samples"
                + " of the " + observation + " observations before it are kept (finished()): " + cause.getMessage(),
                cause);
        this.observation = observation;
        this.finished = finished;
    }

    /** The index of the observation whose sampling stopped. */
    public int observation() {
        return observation;
    }

    /** The samples of observations 0 to {@link #observation()} − 1, complete, one array each. */
    public float[][][] finished() {
        return finished;
    }
}
