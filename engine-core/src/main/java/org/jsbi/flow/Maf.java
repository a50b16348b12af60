package org.jsbi.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.TapeArena;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ReduceOp;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * A conditional masked autoregressive flow (Papamakarios et al. 2017) as sbi builds it: z-scoring of θ, then per
 * transform an affine MADE map u = scale · z + shift with scale = softplus(s) + 1e-3, then a random permutation; the
 * base is a standard normal. log-density is one pass; sampling inverts each transform with D sequential passes,
 * batched over all samples.
 */
public final class Maf implements ConditionalDensityEstimator {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Backend backend;
    private final int thetaDim;
    private final int xDim;
    private final ZScore thetaScore;
    private final ZScore xScore;
    private final MafConfig config;
    private final List<Made> mades;
    private final int[][] permutations;
    private final int[][] inverses;
    private final List<Parameter> parameters;

    public Maf(Backend backend, int thetaDim, int xDim, ZScore thetaScore, ZScore xScore, MafConfig config, Rng rng) {
        this(backend, thetaDim, xDim, thetaScore, xScore, config, rng, null);
    }

    /** As above, with given permutations (one per transform) instead of random ones: for loading saved flows. */
    Maf(Backend backend, int thetaDim, int xDim, ZScore thetaScore, ZScore xScore, MafConfig config, Rng rng,
        int[][] givenPermutations) {
        if (thetaDim < 1) throw new IllegalArgumentException("θ needs at least one dimension, got " + thetaDim);
        if (xDim < 0) throw new IllegalArgumentException("x dimension must be >= 0, got " + xDim);
        if (thetaScore.dim() != thetaDim || xScore.dim() != xDim) {
            throw new IllegalArgumentException("z-scoring dimensions " + thetaScore.dim() + " / " + xScore.dim()
                    + " do not match θ " + thetaDim + " / x " + xDim);
        }
        this.backend = backend;
        this.thetaDim = thetaDim;
        this.xDim = xDim;
        this.thetaScore = thetaScore;
        this.xScore = xScore;
        this.config = config;
        List<Made> ms = new ArrayList<>();
        permutations = new int[config.transforms()][];
        inverses = new int[config.transforms()][];
        for (int t = 0; t < config.transforms(); t++) {
            ms.add(new Made(backend, "maf" + t, thetaDim, xDim, config.hiddenFeatures(), config.blocks(),
                    config.activation(), rng));
            permutations[t] = givenPermutations != null ? checkPermutation(givenPermutations[t], thetaDim)
                    : rng.permutation(thetaDim);
            inverses[t] = invert(permutations[t]);
        }
        this.mades = Collections.unmodifiableList(ms);
        List<Parameter> ps = new ArrayList<>();
        for (Made m : ms) ps.addAll(m.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    private static int[] checkPermutation(int[] p, int d) {
        boolean[] seen = new boolean[d];
        if (p.length != d) throw new IllegalArgumentException("a permutation of " + d + " needs " + d + " entries");
        for (int v : p) {
            if (v < 0 || v >= d || seen[v]) throw new IllegalArgumentException("not a permutation of 0.." + (d - 1));
            seen[v] = true;
        }
        return p.clone();
    }

    private static int[] invert(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) inv[p[i]] = i;
        return inv;
    }

    @Override
    public Var logProb(Tape tape, Var theta, Var x) {
        checkRows("θ", theta, thetaDim);
        checkRows("x", x, xDim);
        if (theta.cols() != x.cols()) {
            throw new IllegalArgumentException("θ has " + theta.cols() + " samples but x has " + x.cols());
        }
        Var[] ul = forwardZ(tape, thetaScore.apply(tape, theta), xScore.apply(tape, x));
        Var u = ul[0], logDet = ul[1];
        // log N(u; 0, I) + Σ log|det| - Σ log std(θ)
        Var base = tape.affine(tape.reduceColumns(ReduceOp.SUM, tape.square(u)), -0.5f,
                (float) (-0.5 * thetaDim * LOG_2PI - thetaScore.logScale()));
        return tape.add(base, logDet);
    }

    /**
     * Samples per part when sampling is split over the host's threads: each part inverts the flow for its own
     * columns on its own thread, its products then small enough for the kernels' one-thread paths (which skip the
     * masks' zero blocks), where one part's products of 10,000 columns took the paths cut over threads.
     */
    static final int SAMPLE_PART_MIN = 1024;

    @Override
    public Tensor sample(int n, float[] x, Rng rng) {
        if (n < 0) throw new IllegalArgumentException("number of samples must be >= 0, got " + n);
        if (rng == null) throw new IllegalArgumentException("Maf.sample: rng must not be null");
        ConditionalDensityEstimator.requireOneArray(n, thetaDim);
        checkObservation(x);
        float[] noise = new float[thetaDim * n];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) rng.nextGaussian();
        int[] parts = sampleParts(n);
        if (parts.length <= 2) return sampleColumns(noise, 0, n, n, x);
        // Each column's draw depends only on its noise (the kernels compute every column alike), so the samples are
        // the same on any number of threads.
        Tensor out = Tensor.zeros(backend, thetaDim, n);
        Parallel.forRange(parts.length - 1, 1, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int from = parts[c], w = parts[c + 1] - from;
                Tensor z = sampleColumns(noise, from, w, n, x);
                backend.copy2d(thetaDim, w, z.storage(), 0, w, out.storage(), from, n);
            }
        });
        return out;
    }

    /**
     * Column bounds of the parts of n draws: one per thread where each gets at least {@link #SAMPLE_PART_MIN}
     * columns and the backend splits work over the host's threads, else one. (Parts of at most 2,048 columns, to
     * keep a part's layers in a core's cache, were slower: 119 against 72 ms for 10,000 draws at 10-D on one thread,
     * the passes' fixed costs paid once per part.)
     */
    private int[] sampleParts(int n) {
        return backend.splitsWorkOverHostThreads() ? Parallel.chunkBounds(n, SAMPLE_PART_MIN, 16) : new int[] {0, n};
    }

    /** Draws from columns [from, from + w) of noise (thetaDim x ld), on this thread's own tape. */
    private Tensor sampleColumns(float[] noise, int from, int w, int ld, float[] x) {
        Tape tape = Tape.noGrad(backend);
        float[] part = new float[thetaDim * w];
        for (int d = 0; d < thetaDim; d++) System.arraycopy(noise, d * ld + from, part, d * w, w);
        float[] xs = new float[xDim * w];
        for (int d = 0; d < xDim; d++) java.util.Arrays.fill(xs, d * w, (d + 1) * w, x[d]);
        Var zx = xScore.apply(tape, tape.constant(Tensor.of(backend, xDim, w, xs)));
        Var u = tape.constant(Tensor.of(backend, thetaDim, w, part));
        TapeArena arena = new TapeArena(backend);
        for (int t = mades.size() - 1; t >= 0; t--) {
            u = tape.gatherRows(u, inverses[t]);
            u = invertAffine(tape, mades.get(t), u, zx, arena);
        }
        Tensor z = u.value();
        thetaScore.invertInPlace(z);
        return z;
    }

    /**
     * z from u = scale(z) · z + shift(z): D passes, pass i fixing coordinate i from coordinates 0..i-1. Each pass
     * evaluates only what coordinate i's scale and shift depend on ({@link Made#coordinate}: the hidden units of
     * degree ≤ i, a prefix of each layer), and the context's term once for all passes, where evaluating the whole
     * MADE each pass did about three times the products and D times the context layer. The values are those of
     * the whole MADE's rows i and D + i, so the samples are the same.
     */
    private Var invertAffine(Tape tape, Made made, Var u, Var zx, TapeArena arena) {
        int n = u.cols();
        Tensor z = Tensor.zeros(backend, thetaDim, n);
        Tensor ctx = made.contextTerm(tape, zx);
        // Each pass on its own tape over the caller's arena: a pass's tensors are dead once z_i is copied out, so the
        // next pass (and the next transform's) reuses their memory, where a fresh tensor per operation, zeroed by the
        // JVM, was a large part of the time.
        for (int i = 0; i < thetaDim; i++) {
            Tape pass = Tape.noGrad(backend, arena);
            Var[] st = made.coordinate(pass, i, z, ctx);
            Var scale = pass.affine(pass.softplus(st[0]), 1f, MafConfig.SCALE_FLOOR);
            Var zi = pass.div(pass.sub(pass.sliceRows(u, i, 1), st[1]), scale);
            backend.copy2d(1, n, zi.value().storage(), 0, n, z.storage(), i * n, n);
        }
        return tape.constant(z);
    }

    /** Forward map of the whole flow in z-space (θ z-scored → base noise) with its log|det|, for tests. */
    public Var[] forwardZ(Tape tape, Var zTheta, Var zx) {
        Var u = zTheta;
        Var logDet = null;
        for (int t = 0; t < mades.size(); t++) {
            Var params = mades.get(t).forward(tape, u, zx);
            Var[] out = affineTransform(tape, params, u, MafConfig.SCALE_FLOOR, permutations[t], logDet);
            u = out[0];
            logDet = out[1];
        }
        return new Var[] {u, logDet};
    }

    /**
     * One affine transform of the flow, {v permuted, logDet}: with s and t the first and last d rows of the MADE's
     * output params, scale = softplus(s) + floor, v = scale ⊙ u + t, its row r is v's row perm[r], and logDet =
     * logDetIn + Σ_i log(scale_i) per column (logDetIn null: the sum alone). One fused node pair
     * ({@link Tape#affineFlow}) where the tape's backend fuses it, else {@link #affineTransformFromPrimitives}; the
     * values and gradients are the same bit for bit.
     */
    public static Var[] affineTransform(Tape tape, Var params, Var u, float floor, int[] perm, Var logDetIn) {
        return tape.backend().fusesAffineFlow() ? tape.affineFlow(params, u, floor, perm, logDetIn)
                : affineTransformFromPrimitives(tape, params, u, floor, perm, logDetIn);
    }

    /** {@link #affineTransform} built from the tape's primitives, on any backend (the reference for the fused one). */
    public static Var[] affineTransformFromPrimitives(Tape tape, Var params, Var u, float floor, int[] perm,
                                                      Var logDetIn) {
        int d = u.rows();
        Var scale = tape.affine(tape.softplus(tape.sliceRows(params, 0, d)), 1f, floor);
        Var v = tape.add(tape.mul(scale, u), tape.sliceRows(params, d, d));
        Var ld = tape.reduceColumns(ReduceOp.SUM, tape.log(scale));
        Var logDet = logDetIn == null ? ld : tape.add(logDetIn, ld);
        return new Var[] {tape.gatherRows(v, perm), logDet};
    }

    /** Inverse of {@link #forwardZ} (base noise → z-scored θ), for tests. */
    public Tensor inverseZ(Tensor u, Tensor zx) {
        Tape tape = Tape.noGrad(backend);
        Var v = tape.constant(u);
        Var c = tape.constant(zx);
        TapeArena arena = new TapeArena(backend);
        for (int t = mades.size() - 1; t >= 0; t--) {
            v = tape.gatherRows(v, inverses[t]);
            v = invertAffine(tape, mades.get(t), v, c, arena);
        }
        return v.value();
    }

    private void checkObservation(float[] x) {
        if (x == null || x.length != xDim) {
            throw new IllegalArgumentException("the observation must have " + xDim + " values, got "
                    + (x == null ? "null" : x.length));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("the observation has a non-finite value at index " + i + ": " + x[i]);
            }
        }
    }

    private static void checkRows(String what, Var v, int rows) {
        if (v.rows() != rows) {
            throw new IllegalArgumentException(what + " must have " + rows + " rows (dimensions x samples), got "
                    + v.value().shape());
        }
    }

    public List<Made> mades() {
        return mades;
    }

    /** The permutation after transform t (output row i is input row perm[i]). */
    public int[] permutation(int t) {
        return permutations[t].clone();
    }

    public MafConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
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

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
