package org.jsbi.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.Tensor;

/**
 * Records operations for reverse-mode differentiation. Nodes are kept in creation order, which is a topological
 * order, so {@link #backward} is one loop over the list in reverse: no recursion, no stack depth limit.
 * A tape made by {@link #noGrad} computes values without recording (sampling, evaluation).
 *
 * <p>A tape belongs to one thread and one backend; make a new one for each training step.
 */
public final class Tape {

    private final Backend backend;
    private final boolean recording;
    private final List<Var> nodes;
    /** Where parameters' gradients go instead of {@link Parameter#grad()}; null: their own accumulators. */
    private final Map<Parameter, Tensor> gradients;
    /** Where tensors come from; null: each is allocated. */
    private final TapeArena arena;
    /** Told of each parameter before its value is read (see {@link #beforeParameter}); null: nobody. */
    private Consumer<Parameter> beforeParameter;
    /** Whether {@link #param} gives constants: a tape for the gradients of its {@link #variable}s alone. */
    private final boolean parametersConstant;

    private Tape(Backend backend, boolean recording, Map<Parameter, Tensor> gradients, TapeArena arena) {
        this(backend, recording, gradients, arena, false);
    }

    private Tape(Backend backend, boolean recording, Map<Parameter, Tensor> gradients, TapeArena arena,
                 boolean parametersConstant) {
        this.backend = backend;
        this.recording = recording;
        this.gradients = gradients;
        this.arena = arena;
        this.parametersConstant = parametersConstant;
        this.nodes = arena != null && recording ? arena.nodes() : new ArrayList<>();
        if (arena != null) {
            if (arena.backend() != backend) {
                throw new IllegalArgumentException("arena of backend " + arena.backend().name() + " for a tape on "
                        + backend.name());
            }
            arena.rewind();
        }
    }

    /** A tape that records for backward. */
    public static Tape recording(Backend backend) {
        return new Tape(backend, true, null, null);
    }

    /**
     * A tape that records, and sends the gradient of each parameter found in {@code gradients} to that tensor
     * (same shape) instead of the parameter's own accumulator: several threads can then run backward passes over
     * parts of one batch at once, each into its own gradients, which the caller adds up in a fixed order.
     */
    public static Tape recording(Backend backend, Map<Parameter, Tensor> gradients) {
        return new Tape(backend, true, gradients, null);
    }

    /**
     * As {@link #recording(Backend, Map)} (gradients may be null: the parameters' own accumulators), taking every
     * tensor from {@code arena}, which this rewinds: the values and gradients of earlier tapes on the same arena
     * are overwritten from here on. For training loops that record the same graph every step.
     */
    public static Tape recording(Backend backend, Map<Parameter, Tensor> gradients, TapeArena arena) {
        return new Tape(backend, true, gradients, arena);
    }

    /**
     * A tape that records for the gradients of its {@link #variable}s alone (a MAP search's ∂ log q/∂θ): every
     * {@link #param} enters as a constant, so {@link #backward} computes no parameter gradient, the larger part of its
     * work where the batch is narrow, and writes none of the parameters' accumulators, which every other recording tape
     * of the same model shares. The variables' gradients are the same, bit for bit, as on {@link #recording}.
     * Tensors come from {@code arena} as in {@link #recording(Backend, Map, TapeArena)} (null: each is allocated).
     */
    public static Tape recordingInputGradients(Backend backend, TapeArena arena) {
        return new Tape(backend, true, null, arena, true);
    }

    /** A tape that only computes values. */
    public static Tape noGrad(Backend backend) {
        return new Tape(backend, false, null, null);
    }

    /**
     * A tape that only computes values, taking them from {@code arena} (which this rewinds), for evaluation loops that
     * run the same graph again and again: the values of earlier tapes on the arena are overwritten from here on.
     */
    public static Tape noGrad(Backend backend, TapeArena arena) {
        return new Tape(backend, false, null, arena);
    }

    public Backend backend() {
        return backend;
    }

