package org.jsbi.sim.math;

import static org.jsbi.sim.math.Float32Math.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.simd.SimdConfig;

/**
 * {@link Float32Math}'s functions lane-wise over arrays, for the SIMD simulators (Hodgkin–Huxley, pyloric network):
 * every lane gets the very bits the scalar function gives. Each method keeps its vectors inside its own body (none is
 * passed or returned), because C2 boxes a vector that crosses a call it did not inline (see {@code HodgkinHuxleySimd}).
 * Counts are multiples of {@link #L}.
 */
public final class Float32Lanes {

    private Float32Lanes() {
    }

    public static final VectorSpecies<Float> F = SimdConfig.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final VectorSpecies<Long> LS = VectorSpecies.of(long.class, F.vectorShape());
    public static final int L = F.length();

    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long HIMASK = 0xFFFFFFFF00000000L;
    private static final long PM0 = 0xD2511F53L, PM1 = 0xCD9E8D57L;
    /**
     * The Philox multipliers, read as vectors and masked with {@link #MASK32} in {@link #philoxBlocks}: C2 turns a
     * 64-bit lane product into one vpmuludq only when it sees both factors masked to 32 bits (an AND with 0xFFFFFFFF or
     * a shift right by 32), which a broadcast constant is not; otherwise it emulates the 64×64-bit product (AVX2 has
     * none), and Philox takes twice as long.
     */
    private static final long[] PHILOX_MULTIPLIERS = new long[2 * 8];

    static {
        java.util.Arrays.fill(PHILOX_MULTIPLIERS, 0, 8, PM0);
        java.util.Arrays.fill(PHILOX_MULTIPLIERS, 8, 16, PM1);
    }
    private static final int PW0 = 0x9E3779B9, PW1 = 0xBB67AE85;

    /** {@link Float32Math#exp} of a[from .. from + count) into out[to ..]. */
    public static void exp(float[] a, int from, float[] out, int to, int count) {
        exp(a, from, out, to, count, true);
    }

    /**
     * {@link Float32Math#exp} of a[from .. from + count) into out[to ..] for arguments the caller knows to lie in
     * [EXP_LO, EXP_HI] (or NaN): the range clamps, which change nothing there, are left out.
     */
    public static void expInRange(float[] a, int from, float[] out, int to, int count) {
        exp(a, from, out, to, count, false);
    }

