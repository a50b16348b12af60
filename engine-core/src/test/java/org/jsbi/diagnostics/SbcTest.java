package org.jsbi.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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

    /** Samples of N(x/2 + shift, scale² / 2). */
    private static Sbc.Sampler sampler(double scale, double shift) {
        return (n, x, seed) -> {
            Random r = new Random(seed);
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
    void withoutADensityOnlyRanksAreComputed() {
        float[][][] p = pairs(3);
        Sbc.Result r = Sbc.run(p[0], p[1], sampler(1, 0), null, 50, 1, null);
        assertEquals(0, r.hdrShare().length);
        assertThrows(IllegalStateException.class, () -> r.expectedCoverage(0.5));
    }

    @Test
    void progressIsReportedAndAnInterruptKeepsTheTestsDone() {
        float[][][] p = pairs(3);
        long[] seen = {0};
        int[] calls = {0};
        // Progress after every 100,000 / 200 = 500 tests; the interrupt comes during the first block.
        Sbc.Sampler interrupting = (n, x, seed) -> {
            if (++calls[0] == 10) Thread.currentThread().interrupt();
            return sampler(1, 0).sample(n, x, seed);
        };
        try {
            Sbc.Result r = Sbc.run(p[0], p[1], interrupting, density(1, 0), SAMPLES, 1, (done, total) -> seen[0] = done);
            assertEquals(500, r.tests());
            assertEquals(500, r.hdrShare().length);
            assertEquals(500, seen[0]);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void testsWithoutSamplesAreSkippedAndCounted() {
        float[][][] p = pairs(4);
        Sbc.Sampler everyThird = (n, x, seed) -> seed % 3 == 0 ? null : sampler(1, 0).sample(n, x, seed);
        Sbc.Result r = Sbc.run(p[0], p[1], everyThird, density(1, 0), 50, 0, null);
        assertEquals(334, r.skipped());
        assertEquals(TESTS - 334, r.tests());
        assertEquals(r.tests(), r.hdrShare().length);
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
