package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.random.CounterRandom;
import org.junit.jupiter.api.Test;

class BinomialSamplerTest {

    private static final long SEED = Long.getLong("jsbi.test.seed", 20240611L);
    private static final int DRAWS = 100_000;

    private static String replay() {
        return " [seed " + SEED + "; replay with -Djsbi.test.seed=" + SEED + "]";
    }

    /** The exact pmf of Binomial(n, p), from log-factorials summed in double (n is small here). */
    private static double[] pmf(int n, double p) {
        double[] logFact = new double[n + 1];
        for (int k = 1; k <= n; k++) logFact[k] = logFact[k - 1] + Math.log(k);
        double[] f = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            f[k] = Math.exp(logFact[n] - logFact[k] - logFact[n - k] + k * Math.log(p) + (n - k) * Math.log1p(-p));
        }
        return f;
    }

    /** Draw counts per value. */
    private static long[] histogram(int n, double p, long stream) {
        long[] h = new long[n + 1];
        for (int i = 0; i < DRAWS; i++) {
            // one generator per draw, as the simulators make one per simulation
            int k = BinomialSampler.sample(n, p, new CounterRandom(SEED, i, (int) stream));
            assertTrue(k >= 0 && k <= n, "draw " + k + " outside [0, " + n + "]" + replay());
            h[k]++;
        }
        return h;
    }

    /**
     * Pearson's chi-square of the histogram against the pmf, with neighbouring values pooled until each bin expects
     * at least 5; returned as a Wilson–Hilferty z-score (≈ N(0, 1) under the null), NaN when there is one bin.
     */
    private static double chiSquareZ(long[] observed, double[] pmf) {
        List<double[]> bins = new ArrayList<>();   // {expected, observed}
        double e = 0, o = 0;
        for (int k = 0; k < pmf.length; k++) {
            e += DRAWS * pmf[k];
            o += observed[k];
            if (e >= 5) {
                bins.add(new double[] {e, o});
                e = 0;
                o = 0;
            }
        }
        if (bins.isEmpty()) return Double.NaN;
        double[] last = bins.get(bins.size() - 1);
        last[0] += e;
        last[1] += o;
        int df = bins.size() - 1;
        if (df == 0) return Double.NaN;
        double chi2 = 0;
        for (double[] b : bins) chi2 += (b[1] - b[0]) * (b[1] - b[0]) / b[0];
        double v = 2.0 / (9 * df);
        return (Math.cbrt(chi2 / df) - (1 - v)) / Math.sqrt(v);
    }

    @Test
    void drawsFollowThePmfAcrossBothAlgorithmsAndTheSymmetry() {
        // inversion (n·min(p, 1−p) < 10), its edge, BTRD just above it, BTRD in the bulk, and the p > ½ mirror
        int[] ns = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 20, 7};
        double[] ps = {1e-5, 0.004, 0.0099, 0.0101, 0.05, 0.321, 0.5, 0.7, 0.9951, 0.99999, 0.5, 0.3};
        StringBuilder all = new StringBuilder();
        double worst = 0;
        for (int c = 0; c < ps.length; c++) {
            long[] h = histogram(ns[c], ps[c], c);
            double z = chiSquareZ(h, pmf(ns[c], ps[c]));
            all.append(String.format(" n=%d p=%s z=%.2f;", ns[c], ps[c], z));
            assertFalse(Double.isNaN(z), "no chi-square bins for p=" + ps[c]);
            worst = Math.max(worst, z);
        }
        // z > 4 has probability 3e-5 per case under the null; a wrong hat or pmf ratio gives z in the tens
        assertTrue(worst < 4, "chi-square z-scores:" + all + replay());
    }

    @Test
    void meanAndVarianceMatchAtTheBtrdSqueezeScale() {
        // p = ½, n = 1000: sd ≈ 15.8, so |k − m| > 15 (the squeeze and Stirling branches) is common
        long[] h = histogram(1000, 0.5, 99);
        double mean = 0, m2 = 0;
        for (int k = 0; k <= 1000; k++) mean += (double) k * h[k] / DRAWS;
        for (int k = 0; k <= 1000; k++) m2 += (k - mean) * (k - mean) * h[k] / DRAWS;
        assertEquals(500, mean, 5 * Math.sqrt(250.0 / DRAWS), "mean" + replay());
        assertEquals(250, m2, 5 * 250 * Math.sqrt(2.0 / DRAWS), "variance" + replay());
    }

    @Test
    void degenerateAndTinyProbabilities() {
        CounterRandom rng = new CounterRandom(SEED, 0, 0);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, BinomialSampler.sample(1000, 0.0, rng));
            assertEquals(1000, BinomialSampler.sample(1000, 1.0, rng));
            assertEquals(0, BinomialSampler.sample(0, 0.3, rng));
        }
        // p = 1e-9: P(k > 0) ≈ 1e-6, so 1e5 draws expect 0.1 non-zero; more than 3 has probability ~4e-6
        long[] h = histogram(1000, 1e-9, 77);
        assertTrue(DRAWS - h[0] <= 3, (DRAWS - h[0]) + " non-zero draws at p=1e-9" + replay());
        // the mirror of that
        long[] g = histogram(1000, 1 - 1e-9, 78);
        assertTrue(DRAWS - g[1000] <= 3, (DRAWS - g[1000]) + " draws below n at p=1-1e-9" + replay());
    }

    @Test
    void sameStreamSameDraw() {
        int a = BinomialSampler.sample(1000, 0.37, new CounterRandom(5, 17, 0));
        int b = BinomialSampler.sample(1000, 0.37, new CounterRandom(5, 17, 0));
        assertEquals(a, b);
    }

    @Test
    void badArgumentsAreRefused() {
        CounterRandom rng = new CounterRandom(1, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> BinomialSampler.sample(-1, 0.5, rng));
        assertThrows(IllegalArgumentException.class, () -> BinomialSampler.sample(10, -0.1, rng));
        assertThrows(IllegalArgumentException.class, () -> BinomialSampler.sample(10, 1.5, rng));
        assertThrows(IllegalArgumentException.class, () -> BinomialSampler.sample(10, Double.NaN, rng));
    }

    @Test
    void stirlingRemainderIsContinuousAcrossTheTable() {
        // the table (exact) and the series meet at k = 9/10; the series at 9 must agree with the table to 1e-10
        double k1 = 10.0, k1sq = k1 * k1;
        double series9 = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / k1sq) / k1sq) / k1;
        assertEquals(BinomialSampler.fc(9), series9, 1e-10);
        assertEquals(0.08106146679532726, BinomialSampler.fc(0), 1e-15);
    }
}
