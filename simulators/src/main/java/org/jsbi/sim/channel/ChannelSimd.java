package org.jsbi.sim.channel;

import static org.jsbi.sim.channel.ChannelKernel.*;
import static org.jsbi.sim.math.Float32Math.*;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.jsbi.sim.math.Float32Lanes;
import org.jsbi.sim.math.Float32Math;
import org.jsbi.simd.SimdConfig;

/**
 * The Vector API version of {@link ChannelScalar}: one simulation per lane of {@link SimdConfig#FLOAT}, the time loop
 * inside, every float operation of the scalar reference repeated lane-wise in the same order (the {@link Float32Math}
 * functions and the Philox noise included; Philox's 32×32→64-bit products are formed in 64-bit lanes), so features are
 * bit-identical to the scalar ones. The command voltage and the basis are the same for every lane and are broadcast.
 */
final class ChannelSimd {

    static final VectorSpecies<Float> F = SimdConfig.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();


    // Rows of `par` (each L floats).
    private static final int P_NEGA = 0, P_B = 1, P_C = 2, P_E = 3, P_F = 4, P_G = 5, P_H = 6, P_KP = 7, NPAR = 8;
    // Rows of `st`: per-sweep state carried between chunks.
    private static final int S_M = 0, S_MI = 1, S_DEC = 2, S_MAX = 3, NST = 4;

    private ChannelSimd() {
    }

    /** Per-thread scratch. */
    static final class Work {
        final float[] par = new float[NPAR * L];
        final float[] st = new float[NST * L];
        final float[] acc = new float[PER_PROTOCOL * L];
        final float[] xi = new float[CHUNK * L];
        final float[] vb = new float[CHUNK * L], mib = new float[CHUNK * L], decb = new float[CHUNK * L];
        /** The exps' arguments and values: two rows of CHUNK·L (decay's two exps of a sample side by side). */
        final float[] arg = new float[2 * CHUNK * L], ex = new float[2 * CHUNK * L];
        final int[] words = new int[CHUNK * L];
        final int[] idxLo = new int[L], idxHi = new int[L];
        final float[] d = new float[L];
        final double[] sums = new double[PER_PROTOCOL * L];
        final float[] feat = new float[PER_PROTOCOL];
        final boolean[] ok = new boolean[L];
    }

    /**
     * Rows [from, to) of theta (8 per row); row i is simulation firstIndex + i and writes its 55 features to
     * out[i · 55 ..]. The kernel must have a basis. Returns the number of diverged simulations.
     */
    static int simulate(ChannelKernel k, float[] theta, int from, int to, long firstIndex, long seed, boolean noise,
                        float[] out) {
        Work w = new Work();
        int nf = k.protocols * PER_PROTOCOL;
        int diverged = 0;
        for (int g0 = from; g0 < to; g0 += L) {
            int lanes = Math.min(L, to - g0);
            for (int l = 0; l < L; l++) {
                int row = g0 + (l < lanes ? l : 0);          // padding lanes repeat the group's first row
                long idx = firstIndex + row;
                w.idxLo[l] = (int) idx;
                w.idxHi[l] = (int) (idx >>> 32);
                int o = row * 8;
                w.par[P_NEGA * L + l] = -theta[o];
                w.par[P_B * L + l] = theta[o + 1];
                w.par[P_C * L + l] = theta[o + 2];
                w.d[l] = theta[o + 3];
                w.par[P_E * L + l] = theta[o + 4];
                w.par[P_F * L + l] = theta[o + 5];
                w.par[P_G * L + l] = theta[o + 6];
                w.par[P_H * L + l] = theta[o + 7];
            }
            Arrays.fill(w.ok, true);
            for (int p = 0; p < k.protocols; p++) {
                for (int l = 0; l < L; l++) w.par[P_KP * L + l] = k.dtTadj[p] / w.d[l];
                protocol(k, w, p, seed, noise);
                for (int l = 0; l < lanes; l++) {
                    float max = w.st[S_MAX * L + l];
                    w.ok[l] &= finish(k.gramInverse[p], w.sums, l * PER_PROTOCOL, max, out,
                            (g0 + l) * nf + p * PER_PROTOCOL);
                }
            }
            for (int l = 0; l < lanes; l++) {
                if (!w.ok[l]) {
                    Arrays.fill(out, (g0 + l) * nf, (g0 + l + 1) * nf, Float.NaN);
                    diverged++;
                }
            }
        }
        return diverged;
    }

