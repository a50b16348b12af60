package org.jsbi.backend;

import org.jsbi.tensor.Storage;

/**
 * One backend: where tensors live and the kernels that work on them. Every backend implements every kernel; the
 * scalar backend is the reference the others are tested against.
 *
 * <p>Conventions (DESIGN.md): matrices are row-major with a leading dimension (the distance between rows, at least
 * the number of columns); kernels allocate nothing on the hot path and take their outputs last. Offsets are in
 * floats. {@code c = alpha * op(a) op(b) + beta * c} follows BLAS: with beta = 0 the old contents of c are ignored,
 * even NaN. Shapes are the facades' to check; every implementation checks what a call is given (sizes, offsets,
 * leading dimensions, indices against the storages) with {@link KernelChecks}' method of the same name before any
 * work, so that every backend refuses a bad call with the same {@link IllegalArgumentException}.
 */
public interface Backend {

    /** Short name used in selection and logs: "scalar", "simd", "cuda". */
    String name();

    /** A line about this backend's configuration (lane width, device, ...), for {@code jsbi info} and logs. */
    String describe();

    /**
     * Whether callers should split independent work (the columns of a batch, validation chunks) over the threads of
     * {@link Parallel}. CPU backends say yes; a GPU backend says no, since one device stream does the work and host
     * threads would only contend for it.
     */
    default boolean splitsWorkOverHostThreads() {
        return true;
    }

    /**
     * Whether a training step's scratch tensors should be zeroed all at once when a tape starts rather than each when
     * it is handed out. A GPU backend says yes (one launch instead of a hundred); CPU backends say no, since zeroing a
     * tensor just before its first use leaves it in cache.
     */
    default boolean zeroesScratchInBatches() {
        return false;
    }

    /**
     * A batch width whose multiples this backend's kernels run fastest at; 1 (the default): any. A backend that says
     * more computes each column alike at any width (the same bits, whatever the columns beside it), so a caller may pad
     * a narrow batch with spare columns and read its own columns' values unchanged. The SIMD backend says its lane
     * count: a batch narrower than a vector goes through every row's tail code (a MAP search's ten chains took 1.5 times
     * as long as the same chains padded to sixteen columns).
     */
    default int preferredColumnMultiple() {
        return 1;
    }

    /** New zero-filled storage. */
    Storage allocate(int length);

    /** Host array to storage. */
    void upload(float[] src, int srcOff, Storage dst, int dstOff, int n);

    /** Storage to host array. */
    void download(Storage src, int srcOff, float[] dst, int dstOff, int n);

    // ---- BLAS-like ---------------------------------------------------------------------------------------------

    /**
     * C[m x n] = alpha * op(A) * op(B) + beta * C, with op(A) of shape m x k and op(B) of shape k x n.
     * transA means A is stored k x m; transB means B is stored n x k.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Storage a, int aOff, int lda, Storage b, int bOff, int ldb,
              float beta, Storage c, int cOff, int ldc);

    /**
     * C = op(W ⊙ M) * B + beta * C, the masked product of MADE: W and M share shape and leading dimension (ldw);
     * op(W ⊙ M) is m x k (transW means W is stored k x m), B is k x n. IEEE arithmetic on W ⊙ M: a zero of M takes a
     * finite weight's term out exactly, and a backend may skip such terms. Where B is infinite or NaN such a term is
     * NaN in the reference (0 · NaN) and may be left out where it is skipped; a non-finite value met through an
     * unmasked term reaches the output on every backend (docs/ARCHITECTURE.md, "Backends").
     */
    void maskedGemm(boolean transW, int m, int n, int k,
                    Storage w, int wOff, Storage mask, int maskOff, int ldw,
                    Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc);

