package org.jsbi.sim.hh;

import static org.jsbi.sim.hh.HhMath.*;
import static org.jsbi.sim.hh.HhProtocol.*;
import static org.jsbi.sim.hh.HodgkinHuxleyScalar.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.simd.SimdConfig;

/**
 * The Vector API version of {@link HodgkinHuxleyScalar}: one simulation per lane of {@link SimdConfig#FLOAT}, state as
 * structure of arrays, the time loop inside. Every float operation of the scalar reference is repeated lane-wise in the
 * same order (the {@link HhMath} functions and the Philox noise included; Philox's 32×32→64-bit products are formed in
 * 64-bit lanes), so features and traces are bit-identical to the scalar ones. The per-block double merges of the
 * feature sums run per lane through the scalar code ({@link HodgkinHuxleyScalar#merge}), once per 64 steps.
 */
final class HodgkinHuxleySimd {

    static final VectorSpecies<Float> F = SimdConfig.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();

    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long HIMASK = 0xFFFFFFFF00000000L;
    private static final long PM0 = 0xD2511F53L, PM1 = 0xCD9E8D57L;
    private static final int PW0 = 0x9E3779B9, PW1 = 0xBB67AE85;

    // Rows of the per-group float scratch `acc` (each L floats).
    private static final int R1 = 0, Q1 = 1, Q2 = 2, T1 = 3, T2 = 4, T3 = 5, T4 = 6, CNT = 7, LAST = 8, SHIFT = 9,
            PREV1 = 10, PREV2 = 11, NACC = 12;
    // Rows of `par`.
    private static final int P_GNA = 0, P_GK = 1, P_GL = 2, P_GLEL = 3, P_GM = 4, P_ITM = 5, P_VT = 6, P_NS = 7, NPAR = 8;

    private HodgkinHuxleySimd() {
    }

    /** Per-thread scratch, allocated once per call. */
    static final class Work {
        final float[] par = new float[NPAR * L];
        final float[] state = new float[5 * L];
        final float[] acc = new float[NACC * L];
        final float[] xi = new float[BLOCK * L];
        final int[] words = new int[BLOCK * L];
        final int[] idxLo = new int[L], idxHi = new int[L];
        final double[] rest = new double[L], restSd = new double[2 * L], stim = new double[4 * L];
        final float[] feat = new float[7];
        float[] traceBuf;
        int xiOff;
    }

    /**
     * Simulates rows [from, to) of theta (8 values per row); row i has simulation index firstIndex + i and writes its
     * 7 features to out7[i * 7 ..] and, when traces is not null, its 12,001-sample trace to traces[i * SAMPLES ..].
     * No check of θ (the caller's job). Returns the number of diverged simulations (their features are NaN).
     */
    static int simulate(float[] theta, int from, int to, long firstIndex, long seed, boolean noise, float[] out7,
                        float[] traces) {
        Work w = new Work();
        if (traces != null) w.traceBuf = new float[SAMPLES * L];
        int diverged = 0;
        for (int g = from; g < to; g += L) {
            int lanes = Math.min(L, to - g);
            for (int l = 0; l < L; l++) {
                int row = g + (l < lanes ? l : 0);          // padding lanes repeat the group's first row
                long idx = firstIndex + row;
                w.idxLo[l] = (int) idx;
                w.idxHi[l] = (int) (idx >>> 32);
                int o = row * 8;
                w.par[P_GNA * L + l] = theta[o];
                w.par[P_GK * L + l] = theta[o + 1];
                w.par[P_GL * L + l] = theta[o + 2];
                w.par[P_GLEL * L + l] = theta[o + 2] * -theta[o + 7];
                w.par[P_GM * L + l] = theta[o + 3];
                w.par[P_ITM * L + l] = 1f / theta[o + 4];
                w.par[P_VT * L + l] = -theta[o + 5];
                w.par[P_NS * L + l] = noise ? theta[o + 6] * NOISE_PER_SIGMA : 0f;
            }
            runGroup(w, seed, noise);
            for (int l = 0; l < lanes; l++) {
                int row = g + l;
                boolean ok = finish((int) w.acc[CNT * L + l], w.rest[l], w.restSd[2 * l], w.restSd[2 * l + 1], w.stim,
                        4 * l, w.state[l], w.feat, 0);
                System.arraycopy(w.feat, 0, out7, row * 7, 7);
                if (!ok) diverged++;
                if (traces != null) {
                    int t0 = row * SAMPLES;
                    for (int k = 0; k < SAMPLES; k++) traces[t0 + k] = w.traceBuf[k * L + l];
                }
            }
        }
        return diverged;
    }