    /** One protocol for the group: max(raw) per lane in st[S_MAX], the double sums Aᵀ raw per lane in w.sums. */
    private static void protocol(ChannelKernel k, Work w, int p, long seed, boolean noise) {
        int n = k.samples[p];
        Arrays.fill(w.sums, 0);
        FloatVector.broadcast(F, Float.NEGATIVE_INFINITY).intoArray(w.st, S_MAX * L);
        for (int s = 0; s < k.sweeps[p]; s++) {
            int stream = stream(p, s);
            for (int t0 = 0; t0 < n; t0 += CHUNK) {
                int t1 = Math.min(t0 + CHUNK, n);
                if (noise) {
                    int blocks = (t1 - 1) / 4 - t0 / 4 + 1;
                    philox(seed, w.idxLo, w.idxHi, stream, t0 / 4, blocks, w.words);
                    Float32Lanes.radius(w.words, w.xi, 4 * blocks * L);
                    Float32Lanes.angle(w.words, w.xi, 4 * blocks * L);
                }
                chunk(w, k.voltage[p], k.basis[p], s * n, t0, t1, noise);
                float[] acc = w.acc;
                for (int l = 0; l < L; l++) {
                    for (int q = 0; q < PER_PROTOCOL; q++) w.sums[l * PER_PROTOCOL + q] += acc[q * L + l];
                }
            }
        }
    }

    /**
     * Samples t0..t1−1 of one sweep (flattened offset base); the float sums of the chunk into w.acc. Four passes over
     * the chunk, each a small method that C2 compiles with its exps inlined (one method holding the whole step does not
     * get its exps inlined, and vectors crossing a call that is not inlined are boxed): the noisy voltage, m∞(V), the
     * decay factor, then the recurrence with the accumulation. Same operations as the scalar step, in the same order
     * per sample.
     */
    private static void chunk(Work w, float[] volt, float[] basis, int base, int t0, int t1, boolean noise) {
        int n = t1 - t0;
        voltages(w, volt, base + t0, n, noise);
        steadyState(w, n);
        decay(w, n);
        recurrence(w, basis, base + t0, t0 == 0, n);
    }

    /** vb[t] = cmd + 0.5·ξ (cmd without noise). */
    private static void voltages(Work w, float[] volt, int i0, int n, boolean noise) {
        float[] vb = w.vb, xi = w.xi;
        for (int t = 0; t < n; t++) {
            FloatVector v = FloatVector.broadcast(F, volt[i0 + t]);
            if (noise) v = v.add(FloatVector.fromArray(F, xi, t * L).mul(NOISE_SD));
            v.intoArray(vb, t * L);
        }
    }

