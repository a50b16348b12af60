package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;

import org.jsbi.sim.math.Float32Math;

/**
 * The scalar reference of the pyloric network simulator, one network at a time in float32 (energy sums in double).
 * {@code PyloricSimd} repeats it lane-wise operation for operation and gives bit-identical samples, hence features.
 *
 * <p><b>Parameters</b> θ (31): the 24 membrane conductances in mS/cm² (neuron-major: AB/PD, LP, PY; currents Na, CaT,
 * CaS, A, KCa, Kd, H, leak), then the 7 synaptic conductances as ln(mS) ({@link PyloricModel#SYNAPSE_NAMES} order).
 * Per network, once: ḡ = θ·{@link PyloricModel#AREA} (mS, float), g_leak·E_leak, and g_syn = (float) exp((double) θ)
 * (mS).
 *
 * <p><b>Step i</b> (sample i from sample i − 1; ξ_j the normal of {@link PyloricNoise}, 0 with noise off). Everything
 * is float, no fused multiply-add, in this order. First the synaptic drive from s at i − 1, with gs_k = g_k·s_k:
 * <pre>
 * G0 = gs4                     I0 = gs4*(-70)
 * G1 = (gs0 + gs1) + gs6       I1 = (gs0*(-70) + gs1*(-80)) + gs6*(-70)
 * G2 = (gs2 + gs3) + gs5       I2 = (gs2*(-70) + gs3*(-80)) + gs5*(-70)
 * </pre>
 * then per neuron j, from its V, [Ca] and gates at i − 1:
 * <pre>
 * cNa = gNa*(((mNa*mNa)*mNa)*hNa)   cCaT, cCaS, cA likewise   cKCa = gKCa*((mKCa*mKCa)*(mKCa*mKCa))   cKd likewise
 * cH = gH*mH   cCa = cCaT + cCaS   cK = (cA + cKCa) + cKd
 * eCa' = RT_ZF * (LOG_CA_EXT - log(Ca))                       (Float32Math.log)
 * caInf = CA_0 - F_CA * (cCa * (V - eCa'))      Ca' = caInf + (Ca - caInf) * EXP_CA
 * gSum  = ((((G + cNa) + cCa) + cK) + cH) + gLeak
 * drive = (((((I + cNa*50) + cCa*eCa') + cK*(-80)) + cH*(-20)) + gLeakE) + 0.001f*ξ
 * V' = gSum == 0 ? V + drive * (DT / C)  :  vInf + (V - vInf) * exp(gSum * (-DT / C))   with vInf = drive / gSum
 * </pre>
 * (the code sums the same terms, one conductance at a time; the grouping is jsbi's). The gates move from V and [Ca] at
 * i − 1 (V clamped to ±{@link #V_GATE_LIMIT} in these exps), with σ(a, β) = 1 / (1 + exp((V + a) * β)) where β is the
 * float of 1/b for the table's (a, b); every gating exp of a step has this form, with the constants of {@link #ARG_A}
 * and {@link #ARG_B}, and is computed as {@link Float32Math#expAffine}(V, β, a·β) (revision 6, {@link #gatingExp}):
 * <pre>
 * Na   m∞ = σ(25.5, 1/-5.29)   τm = 2.64 + (-2.52)*σ(120, 1/-25)   h∞ = σ(48.9, 1/5.18)
 *      τh = (1.34 / (1 + exp((V + 62.9) * -0.1))) * (1.5 + 1 / (1 + exp((V + 34.9) * (1/3.6))))
 * CaT  m∞ = σ(27.1, 1/-7.2)    τm = 43.4 + (-42.6)*σ(68.1, 1/-20.5)  h∞ = σ(32.1, 1/5.5)   τh = 210 + (-179.6)*σ(55, 1/-16.9)
 * CaS  m∞ = σ(33, 1/-8.1)      τm = 2.8 + 14 / (exp((V + 27) * 0.1) + exp((V + 70) * (1/-13)))
 *      h∞ = σ(60, 1/6.2)       τh = 120 + 300 / (exp((V + 55) * (1/9)) + exp((V + 65) * (1/-16)))
 * A    m∞ = σ(27.2, 1/-8.7)    τm = 23.2 + (-20.8)*σ(32.9, 1/-15.2)  h∞ = σ(56.9, 1/4.9)   τh = 77.2 + (-58.4)*σ(38.9, 1/-26.5)
 * KCa  m∞ = (Ca / (Ca + 3)) * σ(28.3, 1/-12.6)                     τm = 180.6 + (-150.2)*σ(46, 1/-22.7)
 * Kd   m∞ = σ(12.3, 1/-11.8)   τm = 14.4 + (-12.8)*σ(28.3, 1/-19.2)
 * H    m∞ = σ(75, 1/5.5)       τm = 2 / (exp((V + 14.59/0.086) * -0.086) + exp((V + -1.87/0.0701) * 0.0701))
 * x' = x∞ + (x - x∞) * exp(-DT / τx)                               (exponential Euler, 11 gates)
 * exp here is Float32Math.exp for Na and H, and Float32Math.expSmall (|−DT/τ| ≤ 1/32) for the eight slow gates
 * </pre>
 * and the synapses from the presynaptic V at i − 1 (forward Euler, the code's clamp when dt &gt; τ):
 * <pre>
 * e_p = exp((V_p + 35) * -0.2)   r_p = 1 / ((1 + e_p) * e_p)   sInf_p = e_p * r_p  [= 1 / (1 + e_p)]
 * w_p = ((1 + e_p) * (1 + e_p)) * r_p  [= 1 / (1 - sInf_p)]       (one division per presynaptic neuron p)
 * τ_k = k₋_k * (1 - sInf_p)      s' = DT &gt; τ_k ? sInf_p : s + (sInf_p - s) * ((DT / k₋_k) * w_p)
 * </pre>
 * The code's steps are the same, in double (models/PAPER.md §5.2–5.3).
 *
 * <p><b>Energy</b> (models/PAPER.md §5.10, the pyloric package's {@code 'power'} measure), per neuron and step, from the
 * conductances at i − 1 and the previous step's E_Ca: W = cNa(V−50)² + cCa(V−eCa)² + cK(V+80)² + cH(V+20)² +
 * gLeak(V+50)² + Σ_in g_s s (V − E_s)², summed in float over each {@link PyloricNoise#BLOCK}-step block and the block
 * sums in double; reported for the feature window as Σ W · dt / (1000 · AREA), the package's unit.
 */
