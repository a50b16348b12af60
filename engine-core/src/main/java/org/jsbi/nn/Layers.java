package org.jsbi.nn;

import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.BinaryOp;
import org.jsbi.tensor.Tensor;

/** The layer forward that {@link Linear} and {@link MaskedLinear} share: f((W ⊙ M) x + b + addend). */
final class Layers {

    private Layers() {
    }

    /**
     * One fused tape node ({@link Tape#dense}) where f allows, else the separate operations, which give the same
     * values. mask and addend may be null.
     */
    static Var forward(Tape tape, String layer, int in, Parameter weight, Tensor mask, Parameter bias, Var x, Var addend,
                       Activation f) {
        if (x.rows() != in) {
            throw new IllegalArgumentException(layer + " expects " + in + " input rows (features x batch), got "
                    + x.value().shape());
        }
        if (f.fusable()) return tape.dense(tape.param(weight), mask, x, tape.param(bias), addend, f.op());
        Var w = tape.param(weight);
        Var h = tape.broadcastColumn(BinaryOp.ADD, mask == null ? tape.matmul(w, x) : tape.maskedMatmul(w, mask, x),
                tape.param(bias));
        if (addend != null) h = tape.add(h, addend);
        return f.apply(tape, h);
    }
}
