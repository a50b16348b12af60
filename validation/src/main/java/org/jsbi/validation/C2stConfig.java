package org.jsbi.validation;

import org.jsbi.optim.AdamConfig;

/**
 * Settings of the classifier two-sample test. The defaults are sbibm's {@code c2st} (TASKS.md, "C2ST metric as used
 * by sbibm"), whose classifier is scikit-learn's {@code MLPClassifier} with its defaults.
 *
 * @param folds          cross-validation folds (KFold, shuffled)
 * @param seed           seeds the fold split, the classifier's initialisation and its shuffling
 * @param zScore         z-score both sample sets with the reference set's mean and unbiased standard deviation
 * @param hiddenFactor   each of the two hidden ReLU layers has hiddenFactor · d units
 * @param adam           the optimizer (sklearn: learning rate 1e-3, betas 0.9 / 0.999, eps 1e-8)
 * @param alpha          L2 penalty: the loss of a batch of m samples gains alpha / (2m) · Σ W² over the weights
 *                       (not the biases), as in sklearn
 * @param batchSize      mini-batch size; a fold smaller than this trains on full batches of its size
 * @param tol            an epoch improves only if its training loss is below the best so far minus tol
 * @param patience       training stops once more than this many consecutive epochs did not improve
 *                       (sklearn's {@code n_iter_no_change})
 * @param maxEpochs      training stops after this many epochs in any case (sklearn's {@code max_iter})
 * @param parallelFolds  train the folds side by side, one per thread of {@link org.jsbi.backend.Parallel}, rather
 *                       than one after the other with multithreaded kernels; the result is the same either way
 */
public record C2stConfig(int folds, long seed, boolean zScore, int hiddenFactor, AdamConfig adam, float alpha,
                         int batchSize, double tol, int patience, int maxEpochs, boolean parallelFolds) {

    public C2stConfig {
        if (folds < 2) throw new IllegalArgumentException("C2ST needs at least 2 folds, got " + folds);
        if (hiddenFactor < 1) throw new IllegalArgumentException("hidden factor must be >= 1, got " + hiddenFactor);
        if (adam == null) throw new IllegalArgumentException("Adam settings must not be null");
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("L2 penalty alpha must be a finite number >= 0, got " + alpha);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(tol >= 0) || !Double.isFinite(tol)) {
            throw new IllegalArgumentException("tol must be a finite number >= 0, got " + tol);
        }
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1 epoch, got " + patience);
        if (maxEpochs < 1) throw new IllegalArgumentException("max epochs must be >= 1, got " + maxEpochs);
    }

    /** sbibm's settings: 5 folds, seed 1, z-scoring, hidden 10·d, sklearn's MLPClassifier defaults. */
    public static C2stConfig defaults() {
        return new C2stConfig(5, 1L, true, 10, new AdamConfig(1e-3f, 0.9f, 0.999f, 1e-8f), 1e-4f, 200, 1e-4, 10,
                10_000, true);
    }

    public C2stConfig withFolds(int v) {
        return new C2stConfig(v, seed, zScore, hiddenFactor, adam, alpha, batchSize, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withSeed(long v) {
        return new C2stConfig(folds, v, zScore, hiddenFactor, adam, alpha, batchSize, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withZScore(boolean v) {
        return new C2stConfig(folds, seed, v, hiddenFactor, adam, alpha, batchSize, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withHiddenFactor(int v) {
        return new C2stConfig(folds, seed, zScore, v, adam, alpha, batchSize, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withAdam(AdamConfig v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, v, alpha, batchSize, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withAlpha(float v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, adam, v, batchSize, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withBatchSize(int v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, adam, alpha, v, tol, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withTol(double v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, adam, alpha, batchSize, v, patience, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withPatience(int v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, adam, alpha, batchSize, tol, v, maxEpochs,
                parallelFolds);
    }

    public C2stConfig withMaxEpochs(int v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, adam, alpha, batchSize, tol, patience, v,
                parallelFolds);
    }

    public C2stConfig withParallelFolds(boolean v) {
        return new C2stConfig(folds, seed, zScore, hiddenFactor, adam, alpha, batchSize, tol, patience, maxEpochs, v);
    }
}
