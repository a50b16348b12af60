package org.jsbi.sim.math;

import org.jsbi.random.Philox;

/**
 * The float32 elementary functions of the batched simulators (Hodgkin–Huxley, ion channel, GLM). They are written out
 * (rather than {@code Math.exp}) so that each model's scalar reference, its SIMD version (which repeats every
 * operation lane-wise, in the same order: {@code HodgkinHuxleySimd}, {@code ChannelSimd}, {@code GlmMath}) and the
 * CUDA port ({@code engine-cuda/src/main/cuda/jsbi_hh.cu}) compute bit-identical results: only IEEE float add, sub,
 * mul, div, sqrt, fused multiply-add ({@code Math.fma}, C {@code fmaf}) and bit moves are used. Every constant is the
 * float nearest to the value written in its comment. The constants are public so that the lane-wise copies use the
 * very same values.
 *
 * <p>{@link #exp}: within 2.2 ulp of e^x on [-86, 88] (mean 0.10 ulp; every 61st float checked against
 * {@code Math.exp}), as CUDA's own {@code expf} (2 ulp); the argument is clamped to that range (exp(-86) ≈ 4e-38 stands
 * for anything smaller, so exp never returns 0 or ∞; the channel paper's code clamps its decay exponent at −500 in
 * double, where e^−500 is as good as 0 too). Cody–Waite reduction x = n·ln2 + r with
 * n = round-to-nearest-even(x·log2 e) obtained by adding and subtracting 1.5·2²³, then a degree-5 minimax polynomial
 * of e^r (|r| ≤ 0.347, {@link #X2} ..), scaled by adding n to the exponent bits. The degree-7 Taylor polynomial used
 * before was within 0.92 ulp but made the Hodgkin–Huxley step 10% slower (paired A/B, one thread, median ratio 1.10);
 * the pyloric simulator, whose time goes elsewhere, did not change (0.97, within noise).
 *
 * <p>Noise ({@link #philoxNormals}): Philox4x32-10 with counter (simulation index low, simulation index high, stream,
 * block) and key (seed low, seed high); each block's words (w0, w1, w2, w3) give two {@link #boxMuller} pairs.
 */
public final class Float32Math {

    private Float32Math() {
    }

    public static final float EXP_LO = -86f;
    public static final float EXP_HI = 88f;
    /** 1.5 · 2²³: adding it rounds to an integer held in the low mantissa bits. */
    public static final float MAGIC = 12582912f;
    public static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split: 0.693359375 (exact in 9 bits) + -2.12194440e-4. */
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    public static final float LN2 = 0.693147180559945309f;
    /**
     * e^r ≈ 1 + r + X2 r² + X3 r³ + X4 r⁴ + X5 r⁵ on |r| ≤ ln2/2: the coefficients minimise the largest relative
     * error (linear programming on 8,001 points, float64: 1.03e-7), where the degree-7 Taylor polynomial used before
     * needed two more multiply-adds for the same float accuracy.
     */
    public static final float X2 = 0.4999922513961792f, X3 = 0.16667112708091736f, X4 = 0.04189087823033333f,
            X5 = 0.008312893100082874f;

    /**
     * e^(v·b + c) for an exp of an affine function of v (the pyloric network's gating exps: v the clamped voltage, b the
     * slope, c = a·b for (v + a)·b), when the caller knows |v·b + c| ≤ 87, so that no range clamp is needed. Two
     * operations fewer than {@link #exp} of a formed argument: the argument is one fused multiply-add, and the
     * reduction r = x − n·ln2 one fused multiply-add with the float nearest ln2 ({@link #LN2}), whose error of 1.9e-9
     * times |n| ≤ 55 stays below float resolution. Measured against the double exp over every float argument: at most
     * 3.6 ulp for |x| ≤ 37.5 (the pyloric bound) and 5.5 ulp for |x| ≤ 87, against 2.2 ulp for {@link #exp}.
     */
    public static float expAffine(float v, float b, float c) {
        float x = Math.fma(v, b, c);
        float t = Math.fma(x, LOG2E, MAGIC);
        float n = t - MAGIC;
        return scaledPolynomial(Math.fma(n, -LN2, x), t);
    }

