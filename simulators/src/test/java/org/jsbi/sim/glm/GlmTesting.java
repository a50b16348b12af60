package org.jsbi.sim.glm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.sim.SimTesting;

/** Helpers of the GLM tests: seeds, the paper-data folder, CSV columns, closed forms. */
final class GlmTesting {

    private GlmTesting() {
    }

    /** All rows of a CSV (header skipped) as doubles. */
    static double[][] csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        double[][] rows = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            rows[i - 1] = new double[f.length];
            for (int j = 0; j < f.length; j++) rows[i - 1][j] = Double.parseDouble(f[j]);
        }
        return rows;
    }

    /** n prior draws, row-major. */
    static float[] priorDraws(int n, long seed) {
        return SimTesting.rowMajor(Glm.prior().sample(n, new org.jsbi.random.Rng(seed)), Glm.PARAMETERS);
    }

    /** p_t = σ(b0 + Σ_k h_{k+1} I[t−k]) in float64. */
    static double[] probabilities(float[] theta, float[] stim) {
        double[] p = new double[Glm.BINS];
        for (int t = 0; t < Glm.BINS; t++) {
            double psi = theta[0];
            for (int k = 0; k < Glm.TAPS && k <= t; k++) psi += (double) theta[1 + k] * stim[t - k];
            p[t] = 1.0 / (1.0 + Math.exp(-psi));
        }
        return p;
    }

    /** The closed-form E[x | θ]: [Σ_t p_t, Σ_t p_{t+k}·I[t]] and Var of each feature (independent bins). */
    static double[][] expectedFeatures(float[] theta, float[] stim) {
        double[] p = probabilities(theta, stim);
        double[] mean = new double[Glm.PARAMETERS], var = new double[Glm.PARAMETERS];
        for (int t = 0; t < Glm.BINS; t++) {
            double v = p[t] * (1 - p[t]);
            mean[0] += p[t];
            var[0] += v;
            for (int k = 0; k < Glm.TAPS && k <= t; k++) {
                mean[1 + k] += p[t] * stim[t - k];
                var[1 + k] += v * stim[t - k] * stim[t - k];
            }
        }
        return new double[][] {mean, var};
    }
}
