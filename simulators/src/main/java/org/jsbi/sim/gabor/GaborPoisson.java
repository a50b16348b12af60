package org.jsbi.sim.gabor;

import org.jsbi.random.CounterRandom;

/**
 * Poisson counts from a counter-based stream, shared by both Gabor implementations so that equal rates give equal
 * counts: inversion (sequential search from 0, one uniform) for λ &lt; 10; Hörmann's transformed rejection with
 * squeeze (PTRS, 1993) for λ ≥ 10, two uniforms per try. Exact for every λ up to {@link Gabor#MAX_RATE_PER_BIN}.
 */
final class GaborPoisson {

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double[] LOG_FACT = new double[16];

    static {
        for (int k = 1; k < LOG_FACT.length; k++) LOG_FACT[k] = LOG_FACT[k - 1] + Math.log(k);
    }

    private GaborPoisson() {
    }

    static double sample(double lam, CounterRandom rng) {
        if (lam < 10) {
            double u = rng.nextDouble();
            double p = Math.exp(-lam), cdf = p;
            int k = 0;
            while (u > cdf && k < 200) {   // k stays below ~40 for λ < 10; the cap only guards rounding at cdf ≈ 1
                k++;
                p *= lam / k;
                cdf += p;
            }
            return k;
        }
        double slam = Math.sqrt(lam), loglam = Math.log(lam);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2 * a / us + b) * u + lam + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    /** ln k! : a table below 16, Stirling's series (to 1/(1260 n⁵), error &lt; 1e-12) above. */
    static double logFactorial(double k) {
        if (k < LOG_FACT.length) return LOG_FACT[(int) k];
        double n = k + 1, in = 1 / n, in2 = in * in;
        return (n - 0.5) * Math.log(n) - n + HALF_LOG_2PI + in * (1.0 / 12 - in2 * (1.0 / 360 - in2 / 1260));
    }
}
