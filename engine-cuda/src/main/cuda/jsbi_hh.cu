// The Hodgkin–Huxley simulator of org.jsbi.sim.hh on the GPU: one thread per simulation, the state and the feature
// accumulators in registers, the same counter-based noise. It mirrors HodgkinHuxleyScalar (step, accumulate, flush,
// merge, finish), Float32Math (exp, efun, log, Box–Muller) and HhNoise operation for operation: only IEEE float add,
// sub, mul, div, sqrt, explicit fmaf and bit moves, compiled with --fmad=false, so that the features equal the CPU
// simulators' bit for bit (CudaHodgkinHuxleyTest checks it). Read those Java classes for the model and the formulas.

#include <stdint.h>

// ---- Float32Math (org.jsbi.sim.math) ----------------------------------------------------------------------------

#define EXP_LO (-86.0f)
#define EXP_HI 88.0f
#define MAGIC 12582912.0f
#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f
#define LN2_LO (-2.12194440e-4f)
#define LN2 0.693147180559945309f

__device__ __forceinline__ float hh_exp(float x) {
    x = x > EXP_HI ? EXP_HI : x;
    x = x < EXP_LO ? EXP_LO : x;
    // Float32Math.X2 .. X5, the minimax coefficients, as written there.
    const float X2 = 0.4999922513961792f, X3 = 0.16667112708091736f, X4 = 0.04189087823033333f,
                X5 = 0.008312893100082874f;
    float t = fmaf(x, LOG2E, MAGIC);
    float n = __fsub_rn(t, MAGIC);
    float r = fmaf(n, -LN2_HI, x);
    r = fmaf(n, -LN2_LO, r);
    float p = fmaf(X5, r, X4);
    p = fmaf(p, r, X3);
    p = fmaf(p, r, X2);
    p = fmaf(p, r, 1.0f);
    p = fmaf(p, r, 1.0f);
    return __int_as_float(__float_as_int(p) + (int) ((uint32_t) __float_as_int(t) << 23));
}

// efun's series below |z| = 0.1 (Float32Math.efunSeries).
__device__ __forceinline__ float hh_efun_series(float z) {
    const float B2 = (float) (1.0 / 12), B4 = (float) (-1.0 / 720), B6 = (float) (1.0 / 30240);
    float z2 = __fmul_rn(z, z);
    float q = fmaf(B6, z2, B4);
    q = fmaf(q, z2, B2);
    q = __fmul_rn(q, z2);
    return __fadd_rn(fmaf(-0.5f, z, 1.0f), q);
}

__device__ __forceinline__ float hh_efun(float z) {
    return fabsf(z) < 0.1f ? hh_efun_series(z) : __fdiv_rn(z, __fsub_rn(hh_exp(z), 1.0f));
}

// efun(z) given ez = exp(z), and given eNegZ = exp(-z) (Float32Math.efun(z, ez), efunOfInverse).

__device__ __forceinline__ float hh_efun_given(float z, float ez) {
    return fabsf(z) < 0.1f ? hh_efun_series(z) : __fdiv_rn(z, __fsub_rn(ez, 1.0f));
}

__device__ __forceinline__ float hh_efun_of_inverse(float z, float eNegZ) {
    return fabsf(z) < 0.1f ? hh_efun_series(z) : __fdiv_rn(__fmul_rn(z, eNegZ), __fsub_rn(1.0f, eNegZ));
}

__device__ __forceinline__ float hh_log(float x) {
    const float SQRT2 = 1.41421356237309505f;
    const float L3 = (float) (1.0 / 3), L5 = (float) (1.0 / 5), L7 = (float) (1.0 / 7), L9 = (float) (1.0 / 9);
    int bits = __float_as_int(x);
    float e = (float) ((int) ((uint32_t) bits >> 23) - 127);
    float m = __int_as_float((bits & 0x007FFFFF) | 0x3F800000);
    if (m > SQRT2) {
        m = __fmul_rn(m, 0.5f);
        e = __fadd_rn(e, 1.0f);
    }
    float f = __fsub_rn(m, 1.0f);
    float s = __fdiv_rn(f, __fadd_rn(2.0f, f));
    float z = __fmul_rn(s, s);
    float q = fmaf(L9, z, L7);
    q = fmaf(q, z, L5);
    q = fmaf(q, z, L3);
    q = __fmul_rn(q, z);
    float s2 = __fadd_rn(s, s);
    float logm = fmaf(s2, q, s2);
    return fmaf(e, LN2, logm);
}

