package org.jsbi.sim.glm;

import static org.jsbi.sim.glm.GlmMath.F;
import static org.jsbi.sim.glm.GlmMath.I;
import static org.jsbi.sim.glm.GlmMath.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.jsbi.sim.math.Float32Lanes;

/**
 * The Vector API version of {@link GlmScalar}: one simulation per lane of {@link org.jsbi.simd.SimdConfig#FLOAT}
 * (lanes = simulations). The per-simulation work is a 100-bin recursion with a 9-tap filter that differs per
 * simulation while the stimulus is shared, so the natural vector axis is the batch: the stimulus value I[t−k] is a
 * broadcast, the taps, ψ, p, the uniforms and the 10 sums are vectors. Every scalar operation is repeated lane-wise in
 * the same order (Philox included), so the features are bit-identical to the scalar reference.
 *
 * <p>ψ does not depend on earlier spikes, so a group runs in passes: ψ for all bins, one exp pass
 * ({@link Float32Lanes#exp}), the Philox words of all bins, then the spikes and the sums. No vector crosses a method
 * call or sits in an array of vectors: the first version kept the taps and sums in {@code FloatVector[]} and called
 * vector helpers, and its vectors were boxed (JFR: the Vector API's Java fallbacks on top; 2.3× scalar).
 */
final class GlmSimd {

    private GlmSimd() {
    }

    /** Rows [from, to) of theta (10 values per row), row i with simulation index firstIndex + i, into out. */
    static void simulate(float[] theta, int from, int to, float[] stim, long firstIndex, long seed, boolean noise,
                         float[] out) {
        final int taps = Glm.TAPS, dim = Glm.PARAMETERS, bins = Glm.BINS;
        float[] par = new float[dim * L];
        int[] lo = new int[L], hi = new int[L];
        int[] words = new int[4 * ((bins + 3) / 4) * L];
        float[] arg = new float[bins * L], ex = new float[bins * L];
        float[] res = new float[dim * L];
        for (int g = from; g < to; g += L) {
            int lanes = Math.min(L, to - g);
            for (int l = 0; l < L; l++) {
                int row = g + (l < lanes ? l : 0);          // padding lanes repeat the group's first row
                long idx = firstIndex + row;
                lo[l] = (int) idx;
                hi[l] = (int) (idx >>> 32);
                for (int d = 0; d < dim; d++) par[d * L + l] = theta[row * dim + d];
            }
            negativePsi(par, stim, taps, bins, arg);
            Float32Lanes.exp(arg, 0, ex, 0, bins * L);
            if (noise) Float32Lanes.philoxBlocks(seed, lo, hi, 0, GlmMath.STREAM, 0, (bins + 3) / 4, words, 0);
            spikes(ex, words, stim, taps, bins, noise, res);
            for (int l = 0; l < lanes; l++) {
                int o = (g + l) * dim;
                for (int d = 0; d < dim; d++) out[o + d] = res[d * L + l];
            }
        }
    }

    /** arg[t] = −ψ_t, ψ_t = b0 + Σ_{k ≤ min(t, taps − 1)} h_k · stim[t − k] (fma in k order, as the scalar code). */
    private static void negativePsi(float[] par, float[] stim, int taps, int bins, float[] arg) {
        for (int t = 0; t < bins; t++) {
            FloatVector psi = FloatVector.fromArray(F, par, 0);
            for (int k = 0; k < taps && k <= t; k++) {
                psi = FloatVector.fromArray(F, par, (1 + k) * L).fma(FloatVector.broadcast(F, stim[t - k]), psi);
            }
            psi.neg().intoArray(arg, t * L);
        }
    }

    /**
     * p_t = 1 / (e^(−ψ_t) + 1) from ex; y_t = [u_t < p_t] (or p_t without noise); res[0] = Σ y, res[1 + k] = Σ y_t ·
     * stim[t − k]. The tap sums live in res between bins (loaded, updated, stored): L1 traffic, but no boxing.
     */
    private static void spikes(float[] ex, int[] words, float[] stim, int taps, int bins, boolean noise, float[] res) {
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        java.util.Arrays.fill(res, 0f);
        FloatVector count = zero;
        for (int t = 0; t < bins; t++) {
            FloatVector p = one.div(FloatVector.fromArray(F, ex, t * L).add(1f));
            FloatVector y = p;
            if (noise) {
                FloatVector u = ((FloatVector) IntVector.fromArray(I, words, t * L).lanewise(VectorOperators.LSHR, 8)
                        .convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
                y = zero.blend(one, u.compare(VectorOperators.LT, p));
            }
            count = count.add(y);
            for (int k = 0; k < taps && k <= t; k++) {
                int o = (1 + k) * L;
                y.fma(FloatVector.broadcast(F, stim[t - k]), FloatVector.fromArray(F, res, o)).intoArray(res, o);
            }
        }
        count.intoArray(res, 0);
    }
}
