package org.jsbi.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.random.Rng;

/** A multilayer perceptron: Linear layers with an activation between them and none after the last. */
public final class Mlp implements Module {

    private final List<Linear> layers;
    private final Activation activation;
    private final List<Parameter> parameters;

    /**
     * @param in     input features
     * @param hidden hidden layer widths (may be empty: a single Linear layer)
     * @param out    output features
     */
    public Mlp(Backend backend, int in, int[] hidden, int out, Activation activation, Rng rng) {
        List<Linear> ls = new ArrayList<>();
        int prev = in;
        for (int i = 0; i < hidden.length; i++) {
            ls.add(new Linear(backend, "mlp." + i, prev, hidden[i], rng));
            prev = hidden[i];
        }
        ls.add(new Linear(backend, "mlp." + hidden.length, prev, out, rng));
        this.layers = Collections.unmodifiableList(ls);
        this.activation = activation;
        List<Parameter> ps = new ArrayList<>();
        for (Linear l : ls) ps.addAll(l.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    /** x is in x batch; the result is out x batch (no activation on the output layer). */
    public Var forward(Tape tape, Var x) {
        return forward(tape, x, Activation.IDENTITY);
    }

    /** As {@link #forward(Tape, Var)} with {@code outputActivation} applied to the output layer too. */
    public Var forward(Tape tape, Var x, Activation outputActivation) {
        Var h = x;
        int last = layers.size() - 1;
        // Each layer one fused tape node (Tape.dense) where the activation allows.
        for (int i = 0; i <= last; i++) h = layers.get(i).forward(tape, h, null, i < last ? activation : outputActivation);
        return h;
    }

    public List<Linear> layers() {
        return layers;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
