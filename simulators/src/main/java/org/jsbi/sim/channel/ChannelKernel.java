package org.jsbi.sim.channel;

/**
 * What the kernels need of the protocols and the PCA basis, prepared once per simulator: the command voltages, each
 * protocol's {@code dt·tadj} in float, the basis interleaved for the time loop (sample i's 10 components at
 * {@code basis[p][10·i .. 10·i + 9]}) and the inverse Gram matrix (AᵀA)⁻¹ of A = [basis, 1] in double.
 *
 * <h2>The model and its integration (both kernels, float32)</h2>
 * θ = (θ1..θ8) = (a, b, c, d, e, f, g, h). For protocol p, sweep s, samples t = 0 .. T−1:
 * <pre>
 * V_t   = cmd[s][t] + 0.5·ξ_t                          (ξ_t: the normal of (p, s, t), {@link #stream}; 0 with noise off)
 * m∞(V) = 1 / (1 + exp(−a·V + b))                      written 1f / (1f + exp((−a)*V + b))
 * y = V − c;  e1 = exp(−(e·y + f·y²));  e2 = exp(g·y + h·y²)        (τ(V) = d / (e1 + e2))
 * decay(V) = exp(−(kp·(e1 + e2))),  kp = (float)(dt_p·tadj) / d     (= exp(−dt·tadj/τ(V)))
 * m_0 = m∞(V_0);   m_t = m∞(V_{t−1}) + (m_{t−1} − m∞(V_{t−1}))·decay(V_{t−1})      (the code's expeuler2)
 * raw_t = m_t·(V_t − E_K),  E_K = −86.7 mV
 * </pre>
 * The code's current is {@code tadj·ḡ·m^1·(V − E_K)} with ḡ = 1, divided by its maximum over the whole protocol (all
 * sweeps); tadj·ḡ cancels in that division, so the kernels use raw and the normalised trace is I = raw / max(raw).
 * tadj = 2.3^((37 − 23)/10) still scales the rates through kp.
 *
 * <h2>Features (55 = 5 protocols × 11)</h2>
 * Per protocol, the code's {@code lstsq([pcs, 1], I.reshape(-1))}: with A = [u_1 .. u_10, 1] (L × 11, L = sweeps·T,
 * flattened sweep-major), coef = (AᵀA)⁻¹ Aᵀ I = (AᵀA)⁻¹ (Aᵀ raw) / max(raw). Aᵀ raw is accumulated online: in float over
 * chunks of {@link #CHUNK} samples ({@code acc_k += u_k[i]·raw_i}, {@code acc_10 += raw_i}), each chunk's sums added to
 * double sums; then coef_j = (float)((Σ_k G⁻¹_jk · sums_k) / max) in double. Features 0..9 of a protocol are the 10 basis
 * coefficients, feature 10 the offset. A simulation whose max is not positive and finite, or whose features are not
 * finite, gets NaN features (diverged).
 */
final class ChannelKernel {

    static final float E_K = -86.7f;
    static final double TADJ = Math.pow(2.3, (37.0 - 23.0) / 10.0);
    static final float NOISE_SD = 0.5f;
    static final int COMPONENTS = 10;
    static final int PER_PROTOCOL = COMPONENTS + 1;
    /** Samples per float accumulation chunk (and per noise refill); a multiple of 4. */
    static final int CHUNK = 256;

    final int protocols;
    final float[][] voltage;
    final int[] sweeps;
    final int[] samples;
    final float[] dtTadj;
    /** Interleaved basis per protocol, or null (traces only). */
    final float[][] basis;
    /** (AᵀA)⁻¹, 11 × 11 row-major, per protocol, or null. */
    final double[][] gramInverse;

    ChannelKernel(ChannelProtocols prot, PcaBasis pca) {
        protocols = prot.size();
        voltage = new float[protocols][];
        sweeps = new int[protocols];
        samples = new int[protocols];
        dtTadj = new float[protocols];
        for (int p = 0; p < protocols; p++) {
            ChannelProtocol cp = prot.get(p);
            voltage[p] = cp.voltageArray();
            sweeps[p] = cp.sweeps();
            samples[p] = cp.samples();
            dtTadj[p] = (float) (cp.dt() * TADJ);
        }
        if (pca == null) {
            basis = null;
            gramInverse = null;
        } else {
            pca.checkMatches(prot);
            basis = new float[protocols][];
            gramInverse = new double[protocols][];
            for (int p = 0; p < protocols; p++) {
                basis[p] = pca.interleaved(p);
                gramInverse[p] = pca.gramInverse(p);
            }
        }
    }

    /** The Philox stream (counter word c2) of protocol p, sweep s: one per (protocol, sweep). */
    static int stream(int p, int s) {
        return ((p + 1) << 16) | s;
    }

    /** The 11 features of a protocol from the double sums and the max into out[off ..]; false when not finite. */
    static boolean finish(double[] gInv, double[] sums, int so, float max, float[] out, int off) {
        boolean ok = max > 0f && Float.isFinite(max);
        for (int j = 0; j < PER_PROTOCOL; j++) {
            double y = 0;
            for (int k = 0; k < PER_PROTOCOL; k++) y += gInv[j * PER_PROTOCOL + k] * sums[so + k];
            float f = (float) (y / max);
            out[off + j] = f;
            ok &= Float.isFinite(f);
        }
        return ok;
    }
}
