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
        return apply(tape, tape.param(weight), mask, tape.param(bias), x, addend, f);
    }

    /** The operations of {@link #forward} on given weight and bias values. */
    static Var apply(Tape tape, Var w, Tensor mask, Var b, Var x, Var addend, Activation f) {
        if (f.fusable()) return tape.dense(w, mask, x, b, addend, f.op());
        Var h = tape.broadcastColumn(BinaryOp.ADD, mask == null ? tape.matmul(w, x) : tape.maskedMatmul(w, mask, x), b);
        if (addend != null) h = tape.add(h, addend);
        return f.apply(tape, h);
    }

    /**
     * Rows {@code rows} of a layer's weights (out x in), bias and mask (null: none), cut to their first {@code cols}
     * inputs: {W, b, M} as new tensors, for evaluating those rows of the layer alone (no gradients).
     */
    static Tensor[] rows(Tensor weight, Tensor bias, Tensor mask, int[] rows, int cols) {
        org.jsbi.backend.Backend be = weight.backend();
        int in = weight.cols();
        Tensor w = Tensor.zeros(be, rows.length, cols), b = Tensor.zeros(be, rows.length, 1);
        Tensor m = mask == null ? null : Tensor.zeros(be, rows.length, cols);
        int r = 0;
        while (r < rows.length) {
            int run = 1;   // consecutive rows in one copy
            while (r + run < rows.length && rows[r + run] == rows[r] + run) run++;
            be.copy2d(run, cols, weight.storage(), rows[r] * in, in, w.storage(), r * cols, cols);
            be.copy2d(run, 1, bias.storage(), rows[r], 1, b.storage(), r, 1);
            if (m != null) be.copy2d(run, cols, mask.storage(), rows[r] * in, in, m.storage(), r * cols, cols);
            r += run;
        }
        return new Tensor[] {w, b, m};
    }
}
