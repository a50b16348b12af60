package org.jsbi.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.posterior.SamplingIncompleteFixture;
import org.junit.jupiter.api.Test;

/**
 * SBC on the conjugate model θ ~ N(0, I₂), x ~ N(θ, I₂), whose posterior is N(x/2, I/2): exact samples pass, and an
 * overconfident, a conservative and a biased posterior each fail in their own way.
 */
class SbcTest {

    private static final int TESTS = 1_000, SAMPLES = 200;

    private static float[][][] pairs(long seed) {
        Random r = new Random(seed);
        float[][] theta = new float[TESTS][2], x = new float[TESTS][2];
        for (int i = 0; i < TESTS; i++) {
            for (int c = 0; c < 2; c++) {
                theta[i][c] = (float) r.nextGaussian();
                x[i][c] = (float) (theta[i][c] + r.nextGaussian());
            }
        }
        return new float[][][] {theta, x};
    }

    /**
     * Samples of N(x/2 + shift, scale² / 2). The seed is mixed first: java.util.Random's streams for consecutive seeds
     * (test i samples with seed + i) start alike (their first Gaussians correlate at about 0.8), which ties the tests'
     * ranks together and, with few samples per test, fails an exact posterior.
     */
    private static Sbc.Sampler sampler(double scale, double shift) {
        return (n, x, seed) -> {
            Random r = new Random(new SplittableRandom(seed).nextLong());
            float[][] out = new float[n][2];
            for (int l = 0; l < n; l++) {
                for (int c = 0; c < 2; c++) {
                    out[l][c] = (float) (x[c] / 2 + shift + scale * Math.sqrt(0.5) * r.nextGaussian());
                }
            }
            return out;
        };
    }

    private static Sbc.Density density(double scale, double shift) {
        return (theta, x) -> {
            double[] lp = new double[theta.length];
            double var = scale * scale * 0.5;
            for (int i = 0; i < theta.length; i++) {
                for (int c = 0; c < 2; c++) {
                    double z = theta[i][c] - x[c] / 2 - shift;
                    lp[i] -= z * z / (2 * var);
                }
            }
            return lp;
        };
    }

    private static Sbc.Result run(double scale, double shift) {
        float[][][] p = pairs(11);
        return Sbc.run(p[0], p[1], sampler(scale, shift), density(scale, shift), SAMPLES, 5, null);
    }

    @Test
    void theExactPosteriorIsCalibrated() {
        Sbc.Result r = run(1, 0);
        assertEquals(TESTS, r.tests());
        assertEquals(2, r.dim());
        for (int d = 0; d < 2; d++) assertTrue(r.rankPValue(d) > 0.01, "rank p " + r.rankPValue(d));
        assertTrue(r.coveragePValue() > 0.01, "coverage p " + r.coveragePValue());
        for (double level : new double[] {0.5, 0.9, 0.95}) {
            assertEquals(level, r.expectedCoverage(level), 0.04, "coverage at " + level);
        }
        assertTrue(r.maxCoverageError() < 0.05, "max coverage error " + r.maxCoverageError());
    }

    @Test
    void anOverconfidentPosteriorCoversTooLittle() {
        Sbc.Result r = run(0.6, 0);
        assertTrue(r.expectedCoverage(0.9) < 0.7, "coverage at 90% " + r.expectedCoverage(0.9));
        assertTrue(r.rankPValue(0) < 1e-6 && r.coveragePValue() < 1e-6);
    }

    @Test
    void aConservativePosteriorCoversTooMuch() {
        Sbc.Result r = run(1.6, 0);
        assertTrue(r.expectedCoverage(0.5) > 0.7, "coverage at 50% " + r.expectedCoverage(0.5));
        assertTrue(r.rankPValue(1) < 1e-6);
    }

    @Test
    void aBiasedPosteriorFailsTheRankTest() {
        Sbc.Result r = run(1, 0.4);
        assertTrue(r.rankPValue(0) < 1e-6 && r.rankPValue(1) < 1e-6);
        double meanRank = 0;
        for (int[] rk : r.ranks()) meanRank += rk[0] / (double) TESTS;
        assertTrue(meanRank < 0.35 * SAMPLES, "θ* sits low among samples shifted up: mean rank " + meanRank);
    }

