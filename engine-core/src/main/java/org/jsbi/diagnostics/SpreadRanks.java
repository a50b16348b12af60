package org.jsbi.diagnostics;

/**
 * The empirical distribution of SBC ranks as probability integral transforms on [0, 1]. A rank among L samples takes
 * only the L + 1 values 0 … L, so a calibrated posterior does not give uniform values in [0, 1] but a uniform rank:
 * compared with the continuous uniform, even perfectly uniform ranks sit 1/(2(L + 1)) off it, which a KS test over a
 * thousand tests rejects at L = 10. Here each test's rank is spread uniformly over its cell [rank, rank + 1)/(L + 1)
 * (the randomised PIT, averaged over its randomisation instead of drawn), and over its ties: a θ* equal to t samples
 * may rank anywhere in rank … rank + t, so it covers [rank, rank + t + 1)/(L + 1). Under calibration the spread CDF
 * has expectation u at every u; its KS distance to u is the discrete KS statistic of the ranks against the uniform on
 * {0, …, L} when there are no ties, and the continuous Kolmogorov p-value of it is conservative (never too small).
 */
final class SpreadRanks {

    private final int[] below;
    private final int[] ties;
    private final int samples;

    /**
     * @param below   per test, how many of its samples rank strictly below θ*
     * @param ties    per test, how many tie with θ* (all zero where none do)
     * @param samples L, the samples per test
     */
    SpreadRanks(int[] below, int[] ties, int samples) {
        this.below = below;
        this.ties = ties;
        this.samples = samples;
    }

    /** The share of the tests' spread PITs below u. */
    double cdf(double u) {
        if (below.length == 0) return Double.NaN;
        double pos = u * (samples + 1.0), s = 0;
        for (int i = 0; i < below.length; i++) s += Math.max(0, Math.min(1, (pos - below[i]) / (ties[i] + 1.0)));
        return s / below.length;
    }

    /**
     * sup over u of |cdf(u) − u|. Both sides are linear between the cell edges j/(L + 1), so the largest gap is at one
     * of them; the spread CDF there is built from the per-cell slopes in O(tests + L).
     */
    double ksDistance() {
        int cells = samples + 1;
        double[] slopeChange = new double[cells + 1];
        for (int i = 0; i < below.length; i++) {
            double s = 1.0 / (ties[i] + 1);
            slopeChange[below[i]] += s;
            slopeChange[below[i] + ties[i] + 1] -= s;
        }
        double slope = 0, f = 0, d = 0;
        for (int j = 0; j < cells; j++) {
            slope += slopeChange[j];
            f += slope;
            d = Math.max(d, Math.abs(f / below.length - (j + 1.0) / cells));
        }
        return d;
    }

    /** The KS p-value of the spread ranks against the uniform (conservative; see the class comment). */
    double pValue() {
        return KolmogorovSmirnov.pValue(ksDistance(), below.length);
    }
}
