package org.jsbi.sim.glm;

import org.jsbi.sim.math.Float32Math;

/**
 * The scalar reference of the LN/GLM model, one simulation at a time (models/PAPER.md §2.1, code {@code GLM.py},
 * {@code GLMStats.py}):
 * <pre>
 *   ψ_t = b0 + Σ_{k=0..8} h_{k+1} · I[t−k]      (scipy lfilter(h, 1, I): I[t−k] = 0 before the stimulus starts)
 *   p_t = 1 / (1 + e^(−ψ_t))                   (logistic link)
 *   y_t = 1 if u_t &lt; p_t else 0              (noise on; u_t from {@link GlmMath}'s Philox layout)
 *   y_t = p_t                                  (noise off: the expected spike train)
 *   x   = [Σ_t y_t,  Σ_t y_{t+k} · I[t] for k = 0..8]
 * </pre>
 * The second line of x is the code's {@code np.correlate(y, I, 'full')[N-1:N+8]}: the un-normalised spike-triggered
 * sum (the paper's STA = (1/N)·Vz is the same divided by N; see PAPER.md §7 item 13 — the code's form is followed,
 * because it is what the paper's networks were trained on). Computed as Σ_t y_t·I[t−k], which is the same sum.
 *
 * <p>All float: ψ by fma in k order starting from b0, the link through {@link GlmMath#sigmoid}, the sums by
 * {@code fma(y, I, sum)} in t order. {@link GlmSimd} repeats exactly these operations, so both are bit-identical.
 */
final class GlmScalar {

    static final int BINS = Glm.BINS;
    static final int TAPS = Glm.TAPS;
    static final int DIM = Glm.PARAMETERS;

    private GlmScalar() {
    }

    /**
     * Simulates θ = theta[off .. off + 9] with simulation index idx into out[outOff .. outOff + 9]; stim has
     * {@link #BINS} values. words is scratch of 4 ints.
     */
    static void simulate(float[] theta, int off, float[] stim, long seed, long idx, boolean noise, int[] words,
                         float[] out, int outOff) {
        float b0 = theta[off];
        float count = 0f;
        float[] sts = new float[TAPS];
        for (int t = 0; t < BINS; t++) {
            if (noise && (t & 3) == 0) GlmMath.block(seed, idx, t >>> 2, words);
            float psi = b0;
            for (int k = 0; k < TAPS && k <= t; k++) psi = Math.fma(theta[off + 1 + k], stim[t - k], psi);
            float p = GlmMath.sigmoid(psi);
            float y = noise ? (Float32Math.uniform(words[t & 3]) < p ? 1f : 0f) : p;
            count += y;
            for (int k = 0; k < TAPS && k <= t; k++) sts[k] = Math.fma(y, stim[t - k], sts[k]);
        }
        out[outOff] = count;
        System.arraycopy(sts, 0, out, outOff + 1, TAPS);
    }
}
