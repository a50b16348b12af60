package org.jsbi.train;

import org.jsbi.estimator.ConditionalDensityEstimator;

/** A trained estimator with its training history. */
public record TrainedEstimator(ConditionalDensityEstimator estimator, TrainingHistory history) {
}
