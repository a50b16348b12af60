package org.jsbi.sim.channel;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.jsbi.backend.Parallel;
import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFormatException;
import org.jsbi.io.NamedArray;
import org.jsbi.random.Rng;
import org.jsbi.sim.Fingerprint;

/**
 * The per-protocol PCA time basis of the Omnimodel's summary features: for each protocol, 10 orthonormal vectors of
 * length sweeps × samples (flattened sweep-major), float32.
 *
 * <p>The paper built its basis from NEURON simulations of the ICG channels (02_summary_statistics.ipynb; the basis file
 * is not in the repository snapshot). jsbi computes its own the same way from simulations of prior draws
 * ({@link #compute}): for protocol p, X = [x_1 .. x_N] (L × N) holds the normalised noise-free traces of N prior draws;
 * each column is standardised (mean 0, population SD 1 over its L samples; SD 0 → 1, as scikit-learn's StandardScaler);
 * the basis is X's top 10 left singular vectors, i.e. scikit-learn's PCA(10) scores of the (time × channels) matrix,
 * each normalised to unit norm, as the paper's text describes. (Its notebook differs in one respect: it flattened each
 * training trace time-major, t·S + s, while its feature code projects sweep-major traces, so for the three
 * multi-sweep protocols its features were least-squares coefficients on vectors that do not line up with the traces;
 * jsbi builds and projects in one order, sweep-major, which gives true PCA coefficients. ap and ramp have one sweep
 * and are unaffected.) Computed through the N × N Gram matrix G = XᵀX (double,
 * summed tile by tile in a fixed order, so the result does not depend on the thread count) and EJML's SVD of G
 * (G = V Λ Vᵀ): u_k = X v_k, then modified Gram–Schmidt in double (removing rounding), a sign convention (the entry of
 * largest magnitude is positive) and rounding to float. The vectors are orthogonal to the constant vector up to
 * rounding (every standardised column has mean 0), so the offset of the least-squares features is the mean.
 *
 * <p>Stored with the model ({@link ChannelOmnimodel#save}) as one 10 × L array per protocol; loading gives back the same
 * floats bit for bit.
 */
public final class PcaBasis {

    public static final int COMPONENTS = ChannelKernel.COMPONENTS;
    private static final int TILE = 2048;

    private final float[][] components;   // per protocol: 10 × L, component k at [k·L ..]
    private final int[] sweeps;
    private final int[] samples;
    private final int simulations;
    private final long seed;
    private volatile float[][] interleaved;
    private volatile double[][] gramInverse;

    /** A checksum of the components (and their layout), which identifies the basis a simulator projects on. */
    public String fingerprint() {
        float[][] all = new float[components.length + 2][];
        System.arraycopy(components, 0, all, 0, components.length);
        all[components.length] = toFloats(sweeps);
        all[components.length + 1] = toFloats(samples);
        return Fingerprint.of(all);
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        return f;
    }

    PcaBasis(float[][] components, int[] sweeps, int[] samples, int simulations, long seed) {
        this.components = components;
        this.sweeps = sweeps;
        this.samples = samples;
        this.simulations = simulations;
        this.seed = seed;
        for (int p = 0; p < components.length; p++) {
            if (components[p].length != (long) COMPONENTS * sweeps[p] * samples[p]) {
                throw new IllegalArgumentException("basis of protocol " + p + " has " + components[p].length
                        + " values, expected " + COMPONENTS + " x " + sweeps[p] + " x " + samples[p]);
            }
        }
    }

    /**
     * The basis from {@code n} noise-free simulations of prior draws (the prior's Rng seeded with {@code seed}); n ≥ 11.
     * Memory: n float traces of the longest protocol at a time (n × 839,940 × 4 bytes for inact).
     */
    public static PcaBasis compute(ChannelProtocols prot, int n, long seed) {
        if (n <= COMPONENTS) {
            throw new IllegalArgumentException("the PCA basis needs more than " + COMPONENTS + " simulations, got " + n);
        }
        float[][] rows = ChannelOmnimodel.prior().sample(n, new Rng(seed));
        float[] theta = new float[n * 8];
        for (int j = 0; j < n; j++) System.arraycopy(rows[j], 0, theta, j * 8, 8);
        ChannelKernel kernel = new ChannelKernel(prot, null);
        int np = prot.size();
        float[][] comps = new float[np][];
        int[] sw = new int[np], sa = new int[np];
        for (int p = 0; p < np; p++) {
            ChannelProtocol cp = prot.get(p);
            sw[p] = cp.sweeps();
            sa[p] = cp.samples();
            comps[p] = protocolBasis(kernel, p, cp.length(), theta, n);
        }
        return new PcaBasis(comps, sw, sa, n, seed);
    }

