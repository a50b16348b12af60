package org.jsbi.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.Backends;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.testing.DiagonalGaussianEstimator;
import org.jsbi.testing.InterruptingPrior;
import org.jsbi.testing.NoisyIdentity;
import org.jsbi.testing.TestSeeds;
import org.jsbi.train.EstimatorFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NPE on x = θ + N(0, 0.3² I) with θ ~ U(0, 1)²: the posterior is a Gaussian truncated to the unit square, so a good
 * share of the estimator's mass leaks outside the prior and the corrections are exercised.
 */
class DirectPosteriorTest {

    static final Prior PRIOR = Priors.boxUniform(2, 0, 1);
    static final long SEED = TestSeeds.seed(20);
    static DirectPosterior posterior;

    @BeforeAll
    static void train() {
        NpeResult r = new Npe(NpeConfig.defaults().withEstimator(EstimatorFactory.mdn())
                .withTraining(NpeConfig.defaults().training().withSeed(SEED)))
                .run(new NoisyIdentity(0.3), PRIOR, 4_000, SEED);
        assertEquals(4_000, r.simulationsUsed());
        assertEquals(0, r.excludedNonFinite());
        posterior = r.posterior(PRIOR);
    }

    @Test
    void samplesLieInTheSupportAndAreReproducible() {
        float[] x = {0.9f, 0.1f};
        float[][] s = posterior.sample(3_000, x, 7);
        assertEquals(3_000, s.length);
        double m0 = 0, m1 = 0;
        for (float[] t : s) {
            assertTrue(PRIOR.inSupport(t));
            m0 += t[0];
            m1 += t[1];
        }
        // N(0.9, 0.3²) truncated to [0, 1] has mean 0.9 + 0.3·(φ(−3) − φ(1/3))/(Φ(1/3) − Φ(−3)) = 0.722; the other 0.278.
        assertEquals(0.722, m0 / s.length, 0.04, "posterior mean" + TestSeeds.replay(SEED));
        assertEquals(0.278, m1 / s.length, 0.04, "posterior mean" + TestSeeds.replay(SEED));
        assertArrayEquals(s[17], posterior.sample(3_000, x, 7)[17]);
    }