public final class PyloricScalar {

    private PyloricScalar() {
    }

    // Per-neuron state slots.
    static final int V = 0, CA = 1, ECA = 2, M_NA = 3, H_NA = 4, M_CAT = 5, H_CAT = 6, M_CAS = 7, H_CAS = 8, M_A = 9,
            H_A = 10, M_KCA = 11, M_KD = 12, M_H = 13, NSTATE = 14;
    // Per-neuron parameter slots: conductances (mS) and gLeak·E_leak.
    static final int G_NA = 0, G_CAT = 1, G_CAS = 2, G_A = 3, G_KCA = 4, G_KD = 5, G_H = 6, G_LEAK = 7, G_LEAK_E = 8,
            NPAR = 9;

    /**
     * The gating and synaptic exps take V clamped to ±100 mV: outside any physiological voltage of these neurons
     * (spikes peak near +40 mV, so no effect on a simulation that is not blowing up). It bounds every one of their 27
     * arguments by 37.5 in magnitude (h_Na's τ, slope 1/3.6), so the SIMD version may skip exp's range clamps there and
     * still give the same bits, and each gate's x∞ and −dt/τ can share one division without overflow (revision 5;
     * revisions 1–4 clamped at ±200 mV, bounding the arguments by 66).
     */
    static final float V_GATE_LIMIT = 100f;
    static final float NEG_DT = -DT;
    static final float DT_OVER_C = DT / C;
    static final float NEG_DT_OVER_C = -DT / C;