__device__ __forceinline__ void hh_box_muller(uint32_t wa, uint32_t wb, float* out) {
    const float TWO_PI = 6.28318530717958648f;
    const float S3 = (float) (-1.0 / 6), S5 = (float) (1.0 / 120), S7 = (float) (-1.0 / 5040),
                S9 = (float) (1.0 / 362880);
    const float C2 = -0.5f, C4 = (float) (1.0 / 24), C6 = (float) (-1.0 / 720), C8 = (float) (1.0 / 40320),
                C10 = (float) (-1.0 / 3628800);
    float u1 = __fmul_rn((float) ((wa >> 8) + 1u), 0x1.0p-24f);
    float u2 = __fmul_rn((float) (wb >> 8), 0x1.0p-24f);
    float r = __fsqrt_rn(__fmul_rn(-2.0f, hh_log(u1)));
    float w = u2 >= 0.5f ? __fsub_rn(u2, 1.0f) : u2;
    float q = __fsub_rn(__fadd_rn(__fmul_rn(4.0f, w), MAGIC), MAGIC);
    float f = fmaf(q, -0.25f, w);
    float th = __fmul_rn(f, TWO_PI);
    float z = __fmul_rn(th, th);
    float ps = fmaf(S9, z, S7);
    ps = fmaf(ps, z, S5);
    ps = fmaf(ps, z, S3);
    float sn = fmaf(__fmul_rn(th, z), ps, th);
    float pc = fmaf(C10, z, C8);
    pc = fmaf(pc, z, C6);
    pc = fmaf(pc, z, C4);
    pc = fmaf(pc, z, C2);
    float cs = fmaf(z, pc, 1.0f);
    float c, s;
    if (q == 0.0f) { c = cs; s = sn; }
    else if (q == 1.0f) { c = -sn; s = cs; }
    else if (q == -1.0f) { c = sn; s = -cs; }
    else { c = -cs; s = -sn; }
    out[0] = __fmul_rn(r, c);
    out[1] = __fmul_rn(r, s);
}

// ---- Philox4x32-10 (org.jsbi.random.Philox) ------------------------------------------------------------------------

