package org.jsbi.diagnostics;

import java.util.Arrays;

/** The one-sample Kolmogorov–Smirnov test against the uniform distribution on [0, 1]. */
public final class KolmogorovSmirnov {

    private KolmogorovSmirnov() {
    }

    /** D = sup |F_n(u) − u| of the sample (values outside [0, 1] are clamped). */
    public static double statistic(double[] u) {
        if (u == null || u.length == 0) throw new IllegalArgumentException("the KS test needs at least one value");
        double[] s = u.clone();
        for (double v : s) {
            if (Double.isNaN(v)) throw new IllegalArgumentException("the KS test got NaN");
        }
        Arrays.sort(s);
        int n = s.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double v = Math.max(0, Math.min(1, s[i]));
            d = Math.max(d, Math.max((i + 1.0) / n - v, v - (double) i / n));
        }
        return d;
    }

    // Below this λ the alternating series converges too slowly; Numerical Recipes (3rd ed., §6.14) switches here.
    private static final double SMALL_LAMBDA = 1.18;

    /**
     * The p-value of D for a sample of n: the asymptotic Kolmogorov distribution with Stephens' small-sample
     * correction, λ = (√n + 0.12 + 0.11/√n)·D, p = Q(λ) (Press et al., Numerical Recipes §14.3; good to a few per
     * cent of p for n ≥ 5). For two samples of n1 and n2, n is n1·n2/(n1 + n2).
     */
    public static double pValue(double d, double n) {
        if (!(n >= 1)) throw new IllegalArgumentException("n must be >= 1, got " + n);
        double sn = Math.sqrt(n);
        double lambda = (sn + 0.12 + 0.11 / sn) * d;
        double q = lambda < SMALL_LAMBDA ? 1 - kolmogorovCdfSmall(lambda) : kolmogorovTailLarge(lambda);
        return Math.max(0, Math.min(1, q));
    }

    /**
     * P(K ≤ λ) = √(2π)/λ Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)), the form that converges fast for small λ (the alternating one
     * would need thousands of terms below λ ≈ 0.03 and, cut short, gave near-perfect fits small p-values).
     */
    private static double kolmogorovCdfSmall(double lambda) {
        if (lambda < 1e-3) return 0;   // exp(−π²/(8λ²)) underflows long before; also keeps 0/0 out
        double a = -Math.PI * Math.PI / (8 * lambda * lambda);
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(a * (2 * k - 1) * (2 * k - 1));
            sum += term;
            if (term <= 1e-16 * sum) break;
        }
        return Math.sqrt(2 * Math.PI) / lambda * sum;
    }

    /** Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²), which for λ ≥ 1.18 converges within a handful of terms. */
    private static double kolmogorovTailLarge(double lambda) {
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-16) break;
        }
        return 2 * sum;
    }

    /** The p-value of the sample's D against U(0, 1). */
    public static double uniformPValue(double[] u) {
        return pValue(statistic(u), u.length);
    }
}
