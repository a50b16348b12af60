package org.jsbi.sim.gabor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.random.CounterRandom;
import org.jsbi.simd.SimdConfig;

/**
 * The Vector API version of {@link GaborScalar}. Two vectorisations, each where it is natural:
 * <ul>
 *   <li>The filter responses η_t = β + h·S[t] for all 12,000 bins are a matrix product S (12,000 × 1,681) · H
 *       (1,681 × simulations) — 20 M multiply-adds per simulation, almost all the work. Here lanes = simulations:
 *       a group of {@link #W} = 2 vectors of simulations holds H pixel-major ({@code H[p·W + lane]}), and a
 *       4-bin × 2-vector register tile multiplies a broadcast stimulus value into 8 accumulators (2 vector loads and
 *       4 broadcasts per 8 fmas). The 80 MB stimulus does not fit in cache, so a chunk works on up to
 *       {@link #GROUPS} groups at a time and walks the stimulus in blocks of {@link #TB} frames (323 KB, L2-sized)
 *       that every group of the chunk uses before the next block is read: one pass over the stimulus per
 *       {@code GROUPS · W} simulations.</li>
 *   <li>The spike-triggered sums Σ_t z_t S[t, ·] touch only the bins with spikes (about 2.5% at 1 Hz); each is an
 *       axpy over the 1,681 pixels, so there lanes = pixels. Float partial sums over 64 bins are flushed into
 *       float64 totals, which bounds the float error (noise off, every bin contributes).</li>
 * </ul>
 * The Poisson draws are {@link GaborPoisson}'s, from the same counter-based stream as the scalar reference; the only
 * difference is that η is summed in float (in another order) instead of float64, so rates differ in the last
 * float digits and a count differs from the reference's only when a uniform falls within that distance of a
 * Poisson cdf step.
 */
final class GaborSimd {

    static final VectorSpecies<Float> F = SimdConfig.FLOAT;
    static final int L = F.length();
    /** Simulations per group: two vectors. */
    static final int W = 2 * L;
    /** Groups that share one pass over the stimulus. */
    static final int GROUPS = 4;
    /** Frames per stimulus block. */
    static final int TB = 48;
    private static final int FLUSH = 64;

    private GaborSimd() {
    }

    /**
     * Rows [from, to) of theta (9 values per row), row i with simulation index firstIndex + i, features into out;
     * status[i] gets {@link GaborScalar#OK}, ZERO_SPIKES or DIVERGED.
     */
    static void simulate(float[] theta, int from, int to, float[] stim, long firstIndex, long seed, boolean noise,
                         float[] out, byte[] status) {
        final int np = GaborKernel.PIXELS, dim = Gabor.PARAMETERS, nf = Gabor.FEATURES;
        float[][] hs = new float[GROUPS][np * W];
        float[][] eta = new float[GROUPS][Gabor.BINS * W];
        float[][] bias = new float[GROUPS][W];
        boolean[][] ok = new boolean[GROUPS][W];
        double[] h = new double[np];
        float[] staF = new float[np];
        double[] staD = new double[np];
        for (int s0 = from; s0 < to; s0 += GROUPS * W) {
            int groups = Math.min(GROUPS, (to - s0 + W - 1) / W);
            for (int g = 0; g < groups; g++) {
                java.util.Arrays.fill(hs[g], 0f);
                java.util.Arrays.fill(bias[g], 0f);
                for (int l = 0; l < W; l++) {
                    int row = s0 + g * W + l;
                    ok[g][l] = false;
                    if (row >= to) continue;
                    if (!GaborKernel.filter(theta, row * dim, h)) continue;
                    ok[g][l] = true;
                    bias[g][l] = theta[row * dim];
                    // Subnormal floats flushed to zero: the envelope's tails underflow float for narrow filters,
                    // and on Intel cores every FMA with a subnormal input takes a microcode assist (the SIMD
                    // responses ran 2.5x slower on AVX-512 than on AVX2 per core). A term below 1.2e-38 cannot move
                    // a response built on a bias of order 1; the scalar reference works in double throughout.
                    for (int p = 0; p < np; p++) {
                        float hv = (float) h[p];
                        hs[g][p * W + l] = Math.abs(hv) < Float.MIN_NORMAL ? 0f : hv;
                    }
                }
            }
            for (int tb = 0; tb < Gabor.BINS; tb += TB) {
                for (int g = 0; g < groups; g++) responses(stim, hs[g], bias[g], tb, tb + TB, eta[g]);
            }
            for (int g = 0; g < groups; g++) {
                for (int l = 0; l < W; l++) {
                    int row = s0 + g * W + l;
                    if (row >= to) break;
                    int o = row * nf;
                    if (!ok[g][l]) {
                        status[row] = (byte) GaborScalar.fail(out, o, GaborScalar.DIVERGED);
                        continue;
                    }
                    status[row] = (byte) countAndAverage(eta[g], l, stim, seed, firstIndex + row, noise, staF, staD,
                            out, o);
                }
            }
        }
    }

