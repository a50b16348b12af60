package org.jsbi.validation;

import java.util.Arrays;

/**
 * The outcome of a classifier two-sample test.
 *
 * @param accuracy       the mean of the test-fold accuracies: 0.5 when the classifier cannot tell the sets apart,
 *                       1.0 when it separates them perfectly (sbibm's C2ST value)
 * @param foldAccuracies each fold's test accuracy
 * @param foldEpochs     the epochs each fold's classifier trained for
 * @param seconds        wall time of the whole test
 */
public record C2stResult(double accuracy, double[] foldAccuracies, int[] foldEpochs, double seconds) {

    public C2stResult {
        foldAccuracies = foldAccuracies.clone();
        foldEpochs = foldEpochs.clone();
    }

    @Override
    public double[] foldAccuracies() {
        return foldAccuracies.clone();
    }

    @Override
    public int[] foldEpochs() {
        return foldEpochs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof C2stResult r && accuracy == r.accuracy && Arrays.equals(foldAccuracies, r.foldAccuracies)
                && Arrays.equals(foldEpochs, r.foldEpochs) && seconds == r.seconds;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(accuracy) * 31 + Arrays.hashCode(foldAccuracies);
    }

    @Override
    public String toString() {
        return String.format("C2stResult[accuracy=%.4f, folds=%s, epochs=%s, %.2f s]", accuracy,
                Arrays.toString(foldAccuracies), Arrays.toString(foldEpochs), seconds);
    }
}
