package org.jsbi.dist;

import org.jsbi.random.Rng;

/**
 * A prior over a model's parameters θ (dimension {@link #dim()}): the distribution simulations are drawn from, the
 * support a posterior is restricted to, and the density the sequential corrections divide by.
 *
 * <p>Rows are parameter sets in the user's units. Implementations are immutable and thread-safe.
 */
public interface Prior {

    int dim();

    /** n independent draws, one row each. */
    float[][] sample(int n, Rng rng);

    /** log p(θ); {@code Double.NEGATIVE_INFINITY} outside the support. */
    double logProb(float[] theta);

    /** Whether θ lies in the support (where the density is positive). */
    boolean inSupport(float[] theta);

    /** The mean of each parameter. */
    double[] mean();

    /** The standard deviation of each parameter. */
    double[] stddev();

    /** A description for logs and store manifests, e.g. {@code BoxUniform[low=[-1.0, -1.0], high=[1.0, 1.0]]}. */
    String describe();

    /** Throws a clear error when θ is not a finite vector of this prior's dimension. */
    default void checkParameters(float[] theta) {
        if (theta == null) throw new IllegalArgumentException("θ is null; expected " + dim() + " values");
        if (theta.length != dim()) {
            throw new IllegalArgumentException("θ has " + theta.length + " values but the prior has dimension " + dim());
        }
        for (int i = 0; i < theta.length; i++) {
            if (!Float.isFinite(theta[i])) {
                throw new IllegalArgumentException("θ[" + i + "] = " + theta[i] + " is not finite");
            }
        }
    }
}