    /**
     * η[t·W + lane] = bias[lane] + min(Σ_p S[t, p]·H[p·W + lane], {@link Gabor#FILTER_CAP}) for t in [t0, t1)
     * (t1 − t0 a multiple of 4).
     */
    static void responses(float[] stim, float[] hs, float[] bias, int t0, int t1, float[] eta) {
        final int np = GaborKernel.PIXELS;
        final FloatVector cap = FloatVector.broadcast(F, (float) Gabor.FILTER_CAP);
        FloatVector b0 = FloatVector.fromArray(F, bias, 0), b1 = FloatVector.fromArray(F, bias, L);
        for (int t = t0; t < t1; t += 4) {
            FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00,
                    a31 = a00;
            int r0 = t * np, r1 = r0 + np, r2 = r1 + np, r3 = r2 + np;
            for (int p = 0, hp = 0; p < np; p++, hp += W) {
                FloatVector h0 = FloatVector.fromArray(F, hs, hp), h1 = FloatVector.fromArray(F, hs, hp + L);
                FloatVector s = FloatVector.broadcast(F, stim[r0 + p]);
                a00 = h0.fma(s, a00);
                a01 = h1.fma(s, a01);
                s = FloatVector.broadcast(F, stim[r1 + p]);
                a10 = h0.fma(s, a10);
                a11 = h1.fma(s, a11);
                s = FloatVector.broadcast(F, stim[r2 + p]);
                a20 = h0.fma(s, a20);
                a21 = h1.fma(s, a21);
                s = FloatVector.broadcast(F, stim[r3 + p]);
                a30 = h0.fma(s, a30);
                a31 = h1.fma(s, a31);
            }
            int e = t * W;
            a00.min(cap).add(b0).intoArray(eta, e);
            a01.min(cap).add(b1).intoArray(eta, e + L);
            a10.min(cap).add(b0).intoArray(eta, e + W);
            a11.min(cap).add(b1).intoArray(eta, e + W + L);
            a20.min(cap).add(b0).intoArray(eta, e + 2 * W);
            a21.min(cap).add(b1).intoArray(eta, e + 2 * W + L);
            a30.min(cap).add(b0).intoArray(eta, e + 3 * W);
            a31.min(cap).add(b1).intoArray(eta, e + 3 * W + L);
        }
    }

    /** The counts of one lane and its features (as {@link GaborScalar}, with the STA axpys over pixel lanes). */
    static int countAndAverage(float[] eta, int lane, float[] stim, long seed, long idx, boolean noise, float[] staF,
                               double[] staD, float[] out, int outOff) {
        final int np = GaborKernel.PIXELS, upper = F.loopBound(np);
        java.util.Arrays.fill(staF, 0f);
        java.util.Arrays.fill(staD, 0);
        CounterRandom rng = new CounterRandom(seed, idx, 0);
        double n = 0;
        boolean dirty = false;
        for (int t = 0; t < Gabor.BINS; t++) {
            double lam = Math.exp((double) eta[t * W + lane]) * Gabor.DT;
            if (!(lam <= Gabor.MAX_RATE_PER_BIN)) return GaborScalar.fail(out, outOff, GaborScalar.DIVERGED);
            double z = noise ? GaborPoisson.sample(lam, rng) : lam;
            if (z > 0) {
                n += z;
                float zf = (float) z;
                FloatVector zv = FloatVector.broadcast(F, zf);
                int r = t * np, p = 0;
                for (; p < upper; p += L) {
                    FloatVector.fromArray(F, stim, r + p).fma(zv, FloatVector.fromArray(F, staF, p)).intoArray(staF, p);
                }
                for (; p < np; p++) staF[p] = Math.fma(stim[r + p], zf, staF[p]);
                dirty = true;
            }
            if (dirty && (t % FLUSH == FLUSH - 1 || t == Gabor.BINS - 1)) {
                for (int p = 0; p < np; p++) {
                    staD[p] += staF[p];
                    staF[p] = 0f;
                }
                dirty = false;
            }
        }
        return GaborScalar.finish(staD, n, out, outOff);
    }
}
