package org.jsbi.inference;

import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainingConfig;

/**
 * Settings of neural posterior estimation: which density estimator, and how it is trained.
 *
 * @param estimator builds the conditional density estimator (default: MAF with the peers' defaults)
 * @param training  the training loop's settings (default: Adam 5e-4, batch 200, 10% validation, patience 20)
 */
public record NpeConfig(EstimatorFactory estimator, TrainingConfig training) {

    public NpeConfig {
        if (estimator == null || training == null) throw new IllegalArgumentException("estimator and training must be given");
    }

    public static NpeConfig defaults() {
        return new NpeConfig(EstimatorFactory.maf(), TrainingConfig.defaults());
    }

    public NpeConfig withEstimator(EstimatorFactory v) {
        return new NpeConfig(v, training);
    }

    public NpeConfig withTraining(TrainingConfig v) {
        return new NpeConfig(estimator, v);
    }
}
