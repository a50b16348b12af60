package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** gaussian_mixture: x − θ ~ 0.5·N(0, I) + 0.5·N(0, 0.01·I) with one component per simulation. */
class GaussianMixtureTest {

    @Test
    void noiseIsTheTwoScaleMixtureWithASharedComponent() {
        GaussianMixture sim = new GaussianMixture();
        long seed = TestSeeds.seed(61);
        float[] theta = {3.5f, -7.25f};
        int n = 40_000;
        float[] x = TaskTesting.simulateAt(sim, theta, n, seed);
        double m1 = 0, m2 = 0, v1 = 0, v2 = 0, prod = 0;
        double[] thresholds = {0.005, 0.02, 0.1, 0.5, 2.0, 6.0};
        int[] below = new int[thresholds.length];
        for (int i = 0; i < n; i++) {
            double d1 = x[2 * i] - theta[0], d2 = x[2 * i + 1] - theta[1];
            m1 += d1;
            m2 += d2;
            v1 += d1 * d1;
            v2 += d2 * d2;
            prod += d1 * d1 * d2 * d2;
            double r2 = d1 * d1 + d2 * d2;
            for (int k = 0; k < thresholds.length; k++) if (r2 < thresholds[k]) below[k]++;
        }
        // Var(d) = 0.5·1 + 0.5·0.01 = 0.505; E[d⁴] = 3·(0.5 + 0.5·1e-4), so sd(d²) ≈ 1.16.
        assertEquals(0, m1 / n, 5 * Math.sqrt(0.505 / n), TestSeeds.replay(seed));
        assertEquals(0, m2 / n, 5 * Math.sqrt(0.505 / n), TestSeeds.replay(seed));
        assertEquals(0.505, v1 / n, 5 * 1.16 / Math.sqrt(n), TestSeeds.replay(seed));
        assertEquals(0.505, v2 / n, 5 * 1.16 / Math.sqrt(n), TestSeeds.replay(seed));
        // One component for both dimensions: E[d1² d2²] = 0.5·1 + 0.5·1e-4 ≈ 0.5; independent components would give
        // 0.505² ≈ 0.255. sd of d1²d2² ≈ 2.1.
        assertEquals(0.50005, prod / n, 5 * 2.1 / Math.sqrt(n), "shared component" + TestSeeds.replay(seed));
        // |x − θ|²/σ² is χ²₂: P(|x − θ|² < t) = 0.5(1 − e^{−t/2}) + 0.5(1 − e^{−t/0.02}).
        for (int k = 0; k < thresholds.length; k++) {
            double t = thresholds[k];
            double expected = 0.5 * (1 - Math.exp(-t / 2)) + 0.5 * (1 - Math.exp(-t / 0.02));
            assertEquals(expected, (double) below[k] / n, 5 * Math.sqrt(expected * (1 - expected) / n),
                    "P(|x-θ|² < " + t + ")" + TestSeeds.replay(seed));
        }
    }
}
