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

    final Tensor value;
    final Op op;
    final Var[] inputs;
    final boolean requiresGrad;
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

    Var(Tensor value, Op op, Var[] inputs, boolean requiresGrad) {
        this.value = value;
        this.op = op;
        this.inputs = inputs;
        this.requiresGrad = requiresGrad;
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
