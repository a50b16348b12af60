package org.jsbi.sim.stg;

/**
 * Sums and means as numpy computes them for float64 arrays ({@code np.sum}, {@code np.mean}): pairwise summation.
 * Below 8 terms, left to right from 0; up to 128, eight interleaved partial sums r₀..r₇ (r_j = a_j + a_{j+8} + …,
 * over the largest multiple of 8), combined as ((r₀+r₁)+(r₂+r₃))+((r₄+r₅)+(r₆+r₇)), then the remaining terms left to
 * right; above 128, split at n/2 rounded down to a multiple of 8 and add the two halves' sums. This gives the paper's
 * means to the bit, where a left-to-right sum differs in the last bits from 9 terms on.
 */
final class PairwiseSum {

    private static final int BLOCK = 128;

    private PairwiseSum() {
    }

    static double sum(double[] a, int from, int n) {
        if (n < 8) {
            double s = 0.;
            for (int i = 0; i < n; i++) s += a[from + i];
            return s;
        }
        if (n <= BLOCK) {
            double r0 = a[from], r1 = a[from + 1], r2 = a[from + 2], r3 = a[from + 3];
            double r4 = a[from + 4], r5 = a[from + 5], r6 = a[from + 6], r7 = a[from + 7];
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                int b = from + i;
                r0 += a[b];
                r1 += a[b + 1];
                r2 += a[b + 2];
                r3 += a[b + 3];
                r4 += a[b + 4];
                r5 += a[b + 5];
                r6 += a[b + 6];
                r7 += a[b + 7];
            }
            double s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) s += a[from + i];
            return s;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return sum(a, from, n2) + sum(a, from + n2, n - n2);
    }

    /** The mean of a[from .. from + n − 1]; NaN when n is 0 (numpy warns and returns NaN). */
    static double mean(double[] a, int from, int n) {
        return n == 0 ? Double.NaN : sum(a, from, n) / n;
    }
}
