package org.jsbi.diagnostics;

/**
 * An unnormalised log-density over parameter rows, evaluated for a batch at once: a posterior for one fixed
 * observation, say {@code theta -> posterior.logProbUncorrected(theta, xo)}. −∞ marks a row outside the support.
 */
@FunctionalInterface
public interface LogDensity {

    /** log p(θ_i) + const for every row θ_i; the constant must not depend on the rows. */
    double[] logDensity(float[][] theta);
}