    /**
     * Has {@code hook} told of each parameter when {@link #param} is called for it, before its value is read: a
     * data-parallel trainer that updates the parameters on several threads waits there for the one being read.
     */
    public Tape beforeParameter(Consumer<Parameter> hook) {
        this.beforeParameter = hook;
        return this;
    }

    public boolean isRecording() {
        return recording;
    }

    /** Number of recorded nodes. */
    public int size() {
        return nodes.size();
    }

    // ---- leaves ---------------------------------------------------------------------------------------------------

    /** A value that gets no gradient. */
    public Var constant(Tensor t) {
        checkBackend(t);
        return make(t, Op.LEAF, 0, false);
    }

    /** A value that gets a gradient of its own (inputs in gradient checks). */
    public Var variable(Tensor t) {
        checkBackend(t);
        Var v = make(t, Op.LEAF, 0, recording);
        if (recording) {
            v.grad = zeros(t.rows(), t.cols());
            nodes.add(v);
        }
        return v;
    }

    /**
     * A parameter: its gradient accumulates into {@link Parameter#grad()} (a constant on a
     * {@link #recordingInputGradients} tape).
     */
    public Var param(Parameter p) {
        checkBackend(p.value());
        if (beforeParameter != null) beforeParameter.accept(p);
        if (parametersConstant) return make(p.value(), Op.LEAF, 0, false);
        Var v = make(p.value(), Op.LEAF, 0, recording);
        if (recording) {
            Tensor g = gradients == null ? null : gradients.get(p);
            v.grad = g != null ? g : p.grad();
            v.parameter = true;
        }
        return v;
    }

    // ---- operations -----------------------------------------------------------------------------------------------

    /** a · b. */
    public Var matmul(Var a, Var b) {
        return matmul(a, false, b, false);
    }

