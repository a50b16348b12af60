package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.UnaryOp;

/**
 * Lane-wise math for the elementwise kernels, from IEEE basic operations and FMA only.
 *
 * <p>Why not the Vector API's own EXP, LOG and TANH: HotSpot computes them with its SIMD math library once C2 has
 * compiled the caller and with scalar Java code before, and the two differ in the last bits. Training would then
 * depend on JIT timing, and the same seed would not give the same weights. Basic operations round the same way in
 * the interpreter and in compiled code, so these functions are deterministic; they are within 2-3 ulps of the
 * correctly rounded result (checked against the float64 reference by the conformance suite).
 */
final class SimdMath {

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that n * LN2_HI is exact for |n| < 2^9 (Cody and Waite).
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f;   // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float SQRT_HALF = 0.70710678118654752f;

    private SimdMath() {
    }

    /** f'(x) given x and y = f(x). */
    static FloatVector derivative(UnaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case NEG -> FloatVector.broadcast(x.species(), -1f);
            case EXP -> y;
            case LOG -> x.broadcast(1f).div(x);
            case TANH -> y.neg().add(1f).mul(y.add(1f));   // (1 - y)(1 + y): no cancellation near |y| = 1
            case SIGMOID -> y.mul(y.neg().add(1f));
            case SOFTPLUS -> sigmoid(x);
            case RELU -> x.broadcast(0f).blend(1f, x.compare(VectorOperators.GT, 0f));
            case SQUARE -> x.add(x);
            case SQRT -> x.broadcast(0.5f).div(y);
        };
    }

    /** Sum of the lanes in lane order, in double: the same in interpreted and compiled code (reduceLanes is not). */
    static double laneSum(FloatVector v) {
        double s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    static FloatVector binary(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
        };
    }

    /**
     * x.max(lo).min(hi), bit for bit, for bounds lo &lt; 0 &lt; hi: NaN passes through (no comparison holds for it)
     * and a zero keeps its sign (it is strictly inside). As two compares and two blends, not MAX and MIN: those follow
     * Math.max's rules for NaN and signed zeros, which x86's vmaxps does not, so C2 emits a sequence of several
     * instructions for each. In tanh that sequence was the bottleneck: 10,000 floats in 3.6 µs against 3.3 with this
     * clamp (and 2.0 for its division alone).
     */
    static FloatVector clamp(FloatVector x, float lo, float hi) {
        FloatVector y = x.blend(lo, x.compare(VectorOperators.LT, lo));
        return y.blend(hi, y.compare(VectorOperators.GT, hi));
    }

    /**
     * x.max(0f), bit for bit (NaN stays NaN, −0 becomes +0, as Math.max), as one compare and one blend: see
     * {@link #clamp} for why not MAX.
     */
    static FloatVector relu(FloatVector x) {
        return x.blend(0f, x.compare(VectorOperators.LE, 0f));
    }

    // ---- exp ------------------------------------------------------------------------------------------------------

    /**
     * exp, written out in one body: t = x·log2(e) + 1.5·2²³ (its bits give n = round(x / ln 2) without a float-to-int
     * conversion), Cody–Waite reduction r = x − n ln 2, expm1(r) by
     * Taylor to degree 8 (Horner, FMA), and 2ⁿ applied in two halves so that results near overflow and in the subnormal
     * range round once. As four nested helper calls C2 often left one of them un-inlined inside the
     * softplus and log-sum-exp kernels, and every vector crossing it was boxed (JFR: allocations in scaleBy2n and
     * pow2 in the steady state of an MDN training).
     */
    static FloatVector exp(FloatVector x) {
        // Beyond these bounds exp is +inf or 0 in float; clamping keeps n small enough for two-step scaling.
        FloatVector xc = clamp(x, -110f, 100f);
        FloatVector t = xc.fma(xc.broadcast(LOG2E), xc.broadcast(ROUND_MAGIC));
        FloatVector nn = t.sub(ROUND_MAGIC).neg();
        FloatVector r = nn.fma(xc.broadcast(LN2_HI), xc).add(nn.mul(LN2_LO));
        FloatVector p = r.broadcast(1f / 40320f);
        p = p.fma(r, r.broadcast(1f / 5040f));
        p = p.fma(r, r.broadcast(1f / 720f));
        p = p.fma(r, r.broadcast(1f / 120f));
        p = p.fma(r, r.broadcast(1f / 24f));
        p = p.fma(r, r.broadcast(1f / 6f));
        p = p.fma(r, r.broadcast(0.5f));
        FloatVector v = p.mul(r).fma(r, r).add(1f);
        IntVector n = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        FloatVector y = v.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                .mul(n.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }


    // ---- log --------------------------------------------------------------------------------------------

    /**
     * y[yOff + i] = log x[xOff + i] for i in [from, to), a whole number of vectors. A loop over arrays, not a function
     * of a vector: as a vector function (338 bytes of bytecode, over C2's FreqInlineSize of 325) it was never inlined,
     * and split in two it was still not inlined where the calling loop was short; either way the vectors were boxed
     * (SimdAllocationTest). Every vector of the computation now lives in this one loop body.
     */
    static void log(float[] xa, int xOff, float[] ya, int yOff, int from, int to) {
        for (int i = from; i < to; i += SimdConfig.LANES) {
            FloatVector x = FloatVector.fromArray(SimdConfig.FLOAT, xa, xOff + i);
            // Subnormals: scale into the normal range first.
            VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
            FloatVector xs = x.blend(x.mul(8388608f), sub);   // 2^23
            IntVector bits = (IntVector) xs.reinterpretAsInts();
            IntVector eBits = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
            // The exponent as a float through the magic constant, not an int-to-float conversion.
            FloatVector e = eBits.add(ROUND_MAGIC_BITS).reinterpretAsFloats().sub(ROUND_MAGIC)
                    .sub(x.broadcast(0f).blend(23f, sub));
            FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();   // mantissa in [1, 2)
            // Centre the mantissa on 1: m in [sqrt(1/2), sqrt(2)).
            VectorMask<Float> big = m.compare(VectorOperators.GT, 2f * SQRT_HALF);
            m = m.blend(m.mul(0.5f), big);
            e = e.blend(e.add(1f), big);
            FloatVector f = m.sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector s2 = s.mul(s);
            // log m = 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + s^6/7 + s^8/9), |s| ≤ 0.172.
            FloatVector p = s2.broadcast(1f / 9f);
            p = p.fma(s2, s2.broadcast(1f / 7f));
            p = p.fma(s2, s2.broadcast(1f / 5f));
            p = p.fma(s2, s2.broadcast(1f / 3f));
            FloatVector logm = s.add(s).fma(p.mul(s2), s.add(s));
            FloatVector y = e.fma(x.broadcast(LN2_HI), e.fma(x.broadcast(LN2_LO), logm));
            y = y.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
            y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
            y = y.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
            y.blend(x, x.test(VectorOperators.IS_NAN)).intoArray(ya, yOff + i);
        }
    }

    // ---- composites -----------------------------------------------------------------------------------------------

    // tanh(x) ≈ x P(x²) / Q(x²) on |x| ≤ 9.1, P of degree 6 and Q of degree 3: a minimax fit of the relative error
    // (differential-correction algorithm on 6,000 points, float64; docs/ARCHITECTURE.md), max relative error of the
    // fit 7.4e-9. Evaluated in float with FMA the worst case over every float in [0, 12] is 6.2 ulps (near x = 7.4,
    // where P and Q are large and their roundings add up); beyond 9.1 tanh is 1 in float and the clamp gives
    // 0.99999994.
    private static final float TANH_CLAMP = 9.1f;
    private static final float TP1 = 1.3079724536338791e-01f, TP2 = 3.0991625283947415e-03f,
            TP3 = 1.1103931706142634e-05f, TP4 = -2.0019160041411160e-08f, TP5 = 5.1776969010494236e-11f,
            TP6 = -8.2284842857199550e-14f;
    private static final float TQ1 = 4.6413050909669190e-01f, TQ2 = 2.4476107700981083e-02f,
            TQ3 = 2.5391515258809007e-04f;

    /** tanh as a rational function: 10 FMAs, two multiplies and a division; odd, so tanh(-0) = -0; NaN stays NaN. */
    static FloatVector tanh(FloatVector x) {
        FloatVector xc = clamp(x, -TANH_CLAMP, TANH_CLAMP);
        FloatVector t = xc.mul(xc);
        FloatVector p = t.fma(TP6, TP5);
        p = p.fma(t, t.broadcast(TP4));
        p = p.fma(t, t.broadcast(TP3));
        p = p.fma(t, t.broadcast(TP2));
        p = p.fma(t, t.broadcast(TP1));
        p = p.fma(t, t.broadcast(1f));
        FloatVector q = t.fma(TQ3, TQ2);
        q = q.fma(t, t.broadcast(TQ1));
        q = q.fma(t, t.broadcast(1f));
        return xc.mul(p).div(q);
    }

    /** 1 / (1 + exp(-x)) in the form that cannot overflow: exp(-|x|) is at most 1. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector d = e.add(1f);
        return d.broadcast(1f).div(d).blend(e.div(d), x.compare(VectorOperators.LT, 0f));
    }

    // log1p(u) ≈ u P(u) / Q(u) on [0, 1], P of degree 4 and Q of degree 3: a minimax fit of the relative error as for
    // tanh (max relative error of the fit 1.1e-8), so that softplus keeps its relative accuracy where it is tiny.
    private static final float LP1 = 6.0888914055980525e-01f, LP2 = -7.8585819929787748e-02f,
            LP3 = -1.3625090479307113e-02f, LP4 = 8.4236993694632981e-04f;
    private static final float LQ1 = 1.1088883865947923f, LQ2 = 0.14254109676396426f, LQ3 = -0.06211004655876924f;

    /** max(x, 0) + log1p(e) with e = exp(-|x|) in [0, 1], log1p as a rational function (no log, no extra division). */
    static FloatVector softplus(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector p = e.fma(LP4, LP3);
        p = p.fma(e, e.broadcast(LP2));
        p = p.fma(e, e.broadcast(LP1));
        p = p.fma(e, e.broadcast(1f));
        FloatVector q = e.fma(LQ3, LQ2);
        q = q.fma(e, e.broadcast(LQ1));
        q = q.fma(e, e.broadcast(1f));
        // x.max(0f), not relu(x): with one more mask in this body C2 boxed the kernel's vectors (SimdAllocationTest).
        return x.max(0f).add(e.mul(p).div(q));
    }
}
