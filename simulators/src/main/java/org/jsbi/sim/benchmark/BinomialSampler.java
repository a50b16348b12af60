package org.jsbi.sim.benchmark;

import org.jsbi.random.CounterRandom;

/**
 * Exact Binomial(n, p) draws from a {@link CounterRandom}, with no set-up kept between draws, since the SIR task
 * draws each count with its own p.
 *
 * <p>With q = min(p, 1 − p) (a draw for p &gt; 1/2 is n minus a draw for 1 − p): inversion by sequential search
 * from 0 when n·q &lt; 10 (expected n·q + 1 iterations), otherwise BTRD, the transformed rejection with squeeze of
 * W. Hörmann, "The generation of binomial random variates", J. Statist. Comput. Simul. 46 (1993) 101–110
 * (about 1.1 iterations on average, the pmf ratio evaluated by recursion near the mode and by Stirling's series
 * further out). Both are exact up to floating point.
 *
 * <p>Apache Commons RNG was considered: its only binomial sampler (Marsaglia–Tsang–Wang tables) builds an O(n)
 * table for each (n, p), which here would be rebuilt for every draw.
 */
public final class BinomialSampler {

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    /** fc(k) = log k! − [(k + ½)·log(k + 1) − (k + 1) + ½·log 2π] for k ≤ 9, from exact log-factorials. */
    private static final double[] FC_TABLE = new double[10];

    static {
        double logFact = 0;
        for (int k = 0; k < FC_TABLE.length; k++) {
            if (k > 0) logFact += Math.log(k);
            FC_TABLE[k] = logFact - ((k + 0.5) * Math.log(k + 1) - (k + 1) + HALF_LOG_2PI);
        }
    }

    private BinomialSampler() {
    }

    /**
     * One draw of Binomial(n, p).
     *
     * @throws IllegalArgumentException when n &lt; 0 or p is not in [0, 1]
     */
    public static int sample(int n, double p, CounterRandom rng) {
        if (n < 0) throw new IllegalArgumentException("binomial n must be >= 0, got " + n);
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("binomial p must be in [0, 1], got " + p);
        if (n == 0 || p == 0) return 0;
        if (p == 1) return n;
        boolean flip = p > 0.5;
        double q = flip ? 1 - p : p;
        int k = n * q < 10 ? inversion(n, q, rng) : btrd(n, q, rng);
        return flip ? n - k : k;
    }

    /** Sequential search: P(0) = (1 − p)^n, P(k)/P(k−1) = ((n + 1)/k − 1)·p/(1 − p). */
    private static int inversion(int n, double p, CounterRandom rng) {
        double s = p / (1 - p);
        double a = (n + 1) * s;
        double p0 = Math.exp(n * Math.log1p(-p));
        while (true) {
            double u = rng.nextDouble();
            double pk = p0;
            int k = 0;
            while (u > pk) {
                u -= pk;
                k++;
                if (k > n) break;   // u beyond the rounded total mass (~1e-16): draw again
                pk *= a / k - s;
            }
            if (k <= n) return k;
        }
    }

    /** Hörmann's BTRD for p ≤ 1/2 and n·p ≥ 10. */
    private static int btrd(int n, double p, CounterRandom rng) {
        double q = 1 - p;
        int m = (int) Math.floor((n + 1) * p);               // the mode
        double r = p / q;
        double nr = (n + 1) * r;
        double npq = n * p * q;
        double sqrtNpq = Math.sqrt(npq);
        double b = 1.15 + 2.53 * sqrtNpq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double alpha = (2.83 + 5.1 / b) * sqrtNpq;
        double vr = 0.92 - 4.2 / b;
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            double kd = Math.floor((2 * a / us + b) * u + c);
            if (kd < 0 || kd > n) continue;
            int k = (int) kd;
            // Inside the box |u| ≤ 0.43, v ≤ v_r the hat lies under the pmf: accept without evaluating it.
            if (us >= 0.07 && v <= vr) return k;
            v *= alpha / (a / (us * us) + b);
            int km = Math.abs(k - m);
            if (km <= 15) {
                // f(k)/f(m) by the ratio recursion; the factors below m are moved onto v to avoid a division
                double f = 1;
                if (m < k) {
                    for (int i = m + 1; i <= k; i++) f *= nr / i - r;
                } else if (m > k) {
                    for (int i = k + 1; i <= m; i++) v *= nr / i - r;
                }
                if (v <= f) return k;
                continue;
            }
            // Squeeze on log f(k)/f(m) by its normal approximation and a bound on the remainder.
            v = Math.log(v);
            double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
            double t = -(double) km * km / (2 * npq);
            if (v < t - rho) return k;
            if (v > t + rho) continue;
            // The exact log f(k)/f(m) from Stirling's series.
            double nm = n - m + 1;
            double h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + fc(m) + fc(n - m);
            double nk = n - k + 1;
            if (v <= h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log(nk * r / (k + 1)) - fc(k) - fc(n - k)) {
                return k;
            }
        }
    }

    /** The Stirling-series remainder of log k!. */
    static double fc(int k) {
        if (k < FC_TABLE.length) return FC_TABLE[k];
        double k1 = k + 1.0;
        double k1sq = k1 * k1;
        return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / k1sq) / k1sq) / k1;
    }
}
