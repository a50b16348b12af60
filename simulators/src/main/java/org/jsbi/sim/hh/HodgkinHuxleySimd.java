package org.jsbi.sim.hh;

import static org.jsbi.sim.math.Float32Math.*;
import static org.jsbi.sim.hh.HhProtocol.*;
import static org.jsbi.sim.hh.HodgkinHuxleyScalar.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.simd.SimdConfig;
import org.jsbi.sim.math.Float32Lanes;
import org.jsbi.sim.math.Float32Math;

/**
 * The Vector API version of {@link HodgkinHuxleyScalar}: one simulation per lane of {@link SimdConfig#FLOAT}, state as
 * structure of arrays over a chunk of up to {@link #GROUPS} vectors of simulations, the time loop inside. Every float
 * operation of the scalar reference is repeated lane-wise in the same order (the {@link Float32Math} functions and the
 * Philox noise included; Philox's 32×32→64-bit products are formed in 64-bit lanes), so features and traces are
 * bit-identical to the scalar ones. The initial state and the per-block double merges of the feature sums run per lane
 * through the scalar code ({@link HodgkinHuxleyScalar#init}, {@link HodgkinHuxleyScalar#merge}).
 *
 * <p><b>How it is kept fast.</b> C2 turns Vector API calls into machine vectors only when every method between a
 * vector's creation and its use is inlined into one compilation; a vector that crosses a call that is not inlined is
 * boxed on the heap, and its operations fall back to Java loops (the first version allocated 3.3 MB per simulation
 * that way). Our own helpers are not {@code @ForceInline}, and C2 declines to inline them once the compilation has
 * grown past {@code NodeCountInliningCutoff} (a few exps' worth of Vector API code), or once the helper has been
 * compiled on its own into a big method (which warm-up makes likely). So here:
 * <ul>
 *   <li>no method of this class takes or returns a vector or mask: each vector lives inside one method body;</li>
 *   <li>the step is a list of {@link Phase}s that pass values through rows of {@link Work} arrays; the exps of a step
 *       run in passes of one exp loop ({@link #expRows}) over the arguments gathered by the phase before, except the
 *       relaxation exp of m, written out in its gate update ({@link #relaxM}; h, n and p take a series,
 *       {@link #relaxSlowGates});</li>
 *   <li>the phases are called through one megamorphic call site ({@link #runPhases}), so C2 compiles each on its own
 *       (a small compilation, far from the cutoffs) and never inlines them into the time loop;</li>
 *   <li>each phase loops over all vectors of the chunk, so the call costs little per simulation, and each is an
 *       often-called method that C2 compiles normally (no reliance on on-stack replacement of the time loop);</li>
 *   <li>the phases do not branch on the step or the data ({@link #accumulate}), so a compilation made during the first
 *       simulations is not deoptimized when a feature window opens or the first spike comes.</li>
 * </ul>
 */
final class HodgkinHuxleySimd {

    static final VectorSpecies<Float> F = SimdConfig.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();
    /**
     * Vectors of simulations per chunk (the phases loop over them); {@code -Djsbi.hh.groups} overrides it for
     * measurements (8 measured within noise of 16, 32 slower; results do not depend on it).
     */
    static final int GROUPS = Integer.getInteger("jsbi.hh.groups", 16);


    // Rows of `st` (each `cap` floats).
    static final int SV = 0, SM = 1, SH = 2, SN = 3, SP = 4, NST = 5;
    // Rows of `tmp`, the values passed between phases. VINF, ARGV/EXPV: vInf and the exp of the voltage step;
    // ARG/EXP: the four exp arguments of the rates at the new V (zm, zn, αh's, βn's) and their exps; ZB: βm's efun
    // argument (its exp is derived from zn's); INF: m∞ h∞ n∞ p∞; RARG: the relaxation exp arguments.
    static final int VINF = 0, ARGV = 1, EXPV = 2, ARG = 3, ZB = ARG + 4, EXP = ZB + 1, INF = EXP + 4,
            RARG = INF + 4, NTMP = RARG + 4;
    // Rows of `acc`.
    private static final int R1 = 0, Q1 = 1, Q2 = 2, T1 = 3, T2 = 4, T3 = 5, T4 = 6, CNT = 7, LAST = 8, SHIFT = 9,
            PREV1 = 10, PREV2 = 11, TRASH = 12, NACC = 16;
    // Rows of `par`.
    private static final int P_GNA = 0, P_GK = 1, P_GL = 2, P_GLEL = 3, P_GM = 4, P_ITM = 5, P_VT = 6, P_NS = 7, P_PS = 8, NPAR = 9;