    /** 1/b of the gating tables, as floats (the SIMD version uses the same constants). */
    static final float B_NA_M = inv(-5.29), B_NA_TM = inv(-25), B_NA_H = inv(5.18), B_NA_TH2 = inv(3.6);
    static final float B_CAT_M = inv(-7.2), B_CAT_TM = inv(-20.5), B_CAT_H = inv(5.5), B_CAT_TH = inv(-16.9);
    static final float B_CAS_M = inv(-8.1), B_CAS_TM2 = inv(-13), B_CAS_H = inv(6.2), B_CAS_TH1 = inv(9),
            B_CAS_TH2 = inv(-16);
    static final float B_A_M = inv(-8.7), B_A_TM = inv(-15.2), B_A_H = inv(4.9), B_A_TH = inv(-26.5);
    static final float B_KCA_M = inv(-12.6), B_KCA_TM = inv(-22.7);
    static final float B_KD_M = inv(-11.8), B_KD_TM = inv(-19.2);
    static final float B_H_M = inv(5.5);
    /** H's τ: exp(−14.59 − 0.086V) = exp((V + 14.59/0.086)·(−0.086)), exp(−1.87 + 0.0701V) likewise. */
    static final float H_TAU_A1 = (float) (14.59 / 0.086), H_TAU_A2 = (float) (-1.87 / 0.0701);
    /** s̄'s exp argument (V_th − V)/Δ written (V + 35)·(−0.2), which is the same float. */
    static final float SYN_A = -SYN_VTH, SYN_B = -SYN_INV_DELTA;

    /** The 27 exp arguments (V + a)·β of a neuron's step, in the order the SIMD version keeps them. */
    static final float[] ARG_A = {25.5f, 120f, 48.9f, 62.9f, 34.9f, 27.1f, 68.1f, 32.1f, 55f, 33f, 27f, 70f, 60f, 55f,
        65f, 27.2f, 32.9f, 56.9f, 38.9f, 28.3f, 46f, 12.3f, 28.3f, 75f, H_TAU_A1, H_TAU_A2, SYN_A};
    static final float[] ARG_B = {B_NA_M, B_NA_TM, B_NA_H, -0.1f, B_NA_TH2, B_CAT_M, B_CAT_TM, B_CAT_H, B_CAT_TH,
        B_CAS_M, 0.1f, B_CAS_TM2, B_CAS_H, B_CAS_TH1, B_CAS_TH2, B_A_M, B_A_TM, B_A_H, B_A_TH, B_KCA_M, B_KCA_TM,
        B_KD_M, B_KD_TM, B_H_M, -0.086f, 0.0701f, SYN_B};

    /** DT / k₋ per synapse (float quotients), the factor of each synapse's 1 / (1 − sInf) (revision 6). */
    static final float[] SYN_DT_OVER_KMINUS = new float[SYN_KMINUS.length];

    static {
        for (int k = 0; k < SYN_KMINUS.length; k++) SYN_DT_OVER_KMINUS[k] = DT / SYN_KMINUS[k];
    }

    /** ARG_A[k]·ARG_B[k] as float products: the exp arguments are computed as fma(V, β, a·β) (revision 6). */
    static final float[] ARG_C = new float[ARG_A.length];

    static {
        for (int k = 0; k < ARG_A.length; k++) ARG_C[k] = ARG_A[k] * ARG_B[k];
    }

    private static float inv(double b) {
        return (float) (1.0 / b);
    }

    /** One network's parameters, state and energy sums; reused across networks. */
    static final class State {
        final float[] par = new float[NEURONS * NPAR];
        final float[] gSyn = new float[SYNAPSES];
        final float[] x = new float[NEURONS * NSTATE];
        final float[] s = new float[SYNAPSES];
        final float[] energyBlock = new float[NEURONS];
        final double[] energy = new double[NEURONS];
        // Scratch of one step.
        final float[] synG = new float[NEURONS], synI = new float[NEURONS], sInf = new float[NEURONS],
                sRate = new float[NEURONS];
        final float[] next = new float[NEURONS * NSTATE];
    }

