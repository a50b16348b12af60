package org.jsbi.autodiff;

import org.jsbi.tensor.Tensor;

/** A trainable tensor with its gradient accumulator, shared by every tape that uses it. */
public final class Parameter {

    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.backend(), value.rows(), value.cols());
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    /** Accumulated gradient; backward adds to it, {@link #zeroGrad()} clears it. */
    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad.zero();
    }

    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return "Parameter[" + name + ", " + value.shape() + "]";
    }
}