    /** With the leakage correction the density integrates to 1 over the support (midpoint rule, 200 x 200). */
    @Test
    void leakageCorrectedDensityIsNormalised() {
        float[] x = {1.3f, -0.3f};
        double acc = posterior.acceptanceRate(x);
        assertTrue(acc < 0.97, "an observation beyond the corner makes the estimator leak: acceptance " + acc);
        int g = 200;
        float[][] grid = new float[g * g][];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) grid[i * g + j] = new float[] {(i + 0.5f) / g, (j + 0.5f) / g};
        }
        double[] lp = posterior.logProb(grid, x);
        double mass = 0;
        for (double v : lp) mass += Math.exp(v) / (g * g);
        assertEquals(1.0, mass, 0.03, "∫ p(θ|x) dθ over the support" + TestSeeds.replay(SEED));
        assertEquals(Double.NEGATIVE_INFINITY, posterior.logProb(new float[][] {{1.5f, 0.5f}}, x)[0]);
        assertEquals(acc, posterior.acceptanceRate(x.clone()), 0.0, "cached per observation");
    }

    /** MAP is the argmax of the estimated posterior: compare with a brute-force search on a 100 x 100 grid. */
    @Test
    void mapFindsTheModeOfTheEstimatedPosterior() {
        float[] x = {0.4f, 0.6f};
        float[] map = posterior.map(x, 3);
        int g = 100;
        float[][] grid = new float[g * g][];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) grid[i * g + j] = new float[] {(i + 0.5f) / g, (j + 0.5f) / g};
        }
        double[] lp = posterior.logProb(grid, x);
        int best = 0;
        for (int i = 1; i < lp.length; i++) {
            if (lp[i] > lp[best]) best = i;
        }
        double mapLp = posterior.logProb(new float[][] {map}, x)[0];
        assertTrue(mapLp >= lp[best] - 1e-4, "MAP log-density " + mapLp + " below the grid's best " + lp[best]);
        assertEquals(grid[best][0], map[0], 0.03, "MAP" + TestSeeds.replay(SEED));
        assertEquals(grid[best][1], map[1], 0.03, "MAP" + TestSeeds.replay(SEED));
        // and the estimated mode is near the true one (0.4, 0.6)
        assertEquals(0.4, map[0], 0.15, "MAP" + TestSeeds.replay(SEED));
        assertEquals(0.6, map[1], 0.15, "MAP" + TestSeeds.replay(SEED));
    }

    /**
     * A posterior much narrower than a MAP step (σ = 0.01, learning rate 0.01 in z-units of 1): every full step
     * overshoots, so the search must shrink its steps to refine the best start (1.4σ from the mode in 10-D).
     */
    @Test
    void mapRefinesANarrowPosteriorToItsMode() {
        int d = 10;
        float[] mu = new float[d], sigma = new float[d];
        for (int i = 0; i < d; i++) {
            mu[i] = 0.1f * i - 0.3f;
            sigma[i] = 0.01f;
        }
        DirectPosterior narrow = new DirectPosterior(new DiagonalGaussianEstimator(Backends.current(), mu, sigma, 1f),
                Priors.boxUniform(d, -3, 3), PosteriorConfig.defaults());
        float[] x = {0f};
        float[] map = narrow.map(x, 7);
        double distance = 0;
        for (int i = 0; i < d; i++) distance += Math.pow((map[i] - mu[i]) / sigma[i], 2);
        assertTrue(Math.sqrt(distance) < 0.05, "MAP is " + Math.sqrt(distance) + " σ from the mode");
        double[] lp = narrow.logProbUncorrected(new float[][] {map, mu}, x);
        assertEquals(lp[1], lp[0], 1e-3, "log q at the MAP against at the mode");
        assertArrayEquals(map, narrow.map(x, 7), "the same seed gives the same MAP");
    }

    /**
     * q = N((3, 1), I) on the box [−2, 2]²: the constrained maximum is (2, 1), on the edge. A coordinate at the edge
     * must not hold back the other one, and the edge itself must be reached, not stopped one step short of.
     */
    @Test
    void mapReachesTheConstrainedMaximumOnTheSupportsEdge() {
        DirectPosterior edge = new DirectPosterior(new DiagonalGaussianEstimator(Backends.current(),
                new float[] {3f, 1f}, new float[] {1f, 1f}, 1f),
                Priors.boxUniform(2, -2, 2), PosteriorConfig.defaults());
        for (long seed = 1; seed <= 3; seed++) {
            float[] map = edge.map(new float[] {0f}, seed);
            assertEquals(2.0, map[0], 1e-4, "MAP on the edge, seed " + seed);
            assertEquals(1.0, map[1], 1e-3, "MAP along the edge, seed " + seed);
        }
    }

    /** The same on a support without box bounds: a log-normal prior (θ > 0) under q = N((−1, 1), I). */
    @Test
    void mapApproachesTheEdgeOfASupportWithoutBounds() {
        DirectPosterior edge = new DirectPosterior(new DiagonalGaussianEstimator(Backends.current(),
                new float[] {-1f, 1f}, new float[] {1f, 1f}, 1f),
                Priors.logNormal(new double[] {0, 0}, new double[] {1, 1}), PosteriorConfig.defaults());
        float[] map = edge.map(new float[] {0f}, 1);
        assertTrue(map[0] > 0 && map[0] < 1e-4, "MAP next to the edge θ₀ = 0: " + map[0]);
        assertEquals(1.0, map[1], 1e-3, "MAP along the edge");
    }

    @Test
    void manyObservationsAtOnce() {
        float[][][] s = posterior.sample(500, new float[][] {{0.2f, 0.2f}, {0.8f, 0.8f}}, 5);
        assertEquals(2, s.length);
        double a = 0, b = 0;
        for (int i = 0; i < 500; i++) {
            a += s[0][i][0];
            b += s[1][i][0];
        }
        assertTrue(a / 500 < 0.4 && b / 500 > 0.6, "each observation gets its own posterior");
    }

    /** Observation 1 of three is interrupted: it is named, and observation 0's finished samples are handed back. */
    @Test
    void anInterruptedObservationKeepsTheSamplesOfThoseBeforeIt() {
        float[][] xs = {{0.5f, 0.5f}, {0.4f, 0.6f}, {0.6f, 0.4f}};
        // Interrupted while checking observation 0's first draw: its one pass finishes it, observation 1 stops at once.
        DirectPosterior interrupted = new DirectPosterior(posterior.estimator(),
                InterruptingPrior.onSupportCheck(PRIOR, 1), posterior.config());
        BatchSamplingIncompleteException e;
        try {
            e = assertThrows(BatchSamplingIncompleteException.class, () -> interrupted.sample(200, xs, 5));
        } finally {
            Thread.interrupted();
        }
        assertTrue(e.interrupted());
        assertEquals(1, e.observation());
        assertTrue(e.getMessage().contains("observation 1 (of 3"), e.getMessage());
        assertEquals(0, e.accepted().length, "observation 1 was stopped before its first pass");
        assertEquals(1, e.finished().length);
        float[][] again = posterior.sample(200, xs[0], 5);
        assertEquals(200, e.finished()[0].length);
        for (int i = 0; i < 200; i++) assertArrayEquals(again[i], e.finished()[0][i]);
    }

    @Test
    void badObservationsAndTimeouts() {
        InvalidObservationException e = assertThrows(InvalidObservationException.class,
                () -> posterior.sample(10, new float[] {0.5f}, 1));
        assertTrue(e.getMessage().contains("1 values") && e.getMessage().contains("2-dimensional"), e.getMessage());
        e = assertThrows(InvalidObservationException.class, () -> posterior.sample(10, new float[] {0.5f, Float.NaN}, 1));
        assertTrue(e.getMessage().contains("value 1 is NaN"), e.getMessage());
        DirectPosterior hurried = new DirectPosterior(posterior.estimator(), PRIOR,
                PosteriorConfig.defaults().withTimeLimitSeconds(1e-6).withMaxProposalBatch(1_000));
        SamplingIncompleteException t = assertThrows(SamplingIncompleteException.class,
                () -> hurried.sample(1_000_000, new float[] {0.5f, 0.5f}, 1));
        assertTrue(t.getMessage().contains("time limit"), t.getMessage());
        assertTrue(!t.getMessage().contains("outside the training data"), t.getMessage());
        assertTrue(t.accepted().length < 1_000_000);
        // x = θ + noise has a training sd of about 0.42: 50 lies over a hundred of them out, and the message says so
        t = assertThrows(SamplingIncompleteException.class, () -> hurried.sample(1_000_000, new float[] {0.5f, 50f}, 1));
        assertTrue(t.getMessage().contains("outside the training data: its feature 1 (from 0) is"), t.getMessage());
        assertTrue(t.getMessage().contains("(1 of 2 features lie more than 10 out)"), t.getMessage());
        assertEquals("", posterior.observationNote(new float[] {1.3f, -0.3f}), "a corner of the data is not far out");
    }
}
