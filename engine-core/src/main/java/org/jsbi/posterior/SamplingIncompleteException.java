package org.jsbi.posterior;

/**
 * Rejection sampling stopped before it had all the samples asked for: the time limit ran out (almost always because
 * the estimator puts most of its mass outside the prior, "leakage", or a truncated prior's region holds little of the
 * prior's mass) or the thread was interrupted. Carries the samples accepted so far and the measured acceptance rate,
 * so no work is lost; {@link #interrupted()} tells the two causes apart (an interrupt stays set on the thread).
 */
public sealed class SamplingIncompleteException extends RuntimeException permits BatchSamplingIncompleteException {

    private final transient float[][] accepted;
    private final double acceptanceRate;
    private final boolean interrupted;

    /** Posterior sampling stopped; {@code cause} says why ("was interrupted", "hit its time limit of ..."). */
    SamplingIncompleteException(String cause, boolean interrupted, float[][] accepted, int requested, long proposed,
                                double seconds) {
        this(cause, interrupted, accepted, requested, proposed, seconds, "");
    }

    /** As above, with a note on the observation (where it lies against the training data) added to the message. */
    SamplingIncompleteException(String cause, boolean interrupted, float[][] accepted, int requested, long proposed,
                                double seconds, String observationNote) {
        this(String.format("posterior sampling %s after %.1f s with %d of %d samples; %d of %d proposals (%.4f%%) fell "
                        + "inside the prior support.%s%s", cause, seconds, accepted.length, requested, accepted.length,
                proposed, proposed == 0 ? 0.0 : 100.0 * accepted.length / proposed,
                proposed > 0 && accepted.length < 0.01 * proposed
                        ? " The estimator leaks almost all its mass outside the prior: train with more simulations,"
                        + " check the observation is one the simulator can produce, or raise the time limit"
                        + " (PosteriorConfig.withTimeLimitSeconds)."
                        : "", observationNote), interrupted, accepted, proposed);
    }

    /** With the whole message given, for samplers whose acceptance means something else (a truncated prior's). */
    SamplingIncompleteException(String message, boolean interrupted, float[][] accepted, long proposed) {
        super(message);
        this.accepted = accepted;
        this.acceptanceRate = proposed == 0 ? 0 : (double) accepted.length / proposed;
        this.interrupted = interrupted;
    }

    /** A copy of {@code cause}'s samples and cause under another message, with {@code cause} as the cause. */
    SamplingIncompleteException(String message, SamplingIncompleteException cause) {
        super(message, cause);
        this.accepted = cause.accepted;
        this.acceptanceRate = cause.acceptanceRate;
        this.interrupted = cause.interrupted;
    }

    public float[][] accepted() {
        return accepted;
    }

    public double acceptanceRate() {
        return acceptanceRate;
    }

    /** Whether the thread was interrupted (rather than the time limit running out). */
    public boolean interrupted() {
        return interrupted;
    }
}
