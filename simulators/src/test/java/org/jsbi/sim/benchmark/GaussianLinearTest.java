package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.dist.MultivariateGaussian;
import org.jsbi.simulation.Simulator;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** gaussian_linear and gaussian_linear_uniform: x − θ ~ N(0, 0.1·I), and the reference observations fit that. */
class GaussianLinearTest {

    private static final int D = 10;

    @Test
    void priorIsGaussianWithVariance01() {
        MultivariateGaussian prior = (MultivariateGaussian) new GaussianLinear().prior();
        double[][] cov = prior.covariance();
        for (int i = 0; i < D; i++) {
            assertEquals(0.0, prior.mean()[i]);
            for (int j = 0; j < D; j++) assertEquals(i == j ? 0.1 : 0.0, cov[i][j], 1e-15);
        }
    }

    @Test
    void noiseHasCovariance01Identity() {
        checkNoise(new GaussianLinear(), new float[] {0.3f, -0.2f, 0.0f, 1.5f, -0.7f, 0.05f, 0.9f, -1.1f, 0.4f, 2.0f});
        checkNoise(new GaussianLinearUniform(), new float[] {0.9f, -0.9f, 0.0f, 0.5f, -0.5f, 1.0f, -1.0f, 0.1f, 0.2f, 0.3f});
    }

    private static void checkNoise(Simulator sim, float[] theta) {
        long seed = TestSeeds.seed(5);
        int n = 20_000;
        float[] x = TaskTesting.simulateAt(sim, theta, n, seed);
        double[] e = new double[n * D];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < D; k++) e[i * D + k] = (double) x[i * D + k] - theta[k];
        }
        double[][] c = TaskTesting.covariance(e, n, D);
        double[] m = TaskTesting.mean(x, n, D);
        for (int a = 0; a < D; a++) {
            assertEquals(theta[a], m[a], 5 * Math.sqrt(0.1 / n), sim.name() + " mean of x" + (a + 1) + TestSeeds.replay(seed));
            // Var of a sample variance is 2σ⁴/n; of a sample covariance σ⁴/n: 5 standard errors each.
            for (int b = 0; b < D; b++) {
                double tol = 5 * 0.1 * Math.sqrt((a == b ? 2.0 : 1.0) / n);
                assertEquals(a == b ? 0.1 : 0.0, c[a][b], tol, sim.name() + " cov[" + a + "][" + b + "]" + TestSeeds.replay(seed));
            }
        }
    }

    @Test
    void referenceObservationsAreConsistentWithTheNoise() {
        for (String task : new String[] {GaussianLinear.NAME, GaussianLinearUniform.NAME}) {
            double total = 0;
            for (int k = 1; k <= 10; k++) {
                float[] xo = ReferenceData.observation(task, k), theta = ReferenceData.trueParameters(task, k);
                assertEquals(D, xo.length);
                assertTrue((task.equals(GaussianLinear.NAME) ? new GaussianLinear() : new GaussianLinearUniform()).prior().inSupport(theta), task + " obs" + k + ": θ_true outside the prior");
                double chi2 = 0;
                for (int i = 0; i < D; i++) chi2 += (xo[i] - theta[i]) * (xo[i] - theta[i]) / 0.1;
                // χ²₁₀: P(> 35) ≈ 1.3e-4. Had the simulator used sd 0.1 instead of variance 0.1, χ² would be ~10x larger.
                assertTrue(chi2 < 35, task + " obs" + k + ": χ² = " + chi2);
                total += chi2;
            }
            // χ²₁₀₀ over the ten observations: mean 100, sd 14.
            assertTrue(total > 50 && total < 160, task + ": total χ² = " + total);
        }
    }

    @Test
    void referencePosteriorMatchesTheConjugateUpdateOfThisPriorAndNoise() {
        // Prior N(0, 0.1 I), noise N(0, 0.1 I): posterior N(x_o/2, 0.05 I). This pins both 0.1s as variances.
        float[] xo = ReferenceData.observation(GaussianLinear.NAME, 1);
        float[][] s = ReferenceData.referencePosteriorSamples(GaussianLinear.NAME, 1);
        float[] flat = new float[s.length * D];
        double[] flatD = new double[s.length * D];
        for (int i = 0; i < s.length; i++) {
            for (int k = 0; k < D; k++) {
                flat[i * D + k] = s[i][k];
                flatD[i * D + k] = s[i][k];
            }
        }
        double[] m = TaskTesting.mean(flat, s.length, D);
        double[][] c = TaskTesting.covariance(flatD, s.length, D);
        for (int k = 0; k < D; k++) {
            assertEquals(xo[k] / 2.0, m[k], 0.01, "posterior mean " + k);
            assertEquals(0.05, c[k][k], 0.003, "posterior variance " + k);
        }
    }
}