    @Test
    void theExactPosteriorIsCalibratedWithFewSamplesPerTest() {
        // Ranks among L = 10 samples take 11 values: against the continuous uniform even exactly uniform ranks sat
        // 1/22 off it, so every run of 1,000 tests got p < 1e-3, and the coverage at 50% was 5/11 = 0.45.
        float[][][] p = pairs(11);
        Sbc.Result r = Sbc.run(p[0], p[1], sampler(1, 0), density(1, 0), 10, 5, null);
        for (int d = 0; d < 2; d++) assertTrue(r.rankPValue(d) > 0.01, "rank p " + r.rankPValue(d));
        assertTrue(r.coveragePValue() > 0.01, "coverage p " + r.coveragePValue());
        for (double level : new double[] {0.5, 0.8, 0.9}) {
            assertEquals(level, r.expectedCoverage(level), 0.03, "coverage at " + level);
        }
        assertEquals(0.5, r.meanRank(0), 0.03);
        // And a posterior too narrow by a factor 0.6 still fails at this L.
        Sbc.Result narrow = Sbc.run(p[0], p[1], sampler(0.6, 0), density(0.6, 0), 10, 5, null);
        assertTrue(narrow.rankPValue(0) < 1e-4 && narrow.coveragePValue() < 1e-6);
        assertTrue(narrow.expectedCoverage(0.9) < 0.75, "coverage at 90% " + narrow.expectedCoverage(0.9));
    }

    @Test
    void tiesWithTheTrueParameterAreSpreadOverTheirRanks() {
        // θ uniform on {0, 1, 2, 3}, an uninformative x, and the exact posterior (the prior, with a flat density):
        // θ* ties with a quarter of the samples and with all their densities. Counted as above θ*, the ranks piled
        // low (p ~ 0) and θ* lay inside every highest-density region (coverage 1 at every level).
        Random rnd = new Random(2);
        float[][] theta = new float[TESTS][1], x = new float[TESTS][1];
        for (float[] t : theta) t[0] = rnd.nextInt(4);
        Sbc.Sampler prior = (n, obs, seed) -> {
            Random r = new Random(new SplittableRandom(seed).nextLong());
            float[][] out = new float[n][1];
            for (float[] o : out) o[0] = r.nextInt(4);
            return out;
        };
        Sbc.Density flat = (t, obs) -> new double[t.length];
        Sbc.Result r = Sbc.run(theta, x, prior, flat, 40, 9, null);
        assertTrue(r.rankPValue(0) > 0.01, "rank p " + r.rankPValue(0));
        assertTrue(r.coveragePValue() > 0.01, "coverage p " + r.coveragePValue());
        for (double level : new double[] {0.1, 0.5, 0.9}) {
            assertEquals(level, r.expectedCoverage(level), 1e-9, "coverage at " + level);
        }
        assertEquals(0.5, r.meanRank(0), 0.03);
        int ties = 0;
        for (int[] t : r.rankTies()) ties += t[0];
        assertEquals(0.25 * 40 * TESTS, ties, 0.05 * 40 * TESTS);
    }

    @Test
    void spreadRanksGiveTheDiscreteKsStatisticAndTheirLargestGapIsOnACellEdge() {
        Random rnd = new Random(4);
        int n = 200, samples = 12;
        int[] below = new int[n], none = new int[n], ties = new int[n];
        for (int i = 0; i < n; i++) {
            below[i] = rnd.nextInt(samples + 1);
            ties[i] = rnd.nextInt(samples + 1 - below[i]);
        }
        // Without ties: the KS statistic of the ranks against the uniform on {0, …, L}, max_k |F_n(k) − (k+1)/(L+1)|.
        double discrete = 0;
        for (int k = 0; k <= samples; k++) {
            int atMost = 0;
            for (int b : below) if (b <= k) atMost++;
            discrete = Math.max(discrete, Math.abs(atMost / (double) n - (k + 1.0) / (samples + 1)));
        }
        assertEquals(discrete, new SpreadRanks(below, none, samples).ksDistance(), 1e-12);
        // With ties: the sup over a fine grid of u is the value at the cell edges.
        SpreadRanks spread = new SpreadRanks(below, ties, samples);
        double sup = 0;
        for (int k = 0; k <= 13_000; k++) sup = Math.max(sup, Math.abs(spread.cdf(k / 13_000.0) - k / 13_000.0));
        assertEquals(sup, spread.ksDistance(), 1e-12);
        assertEquals(1.0, spread.cdf(1), 1e-12);
        assertEquals(0.0, spread.cdf(0), 0);
    }

