package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;
import static org.jsbi.sim.stg.PyloricScalar.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.sim.math.Float32Lanes;

/**
 * The Vector API version of {@link PyloricScalar}: one network per lane, state as structure of arrays over a chunk of
 * up to {@link #GROUPS} vectors of networks, the time loop outside the lanes. Every float operation of the scalar
 * reference is repeated lane-wise in the same order ({@link Float32Lanes} for exp, log and the Philox noise), so samples,
 * energies and features are bit-identical to the scalar ones.
 *
 * <p>It is built as {@code HodgkinHuxleySimd} is, for the same reason (C2 boxes a vector that crosses a call it did not
 * inline, and declines to inline into big compilations): no method takes or returns a vector; a step is a list of
 * {@link Phase}s called through one megamorphic call site, each looping over all vectors of the chunk and passing
 * values to the next through rows of {@link Work} arrays. Of the 39 exps per neuron and step, the 27 gating ones are
 * computed straight from V ({@link Float32Lanes#expAffine}), the 12 relaxation ones in a pass over rows of arguments
 * (the eight slow gates' by {@link Float32Lanes#expSmall}). Row offsets are multiples of the constant {@link #CAP}, so
 * that C2 merges the bounds checks of each array's loads. The phases do not branch on the step or the data: the
 * energy window is a 0/1 factor.
 */
final class PyloricSimd {

    static final VectorSpecies<Float> F = Float32Lanes.F;
    static final int L = Float32Lanes.L;
    /**
     * Vectors of networks per chunk: 32 networks, whatever the width ({@code -Djsbi.stg.groups} overrides it for
     * measurements). The chunk's rows should stay in L1. Measured on the Intel Xeon (48 KB of L1 data), one thread,
     * 256 networks, ms per network: 16 lanes, chunks of 32 networks 30.0–30.5, of 64 33.6–35.6, of 128 33.3–34.4;
     * 8 lanes, 32 networks 37.6–37.7, 64 38.7–39.1, 16 42.0. It was 8 vectors, chosen on AVX2 (64 networks), which
     * on AVX-512 made chunks of 128.
     */
    static final int GROUPS = Integer.getInteger("jsbi.stg.groups", Math.max(1, 32 / Float32Lanes.L));
    /**
     * Lanes of every chunk's rows, a constant (not a field of {@link Work}): each row offset is then a constant
     * multiple of it, C2 merges the bounds checks of a phase's loads from one array into one pair ("smearing" checks
     * of the same index plus constants), and the phases' loops, 2 vectors long, keep few checks. A batch smaller than
     * a chunk uses the first lanes of each row.
     */
    static final int CAP = GROUPS * L;
    static final int BLOCK = PyloricNoise.BLOCK;
    /** The synapses into each neuron, in synapse order (−1: none). */
    private static final int[] IN_A = {4, 0, 2}, IN_B = {-1, 1, 3}, IN_C = {-1, 6, 5};

    /** Exp arguments per neuron (26 gating, 1 synaptic) and relaxation exps per neuron (11 gates and V). */
    static final int NARG = 27, NREL = 12, GATES = 11;
    // Rows of `st`: NSTATE per neuron (PyloricScalar's slots), then the 7 synapses.
    static final int ST_S = NEURONS * NSTATE, NST = ST_S + SYNAPSES;
    // Rows of `par`: NPAR per neuron (PyloricScalar's slots), then the 7 synaptic conductances.
    static final int PAR_GSYN = NEURONS * NPAR, NPARS = PAR_GSYN + SYNAPSES;
    // Rows of `tmp`.
    // RARG and REXP are the same rows: the relaxation exp pass turns its arguments into their exps in place (a smaller
    // working set; the chunk's rows do not fit in L1).
    static final int EXP = 0, LOGCA = EXP + NEURONS * NARG, RARG = LOGCA + NEURONS,
            REXP = RARG, INF = REXP + NEURONS * NREL, VINF = INF + NEURONS * GATES,
            DRIVE = VINF + NEURONS, GSUM = DRIVE + NEURONS, EBLOCK = GSUM + NEURONS, SINF = EBLOCK + NEURONS,
            SRATE = SINF + NEURONS, NTMP = SRATE + NEURONS;