    /** Taylor coefficients 1/6 and 1/24 of {@link #expSmall}. */
    public static final float T3 = (float) (1.0 / 6), T4 = (float) (1.0 / 24);

    /**
     * e^z for |z| ≤ 1/32 by its degree-4 Taylor polynomial in four fused multiply-adds, without range reduction: the
     * truncation error is below z⁵/120 ≈ 2.5e-10 relative, under float resolution, so the result is within 1 ulp
     * (tested). For the pyloric network's slow gates, whose −dt/τ never leaves [−1/32, 0] (τ ≥ 0.8 ms, dt = 0.025
     * ms), where the full {@link #exp} spends 11 operations.
     */
    public static float expSmall(float z) {
        float p = Math.fma(z, T4, T3);
        p = Math.fma(p, z, 0.5f);
        p = Math.fma(p, z, 1f);
        return Math.fma(p, z, 1f);
    }

    /** e^x in float. */
    public static float exp(float x) {
        x = x > EXP_HI ? EXP_HI : x;
        x = x < EXP_LO ? EXP_LO : x;
        float t = Math.fma(x, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        return scaledPolynomial(Math.fma(n, -LN2_LO, r), t);
    }

    /** e^r·2^n of a reduced argument r, with t = x·log2(e) + MAGIC (whose raw bits hold n). */
    private static float scaledPolynomial(float r, float t) {
        float p = Math.fma(X5, r, X4);
        p = Math.fma(p, r, X3);
        p = Math.fma(p, r, X2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        // t's raw bits are 0x4B400000 + n; shifting by 23 leaves n << 23 (mod 2^32), the exponent increment.
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(t) << 23));
    }

    public static final float EFUN_SERIES = 0.1f;
    /** Coefficients of z/(e^z − 1) = 1 − z/2 + z²/12 − z⁴/720 + z⁶/30240 (the Bernoulli numbers). */
    public static final float B2 = (float) (1.0 / 12), B4 = (float) (-1.0 / 720), B6 = (float) (1.0 / 30240);

    /**
     * z/(e^z − 1), the paper's {@code efun}. The code switches to 1 − z/2 for |z| &lt; 1e-4 (it works in double); in float
     * the quotient loses digits near 0, so here |z| &lt; 0.1 uses the series to z⁶ (error below 1e-14) and the quotient
     * is used elsewhere:
     * {@code z2 = z*z; s = fma(fma(fma(B6, z2, B4), z2, B2), z2, 0) ... } exactly: {@code q = fma(B6, z2, B4);
     * q = fma(q, z2, B2); q = q*z2; series = fma(-0.5, z, 1) + q}.
     */
    public static float efun(float z) {
        return efun(z, exp(z));
    }

    /** {@link #efun}(z) given ez = exp(z) (for callers that share the exp): the series, or z / (ez − 1). */
    public static float efun(float z, float ez) {
        return Math.abs(z) < EFUN_SERIES ? efunSeries(z) : z / (ez - 1f);
    }

    /**
     * {@link #efun}(z) given eNegZ = e^−z rather than e^z: the series for |z| &lt; 0.1, else {@code (z * eNegZ) /
     * (1 − eNegZ)}, which is z/(e^z − 1) with numerator and denominator multiplied by e^−z (no second division).
     */
    public static float efunOfInverse(float z, float eNegZ) {
        return Math.abs(z) < EFUN_SERIES ? efunSeries(z) : (z * eNegZ) / (1f - eNegZ);
    }

    private static float efunSeries(float z) {
        float z2 = z * z;
        float q = Math.fma(B6, z2, B4);
        q = Math.fma(q, z2, B2);
        q = q * z2;
        return Math.fma(-0.5f, z, 1f) + q;
    }

