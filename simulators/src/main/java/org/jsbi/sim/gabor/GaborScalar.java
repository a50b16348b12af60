package org.jsbi.sim.gabor;

import org.jsbi.random.CounterRandom;

/**
 * The scalar reference of the Gabor receptive-field model, one simulation at a time (models/PAPER.md §2.2, code
 * {@code gabor_rf.py}, {@code gabor_stats.py}), all in float64 except the stored stimulus:
 * <pre>
 *   η_t = β + Σ_p h_p · S[t, p]                    (temporal kernel [1, 0]: instantaneous)
 *   λ_t = e^(β + min(h·S[t], 4)) · Δt, Δt = 0.025 s   (the code's Poisson(exp(clip(h·v, −∞, 4) + β)·binsize))
 *   z_t ~ Poisson(λ_t)                             (noise on; {@link GaborPoisson}, stream 0 of the simulation)
 *   z_t = λ_t                                      (noise off: the expected counts)
 *   N   = Σ_t z_t,   STA = Σ_t z_t S[t, ·] / N,   x = [STA − mean_p(STA), N]
 * </pre>
 * N = 0 gives NaN features (the code rejects those simulations); a non-finite filter or λ_t above
 * {@link Gabor#MAX_RATE_PER_BIN} gives NaN features too (diverged).
 */
final class GaborScalar {

    static final int OK = 0, ZERO_SPIKES = 1, DIVERGED = 2;

    private GaborScalar() {
    }

    /** Simulates θ = theta[off .. off + 8] into out[outOff .. outOff + 1681]; returns OK, ZERO_SPIKES or DIVERGED. */
    static int simulate(float[] theta, int off, float[] stim, long seed, long idx, boolean noise, double[] h,
                        double[] sta, float[] out, int outOff) {
        final int np = GaborKernel.PIXELS;
        if (!GaborKernel.filter(theta, off, h)) return fail(out, outOff, DIVERGED);
        double beta = theta[off];
        java.util.Arrays.fill(sta, 0);
        double n = 0;
        CounterRandom rng = new CounterRandom(seed, idx, 0);
        double[] eta = new double[4];
        for (int t0 = 0; t0 < Gabor.BINS; t0 += 4) {
            // Four bins at once (four independent sums; the same arithmetic as one at a time).
            double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            int r0 = t0 * np, r1 = r0 + np, r2 = r1 + np, r3 = r2 + np;
            for (int p = 0; p < np; p++) {
                double hp = h[p];
                e0 += hp * stim[r0 + p];
                e1 += hp * stim[r1 + p];
                e2 += hp * stim[r2 + p];
                e3 += hp * stim[r3 + p];
            }
            eta[0] = e0;
            eta[1] = e1;
            eta[2] = e2;
            eta[3] = e3;
            for (int j = 0; j < 4; j++) {
                double lam = Math.exp(beta + Math.min(eta[j], Gabor.FILTER_CAP)) * Gabor.DT;
                if (!(lam <= Gabor.MAX_RATE_PER_BIN)) return fail(out, outOff, DIVERGED);
                double z = noise ? GaborPoisson.sample(lam, rng) : lam;
                if (z > 0) {
                    n += z;
                    int r = (t0 + j) * np;
                    for (int p = 0; p < np; p++) sta[p] += z * stim[r + p];
                }
            }
        }
        return finish(sta, n, out, outOff);
    }

    /** STA = sta / n, minus its mean over pixels, then n; NaN features when n = 0. */
    static int finish(double[] sta, double n, float[] out, int outOff) {
        final int np = GaborKernel.PIXELS;
        if (!(n > 0)) return fail(out, outOff, ZERO_SPIKES);
        double mean = 0;
        for (int p = 0; p < np; p++) mean += sta[p] / n;
        mean /= np;
        for (int p = 0; p < np; p++) out[outOff + p] = (float) (sta[p] / n - mean);
        out[outOff + np] = (float) n;
        return OK;
    }

    static int fail(float[] out, int outOff, int status) {
        java.util.Arrays.fill(out, outOff, outOff + GaborKernel.PIXELS + 1, Float.NaN);
        return status;
    }
}