    /**
     * mib[t] = m∞(V_t) = 1 / (1 + exp(−a·V + b)). The exp runs in its own pass ({@link Float32Lanes#exp}, same
     * operations): an exp helper taking and returning vectors was compiled as a method of its own, its vectors boxed,
     * and that held the whole simulator to ~3× scalar (JFR: `exp(FloatVector)` and the Vector API's Java fallbacks
     * `broadcastBits`, `convert0` on top, boxed `Float256Vector`s allocated).
     */
    private static void steadyState(Work w, int n) {
        float[] vb = w.vb, mib = w.mib, arg = w.arg, ex = w.ex;
        FloatVector negA = FloatVector.fromArray(F, w.par, P_NEGA * L);
        FloatVector b = FloatVector.fromArray(F, w.par, P_B * L);
        for (int t = 0; t < n; t++) negA.mul(FloatVector.fromArray(F, vb, t * L)).add(b).intoArray(arg, t * L);
        Float32Lanes.exp(arg, 0, ex, 0, n * L);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int t = 0; t < n; t++) one.div(FloatVector.fromArray(F, ex, t * L).add(1f)).intoArray(mib, t * L);
    }

    /** decb[t] = exp(−kp·(e1 + e2)) at V_t, e1 = exp(−(e·y + f·y²)), e2 = exp(g·y + h·y²), y = V − c. */
    private static void decay(Work w, int n) {
        float[] vb = w.vb, decb = w.decb, par = w.par, arg = w.arg, ex = w.ex;
        FloatVector c = FloatVector.fromArray(F, par, P_C * L);
        FloatVector e = FloatVector.fromArray(F, par, P_E * L);
        FloatVector f = FloatVector.fromArray(F, par, P_F * L);
        FloatVector g = FloatVector.fromArray(F, par, P_G * L);
        FloatVector h = FloatVector.fromArray(F, par, P_H * L);
        int second = n * L;
        for (int t = 0; t < n; t++) {
            FloatVector y = FloatVector.fromArray(F, vb, t * L).sub(c);
            FloatVector y2 = y.mul(y);
            e.mul(y).add(f.mul(y2)).neg().intoArray(arg, t * L);
            g.mul(y).add(h.mul(y2)).intoArray(arg, second + t * L);
        }
        Float32Lanes.exp(arg, 0, ex, 0, 2 * n * L);
        FloatVector kp = FloatVector.fromArray(F, par, P_KP * L);
        for (int t = 0; t < n; t++) {
            FloatVector e1 = FloatVector.fromArray(F, ex, t * L), e2 = FloatVector.fromArray(F, ex, second + t * L);
            kp.mul(e1.add(e2)).neg().intoArray(arg, t * L);
        }
        Float32Lanes.exp(arg, 0, decb, 0, n * L);
    }

    /** m_t from m_{t−1}, raw, max and the 11 float sums. */
    private static void recurrence(Work w, float[] basis, int i0, boolean first, int n) {
        float[] st = w.st, vb = w.vb, mib = w.mib, decb = w.decb;
        FloatVector m = FloatVector.fromArray(F, st, S_M * L);
        FloatVector mi = FloatVector.fromArray(F, st, S_MI * L);
        FloatVector dec = FloatVector.fromArray(F, st, S_DEC * L);
        FloatVector max = FloatVector.fromArray(F, st, S_MAX * L);
        FloatVector zero = FloatVector.zero(F);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero, a8 = zero,
                a9 = zero, a10 = zero;
        for (int t = 0; t < n; t++) {
            FloatVector v = FloatVector.fromArray(F, vb, t * L);
            if (first && t == 0) {
                m = FloatVector.fromArray(F, mib, 0);
            } else {
                m = mi.add(m.sub(mi).mul(dec));
            }
            FloatVector raw = m.mul(v.sub(E_K));
            max = max.max(raw);
            int bi = (i0 + t) * COMPONENTS;
            a0 = a0.add(raw.mul(basis[bi]));
            a1 = a1.add(raw.mul(basis[bi + 1]));
            a2 = a2.add(raw.mul(basis[bi + 2]));
            a3 = a3.add(raw.mul(basis[bi + 3]));
            a4 = a4.add(raw.mul(basis[bi + 4]));
            a5 = a5.add(raw.mul(basis[bi + 5]));
            a6 = a6.add(raw.mul(basis[bi + 6]));
            a7 = a7.add(raw.mul(basis[bi + 7]));
            a8 = a8.add(raw.mul(basis[bi + 8]));
            a9 = a9.add(raw.mul(basis[bi + 9]));
            a10 = a10.add(raw);
            mi = FloatVector.fromArray(F, mib, t * L);
            dec = FloatVector.fromArray(F, decb, t * L);
        }
        m.intoArray(st, S_M * L);
        mi.intoArray(st, S_MI * L);
        dec.intoArray(st, S_DEC * L);
        max.intoArray(st, S_MAX * L);
        float[] acc = w.acc;
        a0.intoArray(acc, 0);
        a1.intoArray(acc, L);
        a2.intoArray(acc, 2 * L);
        a3.intoArray(acc, 3 * L);
        a4.intoArray(acc, 4 * L);
        a5.intoArray(acc, 5 * L);
        a6.intoArray(acc, 6 * L);
        a7.intoArray(acc, 7 * L);
        a8.intoArray(acc, 8 * L);
        a9.intoArray(acc, 9 * L);
        a10.intoArray(acc, 10 * L);
    }

    /** Philox blocks b0 .. b0 + blocks − 1 of every lane: word q of block b at words[(4(b − b0) + q)·L + lane]. */
    static void philox(long seed, int[] idxLo, int[] idxHi, int stream, int b0, int blocks, int[] words) {
        Float32Lanes.philoxBlocks(seed, idxLo, idxHi, 0, stream, b0, blocks, words, 0);
    }
}