    private PyloricSimd() {
    }

    /** Receives the voltages of all lanes after each step (the feature pipeline or a trace recorder). */
    interface LaneSink {
        /** Sample k is in w.st rows j·NSTATE + V, lanes [0, w.n). */
        void sample(Work w, int k);
    }

    /** Per-thread scratch for a chunk of up to {@link #CAP} networks. */
    static final class Work {
        int n;
        int first;
        long seed;
        boolean energy;
        /** 1 inside the energy window, 0 before it. */
        float energyFactor;
        final float[] par, st, tmp, xi;
        final int[] words, idxLo, idxHi;
        final double[] energySum;
        final PyloricScalar.State init = new PyloricScalar.State();

        Work() {
            par = new float[NPARS * CAP];
            st = new float[NST * CAP];
            tmp = new float[NTMP * CAP];
            xi = new float[NEURONS * BLOCK * CAP];
            words = new int[NEURONS * BLOCK * CAP];
            idxLo = new int[CAP];
            idxHi = new int[CAP];
            energySum = new double[NEURONS * CAP];
        }
    }

    /**
     * Simulates rows [c, c + rows) of theta (31 values per row) in one chunk of w (rows ≤ CAP); row i has
     * simulation index firstIndex + i. Every sample goes to sink; the window energies, when energyOut is not null, to
     * energyOut[(i − c) · 3 + j].
     */
    static void simulateChunk(Work w, float[] theta, int c, int rows, long firstIndex, long seed, boolean noise,
                              LaneSink sink, double[] energyOut) {
        w.n = (rows + L - 1) / L * L;
        w.seed = seed;
        w.energy = energyOut != null;
        setUp(w, theta, c, rows, firstIndex, noise);
        sink.sample(w, 0);
        for (int first = 1; first <= STEPS; first += BLOCK) {
            int last = Math.min(first + BLOCK - 1, STEPS);
            w.first = first;
            if (noise) runPhases(NOISE, w, (first - 1) / 4);
            for (int i = first; i <= last; i++) {
                w.energyFactor = i >= WINDOW_FIRST ? 1f : 0f;
                runPhases(STEP, w, i);
                sink.sample(w, i);
            }
            if (w.energy) flushEnergy(w);
        }
        if (energyOut != null) {
            for (int l = 0; l < rows; l++) {
                for (int j = 0; j < NEURONS; j++) {
                    energyOut[l * NEURONS + j] = w.energySum[j * CAP + l] * DT / (1000.0 * AREA);
                }
            }
        }
    }

    /** Parameters and initial state per lane (PyloricScalar.init); padding lanes repeat their vector's first row. */
    private static void setUp(Work w, float[] theta, int c, int rows, long firstIndex, boolean noise) {
        int cap = CAP;
        PyloricScalar.State s = w.init;
        for (int l = 0; l < w.n; l++) {
            int row = c + (l < rows ? l : l / L * L);
            long idx = firstIndex + row;
            w.idxLo[l] = (int) idx;
            w.idxHi[l] = (int) (idx >>> 32);
            PyloricScalar.init(s, theta, row * PARAMETERS);
            for (int r = 0; r < NEURONS * NPAR; r++) w.par[r * cap + l] = s.par[r];
            for (int k = 0; k < SYNAPSES; k++) {
                w.par[(PAR_GSYN + k) * cap + l] = s.gSyn[k];
                w.st[(ST_S + k) * cap + l] = s.s[k];
            }
            for (int r = 0; r < NEURONS * NSTATE; r++) w.st[r * cap + l] = s.x[r];
        }
        java.util.Arrays.fill(w.tmp, EBLOCK * cap, (EBLOCK + NEURONS) * cap, 0f);
        java.util.Arrays.fill(w.energySum, 0);
        if (!noise) java.util.Arrays.fill(w.xi, 0f);
    }