    /** Parameters from theta[off .. off + 30] and the initial state. */
    static void init(State st, float[] theta, int off) {
        for (int j = 0; j < NEURONS; j++) {
            int p = j * NPAR;
            for (int c = 0; c < CURRENTS; c++) st.par[p + c] = theta[off + j * CURRENTS + c] * AREA;
            st.par[p + G_LEAK_E] = st.par[p + G_LEAK] * E_LEAK;
            int x = j * NSTATE;
            java.util.Arrays.fill(st.x, x, x + NSTATE, 0f);
            st.x[x + V] = V_INIT;
            st.x[x + CA] = CA_0;
            st.x[x + ECA] = RT_ZF * (LOG_CA_EXT - Float32Math.log(CA_0));
        }
        for (int k = 0; k < SYNAPSES; k++) {
            st.gSyn[k] = (float) Math.exp(theta[off + NEURONS * CURRENTS + k]);
            st.s[k] = 0f;
        }
        java.util.Arrays.fill(st.energyBlock, 0f);
        java.util.Arrays.fill(st.energy, 0);
    }

    /**
     * e^((v + a)·beta), computed as {@link Float32Math#expAffine}(v, beta, a·beta) (a·beta a float product, as
     * {@link #ARG_C}); v is the clamped voltage.
     */
    static float gatingExp(float v, float a, float beta) {
        return Float32Math.expAffine(v, beta, a * beta);
    }

    /** 1 + e^((v + a)·beta): the denominator of a steady state 1 / (1 + e^…). */
    static float denominator(float v, float a, float beta) {
        return 1f + gatingExp(v, a, beta);
    }

    /**
     * A gate whose x∞ = num/u∞ and −dt/τ = n/d share one division: r = 1/(u∞·d), x∞ = (num·d)·r, −dt/τ = (n·u∞)·r;
     * then {@link #relax}. num is 1 for every gate but KCa ([Ca]); 1·d is d exactly.
     */
    static float relaxShared(float x, float num, float ui, float n, float d) {
        float r = 1f / (ui * d);
        return relax(x, (num * d) * r, (n * ui) * r);
    }

    /** x relaxed toward inf over one step: inf + (x − inf)·e^arg, arg = −dt/τ. */
    static float relax(float x, float inf, float arg) {
        return inf + (x - inf) * Float32Math.exp(arg);
    }

    /**
     * {@link #relax} for a slow gate (CaT, CaS, A, KCa, Kd: τ ≥ 0.8 ms for every V, so −dt/τ ∈ [−1/32, 0]) with
     * {@link Float32Math#expSmall} (revision 6).
     */
    static float relaxSlow(float x, float inf, float arg) {
        return inf + (x - inf) * Float32Math.expSmall(arg);
    }

    /** {@link #relaxShared} for a slow gate ({@link #relaxSlow}). */
    static float relaxSharedSlow(float x, float num, float ui, float n, float d) {
        float r = 1f / (ui * d);
        return relaxSlow(x, (num * d) * r, (n * ui) * r);
    }

