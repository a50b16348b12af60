package org.jsbi.sim.hh;

import static org.jsbi.sim.hh.HhProtocol.*;
import org.jsbi.sim.math.Float32Math;

/**
 * The scalar reference of the Hodgkin–Huxley simulator, one simulation at a time, in float32 with double feature
 * sums. {@link HodgkinHuxleySimd} repeats it lane-wise operation for operation and gives bit-identical features; a CUDA
 * port (one thread per simulation) should mirror {@link #step}, {@link #accumulate}, {@link #flush} and
 * {@link #finish} — with FMA contraction off ({@code -fmad=false}) except where {@code Math.fma} is written.
 *
 * <p><b>Parameters</b> θ = (ḡ_Na, ḡ_K, g_leak, ḡ_M, τ_max, −V_T, σ, −E_leak); per simulation the float values
 * {@code vT = -θ5}, {@code gLEL = θ2 * (-θ7)}, {@code invTauMax = 1f / θ4} and {@code noiseScale = θ6 * 10f}
 * (σ/√dt with dt = 0.01; 0 when noise is off) are formed once.
 *
 * <p><b>Initial state</b>: V = −70; each gate q = α_q/(α_q + β_q) at V = −70 (p = p_∞(−70)), with the rate formulas
 * below.
 *
 * <p><b>Step s</b> (s = 1..12,000; sample s from sample s − 1; ξ = the normal of {@link HhNoise}, 0 when noise is off;
 * I = {@link HhProtocol#current}(s)), in this order, all float:
 * <pre>
 * gNaT = gNa * (((m*m)*m)*h);  n2 = n*n;  gKT = gK * (n2*n2);  gMT = gM * p
 * gSum  = ((gNaT + gKT) + gL) + gMT                                   // 1/τ_V (C_m = 1)
 * drive = ((((gNaT*53 + gKT*(-107)) + gLEL) + gMT*(-107)) + I) + noiseScale*ξ
 * vInf  = drive / gSum;   V' = vInf + (V - vInf) * exp(gSum * -0.01f)
 * x = V' - vT, then the rates ({@link #rates}, also used for the initial state):
 * zm = (x - 13) * -0.25f;  zn = (x - 15) * -0.2f;  zb = (x - 40) * 0.2f
 * en = exp(zn);  eh = en * E_P5                       // eh = e^((x-40)(-0.2)) = e^zn · e^5, and e^zb = 1/eh
 * ek = exp((x - 10) * -0.025f)
 * αm = 1.28f * efun(zm)                      βm = 1.4f * efunOfInverse(zb, eh)
 * αh = 0.128f * exp((x - 17) * (-1f/18f))   βh = 4 / (1 + eh)
 * αn = 0.16f * efun(zn, en)                  βn = 0.5f * ek
 * eyi = (ek*ek) * pScale;  ey = 1 / eyi;  p∞ = 1 / (1 + eyi*eyi);  rp = (3.3f*ey + eyi) * invTauMax
 * for q in m, h, n: sq = αq + βq;  q∞ = αq / sq
 * m' = m∞ + (m - m∞) * exp(sm * -0.01f)
 * q' = q∞ + (q - q∞) * slowRelax(sq * -0.01f)    for q in h, n       // {@link #slowRelax}: a series near 0, else exp
 * p' = p∞ + (p - p∞) * slowRelax(rp * -0.01f)
 * </pre>
 * (exp, efun, efunOfInverse: {@link Float32Math}; 1.28 = 0.32/0.25, 1.4 = 0.28/0.2, 0.16 = 0.032/0.2 from the
 * paper's {@code 0.32*efun(-0.25*u)/0.25} etc.; exp(-dt/τ_q) with τ_q = 1/(α+β) is exp(-dt·(α+β));
 * τ_p = τ_max/(3.3e^y + e^-y) with y = (V' + 35)/20, and e^-y = e^(2(x-10)(-0.025)) · e^(-(vT+45)/20), whose second
 * factor is the per-simulation float {@code pScale = exp((vT + 45) * -0.05f)}.) The seven exps of the paper's rates
 * are four here: the rates with slope ±0.2 share one exp, and βn's exp squared gives p's; the identities are exact,
 * only the roundings differ (a few ulps), and they save a quarter of the step's exps.
 *
 * <p><b>Features, online.</b> Steps run in blocks of 64: block c holds steps s = 64c+1 .. min(64c+64, 12000). At the
 * start of block c the shift K = V (sample 64c) is taken; each sample k of the block adds, in float, with
 * {@code d = V_k - K}: to r1 if k ≤ 999; to (q1, q2) += (d, d*d) if 900 ≤ k ≤ 999; and with {@code d2 = d*d} to
 * (t1, t2, t3, t4) += (d, d2, d2*d, d2*d2) if 1001 ≤ k ≤ 10999. At the end of the block each window's float sums are
 * merged into double sums about V0 = −70 by {@link #merge} (δ = (double) K − (double) V0) and reset. Sample 0 adds 0
 * (V = V0). Then ({@link #finish}, double): rest = V0 + R1/1000; restSD = sqrt(max(0, Q2/100 − (Q1/100)²));
 * μ = T1/9999, e_i = T_i/9999, m2 = e2 − μ², m3 = e3 − 3μe2 + 2μ³, m4 = e4 − 4μe3 + 6μ²e2 − 3μ⁴; mean = V0 + μ,
 * variance = m2, skewness = m3/sd³ (sd = √m2), kurtosis = m4/m2² (not excess).
 *
 * <p><b>Spikes</b> (the paper's detector, rewritten online): after the clipping at −10 mV and the two passes over
 * {@code np.diff}, sample j is a spike time exactly when V_j &gt; −10, V_{j+1} ≥ V_j and V_{j+2} &lt; V_{j+1}. At sample
 * k = j + 2 with 1001 ≤ j ≤ 10999 a detection at j counts unless the previous detection j' (in the window) has
 * j − j' &lt; 50, or j − j' = 50 and {@link HhProtocol#GAP50_KEEP}[j] is false (numpy's {@code diff(t) > 0.5} in double);
 * every detection, counted or not, becomes the previous one.
 *
 * <p>A simulation whose features or final state are not finite is reported as diverged: all its features are NaN.
 */
