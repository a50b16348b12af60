package org.jsbi.estimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.random.Rng;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * The conditional-fit task's truth is right: its pairs have the moments of θ = Ax + b + Lε with x, ε ~ N(0, I), its
 * log-density is the Gaussian's, and the true density's mean NLL over many pairs is the entropy.
 */
class LinearGaussianConditionalTest {

    private final long seed = TestSeeds.seed(17L);

    @Test
    void pairsHaveTheModelsMoments() {
        int n = 200_000;
        float[][][] p = LinearGaussianConditional.pairs(n, new Rng(seed));
        int d = LinearGaussianConditional.DIM;
        // E[θ] = b (E[x] = 0); Cov(θ) = A Aᵀ + Σ; Cov(θ, x) = A. b and A from the true mean at x = 0 and unit vectors.
        double[] b = LinearGaussianConditional.mean(new float[d]);
        double[][] a = new double[d][d];
        for (int c = 0; c < d; c++) {
            float[] e = new float[d];
            e[c] = 1f;
            double[] m = LinearGaussianConditional.mean(e);
            for (int r = 0; r < d; r++) a[r][c] = m[r] - b[r];
        }
        double[][] sigma = LinearGaussianConditional.covariance();
        double[] mt = new double[d];
        for (float[] t : p[0]) {
            for (int r = 0; r < d; r++) mt[r] += t[r] / (double) n;
        }
        for (int r = 0; r < d; r++) {
            assertEquals(b[r], mt[r], 0.01, "E[θ" + r + "]" + TestSeeds.replay(seed));
            for (int c = 0; c < d; c++) {
                double covTT = 0, covTX = 0;
                for (int i = 0; i < n; i++) {
                    covTT += (p[0][i][r] - mt[r]) * (p[0][i][c] - mt[c]);
                    covTX += (p[0][i][r] - mt[r]) * p[1][i][c];
                }
                double want = sigma[r][c];
                for (int k = 0; k < d; k++) want += a[r][k] * a[c][k];
                assertEquals(want, covTT / n, 0.02, "Cov(θ" + r + ", θ" + c + ")" + TestSeeds.replay(seed));
                assertEquals(a[r][c], covTX / n, 0.01, "Cov(θ" + r + ", x" + c + ")" + TestSeeds.replay(seed));
            }
        }
    }

    @Test
    void logDensityIsTheGaussiansAndItsMeanNllTheEntropy() {
        float[] x = {0.3f, -0.7f, 1.1f};
        double[] mu = LinearGaussianConditional.mean(x);
        double[][] s = LinearGaussianConditional.covariance();
        // At the mean: −½ log det(2πΣ), det by cofactors.
        double det = s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1])
                - s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0])
                + s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
        float[] atMean = {(float) mu[0], (float) mu[1], (float) mu[2]};
        double atMeanWant = -0.5 * Math.log(Math.pow(2 * Math.PI, 3) * det);
        assertEquals(atMeanWant, LinearGaussianConditional.logDensity(atMean, x), 1e-5);

        int n = 200_000;
        float[][][] p = LinearGaussianConditional.pairs(n, new Rng(seed + 1));
        double nll = 0;
        for (int i = 0; i < n; i++) nll -= LinearGaussianConditional.logDensity(p[0][i], p[1][i]) / n;
        // The NLL of a 3-D Gaussian has variance 3/2: a standard error of 0.0027 here.
        assertEquals(LinearGaussianConditional.entropy(), nll, 0.012, "mean NLL vs entropy" + TestSeeds.replay(seed));
    }

    @Test
    void badArgumentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearGaussianConditional.pairs(-1, new Rng(1)));
        assertTrue(e.getMessage().contains("-1 pairs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearGaussianConditional.measure(null, null, 10, new Rng(1), new float[3], 1, new Rng(2)));
        assertTrue(e.getMessage().contains("2 samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearGaussianConditional.measure(null, null, 10, new Rng(1), new float[2], 100, new Rng(2)));
        assertTrue(e.getMessage().contains("x has 2 values"), e.getMessage());
    }
}
