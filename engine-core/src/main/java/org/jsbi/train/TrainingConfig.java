package org.jsbi.train;

/**
 * Settings of maximum-likelihood training. Defaults are sbi's: Adam at 5e-4, batch 200, 10% validation, stop after
 * 20 epochs without improvement of the validation loss (restoring the best weights), gradient norm clipped at 5.
 *
 * @param batchSize          samples per gradient step (incomplete last batches are dropped, as sbi does)
 * @param learningRate       Adam's learning rate
 * @param validationFraction share of the data held out for early stopping, in (0, 1)
 * @param stopAfterEpochs    epochs without validation improvement before stopping
 * @param maxEpochs          hard limit on epochs
 * @param clipMaxNorm        global gradient-norm limit (0 or less: no clipping)
 * @param seed               seed of the split, the initialisation and the batch order
 */
public record TrainingConfig(int batchSize, float learningRate, double validationFraction, int stopAfterEpochs,
                             int maxEpochs, double clipMaxNorm, long seed) {

    public TrainingConfig {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (stopAfterEpochs < 1) throw new IllegalArgumentException("stopAfterEpochs must be >= 1, got " + stopAfterEpochs);
        if (maxEpochs < 1) throw new IllegalArgumentException("maxEpochs must be >= 1, got " + maxEpochs);
        if (Double.isNaN(clipMaxNorm) || Double.isInfinite(clipMaxNorm)) {
            throw new IllegalArgumentException("clipMaxNorm must be a number (0 or less: no clipping), got "
                    + clipMaxNorm);
        }
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(200, 5e-4f, 0.1, 20, 10_000, 5.0, 0L);
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(v, learningRate, validationFraction, stopAfterEpochs, maxEpochs, clipMaxNorm, seed);
    }

    public TrainingConfig withLearningRate(float v) {
        return new TrainingConfig(batchSize, v, validationFraction, stopAfterEpochs, maxEpochs, clipMaxNorm, seed);
    }

    public TrainingConfig withValidationFraction(double v) {
        return new TrainingConfig(batchSize, learningRate, v, stopAfterEpochs, maxEpochs, clipMaxNorm, seed);
    }

    public TrainingConfig withStopAfterEpochs(int v) {
        return new TrainingConfig(batchSize, learningRate, validationFraction, v, maxEpochs, clipMaxNorm, seed);
    }

    public TrainingConfig withMaxEpochs(int v) {
        return new TrainingConfig(batchSize, learningRate, validationFraction, stopAfterEpochs, v, clipMaxNorm, seed);
    }

    public TrainingConfig withClipMaxNorm(double v) {
        return new TrainingConfig(batchSize, learningRate, validationFraction, stopAfterEpochs, maxEpochs, v, seed);
    }

    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(batchSize, learningRate, validationFraction, stopAfterEpochs, maxEpochs, clipMaxNorm, v);
    }
}
