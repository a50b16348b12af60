package org.jsbi.autodiff;

/**
 * The closed set of primitive operations the tape records. Each has exactly one gradient rule, in
 * {@link Gradients}; composites (Gaussian log-density, mixtures, autoregressive maps) are built from these.
 */
public enum Op {
    /** A constant or parameter: no inputs. */
    LEAF,
    /** op(A) · op(B); ints = {transA, transB}. */
    MATMUL,
    /** (W ⊙ M) · X with a constant 0/1 mask M (MADE). */
    MASKED_MATMUL,
    /**
     * A layer in one node: f((W ⊙ M) X + b (+ addend)); inputs {W, X, b} or {W, X, b, addend}, mask may be null,
     * unary is f (null: identity).
     */
    DENSE,
    /** Elementwise a op b of equal shapes; binary says which. */
    BINARY,
    /** a[i][j] op v[i] with v a column vector; binary says which. */
    BROADCAST_COLUMN,
    /** a[i][j] op v[j] with v a row vector; binary says which. */
    BROADCAST_ROW,
    /** Elementwise f(a); unary says which. */
    UNARY,
    /** alpha * a + beta, with constants alpha and beta. */
    AFFINE,
    /** One value per row; reduce says which. */
    REDUCE_ROWS,
    /** One value per column; reduce says which. */
    REDUCE_COLUMNS,
    /** One value over everything; reduce says which. */
    REDUCE_ALL,
    /** Rows [start, start + count); ints = {start}. */
    SLICE_ROWS,
    /** Columns [start, start + count); ints = {start}. */
    SLICE_COLUMNS,
    /** Inputs stacked top to bottom. */
    CONCAT_ROWS,
    /** Inputs side by side. */
    CONCAT_COLUMNS,
    /** Row r of the output is row ints[r] of the input. */
    GATHER_ROWS,
    /** Column c of the output is column ints[c] of the input. */
    GATHER_COLUMNS,
    /**
     * A MAF's affine transform in one node, where the backend fuses it: inputs {params (2d x n), u (d x n)}; row r
     * of the output is row ints[r] of softplus(params[0, d)) + alpha) ⊙ u + params[d, 2d). aux holds the scales.
     */
    AFFINE_FLOW,
    /**
     * The log-determinant that goes with an {@link #AFFINE_FLOW} node: inputs {that node} or {that node, the
     * previous log-determinant}; the previous one plus the column sums of log(scale). Its gradient reaches the
     * transform's parameters through the transform node's rule (auxGrad).
     */
    AFFINE_FLOW_LOG_DET,
    /**
     * A Gaussian mixture's log-density per column, where the backend fuses it: inputs {logits, means, diag, z} or
     * {logits, means, diag, z, upper}; aux holds the components' terms and the two log-sum-exps ((K + 2) x n)
     * that the gradient rule reads.
     */
    GAUSSIAN_MIXTURE
}