    private static void exp(float[] a, int from, float[] out, int to, int count, boolean clamp) {
        for (int o = 0; o < count; o += L) {
            FloatVector x = FloatVector.fromArray(F, a, from + o);
            if (clamp) {
                x = x.blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
                x = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO));
            }
            FloatVector t = x.fma(LOG2E, MAGIC);
            FloatVector k = t.sub(MAGIC);
            FloatVector red = k.fma(FloatVector.broadcast(F, -LN2_HI), x);
            red = k.fma(FloatVector.broadcast(F, -LN2_LO), red);
            FloatVector p = red.fma(X5, X4);
            p = p.fma(red, FloatVector.broadcast(F, X3));
            p = p.fma(red, FloatVector.broadcast(F, X2));
            p = p.fma(red, FloatVector.broadcast(F, 1f));
            p = p.fma(red, FloatVector.broadcast(F, 1f));
            IntVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            p.reinterpretAsInts().add(scale).reinterpretAsFloats().intoArray(out, to + o);
        }
    }

    /**
     * out[to + k·stride + o] = {@link Float32Math#expAffine}(clamp(v[from + o]), b[k], c[k]) for k &lt; b.length and
     * o &lt; count, clamp(v) = min(max(v, −limit), limit): several exps of affine functions of one row in one pass, so
     * that the arguments never go through memory. The caller promises every argument lies within ±87, as
     * {@link Float32Math#expAffine} requires.
     */
    public static void expAffine(float[] v, int from, float limit, float[] b, float[] c, float[] out, int to,
                                 int stride, int count) {
        int terms = b.length;
        for (int o = 0; o < count; o += L) {
            FloatVector x0 = FloatVector.fromArray(F, v, from + o).max(-limit).min(limit);
            for (int k = 0; k < terms; k++) {
                FloatVector x = x0.fma(b[k], c[k]);
                FloatVector t = x.fma(LOG2E, MAGIC);
                FloatVector kk = t.sub(MAGIC);
                FloatVector red = kk.fma(FloatVector.broadcast(F, -LN2), x);
                FloatVector p = red.fma(X5, X4);
                p = p.fma(red, FloatVector.broadcast(F, X3));
                p = p.fma(red, FloatVector.broadcast(F, X2));
                p = p.fma(red, FloatVector.broadcast(F, 1f));
                p = p.fma(red, FloatVector.broadcast(F, 1f));
                IntVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
                p.reinterpretAsInts().add(scale).reinterpretAsFloats().intoArray(out, to + k * stride + o);
            }
        }
    }

    /** {@link Float32Math#expSmall} of a[from .. from + count) (each within ±1/32) into out[to ..]. */
    public static void expSmall(float[] a, int from, float[] out, int to, int count) {
        for (int o = 0; o < count; o += L) {
            FloatVector z = FloatVector.fromArray(F, a, from + o);
            FloatVector p = z.fma(T4, T3);
            p = p.fma(z, FloatVector.broadcast(F, 0.5f));
            p = p.fma(z, FloatVector.broadcast(F, 1f));
            p.fma(z, FloatVector.broadcast(F, 1f)).intoArray(out, to + o);
        }
    }

    /** {@link Float32Math#log} of a[from .. from + count) (positive normal floats) into out[to ..]. */
    public static void log(float[] a, int from, float[] out, int to, int count) {
        for (int o = 0; o < count; o += L) {
            FloatVector x = FloatVector.fromArray(F, a, from + o);
            IntVector bits = x.reinterpretAsInts();
            FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127)
                    .convert(VectorOperators.I2F, 0);
            FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
            VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
            m = m.blend(m.mul(0.5f), big);
            e = e.blend(e.add(1f), big);
            FloatVector f = m.sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector z = s.mul(s);
            FloatVector q = z.fma(L9, L7);
            q = q.fma(z, FloatVector.broadcast(F, L5));
            q = q.fma(z, FloatVector.broadcast(F, L3));
            q = q.mul(z);
            FloatVector s2 = s.add(s);
            FloatVector logm = s2.fma(q, s2);
            e.fma(FloatVector.broadcast(F, LN2), logm).intoArray(out, to + o);
        }
    }

    /**
     * Philox4x32-10 blocks b0 .. b0 + blocks − 1 of {@link Float32Math#philoxNormals}'s layout (counter: simulation
     * index low and high words from idxLo/idxHi[o .. o + L), the stream, the block; key: the seed) for one vector of
     * lanes: word q of block b0 + b at words[wo + (4b + q) * L + lane].
     */
    public static void philoxBlocks(long seed, int[] idxLo, int[] idxHi, int o, int streamId, int b0, int blocks,
                                    int[] words, int wo) {
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        LongVector m0 = LongVector.fromArray(LS, PHILOX_MULTIPLIERS, 0).and(MASK32);
        LongVector m1 = LongVector.fromArray(LS, PHILOX_MULTIPLIERS, 8).and(MASK32);
        IntVector lo = IntVector.fromArray(I, idxLo, o);
        IntVector hi = IntVector.fromArray(I, idxHi, o);
        IntVector stream = IntVector.broadcast(I, streamId);
        for (int b = 0; b < blocks; b++) {
            IntVector c0 = lo, c1 = hi, c2 = stream, c3 = IntVector.broadcast(I, b0 + b);
            int kk0 = k0, kk1 = k1;
            for (int r = 0; r < 10; r++) {
                LongVector a = c0.reinterpretAsLongs();
                LongVector pe = a.and(MASK32).mul(m0);
                LongVector po = a.lanewise(VectorOperators.LSHR, 32).mul(m0);
                IntVector lo0 = pe.and(MASK32).or(po.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts();
                IntVector hi0 = pe.lanewise(VectorOperators.LSHR, 32).or(po.and(HIMASK)).reinterpretAsInts();
                LongVector c = c2.reinterpretAsLongs();
                LongVector qe = c.and(MASK32).mul(m1);
                LongVector qo = c.lanewise(VectorOperators.LSHR, 32).mul(m1);
                IntVector lo1 = qe.and(MASK32).or(qo.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts();
                IntVector hi1 = qe.lanewise(VectorOperators.LSHR, 32).or(qo.and(HIMASK)).reinterpretAsInts();
                IntVector n0 = hi1.lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, kk0);
                IntVector n2 = hi0.lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, kk1);
                c0 = n0;
                c1 = lo1;
                c2 = n2;
                c3 = lo0;
                kk0 += PW0;
                kk1 += PW1;
            }
            c0.intoArray(words, wo + (4 * b) * L);
            c1.intoArray(words, wo + (4 * b + 1) * L);
            c2.intoArray(words, wo + (4 * b + 2) * L);
            c3.intoArray(words, wo + (4 * b + 3) * L);
        }
    }
    /**
     * Box–Muller (Float32Math.boxMuller), first part, for words [0, end): each pair of rows (2i, 2i + 1) of L words gives
     * r = sqrt(−2 log u1) from row 2i, written to xi's row 2i. Float32Math.log lane-wise.
     */
    public static void radius(int[] words, float[] out, int end) {
        for (int off = 0; off < end; off += 2 * L) {
            IntVector wa = IntVector.fromArray(I, words, off);
            FloatVector x = ((FloatVector) wa.lanewise(VectorOperators.LSHR, 8).add(1)
                    .convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
            IntVector bits = x.reinterpretAsInts();
            FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127)
                    .convert(VectorOperators.I2F, 0);
            FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
            VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
            m = m.blend(m.mul(0.5f), big);
            e = e.blend(e.add(1f), big);
            FloatVector f = m.sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector z = s.mul(s);
            FloatVector q = z.fma(L9, L7);
            q = q.fma(z, FloatVector.broadcast(F, L5));
            q = q.fma(z, FloatVector.broadcast(F, L3));
            q = q.mul(z);
            FloatVector s2 = s.add(s);
            FloatVector logm = s2.fma(q, s2);
            e.fma(FloatVector.broadcast(F, LN2), logm).mul(-2f).sqrt().intoArray(out, off);
        }
    }
    /**
     * Box–Muller (Float32Math.boxMuller), second part, for words [0, end): the angle from row 2i + 1, r from xi's row 2i;
     * the two normals into xi's rows 2i and 2i + 1.
     */
    public static void angle(int[] words, float[] out, int end) {
        for (int offC = 0; offC < end; offC += 2 * L) {
            int offS = offC + L;
            IntVector wb = IntVector.fromArray(I, words, offS);
            FloatVector r = FloatVector.fromArray(F, out, offC);
            FloatVector u2 = ((FloatVector) wb.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                    .mul(0x1.0p-24f);
            FloatVector w = u2.blend(u2.sub(1f), u2.compare(VectorOperators.GE, 0.5f));
            FloatVector q = w.mul(4f).add(MAGIC).sub(MAGIC);
            FloatVector f = q.fma(FloatVector.broadcast(F, -0.25f), w);
            FloatVector th = f.mul(TWO_PI);
            FloatVector z = th.mul(th);
            FloatVector ps = z.fma(S9, S7);
            ps = ps.fma(z, FloatVector.broadcast(F, S5));
            ps = ps.fma(z, FloatVector.broadcast(F, S3));
            FloatVector sn = th.mul(z).fma(ps, th);
            FloatVector pc = z.fma(C10, C8);
            pc = pc.fma(z, FloatVector.broadcast(F, C6));
            pc = pc.fma(z, FloatVector.broadcast(F, C4));
            pc = pc.fma(z, FloatVector.broadcast(F, C2));
            FloatVector cs = z.fma(pc, FloatVector.broadcast(F, 1f));
            VectorMask<Float> q0 = q.compare(VectorOperators.EQ, 0f);
            VectorMask<Float> q1 = q.compare(VectorOperators.EQ, 1f);
            VectorMask<Float> qm1 = q.compare(VectorOperators.EQ, -1f);
            FloatVector c = cs.neg(), sv = sn.neg();
            c = c.blend(cs, q0);
            sv = sv.blend(sn, q0);
            c = c.blend(sn.neg(), q1);
            sv = sv.blend(cs, q1);
            c = c.blend(sn, qm1);
            sv = sv.blend(cs.neg(), qm1);
            r.mul(c).intoArray(out, offC);
            r.mul(sv).intoArray(out, offS);
        }
    }
}
