package org.jsbi.inference;

import org.jsbi.dist.Prior;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.train.TrainedEstimator;

/**
 * What an NPE run produced: the trained estimator with its training history, how many simulations were excluded for
 * non-finite data, and the wall time of each phase.
 */
public record NpeResult(TrainedEstimator trained, int simulationsUsed, int excludedNonFinite, double simulationSeconds,
                        double trainingSeconds) {

    /** The posterior for the prior the simulations were drawn from. */
    public DirectPosterior posterior(Prior prior) {
        return posterior(prior, PosteriorConfig.defaults());
    }

    public DirectPosterior posterior(Prior prior, PosteriorConfig config) {
        return new DirectPosterior(trained.estimator(), prior, config);
    }
}