public final class HodgkinHuxleyScalar {

    private HodgkinHuxleyScalar() {
    }

    static final float A_M = 1.28f, B_M = 1.4f, A_H = 0.128f, B_H = 4f, A_N = 0.16f, B_N = 0.5f;
    static final float INV_18 = -1f / 18f;
    /** e^5, the factor from e^((x−15)(−0.2)) to e^((x−40)(−0.2)). */
    static final float E_P5 = (float) Math.exp(5.0);
    static final float NOISE_PER_SIGMA = 10f;

    /** One simulation's state, parameters and feature accumulators; reused across simulations. */
    static final class State {
        float v, m, h, n, p;
        float gNa, gK, gL, gLEL, gM, invTauMax, vT, noiseScale, pScale;
        float prev1, prev2;
        int spikes;
        int lastSpike;
        float shift;
        float r1, q1, q2, t1, t2, t3, t4;
        final double[] rest = new double[1];
        final double[] restSd = new double[2];
        final double[] stim = new double[4];
        final float[] rates = new float[NRATES];
    }

    /** Sets the parameters and the initial state (θ at theta[off .. off + 7]). */
    static void init(State st, float[] theta, int off, boolean noise) {
        st.gNa = theta[off];
        st.gK = theta[off + 1];
        st.gL = theta[off + 2];
        st.gM = theta[off + 3];
        st.invTauMax = 1f / theta[off + 4];
        st.vT = -theta[off + 5];
        st.noiseScale = noise ? theta[off + 6] * NOISE_PER_SIGMA : 0f;
        st.gLEL = st.gL * -theta[off + 7];
        st.pScale = Float32Math.exp((st.vT + 45f) * -0.05f);
        float v = V0;
        float[] r = st.rates;
        rates(v - st.vT, st.pScale, st.invTauMax, r);
        st.v = v;
        st.m = r[AM] / (r[AM] + r[BM]);
        st.h = r[AH] / (r[AH] + r[BH]);
        st.n = r[AN] / (r[AN] + r[BN]);
        st.p = r[P_INF];
        st.prev1 = v;
        st.prev2 = v;
        st.spikes = 0;
        st.lastSpike = Integer.MIN_VALUE / 2;
        st.shift = v;
        st.r1 = st.q1 = st.q2 = st.t1 = st.t2 = st.t3 = st.t4 = 0f;
        java.util.Arrays.fill(st.rest, 0);
        java.util.Arrays.fill(st.restSd, 0);
        java.util.Arrays.fill(st.stim, 0);
    }

