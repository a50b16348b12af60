package org.jsbi.validation;

import java.util.Arrays;
import org.jsbi.random.Rng;

/**
 * scikit-learn's {@code KFold(shuffle=True)}: shuffle the indices 0..n-1 once, cut them into k consecutive test
 * folds, the first n mod k of them one longer, and train on everything else (in index order).
 */
final class KFold {

    private final int[] shuffled;
    private final int[] bounds;

    KFold(int n, int folds, Rng rng) {
        if (n < folds) {
            throw new IllegalArgumentException("cannot cut " + n + " samples into " + folds + " folds");
        }
        this.shuffled = rng.permutation(n);
        this.bounds = new int[folds + 1];
        for (int f = 0; f < folds; f++) bounds[f + 1] = bounds[f] + n / folds + (f < n % folds ? 1 : 0);
    }

    int folds() {
        return bounds.length - 1;
    }

    /** The test indices of fold f, in shuffled order. */
    int[] test(int f) {
        return Arrays.copyOfRange(shuffled, bounds[f], bounds[f + 1]);
    }

    /** The training indices of fold f: every index not in its test fold, ascending. */
    int[] train(int f) {
        boolean[] inTest = new boolean[shuffled.length];
        for (int i : test(f)) inTest[i] = true;
        int[] out = new int[shuffled.length - (bounds[f + 1] - bounds[f])];
        int o = 0;
        for (int i = 0; i < shuffled.length; i++) {
            if (!inTest[i]) out[o++] = i;
        }
        return out;
    }
}