    private static float[] protocolBasis(ChannelKernel kernel, int p, int len, float[] theta, int n) {
        float[][] x = new float[n][];
        boolean[] ok = new boolean[n];
        Parallel.forRange(n, 1, 1, (from, to) -> {
            ChannelScalar.Work w = new ChannelScalar.Work();
            for (int j = from; j < to; j++) {
                float[][] tr = new float[kernel.protocols][];
                tr[p] = new float[len];
                ok[j] = ChannelScalar.simulate(kernel, w, theta, j * 8, 0, j, false, null, 0, tr);
                x[j] = tr[p];
            }
        });
        int kept = 0;
        for (int j = 0; j < n; j++) if (ok[j]) x[kept++] = x[j];
        if (kept <= COMPONENTS) {
            throw new IllegalStateException("only " + kept + " of " + n + " basis simulations gave a finite trace");
        }
        final int m = kept;
        // Standardise each trace in place (double statistics, float storage).
        Parallel.forRange(m, 1, 1, (from, to) -> {
            for (int j = from; j < to; j++) {
                float[] v = x[j];
                double s = 0;
                for (float f : v) s += f;
                double mean = s / len, q = 0;
                for (float f : v) q += (f - mean) * (f - mean);
                double sd = Math.sqrt(q / len);
                if (!(sd > 0)) sd = 1;
                for (int i = 0; i < len; i++) v[i] = (float) ((v[i] - mean) / sd);
            }
        });
        // Gram matrix, upper triangle by pairs, tile by tile (each entry summed in the same order whatever the threads).
        int pairs = m * (m + 1) / 2;
        int[] pi = new int[pairs], pj = new int[pairs];
        for (int i = 0, c = 0; i < m; i++) for (int j = i; j < m; j++, c++) {
            pi[c] = i;
            pj[c] = j;
        }
        double[] g = new double[pairs];
        for (int t0 = 0; t0 < len; t0 += TILE) {
            final int a = t0, b = Math.min(t0 + TILE, len);
            Parallel.forRange(pairs, 16, 1, (from, to) -> {
                for (int c = from; c < to; c++) g[c] += dot(x[pi[c]], x[pj[c]], a, b);
            });
        }
        DMatrixRMaj gm = new DMatrixRMaj(m, m);
        for (int c = 0; c < pairs; c++) {
            gm.set(pi[c], pj[c], g[c]);
            gm.set(pj[c], pi[c], g[c]);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, m, true, false, true);
        if (!svd.decompose(gm)) throw new IllegalStateException("the SVD of the basis Gram matrix did not converge");
        DMatrixRMaj u = svd.getU(null, false);
        double[] w = svd.getSingularValues().clone();
        SingularOps_DDRM.descendingOrder(u, false, w, svd.numberOfSingularValues(), null, false);
        // u_k = X v_k (double), then modified Gram–Schmidt.
        double[][] vec = new double[COMPONENTS][len];
        double[] coef = new double[COMPONENTS * m];
        for (int k = 0; k < COMPONENTS; k++) for (int j = 0; j < m; j++) coef[k * m + j] = u.get(j, k);
        Parallel.forRange(len, 4096, 1, (from, to) -> {
            for (int j = 0; j < m; j++) {
                float[] xj = x[j];
                for (int k = 0; k < COMPONENTS; k++) {
                    double c = coef[k * m + j];
                    double[] vk = vec[k];
                    for (int i = from; i < to; i++) vk[i] += c * xj[i];
                }
            }
        });
        for (int k = 0; k < COMPONENTS; k++) {
            double[] vk = vec[k];
            for (int q = 0; q < k; q++) {
                double[] vq = vec[q];
                double d = 0;
                for (int i = 0; i < len; i++) d += vk[i] * vq[i];
                for (int i = 0; i < len; i++) vk[i] -= d * vq[i];
            }
            double nn = 0;
            int arg = 0;
            for (int i = 0; i < len; i++) {
                nn += vk[i] * vk[i];
                if (Math.abs(vk[i]) > Math.abs(vk[arg])) arg = i;
            }
            double scale = (vk[arg] < 0 ? -1 : 1) / Math.sqrt(nn);
            for (int i = 0; i < len; i++) vk[i] *= scale;
        }
        float[] out = new float[COMPONENTS * len];
        for (int k = 0; k < COMPONENTS; k++) for (int i = 0; i < len; i++) out[k * len + i] = (float) vec[k][i];
        return out;
    }