    /** Step s: sample s from sample s − 1 with normal xi. */
    static void step(State st, int s, float xi) {
        step(st, s, xi, -DT);
    }

    /** The step with time step -negDt (the convergence check halves dt; everything else uses -DT). */
    static void step(State st, int s, float xi, float negDt) {
        float m = st.m, h = st.h, n = st.n, p = st.p, v = st.v;
        float gNaT = st.gNa * (((m * m) * m) * h);
        float n2 = n * n;
        float gKT = st.gK * (n2 * n2);
        float gMT = st.gM * p;
        float gSum = ((gNaT + gKT) + st.gL) + gMT;
        float drive = ((((gNaT * E_NA + gKT * E_K) + st.gLEL) + gMT * E_K) + current(s)) + st.noiseScale * xi;
        float vInf = drive / gSum;
        float vn = vInf + (v - vInf) * Float32Math.exp(gSum * negDt);
        float[] r = st.rates;
        rates(vn - st.vT, st.pScale, st.invTauMax, r);
        float am = r[AM], bm = r[BM], ah = r[AH], bh = r[BH], an = r[AN], bn = r[BN], pInf = r[P_INF], rp = r[RP];
        float sm = am + bm;
        float sh = ah + bh;
        float sn = an + bn;
        // q∞ = α / (α + β) for m, h, n through one reciprocal, as the SIMD step does (divisions are its costliest
        // operations): inv = 1 / (sm·sh·sn), m∞ = αm·(sh·sn)·inv, and so on. The sums are positive rates of order 1e-4 to
        // 1e2 per ms, so the product cannot overflow or underflow.
        float shn = sh * sn;
        float inv = 1f / (sm * shn);
        float mInf = (am * shn) * inv;
        float hInf = (ah * (sm * sn)) * inv;
        float nInf = (an * (sm * sh)) * inv;
        st.m = mInf + (m - mInf) * Float32Math.exp(sm * negDt);
        st.h = hInf + (h - hInf) * slowRelax(sh * negDt);
        st.n = nInf + (n - nInf) * slowRelax(sn * negDt);
        st.p = pInf + (p - pInf) * slowRelax(rp * negDt);
        st.v = vn;
    }

    /** Where {@link #slowRelax} switches from its series to exp. */
    static final float RELAX_SERIES = 0.1f;
    /** 1/k! for k = 2..5, the series of {@link #slowRelax}. */
    static final float R2 = 0.5f, R3 = (float) (1.0 / 6), R4 = (float) (1.0 / 24), R5 = (float) (1.0 / 120);

    /**
     * e^u for the relaxation of h, n and p (u = −dt/τ ≤ 0): for u &gt; −0.1 the Taylor series to u⁵ (error below
     * 0.1⁶/720 = 1.4e-9, under float's rounding), {@code fma(fma(fma(fma(fma(R5, u, R4), u, R3), u, R2), u, 1), u, 1)};
     * else (and for NaN) {@link Float32Math#exp}. These gates are slow (dt/τ ≤ 0.05 for h and n at any voltage, and
     * for p unless τ_max is small and V above +50 mV), so the series almost always applies and costs five
     * multiply-adds instead of a range-reduced exp; m's τ is short enough that it keeps the exp.
     */
    static float slowRelax(float u) {
        if (u > -RELAX_SERIES) {
            float p = Math.fma(R5, u, R4);
            p = Math.fma(p, u, R3);
            p = Math.fma(p, u, R2);
            p = Math.fma(p, u, 1f);
            return Math.fma(p, u, 1f);
        }
        return Float32Math.exp(u);
    }

    /** Slots of {@link #rates}' output. */
    static final int AM = 0, BM = 1, AH = 2, BH = 3, AN = 4, BN = 5, P_INF = 6, RP = 7, NRATES = 8;

