package org.jsbi.sim.glm;

import static org.jsbi.sim.glm.GlmMath.F;
import static org.jsbi.sim.glm.GlmMath.I;
import static org.jsbi.sim.glm.GlmMath.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;

/**
 * The Vector API version of {@link GlmScalar}: one simulation per lane of {@link org.jsbi.simd.SimdConfig#FLOAT}
 * (lanes = simulations). The per-simulation work is a 100-bin recursion with a 9-tap filter that differs per
 * simulation while the stimulus is shared, so the natural vector axis is the batch: the stimulus value I[t−k] is a
 * broadcast, the taps, ψ, p, the uniforms and the 10 sums are vectors. Every scalar operation is repeated lane-wise in
 * the same order (Philox included), so the features are bit-identical to the scalar reference.
 */
final class GlmSimd {

    private GlmSimd() {
    }

    /** Rows [from, to) of theta (10 values per row), row i with simulation index firstIndex + i, into out. */
    static void simulate(float[] theta, int from, int to, float[] stim, long firstIndex, long seed, boolean noise,
                         float[] out) {
        final int taps = Glm.TAPS, dim = Glm.PARAMETERS;
        float[] par = new float[dim * L];
        int[] lo = new int[L], hi = new int[L];
        int[] words = new int[4 * L];
        float[] res = new float[dim * L];
        FloatVector[] h = new FloatVector[taps];
        FloatVector[] sts = new FloatVector[taps];
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (int g = from; g < to; g += L) {
            int lanes = Math.min(L, to - g);
            for (int l = 0; l < L; l++) {
                int row = g + (l < lanes ? l : 0);          // padding lanes repeat the group's first row
                long idx = firstIndex + row;
                lo[l] = (int) idx;
                hi[l] = (int) (idx >>> 32);
                for (int d = 0; d < dim; d++) par[d * L + l] = theta[row * dim + d];
            }
            IntVector idxLo = IntVector.fromArray(I, lo, 0), idxHi = IntVector.fromArray(I, hi, 0);
            FloatVector b0 = FloatVector.fromArray(F, par, 0);
            for (int k = 0; k < taps; k++) {
                h[k] = FloatVector.fromArray(F, par, (1 + k) * L);
                sts[k] = zero;
            }
            FloatVector count = zero;
            for (int t = 0; t < Glm.BINS; t++) {
                if (noise && (t & 3) == 0) GlmMath.block(seed, idxLo, idxHi, t >>> 2, words);
                FloatVector psi = b0;
                for (int k = 0; k < taps && k <= t; k++) psi = h[k].fma(FloatVector.broadcast(F, stim[t - k]), psi);
                FloatVector p = GlmMath.sigmoid(psi);
                FloatVector y;
                if (noise) {
                    FloatVector u = GlmMath.uniform(IntVector.fromArray(I, words, (t & 3) * L));
                    VectorMask<Float> spike = u.compare(jdk.incubator.vector.VectorOperators.LT, p);
                    y = zero.blend(one, spike);
                } else {
                    y = p;
                }
                count = count.add(y);
                for (int k = 0; k < taps && k <= t; k++) sts[k] = y.fma(FloatVector.broadcast(F, stim[t - k]), sts[k]);
            }
            count.intoArray(res, 0);
            for (int k = 0; k < taps; k++) sts[k].intoArray(res, (1 + k) * L);
            for (int l = 0; l < lanes; l++) {
                int o = (g + l) * dim;
                for (int d = 0; d < dim; d++) out[o + d] = res[d * L + l];
            }
        }
    }
}
