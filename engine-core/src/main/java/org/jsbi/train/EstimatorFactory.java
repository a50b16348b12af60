package org.jsbi.train;

import org.jsbi.backend.Backend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;

/** Builds an untrained estimator once the training split's z-scoring is known (MAF, MDN, ...). */
@FunctionalInterface
public interface EstimatorFactory {
    ConditionalDensityEstimator build(Backend backend, int thetaDim, int xDim, ZScore thetaScore, ZScore xScore, Rng rng);
}