    /**
     * The gates' rates at x = V − vT (αm, βm, αh, βh, αn, βn, p∞, rp into out[AM ..]), with four exps (class comment).
     */
    static void rates(float x, float pScale, float invTauMax, float[] out) {
        float zm = (x - 13f) * -0.25f;
        float zn = (x - 15f) * -0.2f;
        float zb = (x - 40f) * 0.2f;
        float en = Float32Math.exp(zn);
        float eh = en * E_P5;
        float ek = Float32Math.exp((x - 10f) * -0.025f);
        out[AM] = A_M * Float32Math.efun(zm);
        out[BM] = B_M * Float32Math.efunOfInverse(zb, eh);
        out[AH] = A_H * Float32Math.exp((x - 17f) * INV_18);
        out[BH] = B_H / (1f + eh);
        out[AN] = A_N * Float32Math.efun(zn, en);
        out[BN] = B_N * ek;
        float eyi = (ek * ek) * pScale;
        // 1/eyi and 1/(1 + eyi²) through one division (eyi = e^((10 − x)/20)·pScale stays within about 1e-5..1e5
        // for any voltage a simulation that has not diverged reaches, so eyi·(1 + eyi²) is finite and normal).
        float e2 = 1f + eyi * eyi;
        float inv = 1f / (eyi * e2);
        float ey = e2 * inv;
        out[P_INF] = eyi * inv;
        out[RP] = (3.3f * ey + eyi) * invTauMax;
    }

    /** Adds sample k (the state's V, k ≥ 1) to the block's float sums and runs the spike detector. */
    static void accumulate(State st, int k) {
        float v = st.v;
        float d = v - st.shift;
        if (k <= REST_LAST) st.r1 += d;
        if (k >= REST_SD_FIRST && k <= REST_SD_LAST) {
            st.q1 += d;
            st.q2 += d * d;
        }
        if (k >= STIM_FIRST && k <= STIM_LAST) {
            float d2 = d * d;
            st.t1 += d;
            st.t2 += d2;
            st.t3 += d2 * d;
            st.t4 += d2 * d2;
        }
        int j = k - 2;
        if (j >= STIM_FIRST && j <= STIM_LAST) {
            float a = st.prev2, b = st.prev1;
            if (a > SPIKE_THRESHOLD && b >= a && v < b) {
                int gap = j - st.lastSpike;
                if (gap > SPIKE_MIN_GAP || (gap == SPIKE_MIN_GAP && GAP50_KEEP[j])) st.spikes++;
                st.lastSpike = j;
            }
        }
        st.prev2 = st.prev1;
        st.prev1 = v;
    }

    /** Samples of [first, last] in the window [wFirst, wLast]. */
    static int overlap(int first, int last, int wFirst, int wLast) {
        return Math.max(0, Math.min(last, wLast) - Math.max(first, wFirst) + 1);
    }

    /**
     * Merges float sums b[0..w) of (d, d², d³, d⁴) about shift K over cnt samples into double sums S about V0:
     * with δ = K − V0 and e = (double) b_i, in this order,
     * S1 += e1 + cnt·δ; S2 += e2 + 2δ·e1 + cnt·δ²; S3 += e3 + 3δ·e2 + 3δ²·e1 + cnt·δ³;
     * S4 += e4 + 4δ·e3 + 6δ²·e2 + 4δ³·e1 + cnt·δ⁴ (as written in the code).
     */
    static void merge(double[] sums, int o, int order, int cnt, float shift, float b1, float b2, float b3, float b4) {
        if (cnt == 0) return;
        double dl = (double) shift - (double) V0;
        double c = cnt;
        double e1 = b1, e2 = b2, e3 = b3, e4 = b4;
        double dl2 = dl * dl;
        sums[o] += e1 + c * dl;
        if (order >= 2) sums[o + 1] += (e2 + 2.0 * dl * e1) + c * dl2;
        if (order >= 3) sums[o + 2] += ((e3 + 3.0 * dl * e2) + 3.0 * dl2 * e1) + c * (dl2 * dl);
        if (order >= 4) sums[o + 3] += (((e4 + 4.0 * dl * e3) + 6.0 * dl2 * e2) + 4.0 * (dl2 * dl) * e1) + c * (dl2 * dl2);
    }

    /** Ends the block of samples [first, last]: merges the float sums into the double ones and takes the new shift. */
    static void flush(State st, int first, int last) {
        merge(st.rest, 0, 1, overlap(first, last, 1, REST_LAST), st.shift, st.r1, 0f, 0f, 0f);
        merge(st.restSd, 0, 2, overlap(first, last, REST_SD_FIRST, REST_SD_LAST), st.shift, st.q1, st.q2, 0f, 0f);
        merge(st.stim, 0, 4, overlap(first, last, STIM_FIRST, STIM_LAST), st.shift, st.t1, st.t2, st.t3, st.t4);
        st.r1 = st.q1 = st.q2 = st.t1 = st.t2 = st.t3 = st.t4 = 0f;
        st.shift = st.v;
    }

