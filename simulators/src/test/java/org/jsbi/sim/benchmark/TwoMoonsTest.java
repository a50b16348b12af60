package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.random.CounterRandom;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** two_moons: the x formula, the implied radius and angle, and the reference observations and posteriors. */
class TwoMoonsTest {

    private static final double S = 1.0 / Math.sqrt(2.0);

    /** (u, v) = x minus its θ-dependent shift: the point r·(cos a, sin a) of the half circle. */
    private static double[] circlePoint(double x1, double x2, double t1, double t2) {
        double u = x1 + Math.abs(t1 + t2) * S - 0.25;
        double v = x2 - (t2 - t1) * S;
        return new double[] {u, v};
    }

    @Test
    void xFollowsTheFormulaWithTheDocumentedDraws() {
        TwoMoons sim = new TwoMoons();
        long seed = TestSeeds.seed(77);
        float[] theta = {0.3f, -0.55f};
        int n = 50;
        float[] x = TaskTesting.simulateAt(sim, theta, n, seed);
        for (int i = 0; i < n; i++) {
            CounterRandom rng = new CounterRandom(seed, i, 0);
            double a = Math.PI * (rng.nextDouble() - 0.5);
            double r = 0.1 + 0.01 * rng.nextGaussian();
            double x1 = r * Math.cos(a) + 0.25 - Math.abs(theta[0] + theta[1]) / Math.sqrt(2);
            double x2 = r * Math.sin(a) + (theta[1] - theta[0]) / Math.sqrt(2);
            assertEquals(x1, x[2 * i], 1e-6, "x1 of simulation " + i + TestSeeds.replay(seed));
            assertEquals(x2, x[2 * i + 1], 1e-6, "x2 of simulation " + i + TestSeeds.replay(seed));
        }
    }

    @Test
    void impliedRadiusAndAngleHaveTheirDistributions() {
        TwoMoons sim = new TwoMoons();
        long seed = TestSeeds.seed(78);
        float[] theta = {-0.4f, 0.7f};
        int n = 20_000;
        float[] x = TaskTesting.simulateAt(sim, theta, n, seed);
        double rs = 0, rq = 0, as = 0, aq = 0;
        for (int i = 0; i < n; i++) {
            double[] p = circlePoint(x[2 * i], x[2 * i + 1], theta[0], theta[1]);
            double r = Math.hypot(p[0], p[1]), a = Math.atan2(p[1], p[0]);
            assertTrue(p[0] > -1e-6, "the half circle lies at u >= 0; got u = " + p[0] + TestSeeds.replay(seed));
            rs += r;
            rq += r * r;
            as += a;
            aq += a * a;
        }
        double rMean = rs / n, rSd = Math.sqrt(rq / n - rMean * rMean);
        double aMean = as / n, aSd = Math.sqrt(aq / n - aMean * aMean);
        assertEquals(0.1, rMean, 5 * 0.01 / Math.sqrt(n), "radius mean" + TestSeeds.replay(seed));
        assertEquals(0.01, rSd, 0.0005, "radius sd" + TestSeeds.replay(seed));
        // a ~ U(−π/2, π/2): mean 0, sd π/√12.
        assertEquals(0.0, aMean, 5 * (Math.PI / Math.sqrt(12)) / Math.sqrt(n), "angle mean" + TestSeeds.replay(seed));
        assertEquals(Math.PI / Math.sqrt(12), aSd, 0.01, "angle sd" + TestSeeds.replay(seed));
    }

    @Test
    void referenceObservationsLieOnTheMoonOfTheirTrueParameters() {
        for (int k = 1; k <= 10; k++) {
            float[] xo = ReferenceData.observation(TwoMoons.NAME, k), theta = ReferenceData.trueParameters(TwoMoons.NAME, k);
            double[] p = circlePoint(xo[0], xo[1], theta[0], theta[1]);
            double r = Math.hypot(p[0], p[1]);
            assertTrue(p[0] > -1e-6, "obs" + k + ": u = " + p[0]);
            assertTrue(Math.abs(r - 0.1) < 0.045, "obs" + k + ": implied radius " + r + " is over 4.5 sd from 0.1");
        }
    }

    @Test
    void referencePosteriorSamplesAreExplainedByTheSimulator() {
        // Every reference sample must put x_o on its own moon (radius ≈ N(0.1, 0.01), u >= 0), and the true θ must lie
        // among the samples; a sign error in the rotation or the fold would break both.
        for (int k : new int[] {1, 5}) {
            float[] xo = ReferenceData.observation(TwoMoons.NAME, k), truth = ReferenceData.trueParameters(TwoMoons.NAME, k);
            float[][] samples = ReferenceData.referencePosteriorSamples(TwoMoons.NAME, k);
            double rs = 0, rq = 0, nearest = Double.POSITIVE_INFINITY;
            for (float[] t : samples) {
                double[] p = circlePoint(xo[0], xo[1], t[0], t[1]);
                assertTrue(p[0] > -1e-5, "obs" + k + ": sample " + t[0] + ", " + t[1] + " has u = " + p[0]);
                double r = Math.hypot(p[0], p[1]);
                rs += r;
                rq += r * r;
                nearest = Math.min(nearest, Math.hypot(t[0] - truth[0], t[1] - truth[1]));
            }
            int n = samples.length;
            double mean = rs / n, sd = Math.sqrt(rq / n - mean * mean);
            assertEquals(0.1, mean, 0.001, "obs" + k + " implied radius mean");
            assertEquals(0.01, sd, 0.0005, "obs" + k + " implied radius sd");
            assertTrue(nearest < 0.02, "obs" + k + ": θ_true is " + nearest + " from the nearest reference sample");
        }
    }
}
