package org.jsbi.posterior;

/** Progress of posterior sampling, called after each batch of proposals. */
@FunctionalInterface
public interface SamplingListener {

    void progress(int accepted, int requested, long proposed, double seconds);

    SamplingListener NONE = (a, r, p, s) -> { };
}
