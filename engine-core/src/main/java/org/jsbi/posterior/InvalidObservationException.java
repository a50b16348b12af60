package org.jsbi.posterior;

/** An observation that a posterior cannot condition on: wrong dimension, or a NaN or infinite value. */
public final class InvalidObservationException extends IllegalArgumentException {

    public InvalidObservationException(String message) {
        super(message);
    }

    /** Throws when x is not a finite vector of the given dimension. */
    public static void check(float[] x, int xDim) {
        if (x == null) throw new InvalidObservationException("the observation is null; expected " + xDim + " values");
        if (x.length != xDim) {
            throw new InvalidObservationException("the observation has " + x.length + " values but the model was trained on "
                    + xDim + "-dimensional data");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new InvalidObservationException("observation value " + i + " is " + x[i]
                        + "; the posterior needs finite data (simulations with such values were excluded from training)");
            }
        }
    }
}