    /**
     * A dense layer's forward pass, y = f((W ⊙ M) x + b + addend) (m x n, dense), W m x k (ldw = k), x k x n, b m x 1;
     * mask and addend may be null (no mask, nothing added), f null is the identity. The default is the unfused
     * sequence, in this order: {@link #gemm} or {@link #maskedGemm} into y (beta 0), {@link #broadcastColumn} adding
     * b, {@link #binary} adding the addend, {@link #unary} f in place. A backend may run them in one pass where it
     * computes every element with the same operations in the same order (the same bits).
     */
    default void denseForward(int m, int n, int k, Storage w, int wOff, Storage mask, int maskOff, Storage x, int xOff,
                              Storage b, int bOff, Storage addend, int addendOff, UnaryOp f, Storage y, int yOff) {
        KernelChecks.denseForward(m, n, k, w, wOff, mask, maskOff, x, xOff, b, bOff, addend, addendOff, y, yOff);
        if (mask == null) {
            gemm(false, false, m, n, k, 1f, w, wOff, k, x, xOff, n, 0f, y, yOff, n);
        } else {
            maskedGemm(false, m, n, k, w, wOff, mask, maskOff, k, x, xOff, n, 0f, y, yOff, n);
        }
        broadcastColumn(BinaryOp.ADD, m, n, y, yOff, n, b, bOff, y, yOff, n);
        if (addend != null) binary(BinaryOp.ADD, m * n, y, yOff, addend, addendOff, y, yOff);
        if (f != null) unary(f, m * n, y, yOff, y, yOff);
    }

    /**
     * The parameter gradients of a dense layer y = W x + b with W m x k and x k x n (n columns, a batch): dW = dY·Xᵀ
     * + beta dW (dY m x n, X k x n, dW m x k, all dense) and db = the row sums of dY (m values, stored, not added;
     * db null: no bias). The default is {@link #gemm} then {@link #reduceRows}; a backend may compute the row sums
     * inside the product, in the product's order of summation.
     */
    default void denseParameterGradients(int m, int k, int n, Storage dy, int dyOff, Storage x, int xOff, float beta,
                                         Storage dw, int dwOff, Storage db, int dbOff) {
        KernelChecks.denseParameterGradients(m, k, n, dy, dyOff, x, xOff, dw, dwOff, db, dbOff);
        gemm(false, true, m, k, n, 1f, dy, dyOff, n, x, xOff, n, beta, dw, dwOff, k);
        if (db != null) reduceRows(ReduceOp.SUM, m, n, dy, dyOff, n, db, dbOff);
    }

    /**
     * The parameter gradients of a masked layer y = (W ⊙ M) x + b: dW += (dY·Xᵀ) ⊙ M (accumulated into dw, M m x k
     * of W's shape, row stride k) and db = the row sums of dY as in {@link #denseParameterGradients} (stored; null:
     * no bias). The default is that product into {@code scratch} (m x k), the mask multiplied in with {@link #binary}
     * and the result added with {@link #axpy}; a backend may apply the mask as it adds, and skip the products of
     * all-zero blocks of M, with the same values where dy and x are finite (where they hold an infinity or NaN the
     * default gives NaN under M's zeros, and a skipped block leaves dW as it was).
     */
    default void maskedParameterGradients(int m, int k, int n, Storage dy, int dyOff, Storage x, int xOff, Storage mask,
                                          int maskOff, Storage scratch, int scratchOff, Storage dw, int dwOff,
                                          Storage db, int dbOff) {
        KernelChecks.maskedParameterGradients(m, k, n, dy, dyOff, x, xOff, mask, maskOff, scratch, scratchOff, dw,
                dwOff, db, dbOff);
        denseParameterGradients(m, k, n, dy, dyOff, x, xOff, 0f, scratch, scratchOff, db, dbOff);
        binary(BinaryOp.MUL, m * k, scratch, scratchOff, mask, maskOff, scratch, scratchOff);
        axpy(m * k, 1f, scratch, scratchOff, dw, dwOff);
    }

    /**
     * Whether this backend runs a masked autoregressive flow's affine transform as one operation
     * ({@link #affineFlowForward}, {@link #affineFlowBackward}). Where it does not, the flow builds the transform from
     * the primitives (slices, softplus, affine, mul, add, log, a column sum, a row gather); where it does, the fused
     * kernels give exactly those primitives' values and gradients on this backend, in fewer calls and tape nodes.
     */
    default boolean fusesAffineFlow() {
        return false;
    }

    /**
     * One affine transform of a MAF over n columns, d rows. With s = rows [0, d) of p (the MADE's unconstrained
     * scales) and t = rows [d, 2d) (its shifts): scale = softplus(s) + floor (stored, d x n, for the backward pass),
     * v = scale ⊙ u + t, and row r of out is row perm[r] of v; logDet = logDetIn + Σ_i log(scale_i) per column, or
     * the sum alone where logDetIn is null. Each value as the primitives compute it: softplus, then affine(1, floor),
     * mul, add, gatherRows, log, reduceColumns(SUM) and add. Only where {@link #fusesAffineFlow}: a backend without
     * the kernels refuses the call ({@code Tape.affineFlow} asks first; {@code Maf} then builds the transform from
     * the primitives), rather than composing it here a second time.
     */
    default void affineFlowForward(int d, int n, float floor, int[] perm, Storage p, int pOff, Storage u, int uOff,
                                   Storage logDetIn, int logDetInOff, Storage scale, int scaleOff, Storage out,
                                   int outOff, Storage logDet, int logDetOff) {
        throw new UnsupportedOperationException(name() + " does not fuse the affine flow transform");
    }