    public static final float SQRT2 = 1.41421356237309505f;
    /** 1/(2k+1) for k = 1..4: log m = 2 atanh(s) = 2s (1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9). */
    public static final float L3 = (float) (1.0 / 3), L5 = (float) (1.0 / 5), L7 = (float) (1.0 / 7),
            L9 = (float) (1.0 / 9);

    /**
     * Natural log of a positive normal float: x = 2^e · m with m in [1, 2), moved to [√2/2, √2) (m·0.5, e + 1 when
     * m &gt; √2); f = m − 1, s = f/(2 + f), z = s², {@code q = fma(fma(fma(L9, z, L7), z, L5), z, L3) * z},
     * {@code logm = fma(2s, q, 2s)}, result {@code fma(e, LN2, logm)}.
     */
    public static float log(float x) {
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

    public static final float TWO_PI = 6.28318530717958648f;
    /** Taylor coefficients of sin (to θ⁹) and cos (to θ¹⁰) on |θ| ≤ π/4. */
    public static final float S3 = (float) (-1.0 / 6), S5 = (float) (1.0 / 120), S7 = (float) (-1.0 / 5040),
            S9 = (float) (1.0 / 362880);
    public static final float C2 = -0.5f, C4 = (float) (1.0 / 24), C6 = (float) (-1.0 / 720),
            C8 = (float) (1.0 / 40320), C10 = (float) (-1.0 / 3628800);

    /** A 32-bit word's top 24 bits as a uniform in [0, 1): (w >>> 8) · 2⁻²⁴. */
    public static float uniform(int w) {
        return (float) (w >>> 8) * 0x1.0p-24f;
    }

    /** A 32-bit word's top 24 bits as a uniform in (0, 1]: ((w >>> 8) + 1) · 2⁻²⁴; safe under log. */
    public static float uniformOpen(int w) {
        return (float) ((w >>> 8) + 1) * 0x1.0p-24f;
    }

    /**
     * Two standard normals from two words by Box–Muller: u1 = uniformOpen(wa), u2 = uniform(wb),
     * r = sqrt(-2 · log(u1)), and (r · cos 2πu2, r · sin 2πu2) into out[off], out[off + 1].
     *
     * <p>cos/sin of 2πu2: w = u2 − (u2 ≥ 0.5 ? 1 : 0) in [−½, ½); q = round-half-even(4w) (by ±1.5·2²³);
     * f = w − 0.25q; θ = f·TWO_PI, |θ| ≤ π/4; with z = θ²:
     * {@code sn = θ + θ·z·fma(fma(fma(S9, z, S7), z, S5), z, S3)}, written
     * {@code ps = fma(fma(fma(S9,z,S7),z,S5),z,S3); sn = fma(θ*z, ps, θ)}, and
     * {@code pc = fma(fma(fma(fma(C10,z,C8),z,C6),z,C4),z,C2); cs = fma(z, pc, 1)}. Then by q: 0 → (cs, sn),
     * 1 → (−sn, cs), ±2 → (−cs, −sn), −1 → (sn, −cs).
     */
    public static void boxMuller(int wa, int wb, float[] out, int off) {
        float u1 = uniformOpen(wa);
        float u2 = uniform(wb);
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
     * The four normals of Philox4x32-10 block b of (seed, simulation index, stream) into out[off .. off + 3]: counter
     * (low 32 bits of index, its high 32 bits, stream, b), key (low 32 bits of seed, its high 32 bits), words
     * (w0, w1) → normals 0, 1 by {@link #boxMuller}(w0, w1) and (w2, w3) → normals 2, 3. words is scratch of 4 ints.
     */
    public static void philoxNormals(long seed, long index, int stream, int b, int[] words, float[] out, int off) {
        Philox.block((int) index, (int) (index >>> 32), stream, b, (int) seed, (int) (seed >>> 32), words, 0);
        boxMuller(words[0], words[1], out, off);
        boxMuller(words[2], words[3], out, off + 2);
    }
}