    /**
     * The 7 features from the double sums into out[off .. off + 6]; false (and NaN features) when the simulation
     * diverged.
     */
    static boolean finish(int spikes, double rest, double restSd1, double restSd2, double[] stim, int so, float vEnd,
                          float[] out, int off) {
        double v0 = V0;
        double restMean = v0 + rest / REST_N;
        double qm = restSd1 / REST_SD_N;
        double restVar = restSd2 / REST_SD_N - qm * qm;
        double restStd = Math.sqrt(Math.max(0.0, restVar));
        double n = STIM_N;
        double mu = stim[so] / n, e2 = stim[so + 1] / n, e3 = stim[so + 2] / n, e4 = stim[so + 3] / n;
        double mu2 = mu * mu;
        double m2 = e2 - mu2;
        double m3 = (e3 - 3.0 * mu * e2) + 2.0 * mu * mu2;
        double m4 = ((e4 - 4.0 * mu * e3) + 6.0 * mu2 * e2) - 3.0 * mu2 * mu2;
        double sd = Math.sqrt(m2);
        out[off] = spikes;
        out[off + 1] = (float) restMean;
        out[off + 2] = (float) restStd;
        out[off + 3] = (float) (v0 + mu);
        out[off + 4] = (float) m2;
        out[off + 5] = (float) (m3 / (sd * sd * sd));
        out[off + 6] = (float) (m4 / (m2 * m2));
        boolean ok = Float.isFinite(vEnd);
        for (int i = 0; i < 7; i++) ok &= Float.isFinite(out[off + i]);
        if (!ok) java.util.Arrays.fill(out, off, off + 7, Float.NaN);
        return ok;
    }

    /**
     * Simulates θ (theta[thetaOff ..]) with simulation index simIndex and writes its 7 features to out[outOff ..];
     * the trace (12,001 samples) to trace[traceOff ..] when trace is not null. No check of θ: the caller's job.
     * Returns false when the simulation diverged (its features are NaN).
     */
    public static boolean simulate(float[] theta, int thetaOff, long seed, long simIndex, boolean noise, float[] out,
                                   int outOff, float[] trace, int traceOff) {
        State st = new State();
        float[] xi = new float[BLOCK];
        int[] words = new int[4];
        return simulate(st, xi, words, theta, thetaOff, seed, simIndex, noise, out, outOff, trace, traceOff);
    }

    static boolean simulate(State st, float[] xi, int[] words, float[] theta, int thetaOff, long seed, long simIndex,
                            boolean noise, float[] out, int outOff, float[] trace, int traceOff) {
        init(st, theta, thetaOff, noise);
        if (trace != null) trace[traceOff] = st.v;
        for (int first = 1; first <= STEPS; first += BLOCK) {
            int last = Math.min(first + BLOCK - 1, STEPS);
            if (noise) {
                int b0 = (first - 1) / 4;
                for (int b = 0; b < BLOCK / 4; b++) HhNoise.block(seed, simIndex, b0 + b, words, xi, 4 * b);
            }
            for (int s = first; s <= last; s++) {
                step(st, s, noise ? xi[s - first] : 0f);
                accumulate(st, s);
                if (trace != null) trace[traceOff + s] = st.v;
            }
            flush(st, first, last);
        }
        return finish(st.spikes, st.rest[0], st.restSd[0], st.restSd[1], st.stim, 0, st.v, out, outOff);
    }

    /**
     * Noise off, with each 0.01 ms step split into {@code substeps} exponential-Euler steps of 0.01/substeps ms (the
     * current of the step applies to all of them); the features are accumulated on the original 0.01 ms grid. For the
     * time-step convergence check only.
     */
    static boolean simulateRefined(float[] theta, int thetaOff, int substeps, float[] out, int outOff) {
        State st = new State();
        init(st, theta, thetaOff, false);
        float negDt = (float) (-0.01 / substeps);
        for (int first = 1; first <= STEPS; first += BLOCK) {
            int last = Math.min(first + BLOCK - 1, STEPS);
            for (int s = first; s <= last; s++) {
                for (int r = 0; r < substeps; r++) step(st, s, 0f, negDt);
                accumulate(st, s);
            }
            flush(st, first, last);
        }
        return finish(st.spikes, st.rest[0], st.restSd[0], st.restSd[1], st.stim, 0, st.v, out, outOff);
    }
}