    private static void runGroup(Work w, long seed, boolean noise) {
        float[] par = w.par, acc = w.acc;
        // Initial state: the gates at steady state at V0, as HodgkinHuxleyScalar.init.
        FloatVector vT = FloatVector.fromArray(F, par, P_VT * L);
        FloatVector v = FloatVector.broadcast(F, V0);
        FloatVector x = v.sub(vT);
        FloatVector am = efun(x.sub(13f).mul(-0.25f)).mul(A_M);
        FloatVector bm = efun(x.sub(40f).mul(0.2f)).mul(B_M);
        FloatVector ah = exp(x.sub(17f).mul(INV_18)).mul(A_H);
        FloatVector bh = FloatVector.broadcast(F, B_H).div(exp(x.sub(40f).mul(-0.2f)).add(1f));
        FloatVector an = efun(x.sub(15f).mul(-0.2f)).mul(A_N);
        FloatVector bn = exp(x.sub(10f).mul(-0.025f)).mul(B_N);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector eyi = one.div(exp(v.add(35f).mul(0.05f)));
        v.intoArray(w.state, 0);
        am.div(am.add(bm)).intoArray(w.state, L);
        ah.div(ah.add(bh)).intoArray(w.state, 2 * L);
        an.div(an.add(bn)).intoArray(w.state, 3 * L);
        one.div(eyi.mul(eyi).add(1f)).intoArray(w.state, 4 * L);
        java.util.Arrays.fill(acc, 0f);
        FloatVector.broadcast(F, -1e9f).intoArray(acc, LAST * L);
        v.intoArray(acc, SHIFT * L);
        v.intoArray(acc, PREV1 * L);
        v.intoArray(acc, PREV2 * L);
        java.util.Arrays.fill(w.rest, 0);
        java.util.Arrays.fill(w.restSd, 0);
        java.util.Arrays.fill(w.stim, 0);
        if (w.traceBuf != null) v.intoArray(w.traceBuf, 0);
        for (int first = 1; first <= STEPS; first += BLOCK) {
            int last = Math.min(first + BLOCK - 1, STEPS);
            if (noise) {
                philoxBlock(seed, w.idxLo, w.idxHi, (first - 1) / 4, w.words);
                boxMullerBlock(w.words, w.xi);
            }
            block(w, first, last, noise);
            flushLanes(w, first, last);
        }
    }

    /**
     * Steps first..last of one group: the scalar step and accumulate, lane-wise. The step is split into three methods
     * that pass the state through {@code w.state} (C2 stops inlining in one method that holds all twelve exps, and a
     * vector crossing a call that is not inlined gets boxed); each compiles on its own with its exps inlined.
     */
    private static void block(Work w, int first, int last, boolean noise) {
        float[] tb = w.traceBuf;
        Phase[] phases = PHASES;
        for (int s = first; s <= last; s++) {
            w.xiOff = noise ? (s - first) * L : -1;
            for (Phase ph : phases) ph.run(w, s);
            if (tb != null) FloatVector.fromArray(F, w.state, 0).intoArray(tb, s * L);
        }
    }

    /**
     * A part of the step. The parts are called through one megamorphic call site, which C2 never inlines, so each part
     * compiles on its own with all its exps inlined and no vector crosses a call.
     */
    private abstract static class Phase {
        abstract void run(Work w, int s);
    }