    @Test
    void aNaNSampleOrDensityIsRefusedNotRankedLow() {
        float[][][] p = pairs(3);
        Sbc.Sampler nan = (n, x, seed) -> {
            float[][] s = sampler(1, 0).sample(n, x, seed);
            if (seed == 4) s[7][1] = Float.NaN;
            return s;
        };
        assertMessage("NaN in dimension 1 of sample 7 of test 3", () -> Sbc.run(p[0], p[1], nan, null, 10, 1, null));
        Sbc.Density nanAtTruth = (t, x) -> {
            double[] lp = density(1, 0).logDensity(t, x);
            lp[t.length - 1] = Double.NaN;
            return lp;
        };
        assertMessage("density of test 0's true parameter is NaN", () -> Sbc.run(p[0], p[1], sampler(1, 0),
                nanAtTruth, 10, 1, null));
        Sbc.Density nanAtSample = (t, x) -> {
            double[] lp = density(1, 0).logDensity(t, x);
            lp[2] = Double.NaN;
            return lp;
        };
        assertMessage("density of sample 2 of test 0 is NaN", () -> Sbc.run(p[0], p[1], sampler(1, 0), nanAtSample,
                10, 1, null));
        assertMessage("sample 0 of test 0 with 3 values", () -> Sbc.run(p[0], p[1], (n, x, seed) -> new float[n][3],
                null, 10, 1, null));
    }

    @Test
    void withoutADensityOnlyRanksAreComputed() {
        float[][][] p = pairs(3);
        Sbc.Result r = Sbc.run(p[0], p[1], sampler(1, 0), null, 50, 1, null);
        assertEquals(0, r.hdrRanks().length);
        assertThrows(IllegalStateException.class, () -> r.expectedCoverage(0.5));
    }

    @Test
    void progressIsReportedAndAnInterruptStopsBeforeTheNextSamplerCall() {
        float[][][] p = pairs(3);
        List<Long> seen = new ArrayList<>();
        int[] calls = {0};
        // Progress after every test; the interrupt comes during the 510th sampler call.
        Sbc.Sampler interrupting = (n, x, seed) -> {
            if (++calls[0] == 510) Thread.currentThread().interrupt();
            return sampler(1, 0).sample(n, x, seed);
        };
        try {
            Sbc.Result r = Sbc.run(p[0], p[1], interrupting, density(1, 0), SAMPLES, 1, (done, total) -> seen.add(done));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
            assertEquals(510, calls[0], "no sampler call after the interrupt");
            assertEquals(510, r.tests());
            assertEquals(510, r.hdrRanks().length);
            assertEquals(0, r.skipped());
            assertEquals(LongStream.rangeClosed(1, 510).boxed().toList(), seen);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void progressFollowsEveryTestWhenSamplingIsSlow() {
        // 1,000 samples a test, as pyloric calibration takes by default: progress came once per 100 tests, minutes
        // apart when each test's rejection sampling takes seconds (up to the posterior's 60 s time limit).
        float[][][] p = pairs(3);
        float[][] theta = java.util.Arrays.copyOf(p[0], 30), x = java.util.Arrays.copyOf(p[1], 30);
        List<Long> seen = new ArrayList<>();
        Sbc.run(theta, x, sampler(1, 0), null, 1_000, 1, (done, total) -> {
            assertEquals(30, total);
            seen.add(done);
        });
        assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), seen);
    }

