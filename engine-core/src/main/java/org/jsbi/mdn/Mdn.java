package org.jsbi.mdn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ReduceOp;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.nn.Activation;
import org.jsbi.nn.Linear;
import org.jsbi.nn.Mlp;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * A mixture density network q(θ | x) = Σ_k w_k(x) N(θ; μ_k(x), Σ_k(x)) with full covariances, as sbi's
 * {@code MultivariateGaussianMDN} (PEERS.md §1.2).
 *
 * <h2>Network</h2>
 * z-scored x (xDim) → {@code hiddenLayers} × (Linear + activation) of {@code hiddenFeatures} units → four Linear heads
 * from the last hidden layer: logits (K), means (K·D), the unconstrained diagonal of the precision factors (K·D) and
 * their strict upper triangles (K·D(D−1)/2, absent for D = 1). Everything is in z-space of θ (z = (θ − mean) / std).
 *
 * <h2>Precision</h2>
 * Component k has precision Σ_k⁻¹ = A_kᵀ A_k with A_k upper triangular: diag(A_k) = softplus(raw) + ε and the strict
 * upper triangle taken as is. PEERS.md says "Precision = AᵀA with A upper-triangular precision factor, plus
 * epsilon=1e-4 on the diagonal", and DESIGN.md "A upper-triangular (softplus diagonal) + 1e-4 I"; we read both as ε on
 * the diagonal of the factor A (which is also what sbi's MDN code does), so log det A = Σ log(softplus + ε) exactly and
 * no Cholesky is needed anywhere on the tape.
 *
 * <h2>Row layout of the heads (features are rows, the batch runs along the columns)</h2>
 * Rows are grouped so that every quantity for all K components is one contiguous K x n block:
 * means row {@code d·K + k} = μ_{k,d}; diagonal row {@code i·K + k} = raw A_{k,ii}; upper row {@code p·K + k} = A_{k,ij}
 * for the p-th pair (i, j), i &lt; j, in row-major order.
 *
 * <h2>log q on the tape</h2>
 * log N(z; μ_k, (A_kᵀA_k)⁻¹) = −D/2 log 2π + Σ_i log A_{k,ii} − ½ Σ_i y_{k,i}², y_{k,i} = Σ_{j≥i} A_{k,ij}(μ_{k,j} − z_j)
 * (the sign of z − μ does not matter under the square). With E = means − gather(z) (KD x n) and the factor entries
 * F (diagonal and upper, gathered into rows ordered (i, j ≥ i, k)), the products P = F ⊙ gather(E) hold every term
 * A_{k,ij} e_{k,j}; for each i, the K x n block y_i is a constant [I_K … I_K] times the (D−i)K rows of P with that i
 * (one slice and one small GEMM). Then one constant K x 2KD matrix [S | −½ S] sums log diag(A) and y² per component,
 * and log q = LSE_k(logits + that) − LSE_k(logits) − D/2 log 2π − Σ log std_θ. About 30 + 2D tape ops in all, each on
 * whole n-wide rows, and O(K²D² n) flops for the quadratic forms.
 * <p>That graph is kept for backends that do not fuse the mixture (CUDA). The CPU backends compute the same density in
 * one node ({@link Tape#gaussianMixture}): each column's components in registers, O(K D² n) flops and no
 * intermediates of K·D(D+1)/2 rows; it agrees with the graph to rounding (the sums run in another order).
 *
 * <h2>Initialisation</h2>
 * As sbi's {@code custom_initialization} (mixture weights ≈ uniform, covariances ≈ identity): the logits, diagonal and
 * upper-triangle heads get weights scaled down to 1e-3 of PyTorch's default range and zero biases, except the diagonal
 * bias, set to softplus⁻¹(1 − ε) so that diag(A) ≈ 1. The hidden layers and the means head keep the default init.
 */
public final class Mdn implements ConditionalDensityEstimator {

    private static final double LOG_2PI = Math.log(2 * Math.PI);
    /** Scale of the default init range kept by the logits, diagonal and upper-triangle heads. */
    static final double HEAD_INIT_SCALE = 1e-3;

    private final Backend backend;
    private final int thetaDim;
    private final int xDim;
    private final ZScore thetaScore;
    private final ZScore xScore;
    private final MdnConfig config;
    private final int k;

    private final Mlp trunk; // null when hiddenLayers == 0
    private final Linear logitsHead;
    private final Linear meansHead;
    private final Linear diagHead;
    private final Linear upperHead; // null when thetaDim == 1
    private final List<Parameter> parameters;

    // Constants of the log-density graph, built once.
    private final int[] zGather;       // KD rows: row d·K + k is z_d
    private final int[] factorGather;  // rows (i, j ≥ i, k) of concat(diagA, upper)
    private final int[] diffGather;    // rows (i, j ≥ i, k) of E: row j·K + k
    private final int[] blockStart;    // first row of block i in the (i, j ≥ i, k) order
    private final Tensor[] blockSum;   // K x (D − i)K: [I_K … I_K]
    private final Tensor componentSum; // K x 2KD: [S | −½ S]

    public Mdn(Backend be, int thetaDim, int xDim, ZScore thetaScore, ZScore xScore, MdnConfig cfg, Rng rng) {
        if (be == null || thetaScore == null || xScore == null || cfg == null || rng == null) {
            throw new IllegalArgumentException("Mdn: backend, z-scores, config and rng must not be null");
        }
        if (thetaDim < 1) throw new IllegalArgumentException("Mdn: thetaDim must be >= 1, got " + thetaDim);
        if (xDim < 1) throw new IllegalArgumentException("Mdn: xDim must be >= 1, got " + xDim);
        if (thetaScore.dim() != thetaDim) {
            throw new IllegalArgumentException("Mdn: θ z-score has dimension " + thetaScore.dim() + ", thetaDim is "
                    + thetaDim);
        }
        if (xScore.dim() != xDim) {
            throw new IllegalArgumentException("Mdn: x z-score has dimension " + xScore.dim() + ", xDim is " + xDim);
        }
        this.backend = be;
        this.thetaDim = thetaDim;
        this.xDim = xDim;
        this.thetaScore = thetaScore;
        this.xScore = xScore;
        this.config = cfg;
        this.k = cfg.components();
        int d = thetaDim, h = cfg.hiddenFeatures();

        int headIn;
        if (cfg.hiddenLayers() > 0) {
            int[] hidden = new int[cfg.hiddenLayers() - 1];
            java.util.Arrays.fill(hidden, h);
            // An Mlp ends with a Linear and no activation; the activation after it is applied in hidden().
            this.trunk = new Mlp(be, xDim, hidden, h, cfg.activation(), rng);
            headIn = h;
        } else {
            this.trunk = null;
            headIn = xDim;
        }
        this.logitsHead = new Linear(be, "mdn.logits", headIn, k, rng);
        this.meansHead = new Linear(be, "mdn.means", headIn, k * d, rng);
        this.diagHead = new Linear(be, "mdn.diag", headIn, k * d, rng);
        this.upperHead = d > 1 ? new Linear(be, "mdn.upper", headIn, k * d * (d - 1) / 2, rng) : null;
        customInit(cfg.epsilon());

        List<Parameter> ps = new ArrayList<>();
        if (trunk != null) ps.addAll(trunk.parameters());
        ps.addAll(logitsHead.parameters());
        ps.addAll(meansHead.parameters());
        ps.addAll(diagHead.parameters());
        if (upperHead != null) ps.addAll(upperHead.parameters());
        this.parameters = Collections.unmodifiableList(ps);

        // ---- constants of the log-density graph ----
        zGather = new int[k * d];
        for (int j = 0; j < d; j++) for (int c = 0; c < k; c++) zGather[j * k + c] = j;
        int rowsP = k * d * (d + 1) / 2;
        factorGather = new int[rowsP];
        diffGather = new int[rowsP];
        blockStart = new int[d];
        int r = 0;
        for (int i = 0; i < d; i++) {
            blockStart[i] = r;
            for (int j = i; j < d; j++) {
                int src = j == i ? i * k : k * d + Backend.upperTriangleIndex(i, j, d) * k;
                for (int c = 0; c < k; c++) {
                    factorGather[r] = src + c;
                    diffGather[r] = j * k + c;
                    r++;
                }
            }
        }
        blockSum = new Tensor[d];
        for (int i = 0; i < d; i++) {
            int w = (d - i) * k;
            float[] s = new float[k * w];
            for (int c = 0; c < k; c++) for (int b = 0; b < d - i; b++) s[c * w + b * k + c] = 1f;
            blockSum[i] = Tensor.of(be, k, w, s);
        }
        float[] cs = new float[k * 2 * k * d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                cs[c * 2 * k * d + i * k + c] = 1f;
                cs[c * 2 * k * d + k * d + i * k + c] = -0.5f;
            }
        }
        componentSum = Tensor.of(be, k, 2 * k * d, cs);
    }


    private void customInit(float eps) {
        scale(logitsHead.weight().value(), HEAD_INIT_SCALE);
        logitsHead.bias().value().zero();
        scale(diagHead.weight().value(), HEAD_INIT_SCALE);
        // softplus(b) + ε = 1  ⇔  b = log(exp(1 − ε) − 1).
        float b = (float) Math.log(Math.expm1(1.0 - eps));
        float[] bias = new float[diagHead.out()];
        java.util.Arrays.fill(bias, b);
        diagHead.bias().value().set(bias);
        if (upperHead != null) {
            scale(upperHead.weight().value(), HEAD_INIT_SCALE);
            upperHead.bias().value().zero();
        }
    }

    private static void scale(Tensor t, double s) {
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * s);
        t.set(v);
    }

    // ---- forward ------------------------------------------------------------------------------------------------

    /** The raw heads for z-scored x (xDim x n). */
    private record Heads(Var logits, Var means, Var diagA, Var upper) {
    }

    private Heads heads(Tape tape, Var xz) {
        Var hdn = xz;
        if (trunk != null) hdn = trunk.forward(tape, xz, config.activation());
        // The heads as one product of their stacked weights (60 x 50 rows for 2-D θ and 10 components): one GEMM
        // each way instead of four with edge rows, and one weight-gradient pass. Each head's rows are the same sums
        // as in its own product; only the input gradient adds the heads' terms in another order.
        Linear[] hs = upperHead == null ? new Linear[] {logitsHead, meansHead, diagHead}
                : new Linear[] {logitsHead, meansHead, diagHead, upperHead};
        Var[] ws = new Var[hs.length], bs = new Var[hs.length];
        for (int i = 0; i < hs.length; i++) {
            ws[i] = tape.param(hs[i].weight());
            bs[i] = tape.param(hs[i].bias());
        }
        if (hdn.rows() != logitsHead.in()) {
            throw new IllegalArgumentException("Mdn heads expect " + logitsHead.in() + " input rows, got "
                    + hdn.value().shape());
        }
        Var all = tape.dense(tape.concatRows(ws), null, hdn, tape.concatRows(bs), null, null);
        int kd = k * thetaDim;
        Var logits = tape.sliceRows(all, 0, k);
        Var means = tape.sliceRows(all, k, kd);
        Var diagA = tape.affine(tape.softplus(tape.sliceRows(all, k + kd, kd)), 1f, config.epsilon());
        Var upper = upperHead == null ? null : tape.sliceRows(all, k + 2 * kd, upperHead.out());
        return new Heads(logits, means, diagA, upper);
    }

    @Override
    public Var logProb(Tape tape, Var theta, Var x) {
        return logProb(tape, theta, x, tape.backend().fusesGaussianMixture());
    }

    /**
     * {@link #logProb} with the mixture's density built from the primitives even where the backend fuses it: what a
     * backend without the fused kernels (CUDA) runs, for benchmarks and tests that compare the two on one backend.
     */
    public Var logProbFromPrimitives(Tape tape, Var theta, Var x) {
        return logProb(tape, theta, x, false);
    }

    private Var logProb(Tape tape, Var theta, Var x, boolean fused) {
        if (theta.rows() != thetaDim) {
            throw new IllegalArgumentException("Mdn.logProb: θ must be " + thetaDim + " x n (thetaDim x batch), got "
                    + theta.value().shape());
        }
        if (x.rows() != xDim) {
            throw new IllegalArgumentException("Mdn.logProb: x must be " + xDim + " x n (xDim x batch), got "
                    + x.value().shape());
        }
        if (theta.cols() != x.cols()) {
            throw new IllegalArgumentException("Mdn.logProb: θ (" + theta.value().shape() + ") and x ("
                    + x.value().shape() + ") must have the same number of columns");
        }
        int d = thetaDim;
        Heads hd = heads(tape, xScore.apply(tape, x));
        Var z = thetaScore.apply(tape, theta);
        float constant = (float) (-0.5 * d * LOG_2PI - thetaScore.logScale());
        if (fused) {
            return tape.affine(tape.gaussianMixture(hd.logits(), hd.means(), hd.diagA(), hd.upper(), z), 1f, constant);
        }
        return tape.affine(logDensityFromPrimitives(tape, hd, z), 1f, constant);
    }

    /**
     * The mixture's log-density less the constant, from the primitives, for a backend without the fused kernels
     * (CUDA): the same value as {@link Tape#gaussianMixture} up to rounding, through intermediates of K·d(d+1)/2 rows.
     */
    private Var logDensityFromPrimitives(Tape tape, Heads hd, Var z) {
        int d = thetaDim;
        // E = μ − z, KD x n, row j·K + k.
        Var e = tape.sub(hd.means(), tape.gatherRows(z, zGather));
        // Factor entries and matching differences in the (i, j ≥ i, k) row order; P = A_ij ⊙ e_j.
        Var factors = hd.upper() == null ? hd.diagA() : tape.concatRows(hd.diagA(), hd.upper());
        Var p = tape.mul(tape.gatherRows(factors, factorGather), tape.gatherRows(e, diffGather));
        Var[] y = new Var[d];
        for (int i = 0; i < d; i++) {
            Var block = tape.sliceRows(p, blockStart[i], (d - i) * k);
            y[i] = d - i == 1 ? block : tape.matmul(tape.constant(blockSum[i]), block);
        }
        Var ys = d == 1 ? y[0] : tape.concatRows(y);
        // Per component: Σ_i log A_ii − ½ Σ_i y_i², K x n.
        Var terms = tape.concatRows(tape.log(hd.diagA()), tape.square(ys));
        Var logNormal = tape.matmul(tape.constant(componentSum), terms);
        Var joint = tape.reduceColumns(ReduceOp.LOGSUMEXP, tape.add(hd.logits(), logNormal));
        Var norm = tape.reduceColumns(ReduceOp.LOGSUMEXP, hd.logits());
        return tape.sub(joint, norm);
    }

    // ---- mixture parameters and sampling ------------------------------------------------------------------------

    /** The mixture for one x in z-space of θ: weights, means and upper-triangular precision factors A. */
    private record ZMixture(double[] weights, double[][] means, double[][][] factors) {
    }

    private ZMixture zMixture(float[] x, String caller) {
        checkObservation(x, caller);
        Tape tape = Tape.noGrad(backend);
        Heads hd = heads(tape, xScore.apply(tape, tape.constant(Tensor.of(backend, xDim, 1, x))));
        int d = thetaDim;
        float[] logits = hd.logits().value().toArray();
        float[] mu = hd.means().value().toArray();
        float[] diag = hd.diagA().value().toArray();
        float[] up = hd.upper() == null ? new float[0] : hd.upper().value().toArray();
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] w = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) sum += (w[c] = Math.exp(logits[c] - max));
        double[][] means = new double[k][d];
        double[][][] a = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            w[c] /= sum;
            for (int i = 0; i < d; i++) {
                means[c][i] = mu[i * k + c];
                a[c][i][i] = diag[i * k + c];
                for (int j = i + 1; j < d; j++) a[c][i][j] = up[Backend.upperTriangleIndex(i, j, d) * k + c];
            }
        }
        return new ZMixture(w, means, a);
    }

    /**
     * The mixture q(θ | x) for one observation, in θ's user units: weights softmax(logits), means μ·std + mean and
     * covariances S (AᵀA)⁻¹ S with S = diag(std) (the precision factor in user units is A S⁻¹).
     */
    public GaussianMixture mixture(float[] x) {
        ZMixture zm = zMixture(x, "mixture");
        int d = thetaDim;
        float[] m = thetaScore.mean(), s = thetaScore.std();
        double[][] means = new double[k][d];
        double[][][] cov = new double[k][][];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) means[c][i] = zm.means()[c][i] * s[i] + m[i];
            double[][] ai = invertUpper(zm.factors()[c]);
            double[][] sc = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    // (A⁻¹A⁻ᵀ)_ij = Σ_r A⁻¹_ir A⁻¹_jr, r ≥ max(i, j).
                    double acc = 0;
                    for (int r = j; r < d; r++) acc += ai[i][r] * ai[j][r];
                    sc[i][j] = sc[j][i] = acc * s[i] * s[j];
                }
            }
            cov[c] = sc;
        }
        return new GaussianMixture(zm.weights(), means, cov);
    }

    /** Inverse of an upper-triangular matrix with nonzero diagonal (upper triangular too). */
    private static double[][] invertUpper(double[][] a) {
        int d = a.length;
        double[][] inv = new double[d][d];
        for (int col = 0; col < d; col++) {
            for (int i = col; i >= 0; i--) {
                double s = i == col ? 1 : 0;
                for (int j = i + 1; j <= col; j++) s -= a[i][j] * inv[j][col];
                inv[i][col] = s / a[i][i];
            }
        }
        return inv;
    }

    /**
     * n draws from q(· | x): a component k from the weights, then z = μ_k + A_k⁻¹ ε with ε ~ N(0, I) (back-substitution
     * with the upper-triangular A_k, so Cov z = (A_kᵀA_k)⁻¹), then θ = z·std + mean. Returns thetaDim x n.
     */
    @Override
    public Tensor sample(int n, float[] x, Rng rng) {
        if (n < 0) throw new IllegalArgumentException("Mdn.sample: n must be >= 0, got " + n);
        if (rng == null) throw new IllegalArgumentException("Mdn.sample: rng must not be null");
        ConditionalDensityEstimator.requireOneArray(n, thetaDim);
        ZMixture zm = zMixture(x, "sample");
        int d = thetaDim;
        float[] m = thetaScore.mean(), s = thetaScore.std();
        double[] cdf = new double[k];
        double acc = 0;
        for (int c = 0; c < k; c++) cdf[c] = acc += zm.weights()[c];
        float[] out = new float[d * n];
        double[] eps = new double[d], u = new double[d];
        for (int col = 0; col < n; col++) {
            double r = rng.nextDouble() * acc;
            int c = 0;
            while (c < k - 1 && r >= cdf[c]) c++;
            double[][] a = zm.factors()[c];
            for (int i = 0; i < d; i++) eps[i] = rng.nextGaussian();
            for (int i = d - 1; i >= 0; i--) {
                double v = eps[i];
                for (int j = i + 1; j < d; j++) v -= a[i][j] * u[j];
                u[i] = v / a[i][i];
            }
            for (int i = 0; i < d; i++) out[i * n + col] = (float) ((zm.means()[c][i] + u[i]) * s[i] + m[i]);
        }
        return Tensor.of(backend, d, n, out);
    }

    private void checkObservation(float[] x, String caller) {
        if (x == null) throw new IllegalArgumentException("Mdn." + caller + ": x must not be null");
        if (x.length != xDim) {
            throw new IllegalArgumentException("Mdn." + caller + ": x must have length xDim = " + xDim + ", got "
                    + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("Mdn." + caller + ": x[" + i + "] is " + x[i]
                        + "; the observation must be finite");
            }
        }
    }

    // ---- accessors ----------------------------------------------------------------------------------------------

    /**
     * In order: the hidden layers' weight and bias (mlp.0 … mlp.{L−1}), then the heads' weight and bias: logits,
     * means, diagonal, upper triangle (absent for thetaDim = 1).
     */
    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public int thetaDim() {
        return thetaDim;
    }

    @Override
    public int xDim() {
        return xDim;
    }

    @Override
    public ZScore thetaScore() {
        return thetaScore;
    }

    @Override
    public ZScore xScore() {
        return xScore;
    }

    public MdnConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** Number of mixture components K. */
    public int components() {
        return k;
    }
}