    private static final Phase[] PHASES = {
        new Phase() {
            @Override
            void run(Work w, int s) {
                voltage(w, s, w.xiOff);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                gateM(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                gateN(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                gateH(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                gateP(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                accumulate(w, s);
            }
        },
    };

    /** The voltage update of step s (xiOff &lt; 0: no noise). */
    static void voltage(Work w, int s, int xiOff) {
        float[] par = w.par, st = w.state;
        FloatVector m = FloatVector.fromArray(F, st, L);
        FloatVector h = FloatVector.fromArray(F, st, 2 * L);
        FloatVector n = FloatVector.fromArray(F, st, 3 * L);
        FloatVector p = FloatVector.fromArray(F, st, 4 * L);
        FloatVector v = FloatVector.fromArray(F, st, 0);
        FloatVector gNaT = FloatVector.fromArray(F, par, P_GNA * L).mul(m.mul(m).mul(m).mul(h));
        FloatVector n2 = n.mul(n);
        FloatVector gKT = FloatVector.fromArray(F, par, P_GK * L).mul(n2.mul(n2));
        FloatVector gMT = FloatVector.fromArray(F, par, P_GM * L).mul(p);
        FloatVector gSum = gNaT.add(gKT).add(FloatVector.fromArray(F, par, P_GL * L)).add(gMT);
        FloatVector drive = gNaT.mul(E_NA).add(gKT.mul(E_K)).add(FloatVector.fromArray(F, par, P_GLEL * L))
                .add(gMT.mul(E_K)).add(current(s));
        FloatVector noiseScale = FloatVector.fromArray(F, par, P_NS * L);
        drive = drive.add(xiOff >= 0 ? noiseScale.mul(FloatVector.fromArray(F, w.xi, xiOff)) : noiseScale.mul(0f));
        FloatVector vInf = drive.div(gSum);
        vInf.add(v.sub(vInf).mul(exp(gSum.mul(-DT)))).intoArray(st, 0);
    }

    private static FloatVector x(Work w) {
        return FloatVector.fromArray(F, w.state, 0).sub(FloatVector.fromArray(F, w.par, P_VT * L));
    }

    /** q' = q∞ + (q − q∞)·exp(−dt·(α + β)) for the gate in state row `row`. */
    private static void relax(float[] st, int row, FloatVector a, FloatVector b) {
        FloatVector q = FloatVector.fromArray(F, st, row * L);
        FloatVector sum = a.add(b);
        FloatVector inf = a.div(sum);
        inf.add(q.sub(inf).mul(exp(sum.mul(-DT)))).intoArray(st, row * L);
    }

    /** The m gate at the new V. */
    static void gateM(Work w) {
        FloatVector x = x(w);
        FloatVector am = efun(x.sub(13f).mul(-0.25f)).mul(A_M);
        FloatVector bm = efun(x.sub(40f).mul(0.2f)).mul(B_M);
        relax(w.state, 1, am, bm);
    }

    /** The n gate at the new V. */
    static void gateN(Work w) {
        FloatVector x = x(w);
        FloatVector an = efun(x.sub(15f).mul(-0.2f)).mul(A_N);
        FloatVector bn = exp(x.sub(10f).mul(-0.025f)).mul(B_N);
        relax(w.state, 3, an, bn);
    }

    /** The h gate at the new V. */
    static void gateH(Work w) {
        FloatVector x = x(w);
        FloatVector ah = exp(x.sub(17f).mul(INV_18)).mul(A_H);
        FloatVector bh = FloatVector.broadcast(F, B_H).div(exp(x.sub(40f).mul(-0.2f)).add(1f));
        relax(w.state, 2, ah, bh);
    }

    /** The p gate (M current) at the new V. */
    static void gateP(Work w) {
        float[] st = w.state;
        FloatVector vn = FloatVector.fromArray(F, st, 0);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector ey = exp(vn.add(35f).mul(0.05f));
        FloatVector eyi = one.div(ey);
        FloatVector pInf = one.div(eyi.mul(eyi).add(1f));
        FloatVector rp = ey.mul(3.3f).add(eyi).mul(FloatVector.fromArray(F, w.par, P_ITM * L));
        FloatVector p = FloatVector.fromArray(F, st, 4 * L);
        pInf.add(p.sub(pInf).mul(exp(rp.mul(-DT)))).intoArray(st, 4 * L);
    }

    /** HodgkinHuxleyScalar.accumulate for sample k, lane-wise. */
    static void accumulate(Work w, int k) {
        float[] acc = w.acc;
        FloatVector v = FloatVector.fromArray(F, w.state, 0);
        FloatVector d = v.sub(FloatVector.fromArray(F, acc, SHIFT * L));
        if (k <= REST_LAST) addTo(acc, R1, d);
        if (k >= REST_SD_FIRST && k <= REST_SD_LAST) {
            addTo(acc, Q1, d);
            addTo(acc, Q2, d.mul(d));
        }
        if (k >= STIM_FIRST && k <= STIM_LAST) {
            FloatVector d2 = d.mul(d);
            addTo(acc, T1, d);
            addTo(acc, T2, d2);
            addTo(acc, T3, d2.mul(d));
            addTo(acc, T4, d2.mul(d2));
        }
        FloatVector prev1 = FloatVector.fromArray(F, acc, PREV1 * L);
        int j = k - 2;
        if (j >= STIM_FIRST && j <= STIM_LAST) {
            FloatVector prev2 = FloatVector.fromArray(F, acc, PREV2 * L);
            VectorMask<Float> det = prev2.compare(VectorOperators.GT, SPIKE_THRESHOLD)
                    .and(prev1.compare(VectorOperators.GE, prev2))
                    .and(v.compare(VectorOperators.LT, prev1));
            if (det.anyTrue()) {
                FloatVector lastSpike = FloatVector.fromArray(F, acc, LAST * L);
                FloatVector gap = FloatVector.broadcast(F, (float) j).sub(lastSpike);
                VectorMask<Float> keep = GAP50_KEEP[j]
                        ? gap.compare(VectorOperators.GE, (float) SPIKE_MIN_GAP)
                        : gap.compare(VectorOperators.GT, (float) SPIKE_MIN_GAP);
                FloatVector cnt = FloatVector.fromArray(F, acc, CNT * L);
                cnt.add(FloatVector.broadcast(F, 1f), det.and(keep)).intoArray(acc, CNT * L);
                lastSpike.blend((float) j, det).intoArray(acc, LAST * L);
            }
        }
        prev1.intoArray(acc, PREV2 * L);
        v.intoArray(acc, PREV1 * L);
    }

    private static void addTo(float[] acc, int row, FloatVector x) {
        FloatVector.fromArray(F, acc, row * L).add(x).intoArray(acc, row * L);
    }

    /** HodgkinHuxleyScalar.flush, per lane. */
    static void flushLanes(Work w, int first, int last) {
        float[] a = w.acc;
        int nr = overlap(first, last, 1, REST_LAST);
        int nq = overlap(first, last, REST_SD_FIRST, REST_SD_LAST);
        int nt = overlap(first, last, STIM_FIRST, STIM_LAST);
        for (int l = 0; l < L; l++) {
            float shift = a[SHIFT * L + l];
            merge(w.rest, l, 1, nr, shift, a[R1 * L + l], 0f, 0f, 0f);
            merge(w.restSd, 2 * l, 2, nq, shift, a[Q1 * L + l], a[Q2 * L + l], 0f, 0f);
            merge(w.stim, 4 * l, 4, nt, shift, a[T1 * L + l], a[T2 * L + l], a[T3 * L + l], a[T4 * L + l]);
        }
        java.util.Arrays.fill(a, R1 * L, (T4 + 1) * L, 0f);
        System.arraycopy(w.state, 0, a, SHIFT * L, L);
    }

    /** Philox blocks b0 .. b0 + 15 of every lane (HhNoise.block): word q of block b at words[(4b + q) * L + lane]. */
    static void philoxBlock(long seed, int[] idxLo, int[] idxHi, int b0, int[] words) {
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        IntVector lo = IntVector.fromArray(I, idxLo, 0);
        IntVector hi = IntVector.fromArray(I, idxHi, 0);
        IntVector stream = IntVector.broadcast(I, HhNoise.STREAM);
        for (int b = 0; b < BLOCK / 4; b++) {
            IntVector c0 = lo, c1 = hi, c2 = stream, c3 = IntVector.broadcast(I, b0 + b);
            int kk0 = k0, kk1 = k1;
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
                IntVector n0 = hi1.lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, kk0);
                IntVector n2 = hi0.lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, kk1);
                c0 = n0;
                c1 = lo1;
                c2 = n2;
                c3 = lo0;
                kk0 += PW0;
                kk1 += PW1;
            }
            c0.intoArray(words, (4 * b) * L);
            c1.intoArray(words, (4 * b + 1) * L);
            c2.intoArray(words, (4 * b + 2) * L);
            c3.intoArray(words, (4 * b + 3) * L);
        }
    }

    /** The normals of a block: words (2i, 2i + 1) give normals 2i, 2i + 1 (HhMath.boxMuller), at xi[t * L + lane]. */
    static void boxMullerBlock(int[] words, float[] xi) {
        for (int i = 0; i < BLOCK / 2; i++) {
            int a = 2 * i * L, b = (2 * i + 1) * L;
            boxMuller(words, a, b, xi);
        }
    }

    // ---- HhMath, lane-wise ----

    private static FloatVector bc(float x) {
        return FloatVector.broadcast(F, x);
    }

    static FloatVector exp(FloatVector x) {
        x = x.blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
        x = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO));
        FloatVector t = x.fma(LOG2E, MAGIC);
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), x);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(E7, E6);
        p = p.fma(r, bc(E5));
        p = p.fma(r, bc(E4));
        p = p.fma(r, bc(E3));
        p = p.fma(r, bc(E2));
        p = p.fma(r, bc(1f));
        p = p.fma(r, bc(1f));
        IntVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(scale).reinterpretAsFloats();
    }

    static FloatVector efun(FloatVector z) {
        FloatVector z2 = z.mul(z);
        FloatVector q = z2.fma(B6, B4);
        q = q.fma(z2, bc(B2));
        q = q.mul(z2);
        FloatVector series = z.fma(-0.5f, 1f).add(q);
        FloatVector quot = z.div(exp(z).sub(1f));
        return quot.blend(series, z.abs().compare(VectorOperators.LT, EFUN_SERIES));
    }

    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127).convert(VectorOperators.I2F, 0);
        FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), big);
        e = e.blend(e.add(1f), big);
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector q = z.fma(L9, L7);
        q = q.fma(z, bc(L5));
        q = q.fma(z, bc(L3));
        q = q.mul(z);
        FloatVector s2 = s.add(s);
        FloatVector logm = s2.fma(q, s2);
        return e.fma(bc(LN2), logm);
    }

    /** HhMath.boxMuller lane-wise on words[offC ..], words[offS ..]; the normals go to out at the same offsets. */
    private static void boxMuller(int[] words, int offC, int offS, float[] out) {
        IntVector wa = IntVector.fromArray(I, words, offC);
        IntVector wb = IntVector.fromArray(I, words, offS);
        FloatVector u1 = ((FloatVector) wa.lanewise(VectorOperators.LSHR, 8).add(1).convert(VectorOperators.I2F, 0))
                .mul(0x1.0p-24f);
        FloatVector u2 = ((FloatVector) wb.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                .mul(0x1.0p-24f);
        FloatVector r = log(u1).mul(-2f).sqrt();
        FloatVector w = u2.blend(u2.sub(1f), u2.compare(VectorOperators.GE, 0.5f));
        FloatVector q = w.mul(4f).add(MAGIC).sub(MAGIC);
        FloatVector f = q.fma(bc(-0.25f), w);
        FloatVector th = f.mul(TWO_PI);
        FloatVector z = th.mul(th);
        FloatVector ps = z.fma(S9, S7);
        ps = ps.fma(z, bc(S5));
        ps = ps.fma(z, bc(S3));
        FloatVector sn = th.mul(z).fma(ps, th);
        FloatVector pc = z.fma(C10, C8);
        pc = pc.fma(z, bc(C6));
        pc = pc.fma(z, bc(C4));
        pc = pc.fma(z, bc(C2));
        FloatVector cs = z.fma(pc, bc(1f));
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
