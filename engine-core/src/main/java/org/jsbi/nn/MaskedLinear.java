package org.jsbi.nn;

import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * y = (W ⊙ M) x + b with a fixed 0/1 mask M (out x in): the layer of MADE. Initialised as PyTorch initialises
 * the unmasked layer, as the peers do.
 */
public final class MaskedLinear implements Module {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor mask;
    /**
     * The mask where it hides something, null where it is all ones (a MADE's hidden-to-hidden blocks when every hidden
     * unit has the same degree, as at D = 2): then the layer runs as an unmasked one, which gives the same bits
     * (w · 1 = w) without reading the mask in each product or masking each weight gradient (a product into scratch,
     * a multiply and an add, against one product into the gradient).
     */
    private final Tensor effectiveMask;

    public MaskedLinear(Backend backend, String name, Tensor mask, Rng rng) {
        this.out = mask.rows();
        this.in = mask.cols();
        if (in < 1 || out < 1) throw new IllegalArgumentException("MaskedLinear needs a mask of at least 1 x 1");
        boolean allOnes = true;
        for (float f : mask.toArray()) {
            if (f != 0f && f != 1f) throw new IllegalArgumentException("mask values must be 0 or 1, found " + f);
            allOnes &= f == 1f;
        }
        this.mask = mask.to(backend);
        this.effectiveMask = allOnes ? null : this.mask;
        this.weight = new Parameter(name + ".weight", Tensor.zeros(backend, out, in));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(backend, out, 1));
        Init.kaimingUniform(weight.value(), in, rng);
        Init.linearBias(bias.value(), in, rng);
    }

    public Var forward(Tape tape, Var x) {
        if (x.rows() != in) {
            throw new IllegalArgumentException("MaskedLinear expects " + in + " input rows, got " + x.value().shape());
        }
        Var w = tape.param(weight);
        return tape.broadcastColumn(BinaryOp.ADD,
                effectiveMask == null ? tape.matmul(w, x) : tape.maskedMatmul(w, effectiveMask, x), tape.param(bias));
    }

    /**
     * f(this layer's output + addend) (addend may be null): one fused tape node ({@link Tape#dense}) where f allows,
     * else the separate operations, which give the same values.
     */
    public Var forward(Tape tape, Var x, Var addend, Activation f) {
        return Layers.forward(tape, "MaskedLinear", in, weight, effectiveMask, bias, x, addend, f);
    }

    /**
     * Rows {@code rows} of f(this layer's output + addend) (addend: those rows only, or null), reading only the first
     * {@code cols} inputs (x: cols x n): the values of those rows of {@link #forward(Tape, Var, Var, Activation)} where
     * the mask hides every weight of theirs past input cols. No gradients: for evaluation (MAF sampling, where a MADE
     * with its units in order of degree needs only a prefix of each layer for one coordinate).
     */
    public Var forwardRows(Tape tape, int[] rows, int cols, Var x, Var addend, Activation f) {
        if (tape.isRecording()) throw new IllegalStateException("forwardRows is for evaluation, on a no-grad tape");
        if (cols < 1 || cols > in || x.rows() != cols) {
            throw new IllegalArgumentException("forwardRows: " + cols + " of " + in + " inputs, x has " + x.rows()
                    + " rows");
        }
        for (int r : rows) {
            if (r < 0 || r >= out) throw new IllegalArgumentException("forwardRows: row " + r + " of " + out);
        }
        Tensor[] c = Layers.rows(weight.value(), bias.value(), effectiveMask, rows, cols);
        return Layers.apply(tape, tape.constant(c[0]), c[2], tape.constant(c[1]), x, addend, f);
    }

    public Tensor mask() {
        return mask;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }
}
