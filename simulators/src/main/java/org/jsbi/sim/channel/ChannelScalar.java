package org.jsbi.sim.channel;

import static org.jsbi.sim.channel.ChannelKernel.*;

import java.util.Arrays;
import org.jsbi.sim.math.Float32Math;

/**
 * The scalar reference of the Omnimodel simulator: one simulation at a time, the equations and feature formulas of
 * {@link ChannelKernel} in float32 with double feature sums. {@link ChannelSimd} repeats it lane-wise operation for
 * operation.
 *
 * <p>Noise: sample t of sweep s of protocol p uses normal t of the stream (p, s): Philox block t/4, slot t mod 4
 * ({@link Float32Math#philoxNormals}), counter (simulation index, {@link ChannelKernel#stream}(p, s), block), key seed.
 */
final class ChannelScalar {

    private ChannelScalar() {
    }

    /** Per-thread scratch. */
    static final class Work {
        final float[] xi = new float[CHUNK];
        final int[] words = new int[4];
        final float[] acc = new float[PER_PROTOCOL];
        final double[] sums = new double[PER_PROTOCOL];
        final float[] feat = new float[PER_PROTOCOL];
    }

    /**
     * Simulates θ = theta[off .. off + 7] as simulation {@code index}: the 55 features into out[outOff ..] when the
     * kernel has a basis and out is not null; protocol p's normalised trace (sweep-major) into traces[p] when traces
     * is not null (traces[p] may be null to skip a protocol when there are no features). Returns false when the
     * simulation diverged (its features are NaN).
     */
    static boolean simulate(ChannelKernel k, Work w, float[] theta, int off, long seed, long index, boolean noise,
                            float[] out, int outOff, float[][] traces) {
        boolean ok = true;
        boolean features = out != null && k.basis != null;
        for (int p = 0; p < k.protocols; p++) {
            float[] trace = traces == null ? null : traces[p];
            if (!features && trace == null) continue;
            float max = protocol(k, w, p, theta, off, seed, index, noise, features, trace);
            if (trace != null) {
                for (int i = 0; i < trace.length; i++) trace[i] = trace[i] / max;
                ok &= max > 0f && Float.isFinite(max);
            }
            if (features) ok &= finish(k.gramInverse[p], w.sums, 0, max, out, outOff + p * PER_PROTOCOL);
        }
        if (!ok && features) Arrays.fill(out, outOff, outOff + k.protocols * PER_PROTOCOL, Float.NaN);
        return ok;
    }

    /** One protocol: returns max(raw); the double sums Aᵀ raw are left in w.sums, raw in trace when not null. */
    static float protocol(ChannelKernel k, Work w, int p, float[] th, int o, long seed, long index, boolean noise,
                          boolean features, float[] trace) {
        float negA = -th[o], b = th[o + 1], c = th[o + 2], d = th[o + 3], e = th[o + 4], f = th[o + 5], g = th[o + 6],
                h = th[o + 7];
        float kp = k.dtTadj[p] / d;
        float[] volt = k.voltage[p];
        float[] basis = features ? k.basis[p] : null;
        int n = k.samples[p];
        float[] xi = w.xi, acc = w.acc;
        double[] sums = w.sums;
        Arrays.fill(sums, 0);
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < k.sweeps[p]; s++) {
            int stream = stream(p, s);
            float m = 0f, mi = 0f, dec = 0f;
            for (int t0 = 0; t0 < n; t0 += CHUNK) {
                int t1 = Math.min(t0 + CHUNK, n);
                if (noise) {
                    for (int bl = t0 / 4; bl <= (t1 - 1) / 4; bl++) {
                        Float32Math.philoxNormals(seed, index, stream, bl, w.words, xi, 4 * bl - t0);
                    }
                }
                Arrays.fill(acc, 0f);
                for (int t = t0; t < t1; t++) {
                    int i = s * n + t;
                    float v = volt[i];
                    if (noise) v = v + NOISE_SD * xi[t - t0];
                    if (t == 0) {
                        m = 1f / (1f + Float32Math.exp(negA * v + b));
                    } else {
                        m = mi + (m - mi) * dec;
                    }
                    float raw = m * (v - E_K);
                    max = Math.max(max, raw);
                    if (basis != null) {
                        int bi = i * COMPONENTS;
                        for (int q = 0; q < COMPONENTS; q++) acc[q] = acc[q] + basis[bi + q] * raw;
                        acc[COMPONENTS] = acc[COMPONENTS] + raw;
                    }
                    if (trace != null) trace[i] = raw;
                    mi = 1f / (1f + Float32Math.exp(negA * v + b));
                    float y = v - c;
                    float y2 = y * y;
                    float e1 = Float32Math.exp(-(e * y + f * y2));
                    float e2 = Float32Math.exp(g * y + h * y2);
                    dec = Float32Math.exp(-(kp * (e1 + e2)));
                }
                for (int q = 0; q < PER_PROTOCOL; q++) sums[q] += acc[q];
            }
        }
        return max;
    }
}
