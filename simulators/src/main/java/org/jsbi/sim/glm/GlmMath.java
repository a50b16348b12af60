package org.jsbi.sim.glm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.random.Philox;
import org.jsbi.simd.SimdConfig;

/**
 * The float arithmetic shared by {@link GlmScalar} and {@link GlmSimd}, written once per form (scalar and lane-wise)
 * with the same IEEE operations in the same order, so that both compute bit-identical spike probabilities and
 * uniforms: the logistic link through a Cody–Waite exp (only add, sub, mul, div, fma and bit moves), and the Philox
 * noise words.
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

    static final float EXP_LO = -86f;
    static final float EXP_HI = 88f;
    /** 1.5·2²³: adding and subtracting it rounds to the nearest integer. */
    static final float MAGIC = 12582912f;
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float E2 = (float) (1.0 / 2), E3 = (float) (1.0 / 6), E4 = (float) (1.0 / 24), E5 = (float) (1.0 / 120),
            E6 = (float) (1.0 / 720), E7 = (float) (1.0 / 5040);

    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long HIMASK = 0xFFFFFFFF00000000L;
    private static final long PM0 = 0xD2511F53L, PM1 = 0xCD9E8D57L;
    private static final int PW0 = 0x9E3779B9, PW1 = 0xBB67AE85;

    private GlmMath() {
    }

    /**
     * e^x in float, about 1 ulp on [−86, 88] (the argument is clamped to that range): x = n·ln2 + r with
     * n = round(x·log2 e), the degree-7 Taylor polynomial of e^r (|r| ≤ 0.347) by Horner with fma, then n added to the
     * exponent bits.
     */
    static float exp(float x) {
        x = x > EXP_HI ? EXP_HI : x;
        x = x < EXP_LO ? EXP_LO : x;
        float t = Math.fma(x, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(E7, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(t) << 23));
    }

    /** The logistic link η(ψ) = 1/(1 + e^(−ψ)). */
    static float sigmoid(float psi) {
        return 1f / (1f + exp(-psi));
    }

    /** {@link #exp}, lane-wise, the same operations. */
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

    /** A word's top 24 bits as a uniform in [0, 1). */
    static float uniform(int w) {
        return (float) (w >>> 8) * 0x1.0p-24f;
    }

    static FloatVector uniform(IntVector w) {
        return w.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0).reinterpretAsFloats().mul(0x1.0p-24f);
    }

    /** The four words of block b of one simulation into words[0..3]. */
    static void block(long seed, long simulationIndex, int b, int[] words) {
        Philox.block((int) simulationIndex, (int) (simulationIndex >>> 32), STREAM, b, (int) seed, (int) (seed >>> 32),
                words, 0);
    }

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
