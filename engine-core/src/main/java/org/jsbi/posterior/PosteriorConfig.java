package org.jsbi.posterior;

/**
 * Settings of a posterior's sampling and evaluation.
 *
 * @param timeLimitSeconds    rejection sampling gives up after this long with a {@link SamplingIncompleteException}
 * @param maxProposalBatch    most proposals drawn from the estimator in one pass (bounds memory)
 * @param leakageSamples      draws used to estimate the acceptance rate for the leakage-corrected log-density
 * @param mapStarts           candidate samples whose best seeds the MAP search
 * @param mapSteps            gradient-ascent steps of the MAP search
 * @param mapLearningRate     Adam step size of the MAP search, in z-scored θ units
 */
public record PosteriorConfig(double timeLimitSeconds, int maxProposalBatch, int leakageSamples, int mapStarts,
                              int mapSteps, double mapLearningRate) {

    public PosteriorConfig {
        if (!(timeLimitSeconds > 0)) throw new IllegalArgumentException("time limit must be > 0 s, got " + timeLimitSeconds);
        if (maxProposalBatch < 1) throw new IllegalArgumentException("maxProposalBatch must be >= 1");
        if (leakageSamples < 100) throw new IllegalArgumentException("leakageSamples must be >= 100");
        if (mapStarts < 1 || mapSteps < 0 || !(mapLearningRate > 0)) {
            throw new IllegalArgumentException("MAP search needs >= 1 start, >= 0 steps and a positive learning rate");
        }
    }

    public static PosteriorConfig defaults() {
        return new PosteriorConfig(600, 100_000, 10_000, 1_000, 500, 0.01);
    }

    public PosteriorConfig withTimeLimitSeconds(double v) {
        return new PosteriorConfig(v, maxProposalBatch, leakageSamples, mapStarts, mapSteps, mapLearningRate);
    }

    public PosteriorConfig withMaxProposalBatch(int v) {
        return new PosteriorConfig(timeLimitSeconds, v, leakageSamples, mapStarts, mapSteps, mapLearningRate);
    }

    public PosteriorConfig withLeakageSamples(int v) {
        return new PosteriorConfig(timeLimitSeconds, maxProposalBatch, v, mapStarts, mapSteps, mapLearningRate);
    }

    public PosteriorConfig withMap(int starts, int steps, double learningRate) {
        return new PosteriorConfig(timeLimitSeconds, maxProposalBatch, leakageSamples, starts, steps, learningRate);
    }
}
