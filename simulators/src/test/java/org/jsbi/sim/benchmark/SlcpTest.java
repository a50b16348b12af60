package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** slcp: the four pairwise-flattened draws are i.i.d. N(m, S); the reference observations fit their θ_true. */
class SlcpTest {

    /** S of TASKS.md for θ. */
    static double[][] covariance(float[] t) {
        double s1 = (double) t[2] * t[2], s2 = (double) t[3] * t[3], rho = Math.tanh(t[4]);
        return new double[][] {{s1 * s1 + 1e-6, rho * s1 * s2}, {rho * s1 * s2, s2 * s2 + 1e-6}};
    }

    @Test
    void eachDrawHasMeanMAndCovarianceS() {
        Slcp sim = new Slcp();
        long seed = TestSeeds.seed(31);
        float[] theta = {0.7f, -1.2f, 1.3f, -0.9f, 0.6f};
        double[][] s = covariance(theta);
        int n = 10_000;
        float[] x = TaskTesting.simulateAt(sim, theta, n, seed);
        // All 8 columns at once: draw j is columns (2j, 2j+1); draws are independent of one another.
        double[] flat = new double[n * 8];
        for (int i = 0; i < n * 8; i++) flat[i] = x[i];
        double[][] c = TaskTesting.covariance(flat, n, 8);
        double[] m = TaskTesting.mean(x, n, 8);
        for (int a = 0; a < 8; a++) {
            double sdA = Math.sqrt(s[a % 2][a % 2]);
            assertEquals(theta[a % 2], m[a], 5 * sdA / Math.sqrt(n), "mean of column " + a + TestSeeds.replay(seed));
            for (int b = 0; b < 8; b++) {
                double sdB = Math.sqrt(s[b % 2][b % 2]);
                double expected = a / 2 == b / 2 ? s[a % 2][b % 2] : 0.0;
                // Var of a sample covariance is (σ_a²σ_b² + σ_ab²)/n.
                double se = Math.sqrt((sdA * sdA * sdB * sdB + expected * expected) / n);
                assertEquals(expected, c[a][b], 5 * se, "cov[" + a + "][" + b + "]" + TestSeeds.replay(seed));
            }
        }
    }

    @Test
    void degenerateCovariancesStayFiniteAndKeepTheJitter() {
        // θ3 = 0 leaves only the 1e-6 jitter on the first coordinate; θ5 = 30 makes ρ round to 1.
        Slcp sim = new Slcp();
        long seed = TestSeeds.seed(32);
        float[] theta = {1f, 2f, 0f, 2.5f, 30f};
        int n = 20_000;
        float[] x = TaskTesting.simulateAt(sim, theta, n, seed);
        double q = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                assertTrue(Float.isFinite(x[i * 8 + 2 * j]) && Float.isFinite(x[i * 8 + 2 * j + 1]));
                double d = x[i * 8 + 2 * j] - 1.0;
                q += d * d;
            }
        }
        assertEquals(1e-6, q / (4 * n), 0.05e-6, "first-coordinate variance at θ3 = 0" + TestSeeds.replay(seed));
    }

    @Test
    void referenceObservationsAreLikelyUnderTheirTrueParameters() {
        double total = 0;
        for (int k = 1; k <= 10; k++) {
            float[] xo = ReferenceData.observation(Slcp.NAME, k), theta = ReferenceData.trueParameters(Slcp.NAME, k);
            assertEquals(8, xo.length);
            double[][] s = covariance(theta);
            double chi2 = 0;
            for (int j = 0; j < 4; j++) {
                chi2 += TaskTesting.mahalanobis2(new double[] {xo[2 * j] - theta[0], xo[2 * j + 1] - theta[1]}, s);
            }
            // χ²₈ under the pairwise layout: P(> 30) ≈ 2e-4. A block layout (x1a, x2a, ...) gives values in the hundreds.
            assertTrue(chi2 < 30, "obs" + k + ": χ² = " + chi2);
            total += chi2;
        }
        // χ²₈₀ over the ten: mean 80, sd 12.6.
        assertTrue(total > 35 && total < 140, "total χ² = " + total);
    }
}