    /** op(a) · op(b), where op transposes when its flag is set. */
    public Var matmul(Var a, boolean transA, Var b, boolean transB) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + (transA ? "aᵀ " : "a ")
                    + a.value.shape() + " times " + (transB ? "bᵀ " : "b ") + b.value.shape());
        }
        Tensor c = values(m, n);
        backend.gemm(transA, transB, m, n, k, 1f, a.value.storage(), 0, a.cols(), b.value.storage(), 0, b.cols(),
                0f, c.storage(), 0, n);
        Var v = node(c, Op.MATMUL, a, b);
        v.ints = new int[] {transA ? 1 : 0, transB ? 1 : 0};
        return v;
    }

    /** (w ⊙ mask) · x, with a constant 0/1 mask of w's shape. */
    public Var maskedMatmul(Var w, Tensor mask, Var x) {
        if (!mask.sameShape(w.value)) {
            throw new IllegalArgumentException("masked matmul: mask " + mask.shape() + " must match weights "
                    + w.value.shape());
        }
        if (w.cols() != x.rows()) {
            throw new IllegalArgumentException("masked matmul: weights " + w.value.shape() + " cannot multiply "
                    + x.value.shape());
        }
        int m = w.rows(), k = w.cols(), n = x.cols();
        Tensor c = values(m, n);
        backend.maskedGemm(false, m, n, k, w.value.storage(), 0, mask.storage(), 0, k, x.value.storage(), 0, n,
                0f, c.storage(), 0, n);
        Var v = node(c, Op.MASKED_MATMUL, w, x);
        v.mask = mask;
        return v;
    }

    /**
     * A whole layer as one node: f((W ⊙ M) x + b + addend), with mask (a constant 0/1 matrix of w's shape) and
     * addend (a value of the output's shape added before f, as MADE adds its context term) both optional, and f one
     * of TANH, SIGMOID, RELU or null (the identity). Values are bit-identical to the same layer built from
     * {@link #maskedMatmul} or {@link #matmul}, {@link #broadcastColumn}, {@link #add} and {@link #unary}, and so are
     * the gradients; what the fusion saves is the intermediate tensors and their gradients (four of each per hidden
     * layer), so a MAF step's working set shrinks and its gradients need no zeroing. The node's {@link Var#grad()}
     * becomes the gradient with respect to its pre-activation (computed in place), and an addend with no gradient of
     * its own yet takes that same tensor as its gradient rather than a copy; the addend's own rule may then change it
     * in place. So after {@link #backward} a fused node's or an addend's {@code grad()} is scratch; parameters' and
     * inputs' gradients are what a backward pass delivers.
     *
     * @param w weights, out x in
     * @param x inputs, in x batch
     * @param b bias, out x 1
     */
    public Var dense(Var w, Tensor mask, Var x, Var b, Var addend, UnaryOp f) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        if (x.rows() != k) {
            throw new IllegalArgumentException("dense: weights " + w.value.shape() + " cannot multiply "
                    + x.value.shape());
        }
        if (mask != null && !mask.sameShape(w.value)) {
            throw new IllegalArgumentException("dense: mask " + mask.shape() + " must match weights "
                    + w.value.shape());
        }
        if (b.rows() != m || b.cols() != 1) {
            throw new IllegalArgumentException("dense: bias " + b.value.shape() + " must be " + m + " x 1");
        }
        if (addend != null && (addend.rows() != m || addend.cols() != n)) {
            throw new IllegalArgumentException("dense: addend " + addend.value.shape() + " must be " + m + " x " + n);
        }
        if (!fuses(f)) {
            throw new IllegalArgumentException("dense: activation " + f + " is not fused (its derivative needs the"
                    + " pre-activation); build the layer from matmul, broadcastColumn and unary");
        }
        Tensor y = values(m, n);
        // The unfused layer's order: the product, bias, then the addend, then f (Backend.denseForward).
        backend.denseForward(m, n, k, w.value.storage(), 0, mask == null ? null : mask.storage(), 0,
                x.value.storage(), 0, b.value.storage(), 0, addend == null ? null : addend.value.storage(), 0, f,
                y.storage(), 0);
        Var v = addend == null ? node(y, Op.DENSE, w, x, b) : node(y, Op.DENSE, w, x, b, addend);
        v.mask = mask;
        v.unary = f;
        return v;
    }

    /**
     * Whether {@link #dense} applies f (null: the identity) inside the layer: f's derivative is a function of its
     * output, so the backward pass needs no pre-activation.
     */
    public static boolean fuses(UnaryOp f) {
        return f == null || f == UnaryOp.TANH || f == UnaryOp.SIGMOID || f == UnaryOp.RELU;
    }

    public Var add(Var a, Var b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public Var sub(Var a, Var b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public Var mul(Var a, Var b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public Var div(Var a, Var b) {
        return binary(BinaryOp.DIV, a, b);
    }

    /** Elementwise a op b of equal shapes. */
    public Var binary(BinaryOp op, Var a, Var b) {
        if (!a.value.sameShape(b.value)) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.value.shape() + " and " + b.value.shape());
        }
        Tensor c = values(a.rows(), a.cols());
        backend.binary(op, c.size(), a.value.storage(), 0, b.value.storage(), 0, c.storage(), 0);
        Var v = node(c, Op.BINARY, a, b);
        v.binary = op;
        return v;
    }

    /** a[i][j] op v[i], v of shape rows x 1 (bias add in the batch-major layout is ADD). */
    public Var broadcastColumn(BinaryOp op, Var a, Var v) {
        if (v.cols() != 1 || v.rows() != a.rows()) {
            throw new IllegalArgumentException("column broadcast: vector " + v.value.shape() + " must be "
                    + a.rows() + " x 1 to go with " + a.value.shape());
        }
        Tensor c = values(a.rows(), a.cols());
        backend.broadcastColumn(op, a.rows(), a.cols(), a.value.storage(), 0, a.cols(), v.value.storage(), 0,
                c.storage(), 0, a.cols());
        Var out = node(c, Op.BROADCAST_COLUMN, a, v);
        out.binary = op;
        return out;
    }

    /** a[i][j] op v[j], v of shape 1 x cols. */
    public Var broadcastRow(BinaryOp op, Var a, Var v) {
        if (v.rows() != 1 || v.cols() != a.cols()) {
            throw new IllegalArgumentException("row broadcast: vector " + v.value.shape() + " must be 1 x "
                    + a.cols() + " to go with " + a.value.shape());
        }
        Tensor c = values(a.rows(), a.cols());
        backend.broadcastRow(op, a.rows(), a.cols(), a.value.storage(), 0, a.cols(), v.value.storage(), 0,
                c.storage(), 0, a.cols());
        Var out = node(c, Op.BROADCAST_ROW, a, v);
        out.binary = op;
        return out;
    }

    /** Elementwise f(a). */
    public Var unary(UnaryOp op, Var a) {
        Tensor y = values(a.rows(), a.cols());
        backend.unary(op, y.size(), a.value.storage(), 0, y.storage(), 0);
        Var v = node(y, Op.UNARY, a);
        v.unary = op;
        return v;
    }

    public Var neg(Var a) {
        return unary(UnaryOp.NEG, a);
    }

    public Var exp(Var a) {
        return unary(UnaryOp.EXP, a);
    }

    public Var log(Var a) {
        return unary(UnaryOp.LOG, a);
    }

    public Var tanh(Var a) {
        return unary(UnaryOp.TANH, a);
    }

    public Var sigmoid(Var a) {
        return unary(UnaryOp.SIGMOID, a);
    }

    public Var softplus(Var a) {
        return unary(UnaryOp.SOFTPLUS, a);
    }

    public Var relu(Var a) {
        return unary(UnaryOp.RELU, a);
    }

    public Var square(Var a) {
        return unary(UnaryOp.SQUARE, a);
    }

    public Var sqrt(Var a) {
        return unary(UnaryOp.SQRT, a);
    }

    /** alpha * a + beta. */
    public Var affine(Var a, float alpha, float beta) {
        Tensor y = values(a.rows(), a.cols());
        backend.affine(y.size(), alpha, beta, a.value.storage(), 0, y.storage(), 0);
        Var v = node(y, Op.AFFINE, a);
        v.alpha = alpha;
        v.beta = beta;
        return v;
    }

    public Var scale(Var a, float alpha) {
        return affine(a, alpha, 0f);
    }

    /** One value per row: rows x 1. */
    public Var reduceRows(ReduceOp op, Var a) {
        Tensor y = values(a.rows(), 1);
        backend.reduceRows(op, a.rows(), a.cols(), a.value.storage(), 0, a.cols(), y.storage(), 0);
        Var v = node(y, Op.REDUCE_ROWS, a);
        v.reduce = op;
        return v;
    }

    /** One value per column: 1 x cols. */
    public Var reduceColumns(ReduceOp op, Var a) {
        Tensor y = values(1, a.cols());
        backend.reduceColumns(op, a.rows(), a.cols(), a.value.storage(), 0, a.cols(), y.storage(), 0);
        Var v = node(y, Op.REDUCE_COLUMNS, a);
        v.reduce = op;
        return v;
    }

    /** One value over all: 1 x 1. */
    public Var reduceAll(ReduceOp op, Var a) {
        Tensor y = values(1, 1);
        backend.reduceAll(op, a.value.size(), a.value.storage(), 0, y.storage(), 0);
        Var v = node(y, Op.REDUCE_ALL, a);
        v.reduce = op;
        return v;
    }

    public Var sum(Var a) {
        return reduceAll(ReduceOp.SUM, a);
    }

    /** The mean over all values, 1 x 1. */
    public Var mean(Var a) {
        return scale(sum(a), 1f / a.value.size());
    }

    /** Rows [start, start + count). */
    public Var sliceRows(Var a, int start, int count) {
        checkRange("sliceRows", start, count, a.rows());
        Tensor y = values(count, a.cols());
        backend.copy2d(count, a.cols(), a.value.storage(), start * a.cols(), a.cols(), y.storage(), 0, a.cols());
        Var v = node(y, Op.SLICE_ROWS, a);
        v.ints = new int[] {start};
        return v;
    }

    /** Columns [start, start + count). */
    public Var sliceColumns(Var a, int start, int count) {
        checkRange("sliceColumns", start, count, a.cols());
        Tensor y = values(a.rows(), count);
        backend.copy2d(a.rows(), count, a.value.storage(), start, a.cols(), y.storage(), 0, count);
        Var v = node(y, Op.SLICE_COLUMNS, a);
        v.ints = new int[] {start};
        return v;
    }

    /** The inputs stacked top to bottom; all have the same column count. */
    public Var concatRows(Var... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concatRows needs at least one input");
        int cols = parts[0].cols(), rows = 0;
        for (Var p : parts) {
            if (p.cols() != cols) {
                throw new IllegalArgumentException("concatRows: column counts differ (" + cols + " and " + p.cols() + ")");
            }
            rows += p.rows();
        }
        Tensor y = values(rows, cols);
        int r = 0;
        for (Var p : parts) {
            backend.copy2d(p.rows(), cols, p.value.storage(), 0, cols, y.storage(), r * cols, cols);
            r += p.rows();
        }
        return node(y, Op.CONCAT_ROWS, parts);
    }

    /** The inputs side by side; all have the same row count. */
    public Var concatColumns(Var... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concatColumns needs at least one input");
        int rows = parts[0].rows(), cols = 0;
        for (Var p : parts) {
            if (p.rows() != rows) {
                throw new IllegalArgumentException("concatColumns: row counts differ (" + rows + " and " + p.rows() + ")");
            }
            cols += p.cols();
        }
        Tensor y = values(rows, cols);
        int c = 0;
        for (Var p : parts) {
            backend.copy2d(rows, p.cols(), p.value.storage(), 0, p.cols(), y.storage(), c, cols);
            c += p.cols();
        }
        return node(y, Op.CONCAT_COLUMNS, parts);
    }

    /** Row r of the result is row idx[r] of a (a permutation, a selection or with repeats). */
    public Var gatherRows(Var a, int[] idx) {
        checkIndices("gatherRows", idx, a.rows());
        Tensor y = values(idx.length, a.cols());
        backend.gatherRows(idx, a.cols(), a.value.storage(), 0, a.cols(), y.storage(), 0, a.cols());
        Var v = node(y, Op.GATHER_ROWS, a);
        v.ints = idx.clone();
        return v;
    }

    /** Column c of the result is column idx[c] of a. */
    public Var gatherColumns(Var a, int[] idx) {
        checkIndices("gatherColumns", idx, a.cols());
        Tensor y = values(a.rows(), idx.length);
        backend.gatherColumns(idx, a.rows(), a.value.storage(), 0, a.cols(), y.storage(), 0, idx.length);
        Var v = node(y, Op.GATHER_COLUMNS, a);
        v.ints = idx.clone();
        return v;
    }

    // ---- fused composites -----------------------------------------------------------------------------------------

    /**
     * A masked autoregressive flow's affine transform in two nodes, where the backend fuses it
     * ({@link Backend#fusesAffineFlow}): with s = params' rows [0, d) and t = rows [d, 2d), scale = softplus(s) +
     * floor and v = scale ⊙ u + t; returns {out, logDet} with out's row r = v's row perm[r] and logDet = logDetIn +
     * Σ_i log(scale_i) per column (logDetIn null: the sum alone). The same values and gradients, bit for bit, as
     * {@code gatherRows(add(mul(affine(softplus(sliceRows(params, 0, d)), 1, floor), u), sliceRows(params, d, d)),
     * perm)} and {@code add(logDetIn, reduceColumns(SUM, log(scale)))} on that backend.
     *
     * @param perm a permutation of 0..d-1
     */
    public Var[] affineFlow(Var params, Var u, float floor, int[] perm, Var logDetIn) {
        if (!backend.fusesAffineFlow()) {
            throw new IllegalStateException("backend " + backend.name() + " does not fuse the affine flow transform;"
                    + " build it from the primitives");
        }
        int d = u.rows(), n = u.cols();
        if (params.rows() != 2 * d || params.cols() != n) {
            throw new IllegalArgumentException("affineFlow: parameters " + params.value.shape() + " must be "
                    + (2 * d) + " x " + n + " for inputs " + u.value.shape());
        }
        if (logDetIn != null && (logDetIn.rows() != 1 || logDetIn.cols() != n)) {
            throw new IllegalArgumentException("affineFlow: log-determinant " + logDetIn.value.shape() + " must be 1 x "
                    + n);
        }
        checkPermutation("affineFlow", perm, d);
        Tensor scale = values(d, n), out = values(d, n), logDet = values(1, n);
        backend.affineFlowForward(d, n, floor, perm, params.value.storage(), 0, u.value.storage(), 0,
                logDetIn == null ? null : logDetIn.value.storage(), 0, scale.storage(), 0, out.storage(), 0,
                logDet.storage(), 0);
        Var v = node(out, Op.AFFINE_FLOW, params, u);
        v.ints = v.copyOfInts(perm);
        v.aux = scale;
        Var ld = logDetIn == null ? node(logDet, Op.AFFINE_FLOW_LOG_DET, v)
                : node(logDet, Op.AFFINE_FLOW_LOG_DET, v, logDetIn);
        return new Var[] {v, ld};
    }

    /**
     * The log-density of a mixture of K Gaussians in d dimensions given by their precision factors, per column, as one
     * node where the backend fuses it ({@link Backend#fusesGaussianMixture}): LSE_c(logit_c + Σ_i log a_ii − ½
     * ‖A_c(μ_c − z)‖²) − LSE_c(logit_c), without the constant −(d/2) log 2π. Layouts as {@link
     * Backend#gaussianMixtureForward}: logits K x n, means and diag Kd x n (row i·K + c), upper K·d(d−1)/2 x n (null
     * where d = 1), z d x n. The diagonal must be positive (an MDN adds ε to a softplus).
     */
    public Var gaussianMixture(Var logits, Var means, Var diag, Var upper, Var z) {
        if (!backend.fusesGaussianMixture()) {
            throw new IllegalStateException("backend " + backend.name() + " does not fuse the Gaussian mixture"
                    + " log-density; build it from the primitives");
        }
        int k = logits.rows(), d = z.rows(), n = z.cols();
        checkMixtureInput("logits", logits, k, n);
        checkMixtureInput("means", means, k * d, n);
        checkMixtureInput("diag", diag, k * d, n);
        if (d == 1 && upper != null) {
            throw new IllegalArgumentException("gaussianMixture: one dimension has no upper triangle; pass null");
        }
        if (d > 1) {
            if (upper == null) throw new IllegalArgumentException("gaussianMixture: upper is null for d = " + d);
            checkMixtureInput("upper", upper, k * d * (d - 1) / 2, n);
        }
        Tensor out = values(1, n), work = values(k + 2, n);
        backend.gaussianMixtureForward(k, d, n, logits.value.storage(), means.value.storage(), diag.value.storage(),
                upper == null ? null : upper.value.storage(), z.value.storage(), out.storage(), work.storage());
        Var v = upper == null ? node(out, Op.GAUSSIAN_MIXTURE, logits, means, diag, z)
                : node(out, Op.GAUSSIAN_MIXTURE, logits, means, diag, z, upper);
        v.aux = work;
        return v;
    }

    private static void checkMixtureInput(String what, Var v, int rows, int n) {
        if (v == null || v.rows() != rows || v.cols() != n) {
            throw new IllegalArgumentException("gaussianMixture: " + what + " must be " + rows + " x " + n + ", got "
                    + (v == null ? "null" : v.value.shape()));
        }
    }

    private static void checkPermutation(String what, int[] perm, int d) {
        if (perm.length != d) {
            throw new IllegalArgumentException(what + ": a permutation of " + d + " rows needs " + d + " entries, got "
                    + perm.length);
        }
        // Rows seen as bits: up to 64 rows (a flow's θ, every step) in one word, so that no array is made.
        long low = 0;
        long[] words = d > 64 ? new long[(d + 63) / 64] : null;
        for (int i : perm) {
            long bit = 1L << i;
            if (i < 0 || i >= d || ((words == null ? low : words[i >> 6]) & bit) != 0) {
                throw new IllegalArgumentException(what + ": " + java.util.Arrays.toString(perm)
                        + " is not a permutation of 0.." + (d - 1));
            }
            if (words == null) low |= bit; else words[i >> 6] |= bit;
        }
    }

    // ---- backward -------------------------------------------------------------------------------------------------

    /**
     * Adds d(output)/d(v) to the gradient of every recorded v that requires one. The output must be 1 x 1
     * (a loss); use {@link #backward(Var, Tensor)} to seed another shape.
     */
    public void backward(Var output) {
        backward(output, (Consumer<Tensor>) null);
    }

    /**
     * As {@link #backward(Var)}, telling {@code gradientDone} each parameter gradient tensor (a {@link #param}'s:
     * {@link Parameter#grad()} or its tensor in this tape's gradient map) as soon as no later rule of this pass adds to
     * it, on this thread, once per tensor: a data-parallel step's other threads can then start adding it up while this
     * pass goes on. Tensors of parameters that get no gradient are not told.
     */
    public void backward(Var output, Consumer<Tensor> gradientDone) {
        if (output.value.size() != 1) {
            throw new IllegalArgumentException("backward(output) needs a 1 x 1 output, got " + output.value.shape()
                    + "; reduce it to a scalar or pass a seed gradient");
        }
        Tensor seed = values(1, 1);
        backend.fill(1, 1f, seed.storage(), 0);
        backward(output, seed, gradientDone);
    }

    /** Backward from output with the given seed gradient (same shape as output). */
    public void backward(Var output, Tensor seed) {
        backward(output, seed, null);
    }

    private void backward(Var output, Tensor seed, Consumer<Tensor> gradientDone) {
        if (!recording) throw new IllegalStateException("this tape does not record (noGrad); use Tape.recording");
        if (!seed.sameShape(output.value)) {
            throw new IllegalArgumentException("seed " + seed.shape() + " must match output " + output.value.shape());
        }
        if (!output.requiresGrad) return;
        gradOf(output);
        backend.axpy(seed.size(), 1f, seed.storage(), 0, output.grad.storage(), 0);
        int last = nodes.indexOf(output);
        // For gradientDone: the parameter gradient tensors whose last contribution comes from node i's rule (in this
        // backward order, the first node in creation order that reads a parameter with that tensor).
        List<List<Tensor>> doneAfter = gradientDone == null ? null : parameterGradientsDone(last);
        for (int i = last; i >= 0; i--) {
            Var v = nodes.get(i);
            if (v.op != Op.LEAF && v.grad != null) Gradients.apply(this, v);
            if (doneAfter != null && doneAfter.get(i) != null) {
                for (Tensor t : doneAfter.get(i)) gradientDone.accept(t);
            }
        }
    }

    private List<List<Tensor>> parameterGradientsDone(int last) {
        if (arena != null) {
            // The same graph as the arena's last backward pass (its Vars are the same objects): the same answer.
            List<List<Tensor>> known = arena.gradientsDone(nodes, last);
            if (known != null) return known;
        }
        List<List<Tensor>> doneAfter = findParameterGradientsDone(last);
        if (arena != null) arena.rememberGradientsDone(nodes, last, doneAfter);
        return doneAfter;
    }

    private List<List<Tensor>> findParameterGradientsDone(int last) {
        Map<Tensor, Integer> firstReader = new IdentityHashMap<>();
        for (int i = 0; i <= last; i++) {
            Var v = nodes.get(i);
            if (v.inputs == null) continue;
            for (Var in : v.inputs) {
                if (in.parameter && in.grad != null) firstReader.putIfAbsent(in.grad, i);
            }
        }
        List<List<Tensor>> doneAfter = new ArrayList<>(java.util.Collections.nCopies(last + 1, (List<Tensor>) null));
        for (Map.Entry<Tensor, Integer> e : firstReader.entrySet()) {
            int i = e.getValue();
            if (doneAfter.get(i) == null) doneAfter.set(i, new ArrayList<>(2));
            doneAfter.get(i).add(e.getKey());
        }
        return doneAfter;
    }

    // ---- internals ------------------------------------------------------------------------------------------------

    Tensor gradOf(Var v) {
        if (v.grad == null) v.grad = zeros(v.rows(), v.cols());
        return v.grad;
    }

    /**
     * A gradient tensor for v that its first contribution overwrites instead of adding to zeros (a product with
     * beta = 0, a copy); only when v has none yet, so contributions made before stay.
     */
    Tensor freshGrad(Var v) {
        if (v.grad != null) throw new IllegalStateException("freshGrad: " + v + " already has a gradient");
        v.grad = values(v.rows(), v.cols());
        return v.grad;
    }

    /** A tensor of zeros (a gradient). */
    Tensor zeros(int rows, int cols) {
        return arena == null ? Tensor.zeros(backend, rows, cols) : arena.take(rows, cols, true);
    }

    /** A tensor whose every element the caller overwrites (an operation's output, a backward rule's scratch). */
    Tensor values(int rows, int cols) {
        return arena == null ? Tensor.zeros(backend, rows, cols) : arena.take(rows, cols, false);
    }

    /**
     * A Var for value with inputs of this arity for the caller to fill (none where the tape does not record; a leaf
     * always has its empty array): the arena's next one where the tape has an arena, else a new one.
     */
    private Var make(Tensor value, Op op, int arity, boolean requiresGrad) {
        int a = recording || arity == 0 ? arity : -1;
        if (arena != null) return arena.var(value, op, a, requiresGrad);
        return new Var(value, op, a < 0 ? null : a == 0 ? Var.NO_INPUTS : new Var[a], requiresGrad);
    }

    // Nodes of one to four inputs without a varargs array: on an arena a step then allocates no Var and no array.

    private Var node(Tensor value, Op op, Var a) {
        boolean rg = recording && a.requiresGrad;
        Var v = make(value, op, 1, rg);
        if (v.inputs != null) v.inputs[0] = a;
        if (rg) nodes.add(v);
        return v;
    }

    private Var node(Tensor value, Op op, Var a, Var b) {
        boolean rg = recording && (a.requiresGrad | b.requiresGrad);
        Var v = make(value, op, 2, rg);
        if (v.inputs != null) {
            v.inputs[0] = a;
            v.inputs[1] = b;
        }
        if (rg) nodes.add(v);
        return v;
    }

    private Var node(Tensor value, Op op, Var a, Var b, Var c) {
        boolean rg = recording && (a.requiresGrad | b.requiresGrad | c.requiresGrad);
        Var v = make(value, op, 3, rg);
        if (v.inputs != null) {
            v.inputs[0] = a;
            v.inputs[1] = b;
            v.inputs[2] = c;
        }
        if (rg) nodes.add(v);
        return v;
    }

    private Var node(Tensor value, Op op, Var a, Var b, Var c, Var d) {
        boolean rg = recording && (a.requiresGrad | b.requiresGrad | c.requiresGrad | d.requiresGrad);
        Var v = make(value, op, 4, rg);
        if (v.inputs != null) {
            v.inputs[0] = a;
            v.inputs[1] = b;
            v.inputs[2] = c;
            v.inputs[3] = d;
        }
        if (rg) nodes.add(v);
        return v;
    }

    private Var node(Tensor value, Op op, Var... inputs) {
        boolean rg = false;
        if (recording) {
            for (Var in : inputs) rg |= in.requiresGrad;
        }
        Var v = make(value, op, inputs.length, rg);
        if (v.inputs != null) System.arraycopy(inputs, 0, v.inputs, 0, inputs.length);
        if (rg) nodes.add(v);
        return v;
    }

    private void checkBackend(Tensor t) {
        if (t.backend() != backend) {
            throw new IllegalArgumentException("tensor lives in backend " + t.backend().name() + " but this tape runs on "
                    + backend.name() + "; move it with tensor.to(backend)");
        }
    }

    private static void checkRange(String what, int start, int count, int size) {
        if (start < 0 || count < 0 || start + count > size) {
            throw new IllegalArgumentException(what + ": [" + start + ", " + (start + count) + ") is outside 0.." + size);
        }
    }

    private static void checkIndices(String what, int[] idx, int size) {
        for (int i : idx) {
            if (i < 0 || i >= size) throw new IllegalArgumentException(what + ": index " + i + " outside 0.." + (size - 1));
        }
    }
}
