package org.jsbi.autodiff;

import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ReduceOp;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.Tensor;

/**
 * A value in a computation: its tensor, how it was made, and (after {@link Tape#backward}) its gradient.
 * Created only by a {@link Tape}.
 */
public final class Var {

    /** The inputs of a leaf: none. */
    static final Var[] NO_INPUTS = new Var[0];

    // Not final: a tape on a TapeArena takes its Vars from the arena, which hands the same objects out every step.
    Tensor value;
    Op op;
    /** The operation's inputs (empty for a leaf), null where the tape does not record. */
    Var[] inputs;
    boolean requiresGrad;
    Tensor grad;
    /** A {@link Tape#param} leaf: its grad is a parameter's gradient tensor. */
    boolean parameter;

    // Operation arguments; which ones are set depends on op.
    UnaryOp unary;
    BinaryOp binary;
    ReduceOp reduce;
    int[] ints;
    float alpha;
    float beta;
    Tensor mask;
    /** A value the backward rule needs besides inputs and output ({@link Op#AFFINE_FLOW}: the scales). */
    Tensor aux;
    /** A gradient a later node hands this node's rule ({@link Op#AFFINE_FLOW}: the log-determinant's). */
    Tensor auxGrad;
    /** The array {@link #copyOfInts} last filled: kept across {@link #reset}, so a pooled Var reuses it. */
    private int[] spareInts;

    Var(Tensor value, Op op, Var[] inputs, boolean requiresGrad) {
        this.value = value;
        this.op = op;
        this.inputs = inputs;
        this.requiresGrad = requiresGrad;
    }

    /**
     * This Var as a new one would be: value, op, requiresGrad and every other field cleared; inputs an array of
     * {@code arity} (null: none, a tape that does not record), this Var's own from an earlier use where the arity
     * is the same, which the caller fills.
     */
    void reset(Tensor value, Op op, int arity, boolean requiresGrad) {
        this.value = value;
        this.op = op;
        if (arity < 0) {
            inputs = null;
        } else if (arity == 0) {
            inputs = NO_INPUTS;
        } else if (inputs == null || inputs.length != arity) {
            inputs = new Var[arity];
        }
        this.requiresGrad = requiresGrad;
        grad = null;
        parameter = false;
        unary = null;
        binary = null;
        reduce = null;
        ints = null;
        alpha = 0f;
        beta = 0f;
        mask = null;
        aux = null;
        auxGrad = null;
    }

    /** A copy of src, in this Var's spare array where it has the length (an operation's ints, safe from the caller). */
    int[] copyOfInts(int[] src) {
        if (spareInts == null || spareInts.length != src.length) {
            spareInts = src.clone();
        } else {
            System.arraycopy(src, 0, spareInts, 0, src.length);
        }
        return spareInts;
    }

    public Tensor value() {
        return value;
    }

    /** The gradient of the last backward pass's output with respect to this value, or null if none flowed here. */
    public Tensor grad() {
        return grad;
    }

    public Op op() {
        return op;
    }

    public int rows() {
        return value.rows();
    }

    public int cols() {
        return value.cols();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The single value of a 1 x 1 result. */
    public float item() {
        if (value.size() != 1) throw new IllegalStateException("item() needs a 1 x 1 value, this is " + value.shape());
        return value.get(0, 0);
    }

    @Override
    public String toString() {
        return "Var[" + op + ", " + value.shape() + "]";
    }
}