    private static double dot(float[] a, float[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += (double) a[i] * b[i];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) s0 += (double) a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** Protocols covered. */
    public int protocols() {
        return components.length;
    }

    /** Prior simulations the basis was computed from (0 when unknown). */
    public int simulations() {
        return simulations;
    }

    /** The prior seed of those simulations. */
    public long seed() {
        return seed;
    }

    /** Length of protocol p's vectors (sweeps × samples). */
    public int length(int p) {
        return sweeps[p] * samples[p];
    }

    /** A copy of component k (0..9) of protocol p. */
    public float[] component(int p, int k) {
        int len = length(p);
        return Arrays.copyOfRange(components[p], k * len, (k + 1) * len);
    }

    /** Largest |u_iᵀu_j − δ_ij| over every protocol, in double. */
    public double orthonormalityError() {
        double worst = 0;
        for (int p = 0; p < components.length; p++) {
            int len = length(p);
            float[] c = components[p];
            for (int i = 0; i < COMPONENTS; i++) {
                for (int j = i; j < COMPONENTS; j++) {
                    double d = 0;
                    for (int t = 0; t < len; t++) d += (double) c[i * len + t] * c[j * len + t];
                    worst = Math.max(worst, Math.abs(d - (i == j ? 1 : 0)));
                }
            }
        }
        return worst;
    }

    void checkMatches(ChannelProtocols prot) {
        if (prot.size() != components.length) {
            throw new IllegalArgumentException("the PCA basis has " + components.length + " protocols, the model "
                    + prot.size());
        }
        for (int p = 0; p < components.length; p++) {
            ChannelProtocol cp = prot.get(p);
            if (cp.sweeps() != sweeps[p] || cp.samples() != samples[p]) {
                throw new IllegalArgumentException("the PCA basis of protocol " + cp.name() + " is for " + sweeps[p]
                        + " sweeps x " + samples[p] + " samples, the protocol file has " + cp.sweeps() + " x "
                        + cp.samples());
            }
        }
    }

    /** Protocol p's basis interleaved: sample i's components at [10·i .. 10·i + 9]. */
    float[] interleaved(int p) {
        float[][] il = interleaved;
        if (il == null) {
            il = new float[components.length][];
            for (int q = 0; q < components.length; q++) {
                int len = length(q);
                float[] src = components[q], dst = new float[src.length];
                for (int k = 0; k < COMPONENTS; k++) for (int i = 0; i < len; i++) dst[i * COMPONENTS + k] = src[k * len + i];
                il[q] = dst;
            }
            interleaved = il;
        }
        return il[p];
    }

    /** (AᵀA)⁻¹ for A = [u_1..u_10, 1] of protocol p (float basis taken exactly in double), 11 × 11 row-major. */
    double[] gramInverse(int p) {
        double[][] gi = gramInverse;
        if (gi == null) {
            gi = new double[components.length][];
            for (int q = 0; q < components.length; q++) gi[q] = computeGramInverse(q);
            gramInverse = gi;
        }
        return gi[p];
    }

    private double[] computeGramInverse(int p) {
        int len = length(p), k1 = COMPONENTS + 1;
        float[] c = components[p];
        DMatrixRMaj a = new DMatrixRMaj(k1, k1);
        for (int i = 0; i < k1; i++) {
            for (int j = i; j < k1; j++) {
                double d = 0;
                for (int t = 0; t < len; t++) {
                    double x = i < COMPONENTS ? c[i * len + t] : 1.0;
                    double y = j < COMPONENTS ? c[j * len + t] : 1.0;
                    d += x * y;
                }
                a.set(i, j, d);
                a.set(j, i, d);
            }
        }
        DMatrixRMaj inv = new DMatrixRMaj(k1, k1);
        if (!CommonOps_DDRM.invert(a, inv)) throw new IllegalStateException("the basis of protocol " + p + " is singular");
        return inv.data.clone();
    }

    /** Adds this basis to a model-file builder: metadata and one 10 × L array {@code basis.<protocol>} per protocol. */
    void write(ModelFile.Builder b, List<String> names) {
        b.meta("basis.components", COMPONENTS).meta("basis.simulations", simulations).meta("basis.seed", seed);
        for (int p = 0; p < components.length; p++) {
            b.meta("protocol." + names.get(p) + ".sweeps", sweeps[p]).meta("protocol." + names.get(p) + ".samples",
                    samples[p]);
            b.array("basis." + names.get(p), COMPONENTS, length(p), components[p]);
        }
    }

    /** The basis of a model file written by {@link #write}, checked against the protocols. */
    static PcaBasis read(ModelFile f, ChannelProtocols prot) {
        if (f.metaInt("basis.components") != COMPONENTS) {
            throw new ModelFormatException("the channel model file has a basis of " + f.metaInt("basis.components")
                    + " components; this version uses " + COMPONENTS);
        }
        int np = prot.size();
        float[][] comps = new float[np][];
        int[] sw = new int[np], sa = new int[np];
        for (int p = 0; p < np; p++) {
            String name = prot.get(p).name();
            sw[p] = f.metaInt("protocol." + name + ".sweeps");
            sa[p] = f.metaInt("protocol." + name + ".samples");
            NamedArray arr = f.array("basis." + name);
            if (arr.rows() != COMPONENTS || arr.cols() != sw[p] * sa[p]) {
                throw new ModelFormatException("array basis." + name + " is " + arr.rows() + " x " + arr.cols()
                        + ", expected " + COMPONENTS + " x " + sw[p] * sa[p]);
            }
            comps[p] = arr.data();
        }
        PcaBasis basis = new PcaBasis(comps, sw, sa, f.metaInt("basis.simulations"), f.metaLong("basis.seed"));
        try {
            basis.checkMatches(prot);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("the channel model file does not match the protocol files: " + e.getMessage());
        }
        return basis;
    }
}