__device__ __forceinline__ void philox(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1,
                                       uint32_t* out) {
    for (int r = 0; r < 10; r++) {
        uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0;
        uint32_t n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// ---- HhProtocol ----------------------------------------------------------------------------------------------------

#define DT 0.01f
#define STEPS 12000
#define V0 (-70.0f)
#define E_NA 53.0f
#define E_K (-107.0f)
#define CURRENT_FIRST_STEP 1001
#define CURRENT_LAST_STEP 11000
#define REST_LAST 999
#define REST_N 1000
#define REST_SD_FIRST 900
#define REST_SD_LAST 999
#define REST_SD_N 100
#define STIM_FIRST 1001
#define STIM_LAST 10999
#define STIM_N 9999
#define SPIKE_THRESHOLD (-10.0f)
#define SPIKE_MIN_GAP 50
#define BLOCK 64

// ---- HodgkinHuxleyScalar -------------------------------------------------------------------------------------------

#define A_M 1.28f
#define B_M 1.4f
#define A_H 0.128f
#define B_H 4.0f
#define A_N 0.16f
#define B_N 0.5f
#define INV_18 (-1.0f / 18.0f)
#define E_P5 0x1.28d38ap7f    // (float) exp(5.0), HodgkinHuxleyScalar.E_P5

// HodgkinHuxleyScalar.slowRelax: e^u by its Taylor series to u^5 for u > -0.1, else hh_exp.
__device__ __forceinline__ float hh_slow_relax(float u) {
    if (u > -0.1f) {
        const float R2 = 0.5f, R3 = (float) (1.0 / 6), R4 = (float) (1.0 / 24), R5 = (float) (1.0 / 120);
        float p = fmaf(R5, u, R4);
        p = fmaf(p, u, R3);
        p = fmaf(p, u, R2);
        p = fmaf(p, u, 1.0f);
        return fmaf(p, u, 1.0f);
    }
    return hh_exp(u);
}

// HodgkinHuxleyScalar.rates: am, bm, ah, bh, an, bn, pInf, rp at x = V - vT into r[0..7], with four exps.
__device__ __forceinline__ void hh_rates(float x, float pScale, float invTauMax, float* r) {
    float zm = __fmul_rn(__fsub_rn(x, 13.0f), -0.25f);
    float zn = __fmul_rn(__fsub_rn(x, 15.0f), -0.2f);
    float zb = __fmul_rn(__fsub_rn(x, 40.0f), 0.2f);
    float en = hh_exp(zn);
    float eh = __fmul_rn(en, E_P5);
    float ek = hh_exp(__fmul_rn(__fsub_rn(x, 10.0f), -0.025f));
    r[0] = __fmul_rn(A_M, hh_efun(zm));
    r[1] = __fmul_rn(B_M, hh_efun_of_inverse(zb, eh));
    r[2] = __fmul_rn(A_H, hh_exp(__fmul_rn(__fsub_rn(x, 17.0f), INV_18)));
    r[3] = __fdiv_rn(B_H, __fadd_rn(1.0f, eh));
    r[4] = __fmul_rn(A_N, hh_efun_given(zn, en));
    r[5] = __fmul_rn(B_N, ek);
    float eyi = __fmul_rn(__fmul_rn(ek, ek), pScale);
    float e2 = __fadd_rn(1.0f, __fmul_rn(eyi, eyi));
    float inv = __fdiv_rn(1.0f, __fmul_rn(eyi, e2));
    float ey = __fmul_rn(e2, inv);
    r[6] = __fmul_rn(eyi, inv);
    r[7] = __fmul_rn(__fadd_rn(__fmul_rn(3.3f, ey), eyi), invTauMax);
}

__device__ __forceinline__ int overlap(int first, int last, int wFirst, int wLast) {
    return max(0, min(last, wLast) - max(first, wFirst) + 1);
}

// HodgkinHuxleyScalar.merge, for the sums that exist (order 1, 2 or 4).
__device__ __forceinline__ void merge(double* sums, int order, int cnt, float shift, float b1, float b2, float b3,
                                      float b4) {
    if (cnt == 0) return;
    double dl = (double) shift - (double) V0;
    double c = cnt;
    double e1 = b1, e2 = b2, e3 = b3, e4 = b4;
    double dl2 = dl * dl;
    sums[0] += e1 + c * dl;
    if (order >= 2) sums[1] += (e2 + 2.0 * dl * e1) + c * dl2;
    if (order >= 3) sums[2] += ((e3 + 3.0 * dl * e2) + 3.0 * dl2 * e1) + c * (dl2 * dl);
    if (order >= 4) sums[3] += (((e4 + 4.0 * dl * e3) + 6.0 * dl2 * e2) + 4.0 * (dl2 * dl) * e1) + c * (dl2 * dl2);
}

__device__ __forceinline__ bool finite_f(float x) {
    return !isnan(x) && !isinf(x);
}

// Seven features per simulation into out7 (count x 7, row-major); the row is NaN where the simulation diverged.
// theta: count x 8, row-major. Simulation i's noise index is firstIndex + i.
extern "C" __global__ void __launch_bounds__(128) hh_simulate(int count, const float* theta, long long firstIndex,
                                                              unsigned long long seed, int noise, float* out7) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= count) return;
    const float* th = theta + (long) i * 8;
    float gNa = th[0], gK = th[1], gL = th[2], gM = th[3];
    float invTauMax = __fdiv_rn(1.0f, th[4]);
    float vT = -th[5];
    float noiseScale = noise ? __fmul_rn(th[6], 10.0f) : 0.0f;
    float gLEL = __fmul_rn(gL, -th[7]);
    float pScale = hh_exp(__fmul_rn(__fadd_rn(vT, 45.0f), -0.05f));
    unsigned long long sim = (unsigned long long) (firstIndex + i);
    uint32_t c0 = (uint32_t) sim, c1 = (uint32_t) (sim >> 32), k0 = (uint32_t) seed, k1 = (uint32_t) (seed >> 32);

    // init
    float v = V0;
    float m, h, n, p;
    {
        float r[8];
        hh_rates(__fsub_rn(v, vT), pScale, invTauMax, r);
        m = __fdiv_rn(r[0], __fadd_rn(r[0], r[1]));
        h = __fdiv_rn(r[2], __fadd_rn(r[2], r[3]));
        n = __fdiv_rn(r[4], __fadd_rn(r[4], r[5]));
        p = r[6];
    }
    float prev1 = v, prev2 = v;
    int spikes = 0;
    int lastSpike = (int) 0x80000000 / 2;
    float shift = v;
    float r1 = 0.0f, q1 = 0.0f, q2 = 0.0f, t1 = 0.0f, t2 = 0.0f, t3 = 0.0f, t4 = 0.0f;
    double rest = 0.0, restSd[2] = {0.0, 0.0}, stim[4] = {0.0, 0.0, 0.0, 0.0};
    float xi[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    const float negDt = -DT;
    const float iAmp = (float) (5e-4 / (3.14159265358979323846 * 70e-4 * 70e-4));

    for (int first = 1; first <= STEPS; first += BLOCK) {
        int last = min(first + BLOCK - 1, STEPS);
        for (int s = first; s <= last; s++) {
            int g = s - 1;
            if (noise && (g & 3) == 0) {
                uint32_t w[4];
                philox(c0, c1, 0u, (uint32_t) (g >> 2), k0, k1, w);
                hh_box_muller(w[0], w[1], xi);
                hh_box_muller(w[2], w[3], xi + 2);
            }
            float x_i = noise ? xi[g & 3] : 0.0f;
            // step
            float gNaT = __fmul_rn(gNa, __fmul_rn(__fmul_rn(__fmul_rn(m, m), m), h));
            float n2 = __fmul_rn(n, n);
            float gKT = __fmul_rn(gK, __fmul_rn(n2, n2));
            float gMT = __fmul_rn(gM, p);
            float gSum = __fadd_rn(__fadd_rn(__fadd_rn(gNaT, gKT), gL), gMT);
            float cur = (s >= CURRENT_FIRST_STEP && s <= CURRENT_LAST_STEP) ? iAmp : 0.0f;
            float drive = __fadd_rn(__fadd_rn(__fadd_rn(__fadd_rn(__fadd_rn(__fmul_rn(gNaT, E_NA), __fmul_rn(gKT, E_K)),
                                                                  gLEL), __fmul_rn(gMT, E_K)), cur),
                                    __fmul_rn(noiseScale, x_i));
            float vInf = __fdiv_rn(drive, gSum);
            float vn = __fadd_rn(vInf, __fmul_rn(__fsub_rn(v, vInf), hh_exp(__fmul_rn(gSum, negDt))));
            float r[8];
            hh_rates(__fsub_rn(vn, vT), pScale, invTauMax, r);
            float am = r[0], bm = r[1], ah = r[2], bh = r[3], an = r[4], bn = r[5], pInf = r[6], rp = r[7];
            float sm = __fadd_rn(am, bm);
            float sh = __fadd_rn(ah, bh);
            float sn = __fadd_rn(an, bn);
            float shn = __fmul_rn(sh, sn);
            float inv = __fdiv_rn(1.0f, __fmul_rn(sm, shn));
            float mInf = __fmul_rn(__fmul_rn(am, shn), inv);
            float hInf = __fmul_rn(__fmul_rn(ah, __fmul_rn(sm, sn)), inv);
            float nInf = __fmul_rn(__fmul_rn(an, __fmul_rn(sm, sh)), inv);
            m = __fadd_rn(mInf, __fmul_rn(__fsub_rn(m, mInf), hh_exp(__fmul_rn(sm, negDt))));
            h = __fadd_rn(hInf, __fmul_rn(__fsub_rn(h, hInf), hh_slow_relax(__fmul_rn(sh, negDt))));
            n = __fadd_rn(nInf, __fmul_rn(__fsub_rn(n, nInf), hh_slow_relax(__fmul_rn(sn, negDt))));
            p = __fadd_rn(pInf, __fmul_rn(__fsub_rn(p, pInf), hh_slow_relax(__fmul_rn(rp, negDt))));
            v = vn;
            // accumulate (sample k = s)
            int k = s;
            float d = __fsub_rn(v, shift);
            if (k <= REST_LAST) r1 = __fadd_rn(r1, d);
            if (k >= REST_SD_FIRST && k <= REST_SD_LAST) {
                q1 = __fadd_rn(q1, d);
                q2 = __fadd_rn(q2, __fmul_rn(d, d));
            }
            if (k >= STIM_FIRST && k <= STIM_LAST) {
                float d2 = __fmul_rn(d, d);
                t1 = __fadd_rn(t1, d);
                t2 = __fadd_rn(t2, d2);
                t3 = __fadd_rn(t3, __fmul_rn(d2, d));
                t4 = __fadd_rn(t4, __fmul_rn(d2, d2));
            }
            int j = k - 2;
            if (j >= STIM_FIRST && j <= STIM_LAST) {
                float a = prev2, b = prev1;
                if (a > SPIKE_THRESHOLD && b >= a && v < b) {
                    int gap = j - lastSpike;
                    // HhProtocol.GAP50_KEEP[j]: numpy's diff(t) > 0.5 in double, t_j = j * 0.01.
                    bool keep50 = (double) j * 0.01 - (double) (j - SPIKE_MIN_GAP) * 0.01 > 0.5;
                    if (gap > SPIKE_MIN_GAP || (gap == SPIKE_MIN_GAP && keep50)) spikes++;
                    lastSpike = j;
                }
            }
            prev2 = prev1;
            prev1 = v;
        }
        // flush
        merge(&rest, 1, overlap(first, last, 1, REST_LAST), shift, r1, 0.0f, 0.0f, 0.0f);
        merge(restSd, 2, overlap(first, last, REST_SD_FIRST, REST_SD_LAST), shift, q1, q2, 0.0f, 0.0f);
        merge(stim, 4, overlap(first, last, STIM_FIRST, STIM_LAST), shift, t1, t2, t3, t4);
        r1 = q1 = q2 = t1 = t2 = t3 = t4 = 0.0f;
        shift = v;
    }

    // finish
    double v0 = V0;
    double restMean = v0 + rest / REST_N;
    double qm = restSd[0] / REST_SD_N;
    double restVar = restSd[1] / REST_SD_N - qm * qm;
    double restStd = sqrt(isnan(restVar) ? restVar : (restVar > 0.0 ? restVar : 0.0));
    double nn = STIM_N;
    double mu = stim[0] / nn, e2 = stim[1] / nn, e3 = stim[2] / nn, e4 = stim[3] / nn;
    double mu2 = mu * mu;
    double m2 = e2 - mu2;
    double m3 = (e3 - 3.0 * mu * e2) + 2.0 * mu * mu2;
    double m4 = ((e4 - 4.0 * mu * e3) + 6.0 * mu2 * e2) - 3.0 * mu2 * mu2;
    double sd = sqrt(m2);
    float f[7];
    f[0] = (float) spikes;
    f[1] = (float) restMean;
    f[2] = (float) restStd;
    f[3] = (float) (v0 + mu);
    f[4] = (float) m2;
    f[5] = (float) (m3 / (sd * sd * sd));
    f[6] = (float) (m4 / (m2 * m2));
    bool ok = finite_f(v);
    for (int q = 0; q < 7; q++) ok &= finite_f(f[q]);
    float* o = out7 + (long) i * 7;
    for (int q = 0; q < 7; q++) o[q] = ok ? f[q] : __int_as_float(0x7fc00000);
}
