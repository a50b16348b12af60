package org.jsbi.train;

import org.jsbi.backend.Backend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;

/** Builds an untrained estimator once the training split's z-scoring is known (MAF, MDN, ...). */
@FunctionalInterface
public interface EstimatorFactory {
    ConditionalDensityEstimator build(Backend backend, int thetaDim, int xDim, ZScore thetaScore, ZScore xScore, Rng rng);

    /** A masked autoregressive flow with the peers' defaults (5 MADEs, each 3 hidden layers of 50 tanh units). */
    static EstimatorFactory maf() {
        return maf(MafConfig.defaults());
    }

    static EstimatorFactory maf(MafConfig config) {
        return (be, td, xd, ts, xs, rng) -> new Maf(be, td, xd, ts, xs, config, rng);
    }

    /** A mixture density network with the peers' defaults (2 x 50 hidden, 10 full-covariance components). */
    static EstimatorFactory mdn() {
        return mdn(MdnConfig.defaults());
    }

    static EstimatorFactory mdn(MdnConfig config) {
        return (be, td, xd, ts, xs, rng) -> new Mdn(be, td, xd, ts, xs, config, rng);
    }
}
