package org.jsbi.sim.glm;

import static org.jsbi.sim.math.Float32Math.EXP_HI;
import static org.jsbi.sim.math.Float32Math.EXP_LO;
import static org.jsbi.sim.math.Float32Math.E2;
import static org.jsbi.sim.math.Float32Math.E3;
import static org.jsbi.sim.math.Float32Math.E4;
import static org.jsbi.sim.math.Float32Math.E5;
import static org.jsbi.sim.math.Float32Math.E6;
import static org.jsbi.sim.math.Float32Math.E7;
import static org.jsbi.sim.math.Float32Math.LN2_HI;
import static org.jsbi.sim.math.Float32Math.LN2_LO;
import static org.jsbi.sim.math.Float32Math.LOG2E;
import static org.jsbi.sim.math.Float32Math.MAGIC;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.random.Philox;
import org.jsbi.sim.math.Float32Math;
import org.jsbi.simd.SimdConfig;

/**
 * The float arithmetic shared by {@link GlmScalar} and {@link GlmSimd}, written once per form (scalar and lane-wise)
 * with the same IEEE operations in the same order, so that both compute bit-identical spike probabilities and
 * uniforms: the logistic link through a Cody–Waite exp (only add, sub, mul, div, fma and bit moves; the scalar form is
 * {@link Float32Math#exp}, repeated lane-wise here), and the Philox noise words.
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

    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long HIMASK = 0xFFFFFFFF00000000L;
    private static final long PM0 = 0xD2511F53L, PM1 = 0xCD9E8D57L;
    private static final int PW0 = 0x9E3779B9, PW1 = 0xBB67AE85;

    private GlmMath() {
    }

    /** The logistic link η(ψ) = 1/(1 + e^(−ψ)). */
    static float sigmoid(float psi) {
        return 1f / (1f + Float32Math.exp(-psi));
    }

    // Lane-wise copy kept on purpose (also in HodgkinHuxleySimd, ChannelSimd): shared vector helpers get boxed when C2 stops inlining them in
    // big methods; see docs/ARCHITECTURE.md "The Hodgkin–Huxley SIMD simulator".
    /** {@link Float32Math#exp}, lane-wise, the same operations. */
    static FloatVector exp(FloatVector x) {
        x = x.min(EXP_HI).max(EXP_LO);
        FloatVector t = x.fma(LOG2E, MAGIC);
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, E7).fma(r, FloatVector.broadcast(F, E6));
        p = p.fma(r, FloatVector.broadcast(F, E5));
        p = p.fma(r, FloatVector.broadcast(F, E4));
        p = p.fma(r, FloatVector.broadcast(F, E3));
        p = p.fma(r, FloatVector.broadcast(F, E2));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        IntVector pb = p.reinterpretAsInts();
        IntVector tb = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        return pb.add(tb).reinterpretAsFloats();
    }

    static FloatVector sigmoid(FloatVector psi) {
        return FloatVector.broadcast(F, 1f).div(exp(psi.neg()).add(1f));
    }

    /** {@link Float32Math#uniform}, lane-wise: a word's top 24 bits as a uniform in [0, 1). */
    static FloatVector uniform(IntVector w) {
        return w.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0).reinterpretAsFloats().mul(0x1.0p-24f);
    }

    /** The four words of block b of one simulation into words[0..3]. */
    static void block(long seed, long simulationIndex, int b, int[] words) {
        Philox.block((int) simulationIndex, (int) (simulationIndex >>> 32), STREAM, b, (int) seed, (int) (seed >>> 32),
                words, 0);
    }

    // Lane-wise copy kept on purpose (also in HodgkinHuxleySimd, ChannelSimd): shared vector helpers get boxed when C2 stops inlining them in
    // big methods; see docs/ARCHITECTURE.md "The Hodgkin–Huxley SIMD simulator".
    /**
     * Block b for every lane at once (lane l's simulation index is (idxHi[l] &lt;&lt; 32) | idxLo[l]): word j of lane l
     * into words[j * L + l]. Philox's 32×32 → 64-bit products are formed in 64-bit lanes (even and odd int lanes
     * separately), so the words equal {@link Philox#block}'s.
     */
    static void block(long seed, IntVector idxLo, IntVector idxHi, int b, int[] words) {
        IntVector c0 = idxLo, c1 = idxHi, c2 = IntVector.broadcast(I, STREAM), c3 = IntVector.broadcast(I, b);
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            LongVector a = c0.reinterpretAsLongs();
            LongVector pe = a.and(MASK32).mul(PM0);
            LongVector po = a.lanewise(VectorOperators.LSHR, 32).mul(PM0);
            IntVector lo0 = pe.and(MASK32).or(po.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts();
            IntVector hi0 = pe.lanewise(VectorOperators.LSHR, 32).or(po.and(HIMASK)).reinterpretAsInts();
            LongVector c = c2.reinterpretAsLongs();
            LongVector qe = c.and(MASK32).mul(PM1);
            LongVector qo = c.lanewise(VectorOperators.LSHR, 32).mul(PM1);
            IntVector lo1 = qe.and(MASK32).or(qo.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts();
            IntVector hi1 = qe.lanewise(VectorOperators.LSHR, 32).or(qo.and(HIMASK)).reinterpretAsInts();
            IntVector n0 = hi1.lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, k0);
            IntVector n2 = hi0.lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, k1);
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
            k0 += PW0;
            k1 += PW1;
        }
        c0.intoArray(words, 0);
        c1.intoArray(words, L);
        c2.intoArray(words, 2 * L);
        c3.intoArray(words, 3 * L);
    }
}