    /** Step i: the state of sample i from sample i − 1; xi holds the three neurons' normals (already × 0 if off). */
    static void step(State st, float xi0, float xi1, float xi2, boolean energy) {
        float g0 = st.gSyn[0] * st.s[0], g1 = st.gSyn[1] * st.s[1], g2 = st.gSyn[2] * st.s[2],
                g3 = st.gSyn[3] * st.s[3], g4 = st.gSyn[4] * st.s[4], g5 = st.gSyn[5] * st.s[5],
                g6 = st.gSyn[6] * st.s[6];
        st.synG[0] = g4;
        st.synI[0] = g4 * -70f;
        st.synG[1] = (g0 + g1) + g6;
        st.synI[1] = (g0 * -70f + g1 * -80f) + g6 * -70f;
        st.synG[2] = (g2 + g3) + g5;
        st.synI[2] = (g2 * -70f + g3 * -80f) + g5 * -70f;
        for (int j = 0; j < NEURONS; j++) {
            float xi = j == 0 ? xi0 : j == 1 ? xi1 : xi2;
            neuron(st, j, xi, energy);
        }
        float[] x = st.x;
        for (int p = 0; p < NEURONS; p++) {
            float vg = Math.min(Math.max(x[p * NSTATE + V], -V_GATE_LIMIT), V_GATE_LIMIT);
            // DT / τ_k = (DT / k₋_k) / (1 − sInf_p), and sInf_p and 1 / (1 − sInf_p) = (1 + e)/e share one division
            // (revision 6; 10 divisions a step to 3). e ∈ [e^−27, e^13] at the ±100 mV clamp: no product overflows.
            float e = gatingExp(vg, SYN_A, SYN_B), u = 1f + e;
            float r = 1f / (u * e);
            st.sInf[p] = e * r;
            st.sRate[p] = (u * u) * r;
        }
        for (int k = 0; k < SYNAPSES; k++) {
            float sInf = st.sInf[SYN_PRE[k]], rate = SYN_DT_OVER_KMINUS[k] * st.sRate[SYN_PRE[k]];
            float tau = SYN_KMINUS[k] * (1f - sInf);
            float s = st.s[k];
            st.s[k] = DT > tau ? sInf : s + (sInf - s) * rate;
        }
        System.arraycopy(st.next, 0, st.x, 0, NEURONS * NSTATE);
    }

