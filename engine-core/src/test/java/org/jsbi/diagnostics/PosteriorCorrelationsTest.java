package org.jsbi.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PosteriorCorrelationsTest {

    // Σ of a 3-D Gaussian and its precision P = Σ⁻¹ (computed below): the conditional of (i, j) given the third is
    // Gaussian with correlation −P_ij / sqrt(P_ii P_jj) wherever the third is fixed.
    private static final double[][] SIGMA = {{1.0, 0.6, 0.3}, {0.6, 1.0, 0.5}, {0.3, 0.5, 1.0}};
    private static final double[] MU = {0.5, -1.0, 2.0};

    private static double[][] inverse3(double[][] m) {
        double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0], h = m[2][1],
                i = m[2][2];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[][] {
            {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
            {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
            {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }

    private static LogDensity gaussian(double[][] p) {
        return theta -> {
            double[] out = new double[theta.length];
            for (int n = 0; n < theta.length; n++) {
                double q = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) q += (theta[n][i] - MU[i]) * p[i][j] * (theta[n][j] - MU[j]);
                }
                out[n] = -0.5 * q;
            }
            return out;
        };
    }

    @Test
    void gaussianConditionalCorrelationIsTheNegatedScaledPrecision() {
        double[][] p = inverse3(SIGMA);
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}, {2, 0}};
        float[][] conditions = {{0.5f, -1.0f, 2.0f}, {1.2f, -0.4f, 2.9f}, {-0.3f, -1.8f, 1.1f}};
        double[] low = {-6, -7, -4}, high = {7, 5, 8};
        PosteriorCorrelations.Conditional r = PosteriorCorrelations.conditional(gaussian(p), conditions, pairs, low,
                high, 50, null);
        assertTrue(r.complete());
        assertEquals(3, r.conditions());
        for (int k = 0; k < pairs.length; k++) {
            int i = pairs[k][0], j = pairs[k][1];
            double truth = -p[i][j] / Math.sqrt(p[i][i] * p[j][j]);
            for (int c = 0; c < conditions.length; c++) {
                assertEquals(truth, r.values()[k][c], 1e-4, "pair " + i + "," + j + " at condition " + c);
            }
            assertEquals(truth, r.mean(k), 1e-4);
            assertEquals(3, r.count(k));
            assertTrue(r.sd(k) < 1e-4);
        }
        // The conditional (partial) correlation differs from the marginal one: Σ's (1, 2) is 0.5, P's gives less.
        assertTrue(Math.abs(r.mean(2) - 0.5) > 0.05);
    }

    @Test
    void independentParametersHaveNoConditionalCorrelation() {
        double[][] p = {{1, 0, 0}, {0, 4, 0}, {0, 0, 0.25}};
        PosteriorCorrelations.Conditional r = PosteriorCorrelations.conditional(gaussian(p),
                new float[][] {{0, 0, 0}}, new int[][] {{0, 1}, {1, 2}}, new double[] {-5, -5, -5},
                new double[] {5, 5, 12}, 40, null);
        assertEquals(0, r.values()[0][0], 1e-9);
        assertEquals(0, r.values()[1][0], 1e-9);
    }

    @Test
    void aTriangularSupportGivesItsExactCorrelation() {
        // Uniform on {a ≤ b} in the unit square: correlation 1/2. Outside the support the density is −∞.
        LogDensity triangle = theta -> {
            double[] out = new double[theta.length];
            for (int n = 0; n < theta.length; n++) out[n] = theta[n][0] <= theta[n][1] ? 0 : Double.NEGATIVE_INFINITY;
            return out;
        };
        PosteriorCorrelations.Conditional r = PosteriorCorrelations.conditional(triangle, new float[][] {{0.5f, 0.5f}},
                new int[][] {{0, 1}}, new double[] {0, 0}, new double[] {1, 1}, 100, null);
        assertEquals(0.5, r.values()[0][0], 0.01);
    }

    @Test
    void degenerateGridsAreNaNAndLeftOutOfTheMean() {
        // −∞ everywhere for condition 0; a finite Gaussian for condition 1.
        double[][] p = inverse3(SIGMA);
        LogDensity g = gaussian(p);
        LogDensity d = theta -> {
            double[] out = g.logDensity(theta);
            for (int n = 0; n < theta.length; n++) if (theta[n][2] > 4) out[n] = Double.NEGATIVE_INFINITY;
            return out;
        };
        PosteriorCorrelations.Conditional r = PosteriorCorrelations.conditional(d, new float[][] {{0, 0, 5}, MUF},
                new int[][] {{0, 1}}, new double[] {-6, -7, -4}, new double[] {7, 5, 8}, 30, null);
        assertTrue(Double.isNaN(r.values()[0][0]));
        assertTrue(Double.isFinite(r.values()[0][1]));
        assertEquals(1, r.count(0));
        assertEquals(r.values()[0][1], r.mean(0), 0);
        assertTrue(Double.isNaN(r.sd(0)));
    }

    private static final float[] MUF = {0.5f, -1.0f, 2.0f};

    @Test
    void batchesSpanConditionsAndPairsInOrderAndReportProgress() {
        double[][] p = inverse3(SIGMA);
        AtomicInteger calls = new AtomicInteger();
        LogDensity g = gaussian(p);
        LogDensity counting = theta -> {
            calls.incrementAndGet();
            assertTrue(theta.length <= PosteriorCorrelations.BATCH_ROWS);
            return g.logDensity(theta);
        };
        long[] last = {0, 0};
        // 10 x 10 grids: 81 units per batch of 8,192 rows; 7 conditions x 3 pairs = 21 units in one call.
        float[][] conditions = new float[7][];
        for (int c = 0; c < 7; c++) conditions[c] = new float[] {0.1f * c, -1f, 2f};
        PosteriorCorrelations.Conditional r = PosteriorCorrelations.conditional(counting, conditions,
                new int[][] {{0, 1}, {0, 2}, {1, 2}}, new double[] {-6, -7, -4}, new double[] {7, 5, 8}, 10,
                (done, total) -> {
                    last[0] = done;
                    last[1] = total;
                });
        assertEquals(1, calls.get());
        assertEquals(21, last[0]);
        assertEquals(21, last[1]);
        assertTrue(r.complete());
        // The same values as one condition at a time.
        for (int c = 0; c < 7; c++) {
            PosteriorCorrelations.Conditional one = PosteriorCorrelations.conditional(g, new float[][] {conditions[c]},
                    new int[][] {{0, 1}, {0, 2}, {1, 2}}, new double[] {-6, -7, -4}, new double[] {7, 5, 8}, 10, null);
            for (int k = 0; k < 3; k++) assertEquals(one.values()[k][0], r.values()[k][c], 0);
        }
    }

    @Test
    void anInterruptStopsAfterTheBatchAndKeepsWhatWasComputed() {
        double[][] p = inverse3(SIGMA);
        LogDensity g = gaussian(p);
        LogDensity interrupting = theta -> {
            Thread.currentThread().interrupt();
            return g.logDensity(theta);
        };
        float[][] conditions = new float[5][];
        for (int c = 0; c < 5; c++) conditions[c] = MUF.clone();
        try {
            // 50 x 50 grids: 3 units per call; 5 conditions x 2 pairs = 10 units.
            PosteriorCorrelations.Conditional r = PosteriorCorrelations.conditional(interrupting, conditions,
                    new int[][] {{0, 1}, {1, 2}}, new double[] {-6, -7, -4}, new double[] {7, 5, 8}, 50, null);
            assertFalse(r.complete());
            assertEquals(1, r.conditionsDone());   // units (0,0), (0,1), (1,0) were computed
            assertTrue(Double.isFinite(r.values()[0][0]) && Double.isFinite(r.values()[1][0]));
            assertTrue(Double.isFinite(r.values()[0][1]) && Double.isNaN(r.values()[1][1]));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void marginalCorrelationsArePearsonsOverTheSamples() {
        Random rng = new Random(7);
        int n = 20_000;
        float[][] s = new float[n][3];
        for (int i = 0; i < n; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            s[i][0] = (float) a;
            s[i][1] = (float) (0.8 * a + 0.6 * b);   // corr 0.8 with column 0
            s[i][2] = (float) (100 + 0.001 * rng.nextGaussian());   // a large mean, a tiny spread: independent
        }
        double[][] r = PosteriorCorrelations.marginal(s);
        assertEquals(1, r[0][0], 1e-12);
        assertEquals(0.8, r[0][1], 0.01);
        assertEquals(r[0][1], r[1][0], 0);
        assertEquals(0, r[0][2], 0.03);
        float[][] constant = {{1, 2}, {1, 3}, {1, 4}};
        assertTrue(Double.isNaN(PosteriorCorrelations.marginal(constant)[0][0]));
        assertTrue(Double.isNaN(PosteriorCorrelations.marginal(constant)[0][1]));
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        LogDensity g = gaussian(inverse3(SIGMA));
        double[] lo = {-1, -1, -1}, hi = {1, 1, 1};
        float[][] c = {MUF};
        int[][] pr = {{0, 1}};
        assertMessage("at least 2 samples", () -> PosteriorCorrelations.marginal(new float[][] {{1f}}));
        assertMessage("dimension 1 is NaN", () -> PosteriorCorrelations.marginal(new float[][] {{1, Float.NaN}, {2, 3}}));
        assertMessage("same dimension", () -> PosteriorCorrelations.marginal(new float[][] {{1, 2}, {2}}));
        assertMessage("at least one condition", () -> PosteriorCorrelations.conditional(g, new float[0][], pr, lo, hi,
                10, null));
        assertMessage("low < high", () -> PosteriorCorrelations.conditional(g, c, pr, lo, new double[] {1, -1, 1}, 10,
                null));
        assertMessage("at least 2 points", () -> PosteriorCorrelations.conditional(g, c, pr, lo, hi, 1, null));
        assertMessage("two different indices", () -> PosteriorCorrelations.conditional(g, c, new int[][] {{1, 1}}, lo,
                hi, 10, null));
        assertMessage("two different indices", () -> PosteriorCorrelations.conditional(g, c, new int[][] {{0, 3}}, lo,
                hi, 10, null));
        assertMessage("has 2 values", () -> PosteriorCorrelations.conditional(g, new float[][] {{0, 0}}, pr, lo, hi,
                10, null));
        assertMessage("must be finite", () -> PosteriorCorrelations.conditional(g,
                new float[][] {{0, Float.POSITIVE_INFINITY, 0}}, pr, lo, hi, 10, null));
        assertMessage("returned 1 values", () -> PosteriorCorrelations.conditional(t -> new double[1], c, pr, lo, hi,
                10, null));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        Exception ex = assertThrows(RuntimeException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should contain '" + part + "'");
    }
}
