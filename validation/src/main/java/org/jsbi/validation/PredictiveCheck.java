package org.jsbi.validation;

import java.util.Arrays;
import org.jsbi.posterior.InvalidObservationException;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.Simulator;

/**
 * The benchmark's posterior predictive check (sbibm's MEDDIST): simulate parameter samples and take the median
 * Euclidean distance of the simulated data to the observation. Simulations with non-finite data are skipped.
 */
public final class PredictiveCheck {

    private PredictiveCheck() {
    }

    /**
     * The median Euclidean distance of the simulated data of {@code theta} to {@code observation}, over the
     * simulations whose data are finite; NaN when none are.
     *
     * @throws InvalidObservationException if the observation is not {@link Simulator#dataDim()} finite values
     */
    public static double medianDistance(Simulator simulator, float[][] theta, float[] observation, long seed) {
        checkObservation(simulator, observation);
        return medianDistance(Simulations.simulate(simulator, theta, seed), observation);
    }

    /**
     * The median Euclidean distance of the rows of {@code x} (simulated data, the observation's length) to
     * {@code observation}, over the rows whose values are all finite; NaN when none are.
     */
    public static double medianDistance(float[][] x, float[] observation) {
        double[] d = new double[x.length];
        int m = 0;
        for (float[] row : x) {
            if (row.length != observation.length) {
                throw new IllegalArgumentException("a simulated row has " + row.length + " values but the observation "
                        + observation.length + "; the distance needs data of the observation's length");
            }
            double s = 0;
            boolean finite = true;
            for (int j = 0; j < row.length; j++) {
                double r = row[j] - observation[j];
                s += r * r;
                finite &= Float.isFinite(row[j]);
            }
            if (finite) d[m++] = Math.sqrt(s);
        }
        if (m == 0) return Double.NaN;
        double[] v = Arrays.copyOf(d, m);
        Arrays.sort(v);
        return m % 2 == 1 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
    }

    /** A distance to data of another length, or to non-finite data, would be meaningless (or an index error). */
    private static void checkObservation(Simulator simulator, float[] observation) {
        int dim = simulator.dataDim();
        if (observation == null) {
            throw new InvalidObservationException("the observation is null; expected " + dim + " values");
        }
        if (observation.length != dim) {
            throw new InvalidObservationException("the observation has " + observation.length + " values but "
                    + simulator.name() + " simulates " + dim + "-dimensional data; give an observation of that model's"
                    + " data");
        }
        for (int j = 0; j < dim; j++) {
            if (!Float.isFinite(observation[j])) {
                throw new InvalidObservationException("observation value " + j + " is " + observation[j]
                        + "; the predictive check measures distances to finite data");
            }
        }
    }
}