    /** Neuron j's next state into st.next (the current one stays in st.x until all neurons and synapses moved). */
    private static void neuron(State st, int j, float xi, boolean energy) {
        float[] x = st.x, par = st.par, nx = st.next;
        int o = j * NSTATE, p = j * NPAR;
        float v = x[o + V], ca = x[o + CA];
        float mNa = x[o + M_NA], hNa = x[o + H_NA], mCaT = x[o + M_CAT], hCaT = x[o + H_CAT], mCaS = x[o + M_CAS],
                hCaS = x[o + H_CAS], mA = x[o + M_A], hA = x[o + H_A], mKCa = x[o + M_KCA], mKd = x[o + M_KD],
                mH = x[o + M_H];
        float cNa = par[p + G_NA] * (((mNa * mNa) * mNa) * hNa);
        float cCaT = par[p + G_CAT] * (((mCaT * mCaT) * mCaT) * hCaT);
        float cCaS = par[p + G_CAS] * (((mCaS * mCaS) * mCaS) * hCaS);
        float cA = par[p + G_A] * (((mA * mA) * mA) * hA);
        float cKCa = par[p + G_KCA] * ((mKCa * mKCa) * (mKCa * mKCa));
        float cKd = par[p + G_KD] * ((mKd * mKd) * (mKd * mKd));
        float cH = par[p + G_H] * mH;
        float gLeak = par[p + G_LEAK];
        float cCa = cCaT + cCaS;
        float cK = (cA + cKCa) + cKd;

        if (energy) {
            float eCaOld = x[o + ECA];
            float dNa = v - E_NA, dCa = v - eCaOld, dK = v - E_K, dH = v - E_H, dL = v - E_LEAK;
            float w = cNa * (dNa * dNa) + cCa * (dCa * dCa) + cK * (dK * dK) + cH * (dH * dH) + gLeak * (dL * dL);
            w = w + synapticPower(st, j, v);
            st.energyBlock[j] += w;
        }

        float eCa = RT_ZF * (LOG_CA_EXT - Float32Math.log(ca));
        float caInf = CA_0 - F_CA * (cCa * (v - eCa));
        float caNew = caInf + (ca - caInf) * EXP_CA;
        float gSum = ((((st.synG[j] + cNa) + cCa) + cK) + cH) + gLeak;
        float drive = (((((st.synI[j] + cNa * E_NA) + cCa * eCa) + cK * E_K) + cH * E_H) + par[p + G_LEAK_E])
                + NOISE_SD * xi;
        float vNew;
        if (gSum == 0f) {
            vNew = v + drive * DT_OVER_C;
        } else {
            float vInf = drive / gSum;
            vNew = vInf + (v - vInf) * Float32Math.exp(gSum * NEG_DT_OVER_C);
        }

        nx[o + V] = vNew;
        nx[o + CA] = caNew;
        nx[o + ECA] = eCa;
        // The gating exps see V clamped to ±V_GATE_LIMIT (see the class comment).
        float vg = Math.min(Math.max(v, -V_GATE_LIMIT), V_GATE_LIMIT);
        // Each relaxation's exponent −dt/τ with τ = c + d/u (u = 1 + e^…, or a sum of two exps) is written −dt·u /
        // (c·u + d) = N / D, and shares one division with its gate's x∞ = 1/u∞ (KCa: [Ca] / (([Ca] + 3)·u∞)):
        // r = 1 / (u∞·D), x∞ = D·r, −dt/τ = (N·u∞)·r. With V clamped to ±V_GATE_LIMIT (100 mV) every exp argument is
        // within ±37.5, so u ≤ 2e16, D ≤ 5e18 and no product here exceeds 1e35. The SIMD phase computes the same.
        float u = denominator(vg, 120f, B_NA_TM);
        nx[o + M_NA] = relaxShared(mNa, 1f, denominator(vg, 25.5f, B_NA_M), NEG_DT * u, 2.64f * u + -2.52f);
        float u3 = denominator(vg, 62.9f, -0.1f), u4 = denominator(vg, 34.9f, B_NA_TH2);
        nx[o + H_NA] = relaxShared(hNa, 1f, denominator(vg, 48.9f, B_NA_H), NEG_DT * (u3 * u4),
                1.34f * (1.5f * u4 + 1f));
        u = denominator(vg, 68.1f, B_CAT_TM);
        nx[o + M_CAT] = relaxSharedSlow(mCaT, 1f, denominator(vg, 27.1f, B_CAT_M), NEG_DT * u, 43.4f * u + -42.6f);
        u = denominator(vg, 55f, B_CAT_TH);
        nx[o + H_CAT] = relaxSharedSlow(hCaT, 1f, denominator(vg, 32.1f, B_CAT_H), NEG_DT * u, 210f * u + -179.6f);
        float sum = gatingExp(vg, 27f, 0.1f) + gatingExp(vg, 70f, B_CAS_TM2);
        nx[o + M_CAS] = relaxSharedSlow(mCaS, 1f, denominator(vg, 33f, B_CAS_M), NEG_DT * sum, 2.8f * sum + 14f);
        sum = gatingExp(vg, 55f, B_CAS_TH1) + gatingExp(vg, 65f, B_CAS_TH2);
        nx[o + H_CAS] = relaxSharedSlow(hCaS, 1f, denominator(vg, 60f, B_CAS_H), NEG_DT * sum, 120f * sum + 300f);
        u = denominator(vg, 32.9f, B_A_TM);
        nx[o + M_A] = relaxSharedSlow(mA, 1f, denominator(vg, 27.2f, B_A_M), NEG_DT * u, 23.2f * u + -20.8f);
        u = denominator(vg, 38.9f, B_A_TH);
        nx[o + H_A] = relaxSharedSlow(hA, 1f, denominator(vg, 56.9f, B_A_H), NEG_DT * u, 77.2f * u + -58.4f);
        u = denominator(vg, 46f, B_KCA_TM);
        nx[o + M_KCA] = relaxSharedSlow(mKCa, ca, (ca + 3f) * denominator(vg, 28.3f, B_KCA_M), NEG_DT * u,
                180.6f * u + -150.2f);
        u = denominator(vg, 28.3f, B_KD_TM);
        nx[o + M_KD] = relaxSharedSlow(mKd, 1f, denominator(vg, 12.3f, B_KD_M), NEG_DT * u, 14.4f * u + -12.8f);
        sum = gatingExp(vg, H_TAU_A1, -0.086f) + gatingExp(vg, H_TAU_A2, 0.0701f);
        nx[o + M_H] = relax(mH, 1f / denominator(vg, 75f, B_H_M), (NEG_DT * sum) * 0.5f);
    }