    @Test
    void aSamplerGivingUpOnTheInterruptSkipsNothing() {
        // As CalibrationCheck's does: the posterior's sampling stops on the interrupt and the sampler returns null.
        float[][][] p = pairs(3);
        int[] calls = {0};
        Sbc.Sampler givesUp = (n, x, seed) -> {
            if (++calls[0] == 10) Thread.currentThread().interrupt();
            return Thread.currentThread().isInterrupted() ? null : sampler(1, 0).sample(n, x, seed);
        };
        try {
            Sbc.Result r = Sbc.run(p[0], p[1], givesUp, density(1, 0), SAMPLES, 1, null);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
            assertEquals(10, calls[0]);
            assertEquals(9, r.tests());
            assertEquals(0, r.skipped(), "an interrupted test did not run out of time");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aSamplerThrowingOnTheInterruptKeepsTheTestsDone() {
        float[][][] p = pairs(3);
        int[] calls = {0};
        Sbc.Sampler throwing = (n, x, seed) -> {
            if (++calls[0] == 10) Thread.currentThread().interrupt();
            if (Thread.currentThread().isInterrupted()) throw SamplingIncompleteFixture.interrupted(n);
            return sampler(1, 0).sample(n, x, seed);
        };
        try {
            Sbc.Result r = Sbc.run(p[0], p[1], throwing, density(1, 0), SAMPLES, 1, null);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
            assertEquals(10, calls[0]);
            assertEquals(9, r.tests());
            assertEquals(0, r.skipped());
        } finally {
            Thread.interrupted();
        }
        // Without an interrupt the exception is the sampler breaking its contract (null means "no samples"): it passes.
        assertThrows(SamplingIncompleteException.class, () -> Sbc.run(p[0], p[1],
                (n, x, seed) -> { throw SamplingIncompleteFixture.interrupted(n); }, null, SAMPLES, 1, null));
    }

    @Test
    void testsWithoutSamplesAreSkippedAndCounted() {
        float[][][] p = pairs(4);
        Sbc.Sampler everyThird = (n, x, seed) -> seed % 3 == 0 ? null : sampler(1, 0).sample(n, x, seed);
        Sbc.Result r = Sbc.run(p[0], p[1], everyThird, density(1, 0), 50, 0, null);
        assertEquals(334, r.skipped());
        assertEquals(TESTS - 334, r.tests());
        assertEquals(r.tests(), r.hdrRanks().length);
        // The tests kept are those with samples: the same ranks as running them alone.
        Sbc.Result one = Sbc.run(new float[][] {p[0][1]}, new float[][] {p[1][1]}, (n, x, s) -> sampler(1, 0)
                .sample(n, x, 1), density(1, 0), 50, 0, null);
        assertEquals(one.ranks()[0][0], r.ranks()[0][0]);
    }

    @Test
    void kolmogorovSmirnovMatchesKnownValues() {
        // The asymptotic critical values: p = 0.05 at λ = 1.358, p = 0.01 at λ = 1.628.
        int n = 10_000;
        double c = Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n);
        assertEquals(0.05, KolmogorovSmirnov.pValue(1.358 / c, n), 0.001);
        assertEquals(0.01, KolmogorovSmirnov.pValue(1.628 / c, n), 0.0005);
        assertEquals(1.0, KolmogorovSmirnov.pValue(0, 5), 0);
        assertEquals(0.5, KolmogorovSmirnov.statistic(new double[] {0.5}), 0);
        double[] grid = new double[100];
        for (int i = 0; i < 100; i++) grid[i] = (i + 0.5) / 100;
        assertEquals(0.005, KolmogorovSmirnov.statistic(grid), 1e-12);
        assertTrue(KolmogorovSmirnov.uniformPValue(grid) > 0.99);
    }

    @Test
    void kolmogorovSmirnovPValueMatchesTheKolmogorovDistribution() {
        // Q(λ) = 1 − K(λ) for the Kolmogorov distribution K; n so large that Stephens' correction is the identity.
        double n = 1e12, c = Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n);
        assertEquals(0.963945, KolmogorovSmirnov.pValue(0.5 / c, n), 1e-5);
        assertEquals(0.270000, KolmogorovSmirnov.pValue(1.0 / c, n), 1e-5);
        assertEquals(0.129390, KolmogorovSmirnov.pValue(1.17 / c, n), 1e-6);   // either side of the series switch
        assertEquals(0.117742, KolmogorovSmirnov.pValue(1.19 / c, n), 1e-6);
        // Small λ, where the alternating series cut at 100 terms had not converged: 1 to machine precision.
        for (double lambda : new double[] {0.002, 0.01, 0.03, 0.1, 0.2}) {
            assertEquals(1.0, KolmogorovSmirnov.pValue(lambda / c, n), 1e-12, "λ = " + lambda);
        }
    }

    @Test
    void aNearPerfectFitHasPValueNearOne() {
        int n = 300_000;
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) grid[i] = (i + 0.7) / n;
        // D = 0.7/n = 2.3e-6, λ = 0.0013: the cut alternating series gave p = 0.032.
        assertEquals(1.0, KolmogorovSmirnov.uniformPValue(grid), 1e-12);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        float[][][] p = pairs(3);
        Sbc.Sampler s = sampler(1, 0);
        assertMessage("one observation per test parameter", () -> Sbc.run(p[0], new float[3][2], s, null, 10, 1, null));
        assertMessage("at least one test pair", () -> Sbc.run(new float[0][], new float[0][], s, null, 10, 1, null));
        assertMessage("at least 1 posterior sample", () -> Sbc.run(p[0], p[1], s, null, 0, 1, null));
        float[][] bad = p[1].clone();
        bad[4] = new float[] {Float.NaN, 0};
        assertMessage("test observation 4 is not finite", () -> Sbc.run(p[0], bad, s, null, 10, 1, null));
        assertMessage("returned 1 samples for test 0", () -> Sbc.run(p[0], p[1], (n, x, seed) -> new float[1][2], null,
                10, 1, null));
        assertMessage("the KS test got NaN", () -> KolmogorovSmirnov.statistic(new double[] {0.1, Double.NaN}));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        Exception ex = assertThrows(RuntimeException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should contain '" + part + "'");
    }
}