    /** Which windows sample k is in (bits W_*), the spike gap threshold at k, and the injected current of step k. */
    private static final int W_REST = 1, W_REST_SD = 2, W_STIM = 4, W_DETECT = 8;
    /** Per sample k, the acc rows that accumulate's four sum slots add to (TRASH + i when slot i is idle). */
    private static final int[] SLOTS = new int[4 * SAMPLES];
    private static final int[] WINDOWS = new int[SAMPLES];
    private static final float[] MIN_GAP = new float[SAMPLES];
    private static final float[] CURRENT = new float[SAMPLES];

    static {
        for (int k = 1; k < SAMPLES; k++) {
            int j = k - 2;
            boolean detect = j >= STIM_FIRST && j <= STIM_LAST;
            WINDOWS[k] = (k <= REST_LAST ? W_REST : 0) | (k >= REST_SD_FIRST && k <= REST_SD_LAST ? W_REST_SD : 0)
                    | (k >= STIM_FIRST && k <= STIM_LAST ? W_STIM : 0) | (detect ? W_DETECT : 0);
            MIN_GAP[k] = detect && GAP50_KEEP[j] ? SPIKE_MIN_GAP : SPIKE_MIN_GAP + 1;
            CURRENT[k] = current(k);
            int[] rows = (WINDOWS[k] & W_STIM) != 0 ? new int[] {T1, T2, T3, T4}
                    : (WINDOWS[k] & W_REST_SD) != 0 ? new int[] {R1, Q1, Q2, TRASH + 3}
                    : (WINDOWS[k] & W_REST) != 0 ? new int[] {R1, TRASH + 1, TRASH + 2, TRASH + 3}
                    : new int[] {TRASH, TRASH + 1, TRASH + 2, TRASH + 3};
            System.arraycopy(rows, 0, SLOTS, 4 * k, 4);
        }
    }

    private HodgkinHuxleySimd() {
    }

    /** Per-thread scratch for a chunk of up to `cap` simulations, allocated once per call. */
    static final class Work {
        final int cap;
        /** Lanes in use in the current chunk (a multiple of L). */
        int n;
        /** The current block's first step. */
        int first;
        long seed;
        final float[] par, st, tmp, acc, xi;
        final int[] words, idxLo, idxHi, traceRow;
        final double[] rest, restSd, stim;
        final float[] feat = new float[7];
        /** The exps of one vector's lanes on relaxSlowGates' rare path. */
        final float[] slowExp = new float[L];
        final HodgkinHuxleyScalar.State init = new HodgkinHuxleyScalar.State();

        Work(int groups) {
            cap = groups * L;
            par = new float[NPAR * cap];
            st = new float[NST * cap];
            tmp = new float[NTMP * cap];
            acc = new float[NACC * cap];
            xi = new float[BLOCK * cap];
            words = new int[BLOCK * cap];
            idxLo = new int[cap];
            idxHi = new int[cap];
            traceRow = new int[cap];
            rest = new double[cap];
            restSd = new double[2 * cap];
            stim = new double[4 * cap];
        }
    }

