package org.jsbi.simulation;

import org.jsbi.train.TrainingData;

/**
 * The simulations of a run that produced finite data, one row each, with the count of those excluded because their
 * data had a NaN or infinite value (a simulator's way of saying it diverged or a feature was undefined).
 */
public record SimulationSet(float[][] theta, float[][] x, int excludedNonFinite) {

    public SimulationSet {
        if (theta == null || x == null) throw new IllegalArgumentException("θ and x must be given, got null");
        if (theta.length != x.length) {
            throw new IllegalArgumentException("θ has " + theta.length + " rows but x has " + x.length);
        }
        if (excludedNonFinite < 0) throw new IllegalArgumentException("excluded count must be >= 0");
    }

    public int size() {
        return theta.length;
    }

    /** Simulations run in total, kept and excluded. */
    public int simulated() {
        return theta.length + excludedNonFinite;
    }

    /**
     * The kept pairs, checked, for training; fails clearly when nothing is left. The rows are read in place, not
     * copied (the set keeps them anyway, and a copy would add 196 bytes a pair at 31-D θ and 18-D x to a training's
     * memory), so they must not change while a training reads them.
     */
    public TrainingData toTrainingData() {
        if (theta.length == 0 && excludedNonFinite == 0) {
            throw new IllegalArgumentException("the simulation set is empty: simulate at least one batch before"
                    + " training");
        }
        if (theta.length == 0) {
            throw new IllegalArgumentException("no usable simulations: all " + excludedNonFinite
                    + " produced NaN or infinite data; check the simulator and the prior");
        }
        return TrainingData.readingRows(theta, x);
    }
}
