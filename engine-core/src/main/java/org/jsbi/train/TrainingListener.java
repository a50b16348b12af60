package org.jsbi.train;

/** Progress of training, called on the training thread after every epoch. */
@FunctionalInterface
public interface TrainingListener {

    /**
     * @param epoch          1-based epoch just finished
     * @param trainLoss      mean negative log-likelihood over the epoch's batches
     * @param validationLoss mean negative log-likelihood on the validation split
     * @param best           the best validation loss so far (after this epoch)
     * @param epochsSinceBest epochs since the best one (0 when this epoch improved)
     * @param seconds        wall time of the epoch
     */
    void epochEnd(int epoch, double trainLoss, double validationLoss, double best, int epochsSinceBest, double seconds);

    TrainingListener NONE = (e, t, v, b, s, sec) -> { };
}