    /**
     * Simulates rows [from, to) of theta (8 values per row); row i has simulation index firstIndex + i and writes its
     * 7 features to out7[i * 7 ..] and, when traces is not null, its 12,001-sample trace to traces[i * SAMPLES ..].
     * No check of θ (the caller's job). Returns the number of diverged simulations (their features are NaN).
     */
    static int simulate(float[] theta, int from, int to, long firstIndex, long seed, boolean noise, float[] out7,
                        float[] traces) {
        if (to - from == 1) {
            // One simulation in a vector of L lanes costs more than the scalar code (the phases' per-call cost is
            // spread over one lane); the results are the same bits.
            boolean ok = HodgkinHuxleyScalar.simulate(theta, from * 8, seed, firstIndex + from, noise, out7, from * 7,
                    traces, from * SAMPLES);
            return ok ? 0 : 1;
        }
        int groups = Math.max(1, Math.min(GROUPS, (to - from + L - 1) / L));
        Work w = new Work(groups);
        w.seed = seed;
        int diverged = 0;
        for (int c = from; c < to; c += w.cap) {
            int rows = Math.min(w.cap, to - c);
            w.n = (rows + L - 1) / L * L;
            setUp(w, theta, c, rows, firstIndex, noise);
            if (traces != null) trace(w, traces, 0);
            for (int first = 1; first <= STEPS; first += BLOCK) {
                int last = Math.min(first + BLOCK - 1, STEPS);
                w.first = first;
                if (noise) runPhases(NOISE, w, (first - 1) / 4);
                for (int s = first; s <= last; s++) {
                    runPhases(STEP, w, s);
                    if (traces != null) trace(w, traces, s);
                }
                flushLanes(w, first, last);
            }
            for (int l = 0; l < rows; l++) {
                boolean ok = finish((int) w.acc[CNT * w.cap + l], w.rest[l], w.restSd[2 * l], w.restSd[2 * l + 1],
                        w.stim, 4 * l, w.st[SV * w.cap + l], w.feat, 0);
                System.arraycopy(w.feat, 0, out7, (c + l) * 7, 7);
                if (!ok) diverged++;
            }
        }
        return diverged;
    }

    /**
     * Parameters, initial state (HodgkinHuxleyScalar.init per lane) and cleared sums of rows [c, c + rows); padding
     * lanes repeat their vector's first row and write nothing.
     */
    private static void setUp(Work w, float[] theta, int c, int rows, long firstIndex, boolean noise) {
        int cap = w.cap;
        HodgkinHuxleyScalar.State s = w.init;
        for (int l = 0; l < w.n; l++) {
            int row = c + (l < rows ? l : l / L * L);
            long idx = firstIndex + row;
            w.idxLo[l] = (int) idx;
            w.idxHi[l] = (int) (idx >>> 32);
            w.traceRow[l] = l < rows ? row : -1;
            HodgkinHuxleyScalar.init(s, theta, row * 8, noise);
            w.par[P_GNA * cap + l] = s.gNa;
            w.par[P_GK * cap + l] = s.gK;
            w.par[P_GL * cap + l] = s.gL;
            w.par[P_GLEL * cap + l] = s.gLEL;
            w.par[P_GM * cap + l] = s.gM;
            w.par[P_ITM * cap + l] = s.invTauMax;
            w.par[P_VT * cap + l] = s.vT;
            w.par[P_NS * cap + l] = s.noiseScale;
            w.par[P_PS * cap + l] = s.pScale;
            w.st[SV * cap + l] = s.v;
            w.st[SM * cap + l] = s.m;
            w.st[SH * cap + l] = s.h;
            w.st[SN * cap + l] = s.n;
            w.st[SP * cap + l] = s.p;
            w.acc[LAST * cap + l] = -1e9f;
            w.acc[SHIFT * cap + l] = s.v;
            w.acc[PREV1 * cap + l] = s.v;
            w.acc[PREV2 * cap + l] = s.v;
            w.acc[CNT * cap + l] = 0f;
        }
        java.util.Arrays.fill(w.acc, R1 * cap, (T4 + 1) * cap, 0f);
        java.util.Arrays.fill(w.rest, 0);
        java.util.Arrays.fill(w.restSd, 0);
        java.util.Arrays.fill(w.stim, 0);
        if (!noise) java.util.Arrays.fill(w.xi, 0f);        // noiseScale (0) × 0 = 0, as the scalar step with xi = 0
    }

    /** Sample s of every real lane into its trace. */
    private static void trace(Work w, float[] traces, int s) {
        int v0 = SV * w.cap;
        for (int l = 0; l < w.n; l++) {
            int row = w.traceRow[l];
            if (row >= 0) traces[row * SAMPLES + s] = w.st[v0 + l];
        }
    }

    /**
     * A part of the step (or of the noise of a block) over all vectors of the chunk. Every phase is called through the
     * one call site in {@link #runPhases}, which sees many receiver classes, so C2 never inlines a phase into its
     * caller and compiles each on its own.
     */
    private abstract static class Phase {
        abstract void run(Work w, int s);
    }

    private static void runPhases(Phase[] phases, Work w, int s) {
        for (Phase ph : phases) ph.run(w, s);
    }

