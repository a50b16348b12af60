package org.jsbi.nn;

import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.UnaryOp;

/** Hidden-layer nonlinearities. */
public enum Activation {
    TANH(UnaryOp.TANH), RELU(UnaryOp.RELU), SIGMOID(UnaryOp.SIGMOID), SOFTPLUS(UnaryOp.SOFTPLUS), IDENTITY(null);

    private final UnaryOp op;

    Activation(UnaryOp op) {
        this.op = op;
    }

    public Var apply(Tape tape, Var x) {
        return op == null ? x : tape.unary(op, x);
    }

    /** The elementwise function, null for the identity. */
    public UnaryOp op() {
        return op;
    }

    /** Whether {@link Tape#dense} can apply this activation inside a fused layer. */
    public boolean fusable() {
        return Tape.fuses(op);
    }
}