    /** Σ over the synapses into neuron j of g·s·(V − E_s)², in synapse order. */
    private static float synapticPower(State st, int j, float v) {
        float w = 0f;
        for (int k = 0; k < SYNAPSES; k++) {
            if (SYN_POST[k] != j) continue;
            float d = v - SYN_E[k];
            w += (st.gSyn[k] * st.s[k]) * (d * d);
        }
        return w;
    }

    /** Adds the block's float energy sums to the double totals and clears them. */
    static void flushEnergy(State st) {
        for (int j = 0; j < NEURONS; j++) {
            st.energy[j] += st.energyBlock[j];
            st.energyBlock[j] = 0f;
        }
    }

    /** Receives the voltages of every sample (k = 0 .. SAMPLES − 1, in order). */
    @FunctionalInterface
    interface SampleSink {
        void sample(int k, float v0, float v1, float v2);
    }

    /**
     * Simulates one network: θ at theta[off ..], simulation index simIndex; every sample's three voltages go to sink;
     * the window energy per neuron (Σ W·dt/(1000·AREA) over samples WINDOW_FIRST.. ) into energyOut when not null.
     */
    static void simulate(State st, float[] theta, int off, long seed, long simIndex, boolean noise, SampleSink sink,
                         double[] energyOut) {
        simulate(st, theta, off, noise ? (j, b0, words, xi, xo) -> {
            for (int b = 0; b < PyloricNoise.BLOCK / 4; b++) {
                PyloricNoise.block(seed, simIndex, j, b0 + b, words, xi, xo + 4 * b);
            }
        } : null, sink, energyOut);
    }

    /** Where the normals of a noise block come from (jsbi's Philox stream, or a test's reference stream). */
    @FunctionalInterface
    interface BlockNoise {
        /**
         * The normals of neuron j for steps 4·b0 + 1 .. 4·b0 + {@link PyloricNoise#BLOCK} into xi[xo ..]; words is
         * scratch of 4 ints.
         */
        void fill(int j, int b0, int[] words, float[] xi, int xo);
    }

    /** As above with the noise from `noise` (null: noise off). */
    static void simulate(State st, float[] theta, int off, BlockNoise noise, SampleSink sink, double[] energyOut) {
        init(st, theta, off);
        boolean energy = energyOut != null;
        float[] xi = new float[NEURONS * PyloricNoise.BLOCK];
        int[] words = new int[4];
        float[] x = st.x;
        sink.sample(0, x[V], x[NSTATE + V], x[2 * NSTATE + V]);
        for (int first = 1; first <= STEPS; first += PyloricNoise.BLOCK) {
            int last = Math.min(first + PyloricNoise.BLOCK - 1, STEPS);
            if (noise != null) {
                for (int j = 0; j < NEURONS; j++) noise.fill(j, (first - 1) / 4, words, xi, j * PyloricNoise.BLOCK);
            }
            for (int i = first; i <= last; i++) {
                int q = i - first;
                boolean e = energy && i >= WINDOW_FIRST;
                step(st, xi[q], xi[PyloricNoise.BLOCK + q], xi[2 * PyloricNoise.BLOCK + q], e);
                sink.sample(i, x[V], x[NSTATE + V], x[2 * NSTATE + V]);
            }
            if (energy) flushEnergy(st);
        }
        if (energy) {
            for (int j = 0; j < NEURONS; j++) energyOut[j] = st.energy[j] * DT / (1000.0 * AREA);
        }
    }
}