    /** Step s (HodgkinHuxleyScalar.step and accumulate), in phases. */
    private static final Phase[] STEP = {
        new Phase() {
            @Override
            void run(Work w, int s) {
                voltageIn(w, s);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                expRows(w, ARGV, EXPV, 1);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                voltageOut(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                expRows(w, ARG, EXP, 4);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                rates(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                relaxM(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                relaxSlowGates(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int s) {
                accumulate(w, s);
            }
        },
    };

    /** The normals of a block (argument: the first Philox block b0): Philox words, then Box–Muller in two parts. */
    private static final Phase[] NOISE = {
        new Phase() {
            @Override
            void run(Work w, int b0) {
                for (int o = 0; o < w.n; o += L) {
                    Float32Lanes.philoxBlocks(w.seed, w.idxLo, w.idxHi, o, HhNoise.STREAM, b0, BLOCK / 4, w.words,
                            o * BLOCK);
                }
            }
        },
        new Phase() {
            @Override
            void run(Work w, int b0) {
                Float32Lanes.radius(w.words, w.xi, w.n * BLOCK);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int b0) {
                Float32Lanes.angle(w.words, w.xi, w.n * BLOCK);
            }
        },
    };

    /**
     * The voltage step's first part (HodgkinHuxleyScalar.step): vInf into row VINF and the exp argument gSum·(−dt)
     * into row ARGV; the normals of step s are at xi[o·BLOCK + (s − first)·L ..] (zeros when noise is off). (One
     * phase holding the exp as well measured slower: its long dependency chain and ~30 live constants.)
     */
    static void voltageIn(Work w, int s) {
        float[] par = w.par, st = w.st, tmp = w.tmp, xi = w.xi;
        int cap = w.cap, xo = (s - w.first) * L;
        float cur = CURRENT[s];          // a table, not current(s)'s branch (see accumulate)
        for (int o = 0; o < w.n; o += L) {
            FloatVector m = FloatVector.fromArray(F, st, SM * cap + o);
            FloatVector h = FloatVector.fromArray(F, st, SH * cap + o);
            FloatVector n = FloatVector.fromArray(F, st, SN * cap + o);
            FloatVector p = FloatVector.fromArray(F, st, SP * cap + o);
            FloatVector gNaT = FloatVector.fromArray(F, par, P_GNA * cap + o).mul(m.mul(m).mul(m).mul(h));
            FloatVector n2 = n.mul(n);
            FloatVector gKT = FloatVector.fromArray(F, par, P_GK * cap + o).mul(n2.mul(n2));
            FloatVector gMT = FloatVector.fromArray(F, par, P_GM * cap + o).mul(p);
            FloatVector gSum = gNaT.add(gKT).add(FloatVector.fromArray(F, par, P_GL * cap + o)).add(gMT);
            FloatVector drive = gNaT.mul(E_NA).add(gKT.mul(E_K)).add(FloatVector.fromArray(F, par, P_GLEL * cap + o))
                    .add(gMT.mul(E_K)).add(cur);
            FloatVector noise = FloatVector.fromArray(F, par, P_NS * cap + o)
                    .mul(FloatVector.fromArray(F, xi, o * BLOCK + xo));
            drive.add(noise).div(gSum).intoArray(tmp, VINF * cap + o);
            gSum.mul(-DT).intoArray(tmp, ARGV * cap + o);
        }
    }

    /**
     * V' = vInf + (V − vInf)·exp(gSum·(−dt)) into the state, and with x = V' − vT the four exp arguments of the rates
     * into rows ARG ..: zm = (x − 13)(−0.25), zn = (x − 15)(−0.2), (x − 17)(−1/18), (x − 10)(−0.025); and
     * zb = (x − 40)(0.2) into row ZB.
     */
    static void voltageOut(Work w) {
        float[] par = w.par, st = w.st, tmp = w.tmp;
        int cap = w.cap;
        for (int o = 0; o < w.n; o += L) {
            FloatVector v = FloatVector.fromArray(F, st, SV * cap + o);
            FloatVector vInf = FloatVector.fromArray(F, tmp, VINF * cap + o);
            FloatVector vn = vInf.add(v.sub(vInf).mul(FloatVector.fromArray(F, tmp, EXPV * cap + o)));
            vn.intoArray(st, SV * cap + o);
            FloatVector x = vn.sub(FloatVector.fromArray(F, par, P_VT * cap + o));
            x.sub(13f).mul(-0.25f).intoArray(tmp, ARG * cap + o);
            x.sub(15f).mul(-0.2f).intoArray(tmp, (ARG + 1) * cap + o);
            x.sub(17f).mul(INV_18).intoArray(tmp, (ARG + 2) * cap + o);
            x.sub(10f).mul(-0.025f).intoArray(tmp, (ARG + 3) * cap + o);
            x.sub(40f).mul(0.2f).intoArray(tmp, ZB * cap + o);
        }
    }

    /** Float32Math.exp, lane-wise, of tmp rows src .. src + rows − 1 into rows dst ..; lanes [0, n) of each row. */
    static void expRows(Work w, int src, int dst, int rows) {
        for (int r = 0; r < rows; r++) Float32Lanes.exp(w.tmp, (src + r) * w.cap, w.tmp, (dst + r) * w.cap, w.n);
    }

    /**
     * HodgkinHuxleyScalar.rates lane-wise from the exps (rows EXP ..): efun's series below |z| = 0.1 and its quotient
     * elsewhere, both computed and blended; then for each gate q∞ into rows INF .. and the relaxation exp argument
     * (α + β)·(−dt) (rp·(−dt) for p) into rows RARG .. (order m, h, n, p).
     */
    static void rates(Work w) {
        float[] tmp = w.tmp, par = w.par;
        int cap = w.cap;
        for (int o = 0; o < w.n; o += L) {
            FloatVector one = FloatVector.broadcast(F, 1f);
            FloatVector z = FloatVector.fromArray(F, tmp, ARG * cap + o);
            FloatVector z2 = z.mul(z);
            FloatVector q = z2.fma(B6, B4).fma(z2, FloatVector.broadcast(F, B2)).mul(z2);
            FloatVector am = z.div(FloatVector.fromArray(F, tmp, EXP * cap + o).sub(1f))
                    .blend(z.fma(-0.5f, 1f).add(q), z.abs().compare(VectorOperators.LT, EFUN_SERIES)).mul(A_M);
            FloatVector en = FloatVector.fromArray(F, tmp, (EXP + 1) * cap + o);
            FloatVector eh = en.mul(E_P5);
            z = FloatVector.fromArray(F, tmp, ZB * cap + o);
            z2 = z.mul(z);
            q = z2.fma(B6, B4).fma(z2, FloatVector.broadcast(F, B2)).mul(z2);
            FloatVector bm = z.mul(eh).div(one.sub(eh))
                    .blend(z.fma(-0.5f, 1f).add(q), z.abs().compare(VectorOperators.LT, EFUN_SERIES)).mul(B_M);
            z = FloatVector.fromArray(F, tmp, (ARG + 1) * cap + o);
            z2 = z.mul(z);
            q = z2.fma(B6, B4).fma(z2, FloatVector.broadcast(F, B2)).mul(z2);
            FloatVector an = z.div(en.sub(1f))
                    .blend(z.fma(-0.5f, 1f).add(q), z.abs().compare(VectorOperators.LT, EFUN_SERIES)).mul(A_N);
            FloatVector ah = FloatVector.fromArray(F, tmp, (EXP + 2) * cap + o).mul(A_H);
            FloatVector bh = FloatVector.broadcast(F, B_H).div(eh.add(1f));
            FloatVector ek = FloatVector.fromArray(F, tmp, (EXP + 3) * cap + o);
            FloatVector bn = ek.mul(B_N);
            FloatVector eyi = ek.mul(ek).mul(FloatVector.fromArray(F, par, P_PS * cap + o));
            FloatVector e2 = eyi.mul(eyi).add(1f);
            FloatVector inv = one.div(eyi.mul(e2));
            FloatVector ey = e2.mul(inv);
            FloatVector pInf = eyi.mul(inv);
            FloatVector rp = ey.mul(3.3f).add(eyi).mul(FloatVector.fromArray(F, par, P_ITM * cap + o));
            FloatVector sm = am.add(bm);
            FloatVector sh = ah.add(bh);
            FloatVector sn = an.add(bn);
            // The three q∞ = α / (α + β) through one reciprocal of the product of the sums, in the scalar step's
            // order: a vector division costs about ten FMAs (more at 512 bits), and this loop had nine.
            FloatVector shn = sh.mul(sn);
            FloatVector r = one.div(sm.mul(shn));
            am.mul(shn).mul(r).intoArray(tmp, INF * cap + o);
            ah.mul(sm.mul(sn)).mul(r).intoArray(tmp, (INF + 1) * cap + o);
            an.mul(sm.mul(sh)).mul(r).intoArray(tmp, (INF + 2) * cap + o);
            pInf.intoArray(tmp, (INF + 3) * cap + o);
            sm.mul(-DT).intoArray(tmp, RARG * cap + o);
            sh.mul(-DT).intoArray(tmp, (RARG + 1) * cap + o);
            sn.mul(-DT).intoArray(tmp, (RARG + 2) * cap + o);
            rp.mul(-DT).intoArray(tmp, (RARG + 3) * cap + o);
        }
    }

    /**
     * For m: m' = m∞ + (m − m∞)·e with e = exp(row RARG), the exp of {@link #expRows} written out here (measured ~30%
     * faster than an exp pass and a separate update pass).
     */
    static void relaxM(Work w) {
        float[] tmp = w.tmp, st = w.st;
        int cap = w.cap, n = w.n;
        int qi = SM * cap, ii = INF * cap, ai = RARG * cap;
        for (int o = 0; o < n; o += L) {
            FloatVector x = FloatVector.fromArray(F, tmp, ai + o);
            x = x.blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
            x = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO));
            FloatVector t = x.fma(LOG2E, MAGIC);
            FloatVector k = t.sub(MAGIC);
            FloatVector red = k.fma(FloatVector.broadcast(F, -LN2_HI), x);
            red = k.fma(FloatVector.broadcast(F, -LN2_LO), red);
            FloatVector p = red.fma(X5, X4);
            p = p.fma(red, FloatVector.broadcast(F, X3));
            p = p.fma(red, FloatVector.broadcast(F, X2));
            p = p.fma(red, FloatVector.broadcast(F, 1f));
            p = p.fma(red, FloatVector.broadcast(F, 1f));
            FloatVector e = p.reinterpretAsInts().add(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats();
            FloatVector q = FloatVector.fromArray(F, st, qi + o);
            FloatVector inf = FloatVector.fromArray(F, tmp, ii + o);
            inf.add(q.sub(inf).mul(e)).intoArray(st, qi + o);
        }
    }

    /**
     * For h, n, p: q' = q∞ + (q − q∞)·e with e = HodgkinHuxleyScalar.slowRelax(row RARG + g): the series in every lane,
     * and, for a vector where some lane's argument is at or below −0.1 (or NaN), the exp of those lanes from
     * {@link Float32Lanes#exp} over the row (a rare path: it needs a short τ_max and V above +50 mV).
     */
    static void relaxSlowGates(Work w) {
        float[] tmp = w.tmp, st = w.st, slow = w.slowExp;
        int cap = w.cap, n = w.n;
        for (int g = 1; g < 4; g++) {
            int qi = (SM + g) * cap, ii = (INF + g) * cap, ai = (RARG + g) * cap;
            for (int o = 0; o < n; o += L) {
                FloatVector u = FloatVector.fromArray(F, tmp, ai + o);
                VectorMask<Float> series = u.compare(VectorOperators.GT, -RELAX_SERIES);
                FloatVector e = u.fma(R5, R4);
                e = e.fma(u, FloatVector.broadcast(F, R3));
                e = e.fma(u, FloatVector.broadcast(F, R2));
                e = e.fma(u, FloatVector.broadcast(F, 1f));
                e = e.fma(u, FloatVector.broadcast(F, 1f));
                if (!series.allTrue()) {
                    Float32Lanes.exp(tmp, ai + o, slow, 0, L);
                    e = FloatVector.fromArray(F, slow, 0).blend(e, series);
                }
                FloatVector q = FloatVector.fromArray(F, st, qi + o);
                FloatVector inf = FloatVector.fromArray(F, tmp, ii + o);
                inf.add(q.sub(inf).mul(e)).intoArray(st, qi + o);
            }
        }
    }

    /**
     * HodgkinHuxleyScalar.accumulate for sample k, lane-wise, without a branch (a branch on k or on the data would be
     * pruned by C2 while the first simulation is still before a window or its first spike, and each window's start
     * would then deoptimize and recompile the phase). Four sum slots take (d, d, d², –) in the resting windows and
     * (d, d², d³, d⁴) in the stimulus window; {@link #SLOTS} says which row of `acc` each slot adds to at sample k (a
     * TRASH row outside the windows). The spike detector runs under an all-true or all-false mask for its window.
     */
    static void accumulate(Work w, int k) {
        float[] acc = w.acc, st = w.st;
        int cap = w.cap;
        int s0 = SLOTS[4 * k] * cap, s1 = SLOTS[4 * k + 1] * cap, s2 = SLOTS[4 * k + 2] * cap,
                s3 = SLOTS[4 * k + 3] * cap;
        int win = WINDOWS[k];
        // Not F.maskAll((win & W) != 0): javac compiles the != to a branch, which C2 prunes in the same way.
        VectorMask<Float> restSd = FloatVector.broadcast(F, (float) (win & W_REST_SD)).compare(VectorOperators.NE, 0f);
        VectorMask<Float> detect = FloatVector.broadcast(F, (float) (win & W_DETECT)).compare(VectorOperators.NE, 0f);
        float j = k - 2, minGap = MIN_GAP[k];
        for (int o = 0; o < w.n; o += L) {
            FloatVector v = FloatVector.fromArray(F, st, SV * cap + o);
            FloatVector d = v.sub(FloatVector.fromArray(F, acc, SHIFT * cap + o));
            FloatVector d2 = d.mul(d);
            FloatVector d3 = d2.mul(d);
            FloatVector.fromArray(F, acc, s0 + o).add(d).intoArray(acc, s0 + o);
            FloatVector.fromArray(F, acc, s1 + o).add(d2.blend(d, restSd)).intoArray(acc, s1 + o);
            FloatVector.fromArray(F, acc, s2 + o).add(d3.blend(d2, restSd)).intoArray(acc, s2 + o);
            FloatVector.fromArray(F, acc, s3 + o).add(d2.mul(d2)).intoArray(acc, s3 + o);
            FloatVector prev1 = FloatVector.fromArray(F, acc, PREV1 * cap + o);
            FloatVector prev2 = FloatVector.fromArray(F, acc, PREV2 * cap + o);
            VectorMask<Float> det = prev2.compare(VectorOperators.GT, SPIKE_THRESHOLD)
                    .and(prev1.compare(VectorOperators.GE, prev2))
                    .and(v.compare(VectorOperators.LT, prev1)).and(detect);
            FloatVector lastSpike = FloatVector.fromArray(F, acc, LAST * cap + o);
            // gap is a whole number (or ~1e9 before the first detection), so gap > 50 is gap >= 51.
            VectorMask<Float> keep = FloatVector.broadcast(F, j).sub(lastSpike).compare(VectorOperators.GE, minGap);
            FloatVector.fromArray(F, acc, CNT * cap + o).add(FloatVector.broadcast(F, 1f), det.and(keep))
                    .intoArray(acc, CNT * cap + o);
            lastSpike.blend(j, det).intoArray(acc, LAST * cap + o);
            prev1.intoArray(acc, PREV2 * cap + o);
            v.intoArray(acc, PREV1 * cap + o);
        }
    }

    /** HodgkinHuxleyScalar.flush, per lane. */
    static void flushLanes(Work w, int first, int last) {
        float[] a = w.acc;
        int cap = w.cap;
        int nr = overlap(first, last, 1, REST_LAST);
        int nq = overlap(first, last, REST_SD_FIRST, REST_SD_LAST);
        int nt = overlap(first, last, STIM_FIRST, STIM_LAST);
        for (int l = 0; l < w.n; l++) {
            float shift = a[SHIFT * cap + l];
            merge(w.rest, l, 1, nr, shift, a[R1 * cap + l], 0f, 0f, 0f);
            merge(w.restSd, 2 * l, 2, nq, shift, a[Q1 * cap + l], a[Q2 * cap + l], 0f, 0f);
            merge(w.stim, 4 * l, 4, nt, shift, a[T1 * cap + l], a[T2 * cap + l], a[T3 * cap + l], a[T4 * cap + l]);
        }
        java.util.Arrays.fill(a, R1 * cap, (T4 + 1) * cap, 0f);
        java.util.Arrays.fill(a, TRASH * cap, (TRASH + 4) * cap, 0f);
        System.arraycopy(w.st, SV * cap, a, SHIFT * cap, w.n);
    }






}
