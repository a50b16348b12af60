package org.jsbi.sim.glm;

import jdk.incubator.vector.VectorSpecies;
import org.jsbi.random.Philox;
import org.jsbi.sim.math.Float32Math;
import org.jsbi.simd.SimdConfig;

/**
 * The float arithmetic of {@link GlmScalar}, which {@link GlmSimd} repeats lane-wise with the same IEEE operations in
 * the same order, so that both compute bit-identical spike probabilities and uniforms: the logistic link through
 * {@link Float32Math#exp} (lane-wise: {@link org.jsbi.sim.math.Float32Lanes#exp}), and the Philox noise words (lane-wise:
 * {@link org.jsbi.sim.math.Float32Lanes#philoxBlocks}).
 *
 * <p>Noise layout: simulation index i (= {@code batch.firstIndex() + row}) and run seed s. Bin t (0..99) uses word
 * t mod 4 of Philox4x32-10 block b = t / 4 with counter (low 32 bits of i, high 32 bits of i, {@link #STREAM}, b) and
 * key (low, high 32 bits of s) — {@link org.jsbi.random.CounterRandom}'s layout. The uniform is
 * u = (w &gt;&gt;&gt; 8)·2⁻²⁴ ∈ [0, 1); the bin spikes when u &lt; p (the paper's {@code uniform < z}).
 */
final class GlmMath {

    static final VectorSpecies<Float> F = SimdConfig.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();

    /** The Philox stream (counter word c2) of the spike uniforms. */
    static final int STREAM = 0;

    private GlmMath() {
    }

    /** The logistic link η(ψ) = 1/(1 + e^(−ψ)). */
    static float sigmoid(float psi) {
        return 1f / (1f + Float32Math.exp(-psi));
    }

    /** The four words of block b of one simulation into words[0..3]. */
    static void block(long seed, long simulationIndex, int b, int[] words) {
        Philox.block((int) simulationIndex, (int) (simulationIndex >>> 32), STREAM, b, (int) seed, (int) (seed >>> 32),
                words, 0);
    }
}
