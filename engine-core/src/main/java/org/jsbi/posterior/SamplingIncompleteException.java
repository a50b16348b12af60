package org.jsbi.posterior;

/**
 * Rejection sampling stopped before it had all the samples asked for: the time limit ran out (almost always because
 * the estimator puts most of its mass outside the prior, "leakage") or the thread was interrupted. Carries the samples
 * accepted so far and the measured acceptance rate, so no work is lost.
 */
public final class SamplingIncompleteException extends RuntimeException {

    private final transient float[][] accepted;
    private final double acceptanceRate;

    SamplingIncompleteException(String cause, float[][] accepted, int requested, long proposed, double seconds) {
        super(String.format("posterior sampling %s after %.1f s with %d of %d samples; %d of %d proposals (%.4f%%) fell "
                        + "inside the prior support.%s", cause, seconds, accepted.length, requested, accepted.length,
                proposed, proposed == 0 ? 0.0 : 100.0 * accepted.length / proposed,
                proposed > 0 && accepted.length < 0.01 * proposed
                        ? " The estimator leaks almost all its mass outside the prior: train with more simulations,"
                        + " check the observation is one the simulator can produce, or raise the time limit"
                        + " (PosteriorConfig.withTimeLimitSeconds)."
                        : ""));
        this.accepted = accepted;
        this.acceptanceRate = proposed == 0 ? 0 : (double) accepted.length / proposed;
    }

    public float[][] accepted() {
        return accepted;
    }

    public double acceptanceRate() {
        return acceptanceRate;
    }
}