    private static void flushEnergy(Work w) {
        int cap = CAP;
        for (int j = 0; j < NEURONS; j++) {
            for (int l = 0; l < w.n; l++) {
                w.energySum[j * cap + l] += w.tmp[(EBLOCK + j) * cap + l];
                w.tmp[(EBLOCK + j) * cap + l] = 0f;
            }
        }
    }

    /** A part of the step over all vectors of the chunk, called through the one call site of {@link #runPhases}. */
    private abstract static class Phase {
        abstract void run(Work w, int i);
    }

    private static void runPhases(Phase[] phases, Work w, int i) {
        for (Phase ph : phases) ph.run(w, i);
    }


    private static final Phase[] STEP = {
        new Phase() {
            @Override
            void run(Work w, int i) {
                argumentExps(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int i) {
                for (int j = 0; j < NEURONS; j++) {
                    Float32Lanes.log(w.st, (j * NSTATE + CA) * CAP, w.tmp, (LOGCA + j) * CAP, w.n);
                }
            }
        },
        new Phase() {
            @Override
            void run(Work w, int i) {
                gateRates(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int i) {
                membrane(w, i);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int i) {
                synapses(w);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int i) {
                // No range clamps needed (same bits as Float32Math.exp): a gate's −dt/τ lies in [−2.2, 0] (τ_H, the
                // shortest, is 0.0117 ms at the +100 mV clamp), and V's gSum·(−dt/C) ≥ −22 for every θ in the prior's
                // support (the simulator refuses others): gSum ≤ 0.55 mS (all conductances at their bounds, every
                // gate open), dt/C = 0.025 / 0.6283e-3.
                // The slow gates (rows M_CAT .. M_KD of each neuron, 8 consecutive) have −dt/τ in [−1/32, 0] for
                // every V (τ ≥ 0.8 ms): their exps need no range reduction (Float32Math.expSmall, 4 operations).
                for (int j = 0; j < NEURONS; j++) {
                    int r = (RARG + j * NREL) * CAP;
                    Float32Lanes.expInRange(w.tmp, r, w.tmp, r, 2 * CAP);
                    Float32Lanes.expSmall(w.tmp, r + 2 * CAP, w.tmp, r + 2 * CAP, 8 * CAP);
                    Float32Lanes.expInRange(w.tmp, r + 10 * CAP, w.tmp, r + 10 * CAP, 2 * CAP);
                }
            }
        },
        new Phase() {
            @Override
            void run(Work w, int i) {
                relax(w);
            }
        },
    };

    /** The normals of a block (argument: the first Philox block b0) for the three neurons' streams. */
    private static final Phase[] NOISE = {
        new Phase() {
            @Override
            void run(Work w, int b0) {
                for (int j = 0; j < NEURONS; j++) {
                    for (int o = 0; o < w.n; o += L) {
                        Float32Lanes.philoxBlocks(w.seed, w.idxLo, w.idxHi, o, j, b0, BLOCK / 4, w.words,
                                (j * CAP + o) * BLOCK);
                    }
                }
            }
        },
        new Phase() {
            @Override
            void run(Work w, int b0) {
                Float32Lanes.radius(w.words, w.xi, NEURONS * CAP * BLOCK);
            }
        },
        new Phase() {
            @Override
            void run(Work w, int b0) {
                Float32Lanes.angle(w.words, w.xi, NEURONS * CAP * BLOCK);
            }
        },
    };

    /**
     * The 27 exps of (V + ARG_A[k])·ARG_B[k] of each neuron from V at i − 1 (clamped to ±V_GATE_LIMIT) into EXP
     * rows, in one pass of {@link Float32Lanes#expAffine} (argument fma(V, β, a·β), as PyloricScalar.gatingExp),
     * without the arguments' trip through memory. The clamp keeps every argument within ±37.5, so the exp needs no
     * range clamps.
     */
    static void argumentExps(Work w) {
        for (int j = 0; j < NEURONS; j++) {
            Float32Lanes.expAffine(w.st, (j * NSTATE + V) * CAP, V_GATE_LIMIT, ARG_B, ARG_C, w.tmp,
                    (EXP + j * NARG) * CAP, CAP, w.n);
        }
    }

    /**
     * Conductances, energy, calcium and the voltage step's first part per neuron (PyloricScalar.neuron): vInf, drive
     * and gSum into rows, the voltage's relaxation exp argument into RARG row 11; the new [Ca] and E_Ca into the state.
     */
    static void membrane(Work w, int i) {
        float[] st = w.st, par = w.par, tmp = w.tmp, xi = w.xi;
        int cap = CAP, q = (i - w.first) * L;
        boolean energy = w.energy;
        float factor = w.energyFactor;
        for (int j = 0; j < NEURONS; j++) {
            // The synapses into neuron j: (a, b, c) = (4, –, –), (0, 1, 6), (2, 3, 5); E_s of b is −80, the others −70.
            int ka = IN_A[j], kb = IN_B[j], kc = IN_C[j];
            for (int o = 0; o < w.n; o += L) {
                FloatVector ga = FloatVector.fromArray(F, par, (PAR_GSYN + ka) * cap + o)
                        .mul(FloatVector.fromArray(F, st, (ST_S + ka) * cap + o));
                FloatVector synG = ga, synI = ga.mul(-70f), syn = FloatVector.zero(F);
                FloatVector gb = ga, gc = ga;
                if (kb >= 0) {
                    gb = FloatVector.fromArray(F, par, (PAR_GSYN + kb) * cap + o)
                            .mul(FloatVector.fromArray(F, st, (ST_S + kb) * cap + o));
                    gc = FloatVector.fromArray(F, par, (PAR_GSYN + kc) * cap + o)
                            .mul(FloatVector.fromArray(F, st, (ST_S + kc) * cap + o));
                    synG = ga.add(gb).add(gc);
                    synI = ga.mul(-70f).add(gb.mul(-80f)).add(gc.mul(-70f));
                }
                int x = j * NSTATE * cap + o, p = j * NPAR * cap + o;
                FloatVector v = FloatVector.fromArray(F, st, x + V * cap);
                FloatVector ca = FloatVector.fromArray(F, st, x + CA * cap);
                FloatVector mNa = FloatVector.fromArray(F, st, x + M_NA * cap);
                FloatVector mCaT = FloatVector.fromArray(F, st, x + M_CAT * cap);
                FloatVector mCaS = FloatVector.fromArray(F, st, x + M_CAS * cap);
                FloatVector mA = FloatVector.fromArray(F, st, x + M_A * cap);
                FloatVector mKCa = FloatVector.fromArray(F, st, x + M_KCA * cap);
                FloatVector mKd = FloatVector.fromArray(F, st, x + M_KD * cap);
                FloatVector cNa = FloatVector.fromArray(F, par, p + G_NA * cap)
                        .mul(mNa.mul(mNa).mul(mNa).mul(FloatVector.fromArray(F, st, x + H_NA * cap)));
                FloatVector cCaT = FloatVector.fromArray(F, par, p + G_CAT * cap)
                        .mul(mCaT.mul(mCaT).mul(mCaT).mul(FloatVector.fromArray(F, st, x + H_CAT * cap)));
                FloatVector cCaS = FloatVector.fromArray(F, par, p + G_CAS * cap)
                        .mul(mCaS.mul(mCaS).mul(mCaS).mul(FloatVector.fromArray(F, st, x + H_CAS * cap)));
                FloatVector cA = FloatVector.fromArray(F, par, p + G_A * cap)
                        .mul(mA.mul(mA).mul(mA).mul(FloatVector.fromArray(F, st, x + H_A * cap)));
                FloatVector cKCa = FloatVector.fromArray(F, par, p + G_KCA * cap).mul(mKCa.mul(mKCa).mul(mKCa.mul(mKCa)));
                FloatVector cKd = FloatVector.fromArray(F, par, p + G_KD * cap).mul(mKd.mul(mKd).mul(mKd.mul(mKd)));
                FloatVector cH = FloatVector.fromArray(F, par, p + G_H * cap)
                        .mul(FloatVector.fromArray(F, st, x + M_H * cap));
                FloatVector gLeak = FloatVector.fromArray(F, par, p + G_LEAK * cap);
                FloatVector cCa = cCaT.add(cCaS);
                FloatVector cK = cA.add(cKCa).add(cKd);

                if (energy) {
                    FloatVector dNa = v.sub(E_NA), dCa = v.sub(FloatVector.fromArray(F, st, x + ECA * cap)),
                            dK = v.sub(E_K), dH = v.sub(E_H), dL = v.sub(E_LEAK);
                    FloatVector wm = cNa.mul(dNa.mul(dNa)).add(cCa.mul(dCa.mul(dCa))).add(cK.mul(dK.mul(dK)))
                            .add(cH.mul(dH.mul(dH))).add(gLeak.mul(dL.mul(dL)));
                    // In synapse order (PyloricScalar.synapticPower): a < b < c except neuron 0's single synapse.
                    FloatVector d70 = v.sub(-70f);
                    FloatVector p70 = d70.mul(d70);
                    if (kb < 0) {
                        syn = syn.add(ga.mul(p70));
                    } else {
                        FloatVector d80 = v.sub(-80f);
                        syn = syn.add(ga.mul(p70)).add(gb.mul(d80.mul(d80))).add(gc.mul(p70));
                    }
                    int eb = (EBLOCK + j) * cap + o;
                    FloatVector.fromArray(F, tmp, eb).add(wm.add(syn).mul(factor)).intoArray(tmp, eb);
                }

                FloatVector eCa = FloatVector.broadcast(F, LOG_CA_EXT)
                        .sub(FloatVector.fromArray(F, tmp, (LOGCA + j) * cap + o)).mul(RT_ZF);
                FloatVector caInf = FloatVector.broadcast(F, CA_0).sub(cCa.mul(v.sub(eCa)).mul(F_CA));
                FloatVector caNew = caInf.add(ca.sub(caInf).mul(EXP_CA));
                FloatVector gSum = synG.add(cNa).add(cCa).add(cK).add(cH).add(gLeak);
                FloatVector drive = synI.add(cNa.mul(E_NA)).add(cCa.mul(eCa)).add(cK.mul(E_K)).add(cH.mul(E_H))
                        .add(FloatVector.fromArray(F, par, p + G_LEAK_E * cap))
                        .add(FloatVector.fromArray(F, xi, (j * cap + o) * BLOCK + q).mul(NOISE_SD));
                drive.div(gSum).intoArray(tmp, (VINF + j) * cap + o);
                drive.intoArray(tmp, (DRIVE + j) * cap + o);
                gSum.intoArray(tmp, (GSUM + j) * cap + o);
                gSum.mul(NEG_DT_OVER_C).intoArray(tmp, (RARG + j * NREL + GATES) * cap + o);
                caNew.intoArray(st, x + CA * cap);
                eCa.intoArray(st, x + ECA * cap);
            }
        }
    }


    /**
     * Each gate's x∞ into INF rows and −dt/τ into RARG rows (gate order M_NA, H_NA, M_CAT, H_CAT, M_CAS, H_CAS, M_A,
     * H_A, M_KCA, M_KD, M_H), from the exps of {@link #arguments} (indices 0..25) and [Ca] at i − 1. It runs before
     * {@link #membrane}, which moves [Ca].
     */
    static void gateRates(Work w) {
        float[] tmp = w.tmp, st = w.st;
        int cap = CAP;
        for (int j = 0; j < NEURONS; j++) {
            int e = (EXP + j * NARG) * cap, inf = (INF + j * GATES) * cap, ra = (RARG + j * NREL) * cap;
            for (int o = 0; o < w.n; o += L) {
                FloatVector one = FloatVector.broadcast(F, 1f);
                FloatVector negDt = FloatVector.broadcast(F, NEG_DT);
                // Each −dt/τ = N / D (τ = c + d/u as −dt·u / (c·u + d)) shares one division with its x∞ = 1/u∞:
                // r = 1 / (u∞·D), x∞ = D·r, −dt/τ = (N·u∞)·r (PyloricScalar.neuron, same operations).
                // Na
                FloatVector ui = FloatVector.fromArray(F, tmp, e + 0 * cap + o).add(1f);
                FloatVector u = FloatVector.fromArray(F, tmp, e + 1 * cap + o).add(1f);
                FloatVector d = u.mul(2.64f).add(-2.52f);
                FloatVector r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + o);
                ui = FloatVector.fromArray(F, tmp, e + 2 * cap + o).add(1f);
                FloatVector u3 = FloatVector.fromArray(F, tmp, e + 3 * cap + o).add(1f);
                FloatVector u4 = FloatVector.fromArray(F, tmp, e + 4 * cap + o).add(1f);
                d = u4.mul(1.5f).add(1f).mul(1.34f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + cap + o);
                negDt.mul(u3.mul(u4)).mul(ui).mul(r).intoArray(tmp, ra + cap + o);
                // CaT
                ui = FloatVector.fromArray(F, tmp, e + 5 * cap + o).add(1f);
                u = FloatVector.fromArray(F, tmp, e + 6 * cap + o).add(1f);
                d = u.mul(43.4f).add(-42.6f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 2 * cap + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + 2 * cap + o);
                ui = FloatVector.fromArray(F, tmp, e + 7 * cap + o).add(1f);
                u = FloatVector.fromArray(F, tmp, e + 8 * cap + o).add(1f);
                d = u.mul(210f).add(-179.6f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 3 * cap + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + 3 * cap + o);
                // CaS
                ui = FloatVector.fromArray(F, tmp, e + 9 * cap + o).add(1f);
                FloatVector sum = FloatVector.fromArray(F, tmp, e + 10 * cap + o)
                        .add(FloatVector.fromArray(F, tmp, e + 11 * cap + o));
                d = sum.mul(2.8f).add(14f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 4 * cap + o);
                negDt.mul(sum).mul(ui).mul(r).intoArray(tmp, ra + 4 * cap + o);
                ui = FloatVector.fromArray(F, tmp, e + 12 * cap + o).add(1f);
                sum = FloatVector.fromArray(F, tmp, e + 13 * cap + o)
                        .add(FloatVector.fromArray(F, tmp, e + 14 * cap + o));
                d = sum.mul(120f).add(300f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 5 * cap + o);
                negDt.mul(sum).mul(ui).mul(r).intoArray(tmp, ra + 5 * cap + o);
                // A
                ui = FloatVector.fromArray(F, tmp, e + 15 * cap + o).add(1f);
                u = FloatVector.fromArray(F, tmp, e + 16 * cap + o).add(1f);
                d = u.mul(23.2f).add(-20.8f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 6 * cap + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + 6 * cap + o);
                ui = FloatVector.fromArray(F, tmp, e + 17 * cap + o).add(1f);
                u = FloatVector.fromArray(F, tmp, e + 18 * cap + o).add(1f);
                d = u.mul(77.2f).add(-58.4f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 7 * cap + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + 7 * cap + o);
                // KCa, with [Ca] at i − 1 (this phase runs before the membrane phase moves [Ca]).
                FloatVector ca = FloatVector.fromArray(F, st, (j * NSTATE + CA) * cap + o);
                ui = ca.add(3f).mul(FloatVector.fromArray(F, tmp, e + 19 * cap + o).add(1f));
                u = FloatVector.fromArray(F, tmp, e + 20 * cap + o).add(1f);
                d = u.mul(180.6f).add(-150.2f);
                r = one.div(ui.mul(d));
                ca.mul(d).mul(r).intoArray(tmp, inf + 8 * cap + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + 8 * cap + o);
                // Kd
                ui = FloatVector.fromArray(F, tmp, e + 21 * cap + o).add(1f);
                u = FloatVector.fromArray(F, tmp, e + 22 * cap + o).add(1f);
                d = u.mul(14.4f).add(-12.8f);
                r = one.div(ui.mul(d));
                d.mul(r).intoArray(tmp, inf + 9 * cap + o);
                negDt.mul(u).mul(ui).mul(r).intoArray(tmp, ra + 9 * cap + o);
                // H
                one.div(FloatVector.fromArray(F, tmp, e + 23 * cap + o).add(1f)).intoArray(tmp, inf + 10 * cap + o);
                sum = FloatVector.fromArray(F, tmp, e + 24 * cap + o)
                        .add(FloatVector.fromArray(F, tmp, e + 25 * cap + o));
                negDt.mul(sum).mul(0.5f).intoArray(tmp, ra + 10 * cap + o);
            }
        }
    }



    /** The synapses from the presynaptic V at i − 1 (its exp is argument 26 of the presynaptic neuron). */
    static void synapses(Work w) {
        float[] tmp = w.tmp, st = w.st;
        int cap = CAP;
        // sInf and 1 / (1 − sInf) per presynaptic neuron into SINF and SRATE rows, from one division (PyloricScalar's
        // step), then one simple loop per synapse (flat loops: the nested form with its skip test spent as long as the
        // rest of this phase in an unhoisted bounds check).
        for (int p = 0; p < NEURONS; p++) {
            int e = (EXP + p * NARG + 26) * cap, out = (SINF + p) * cap, rate = (SRATE + p) * cap;
            for (int o = 0; o < w.n; o += L) {
                FloatVector ex = FloatVector.fromArray(F, tmp, e + o);
                FloatVector u = ex.add(1f);
                FloatVector r = FloatVector.broadcast(F, 1f).div(u.mul(ex));
                ex.mul(r).intoArray(tmp, out + o);
                u.mul(u).mul(r).intoArray(tmp, rate + o);
            }
        }
        for (int k = 0; k < SYNAPSES; k++) {
            int in = (SINF + SYN_PRE[k]) * cap, ri = (SRATE + SYN_PRE[k]) * cap, si = (ST_S + k) * cap;
            float kMinus = SYN_KMINUS[k], dtk = SYN_DT_OVER_KMINUS[k];
            for (int o = 0; o < w.n; o += L) {
                FloatVector sInf = FloatVector.fromArray(F, tmp, in + o);
                FloatVector tau = FloatVector.broadcast(F, 1f).sub(sInf).mul(kMinus);
                FloatVector s = FloatVector.fromArray(F, st, si + o);
                VectorMask<Float> clamp = tau.compare(VectorOperators.LT, DT);
                FloatVector rate = FloatVector.fromArray(F, tmp, ri + o).mul(dtk);
                s.add(sInf.sub(s).mul(rate)).blend(sInf, clamp).intoArray(st, si + o);
            }
        }
    }

    /** Gates x' = x∞ + (x − x∞)·e and V' (the gSum = 0 case as the scalar), from the relaxation exps. */
    static void relax(Work w) {
        float[] tmp = w.tmp, st = w.st;
        int cap = CAP;
        for (int j = 0; j < NEURONS; j++) {
            int x = j * NSTATE * cap, inf = (INF + j * GATES) * cap, re = (REXP + j * NREL) * cap;
            // The 11 gate rows of a neuron are consecutive in st, INF and REXP alike: one flat pass over them (a long
            // loop streams better than 11 rows per vector of lanes; the same operations per element).
            int g0 = x + M_NA * cap, span = (GATES - 1) * cap + w.n;
            for (int o = 0; o < span; o += L) {
                FloatVector q = FloatVector.fromArray(F, st, g0 + o);
                FloatVector in = FloatVector.fromArray(F, tmp, inf + o);
                in.add(q.sub(in).mul(FloatVector.fromArray(F, tmp, re + o))).intoArray(st, g0 + o);
            }
            for (int o = 0; o < w.n; o += L) {
                FloatVector v = FloatVector.fromArray(F, st, x + V * cap + o);
                FloatVector vInf = FloatVector.fromArray(F, tmp, (VINF + j) * cap + o);
                FloatVector gSum = FloatVector.fromArray(F, tmp, (GSUM + j) * cap + o);
                FloatVector drive = FloatVector.fromArray(F, tmp, (DRIVE + j) * cap + o);
                FloatVector vn = vInf.add(v.sub(vInf).mul(FloatVector.fromArray(F, tmp, re + GATES * cap + o)));
                vn.blend(v.add(drive.mul(DT_OVER_C)), gSum.compare(VectorOperators.EQ, 0f))
                        .intoArray(st, x + V * cap + o);
            }
        }
    }
}
