package org.jsbi.posterior;

/** Makes the exception a posterior's sampler throws, for tests in other packages (its constructor is package-private). */
public final class SamplingIncompleteFixture {

    private SamplingIncompleteFixture() {
    }

    /** What {@link DirectPosterior#sample} throws when interrupted with none of the requested samples accepted. */
    public static SamplingIncompleteException interrupted(int requested) {
        return new SamplingIncompleteException("was interrupted", true, new float[0][], requested, 0, 0.0);
    }
}
