package org.jsbi.train;

import java.util.List;

/**
 * What training did: the loss curves, the epoch whose weights were kept, and why it stopped.
 *
 * @param trainLoss      per-epoch mean training NLL
 * @param validationLoss per-epoch validation NLL
 * @param bestEpoch      1-based epoch of the kept weights
 * @param stopReason     why training ended
 * @param seconds        total wall time
 */
public record TrainingHistory(List<Double> trainLoss, List<Double> validationLoss, int bestEpoch, StopReason stopReason,
                              double seconds) {

    public enum StopReason {
        /** No validation improvement for stopAfterEpochs epochs. */
        CONVERGED,
        /** maxEpochs reached. */
        MAX_EPOCHS,
        /** The thread was interrupted; the best weights so far were kept. */
        INTERRUPTED,
        /** A loss became NaN or infinite (the learning rate is too high for the data); the best weights were kept. */
        DIVERGED
    }

    public TrainingHistory {
        trainLoss = List.copyOf(trainLoss);
        validationLoss = List.copyOf(validationLoss);
    }

    public int epochs() {
        return trainLoss.size();
    }

    public double bestValidationLoss() {
        return validationLoss.get(bestEpoch - 1);
    }
}
