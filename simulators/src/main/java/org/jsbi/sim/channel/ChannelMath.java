package org.jsbi.sim.channel;

import org.jsbi.random.Philox;

/**
 * The float32 functions of the channel simulators, written out with IEEE add, sub, mul, div, sqrt, {@code Math.fma}
 * and bit moves only, so that the scalar reference and the SIMD version ({@link ChannelSimd} repeats every operation
 * lane-wise in the same order) compute bit-identical results. They are the algorithms of the Hodgkin–Huxley
 * simulator's {@code HhMath} (package-private there), repeated here so the two models stay independent.
 *
 * <p>{@link #exp}: argument clamped to [−86, 88] (so exp never returns 0 or ∞: e^−86 ≈ 4e−38 stands for anything
 * smaller; the paper's code clamps the decay exponent at −500 in double, where e^−500 is as good as 0 too);
 * Cody–Waite reduction with n = round(x·log2 e) by the 1.5·2²³ trick, degree-7 Taylor polynomial, exponent-bit scaling.
 *
 * <p>Noise ({@link #normals}): Philox4x32-10 with counter (sim index low, sim index high, stream, block) and key
 * (seed low, seed high); each block's words (w0, w1, w2, w3) give two float Box–Muller pairs.
 */
final class ChannelMath {

    private ChannelMath() {
    }

    static final float EXP_LO = -86f, EXP_HI = 88f;
    static final float MAGIC = 12582912f;
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f, LN2 = 0.693147180559945309f;
    static final float E2 = (float) (1.0 / 2), E3 = (float) (1.0 / 6), E4 = (float) (1.0 / 24), E5 = (float) (1.0 / 120),
            E6 = (float) (1.0 / 720), E7 = (float) (1.0 / 5040);

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

    static final float SQRT2 = 1.41421356237309505f;
    static final float L3 = (float) (1.0 / 3), L5 = (float) (1.0 / 5), L7 = (float) (1.0 / 7), L9 = (float) (1.0 / 9);

    /** Natural log of a positive normal float (2·atanh series on the mantissa moved to [√2/2, √2)). */
    static float log(float x) {
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 127);
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        if (m > SQRT2) {
            m = m * 0.5f;
            e = e + 1f;
        }
        float f = m - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float q = Math.fma(L9, z, L7);
        q = Math.fma(q, z, L5);
        q = Math.fma(q, z, L3);
        q = q * z;
        float s2 = s + s;
        float logm = Math.fma(s2, q, s2);
        return Math.fma(e, LN2, logm);
    }

    static final float TWO_PI = 6.28318530717958648f;
    static final float S3 = (float) (-1.0 / 6), S5 = (float) (1.0 / 120), S7 = (float) (-1.0 / 5040),
            S9 = (float) (1.0 / 362880);
    static final float C2 = -0.5f, C4 = (float) (1.0 / 24), C6 = (float) (-1.0 / 720), C8 = (float) (1.0 / 40320),
            C10 = (float) (-1.0 / 3628800);

    /**
     * Two standard normals from two words: u1 = ((wa &gt;&gt;&gt; 8) + 1)·2⁻²⁴ in (0, 1], u2 = (wb &gt;&gt;&gt; 8)·2⁻²⁴,
     * r = sqrt(−2 log u1), (r cos 2πu2, r sin 2πu2) with sin/cos by quadrant reduction and Taylor polynomials.
     */
    static void boxMuller(int wa, int wb, float[] out, int off) {
        float u1 = (float) ((wa >>> 8) + 1) * 0x1.0p-24f;
        float u2 = (float) (wb >>> 8) * 0x1.0p-24f;
        float r = (float) Math.sqrt(-2f * log(u1));
        float w = u2 >= 0.5f ? u2 - 1f : u2;
        float q = (4f * w + MAGIC) - MAGIC;
        float f = Math.fma(q, -0.25f, w);
        float th = f * TWO_PI;
        float z = th * th;
        float ps = Math.fma(S9, z, S7);
        ps = Math.fma(ps, z, S5);
        ps = Math.fma(ps, z, S3);
        float sn = Math.fma(th * z, ps, th);
        float pc = Math.fma(C10, z, C8);
        pc = Math.fma(pc, z, C6);
        pc = Math.fma(pc, z, C4);
        pc = Math.fma(pc, z, C2);
        float cs = Math.fma(z, pc, 1f);
        float c, s;
        if (q == 0f) {
            c = cs;
            s = sn;
        } else if (q == 1f) {
            c = -sn;
            s = cs;
        } else if (q == -1f) {
            c = sn;
            s = -cs;
        } else {
            c = -cs;
            s = -sn;
        }
        out[off] = r * c;
        out[off + 1] = r * s;
    }

    /**
     * The four normals of Philox block b of (seed, simulation index, stream) into out[off .. off + 3]: words
     * (w0, w1) → normals 0, 1 and (w2, w3) → normals 2, 3.
     */
    static void normals(long seed, long index, int stream, int b, int[] words, float[] out, int off) {
        Philox.block((int) index, (int) (index >>> 32), stream, b, (int) seed, (int) (seed >>> 32), words, 0);
        boxMuller(words[0], words[1], out, off);
        boxMuller(words[2], words[3], out, off + 2);
    }
}