    /**
     * The gradients of {@link #affineFlowForward}, added to dp (2d x n) and du (d x n; null: u needs none) from dOut
     * (d x n) and dLogDet (n; null: the log-determinant is not used): each element as the primitives' gradient rules
     * compute it into zeroed gradients (dLogDetIn is dLogDet itself, which the caller adds).
     */
    default void affineFlowBackward(int d, int n, int[] perm, Storage p, int pOff, Storage u, int uOff, Storage scale,
                                    int scaleOff, Storage dOut, int dOutOff, Storage dLogDet, int dLogDetOff,
                                    Storage dp, int dpOff, Storage du, int duOff) {
        throw new UnsupportedOperationException(name() + " does not fuse the affine flow transform");
    }

    /**
     * Whether this backend computes a Gaussian mixture's log-density as one operation ({@link
     * #gaussianMixtureForward}, {@link #gaussianMixtureBackward}). Where it does not, the MDN builds it from the
     * primitives (gathers, products with 0/1 matrices, column log-sum-exps), whose intermediates hold K·d(d+1)/2 rows
     * per column; where it does, each column's components are evaluated in registers. The two agree to rounding, not
     * bit for bit: the fused kernels sum in their own order.
     */
    default boolean fusesGaussianMixture() {
        return false;
    }

    /**
     * Index of the pair (i, j), i &lt; j, in the row-major order of a d x d matrix's strict upper triangle: the row
     * block of the upper-triangle entries in {@link #gaussianMixtureForward}'s layout (and the MDN's head).
     */
    static int upperTriangleIndex(int i, int j, int d) {
        return i * (2 * d - i - 1) / 2 + (j - i - 1);
    }

    /**
     * The log-density of a mixture of K Gaussians in d dimensions, each given by its precision factor, per column
     * of n, without the constant −(d/2) log 2π: out_j = LSE_c(logit_c + Σ_i log a_ii − ½ ‖A_c(μ_c − z)‖²) −
     * LSE_c(logit_c), where A_c is upper triangular with diagonal a (positive) and strict upper triangle u.
     * Layouts, rows of n columns each: logits K; means and diag K·d, row i·K + c for dimension i of component c; upper
     * K·d(d−1)/2, row p·K + c for the pair p = {@link #upperTriangleIndex}(i, j, d), i &lt; j (null where d = 1);
     * z d. work ((K + 2) x n) receives what the backward pass reads: the components'
     * terms t_c = logit_c + Σ_i log a_ii − ½ ‖A_c(μ_c − z)‖² in rows 0..K−1, then LSE(t) and LSE(logits). Only where
     * {@link #fusesGaussianMixture}.
     */
    default void gaussianMixtureForward(int k, int d, int n, Storage logits, Storage means, Storage diag,
                                        Storage upper, Storage z, Storage out, Storage work) {
        throw new UnsupportedOperationException(name() + " does not fuse the Gaussian mixture log-density");
    }

    /**
     * The gradients of {@link #gaussianMixtureForward} from dOut (1 x n), added to dLogits, dMeans, dDiag, dUpper and
     * dz (each null where not wanted; same layouts as the inputs). work is the forward pass's.
     */
    default void gaussianMixtureBackward(int k, int d, int n, Storage logits, Storage means, Storage diag,
                                         Storage upper, Storage z, Storage work, Storage dOut, Storage dLogits,
                                         Storage dMeans, Storage dDiag, Storage dUpper, Storage dz) {
        throw new UnsupportedOperationException(name() + " does not fuse the Gaussian mixture log-density");
    }

    // ---- elementwise over n contiguous floats -------------------------------------------------------------------

    /** y = f(x); x and y may be the same run. */
    void unary(UnaryOp op, int n, Storage x, int xOff, Storage y, int yOff);

    /** dx += f'(x) * dy, where y = f(x) is the forward output (used by rules cheaper in y). */
    void unaryBackward(UnaryOp op, int n, Storage x, int xOff, Storage y, int yOff,
                       Storage dy, int dyOff, Storage dx, int dxOff);

