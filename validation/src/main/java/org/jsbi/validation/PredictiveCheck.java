package org.jsbi.validation;

import java.util.Arrays;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.Simulator;

/**
 * The benchmark's posterior predictive check (sbibm's MEDDIST): simulate parameter samples and take the median
 * Euclidean distance of the simulated data to the observation. Simulations with non-finite data are skipped.
 */
public final class PredictiveCheck {

    private PredictiveCheck() {
    }

    public static double medianDistance(Simulator simulator, float[][] theta, float[] observation, long seed) {
        float[][] x = Simulations.simulate(simulator, theta, seed);
        double[] d = new double[x.length];
        int m = 0;
        for (float[] row : x) {
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
}
