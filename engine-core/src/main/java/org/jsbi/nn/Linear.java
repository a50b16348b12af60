package org.jsbi.nn;

import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/** y = W x + b in the batch-major layout: x is in x batch, W is out x in, b is out x 1, y is out x batch. */
public final class Linear implements Module {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(Backend backend, int in, int out, Rng rng) {
        this(backend, "linear", in, out, rng);
    }

    public Linear(Backend backend, String name, int in, int out, Rng rng) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear needs in, out >= 1, got " + in + ", " + out);
        this.in = in;
        this.out = out;
        this.weight = new Parameter(name + ".weight", Tensor.zeros(backend, out, in));
        this.bias = new Parameter(name + ".bias", Tensor.zeros(backend, out, 1));
        Init.kaimingUniform(weight.value(), in, rng);
        Init.linearBias(bias.value(), in, rng);
    }

    public Var forward(Tape tape, Var x) {
        if (x.rows() != in) {
            throw new IllegalArgumentException("Linear expects " + in + " input rows (features x batch), got "
                    + x.value().shape());
        }
        return tape.broadcastColumn(BinaryOp.ADD, tape.matmul(tape.param(weight), x), tape.param(bias));
    }

    /**
     * f(this layer's output + addend) (addend may be null): one fused tape node ({@link Tape#dense}) where f allows,
     * else the separate operations, which give the same values.
     */
    public Var forward(Tape tape, Var x, Var addend, Activation f) {
        return Layers.forward(tape, "Linear", in, weight, null, bias, x, addend, f);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
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