    /**
     * dy = 0 + f'(y) * dy in place, element by element exactly as {@link #unaryBackward} computes into a zeroed
     * gradient, for an activation whose derivative is a function of its output y = f(x): TANH, SIGMOID and RELU
     * (y &gt; 0 exactly where x &gt; 0). The gradient through a fused layer's activation ({@code Tape.dense}) without
     * a zeroed buffer of its own. Returns false, touching nothing, where the backend has no such kernel or op is
     * another function; the caller then runs unaryBackward into zeros.
     */
    default boolean activationBackwardInPlace(UnaryOp op, int n, Storage y, int yOff, Storage dy, int dyOff) {
        KernelChecks.activationBackwardInPlace(n, y, yOff, dy, dyOff);
        return false;
    }

    /** c = a op b. */
    void binary(BinaryOp op, int n, Storage a, int aOff, Storage b, int bOff, Storage c, int cOff);

    /** y += alpha * x. */
    void axpy(int n, float alpha, Storage x, int xOff, Storage y, int yOff);

    /** y = alpha * x + beta (an affine map of each element). */
    void affine(int n, float alpha, float beta, Storage x, int xOff, Storage y, int yOff);

    /** x = value. */
    void fill(int n, float value, Storage x, int xOff);

    /** Sum of x[i] * y[i], accumulated in higher precision than float where the backend can. */
    double dot(int n, Storage x, int xOff, Storage y, int yOff);

    // ---- broadcasts over a rows x cols matrix -------------------------------------------------------------------

    /** c[i][j] = a[i][j] op v[i]: v is a column vector of length rows (a bias in the batch-major layout). */
    void broadcastColumn(BinaryOp op, int rows, int cols, Storage a, int aOff, int lda,
                         Storage v, int vOff, Storage c, int cOff, int ldc);

    /** c[i][j] = a[i][j] op v[j]: v is a row vector of length cols. */
    void broadcastRow(BinaryOp op, int rows, int cols, Storage a, int aOff, int lda,
                      Storage v, int vOff, Storage c, int cOff, int ldc);

    // ---- reductions ---------------------------------------------------------------------------------------------

    /** out[i] = reduce over j of a[i][j]: one value per row. */
    void reduceRows(ReduceOp op, int rows, int cols, Storage a, int aOff, int lda, Storage out, int outOff);

    /** out[j] = reduce over i of a[i][j]: one value per column. */
    void reduceColumns(ReduceOp op, int rows, int cols, Storage a, int aOff, int lda, Storage out, int outOff);

    /** out[0] = reduce over all n contiguous floats. */
    void reduceAll(ReduceOp op, int n, Storage a, int aOff, Storage out, int outOff);

    /**
     * Gradient of {@link #reduceRows}: dx[i][j] += dy[i] * d y[i] / d x[i][j], given x and the forward output y.
     * SUM: dy[i]; MAX: dy[i] where x equals the maximum; LOGSUMEXP: dy[i] * exp(x - y).
     */
    void reduceRowsBackward(ReduceOp op, int rows, int cols, Storage x, int xOff, int ldx, Storage y, int yOff,
                            Storage dy, int dyOff, Storage dx, int dxOff, int lddx);

    /** Gradient of {@link #reduceColumns}, as {@link #reduceRowsBackward} with the axes exchanged. */
    void reduceColumnsBackward(ReduceOp op, int rows, int cols, Storage x, int xOff, int ldx, Storage y, int yOff,
                               Storage dy, int dyOff, Storage dx, int dxOff, int lddx);

    // ---- data movement ------------------------------------------------------------------------------------------

    /** dst block = src block (rows x cols): slices and concatenations along either axis. */
    void copy2d(int rows, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd);

    /** dst row r = src row idx[r], for r below idx.length; rows are cols wide. */
    void gatherRows(int[] idx, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd);

    /** dst[:, c] = src[:, idx[c]] over rows rows. */
    void gatherColumns(int[] idx, int rows, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd);

    /** dst row idx[r] += src row r: the gradient of {@link #gatherRows}. */
    void scatterAddRows(int[] idx, int cols, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd);

    /** dst[:, idx[c]] += src[:, c]: the gradient of {@link #gatherColumns}. */
    void scatterAddColumns(int[] idx, int rows, Storage src, int srcOff, int lds, Storage dst, int dstOff, int ldd);

    // ---- several tensors at once -----------------------------------------------------------------------------------
    // A training step applies these to every parameter. A GPU backend does each in one launch with one table of
    // pointers; the defaults loop over the tensors with the single-tensor kernels, so CPU results are unchanged.

    /** Σ over tensors t of Σ_i x_t[i]², in double: the squared global norm of gradient clipping. */
    default double sumOfSquares(Storage[] xs, int[] lengths) {
        KernelChecks.sumOfSquares(xs, lengths);
        double s = 0;
        for (int t = 0; t < xs.length; t++) s += dot(lengths[t], xs[t], 0, xs[t], 0);
        return s;
    }

    /**
     * dst_t += parts[1][t], then += parts[2][t] and so on for every tensor t (as {@link #axpy} with alpha = 1, part
     * by part), and returns {@link #sumOfSquares} of the sums: a data-parallel step's gradient reduction and its
     * global norm in one call, so that a backend can do both in one pass on all its threads. {@code parts[0]} is not
     * read (it is dst itself in the trainer's bookkeeping) and may be null; the parts are left as they were.
     */
    default double addManyAndSumSquares(Storage[] dst, Storage[][] parts, int[] lengths) {
        KernelChecks.addManyAndSumSquares(dst, parts, lengths);
        for (int p = 1; p < parts.length; p++) {
            for (int t = 0; t < dst.length; t++) axpy(lengths[t], 1f, parts[p][t], 0, dst[t], 0);
        }
        return sumOfSquares(dst, lengths);
    }

    /** x_t = alpha * x_t (as {@link #affine} with beta = 0) for every tensor t. */
    default void scaleMany(float alpha, Storage[] xs, int[] lengths) {
        KernelChecks.scaleMany(xs, lengths);
        for (int t = 0; t < xs.length; t++) affine(lengths[t], alpha, 0f, xs[t], 0, xs[t], 0);
    }

    /** x_t = 0 for every tensor t. */
    default void zeroMany(Storage[] xs, int[] lengths) {
        KernelChecks.zeroMany(xs, lengths);
        for (int t = 0; t < xs.length; t++) fill(lengths[t], 0f, xs[t], 0);
    }

    /** {@link #adamStep} on every tensor t, with the same hyperparameters and bias corrections. */
    default void adamStepMany(float lr, float beta1, float beta2, float eps, float c1, float c2, Storage[] params,
                              Storage[] grads, Storage[] m, Storage[] v, int[] lengths) {
        KernelChecks.adamStepMany(params, grads, m, v, lengths);
        for (int t = 0; t < params.length; t++) {
            adamStep(lengths[t], lr, beta1, beta2, eps, c1, c2, params[t], 0, grads[t], 0, m[t], 0, v[t], 0);
        }
    }

    /**
     * {@link #adamStepMany} on the gradients scaled by {@code gradScale} (gradient clipping's factor) as
     * {@link #scaleMany} would scale them, leaving the gradients themselves unscaled where a backend fuses the two;
     * a scale of exactly 1 scales nothing. With {@code zeroGrads} the gradients are zero afterwards, ready for the
     * next step's accumulation ({@link #zeroMany}), which a backend can do in the same pass. The default scales the
     * gradients in place first and zeroes them after.
     */
    default void adamStepMany(float lr, float beta1, float beta2, float eps, float c1, float c2, float gradScale,
                              boolean zeroGrads, Storage[] params, Storage[] grads, Storage[] m, Storage[] v,
                              int[] lengths) {
        KernelChecks.adamStepMany(params, grads, m, v, lengths);
        if (gradScale != 1f) scaleMany(gradScale, grads, lengths);
        adamStepMany(lr, beta1, beta2, eps, c1, c2, params, grads, m, v, lengths);
        if (zeroGrads) zeroMany(grads, lengths);
    }

    // ---- optimizer ----------------------------------------------------------------------------------------------

    /**
     * One Adam step on n parameters: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= m * s / fma(sqrt(v), r, eps), with the bias corrections c1 = 1 - b1^t and c2 = 1 - b2^t, s = lr / c1 and
     * r = 1 / sqrt(c2) as {@link org.jsbi.optim.AdamMath} rounds them: lr (m / c1) / (sqrt(v / c2) + eps) with one
     * division and one square root per element.
     */
    void adamStep(int n, float lr, float beta1, float beta2, float eps, float c1, float c2,
                  Storage param, int pOff, Storage grad, int gOff, Storage m, int mOff, Storage v, int vOff);
}
