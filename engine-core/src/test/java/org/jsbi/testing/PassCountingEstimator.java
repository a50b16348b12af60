package org.jsbi.testing;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * Another estimator, unchanged, that notes the width (columns) of every log q pass through it, recorded or not: how
 * many passes a caller makes and how wide.
 */
public final class PassCountingEstimator implements ConditionalDensityEstimator {

    private final ConditionalDensityEstimator inner;
    private final List<Integer> widths = new ArrayList<>();

    public PassCountingEstimator(ConditionalDensityEstimator inner) {
        this.inner = inner;
    }

    /** The widths of the passes so far, in order. */
    public synchronized List<Integer> widths() {
        return List.copyOf(widths);
    }

    @Override
    public Var logProb(Tape tape, Var theta, Var x) {
        synchronized (this) {
            widths.add(theta.cols());
        }
        return inner.logProb(tape, theta, x);
    }

    @Override
    public Backend backend() {
        return inner.backend();
    }

    @Override
    public int thetaDim() {
        return inner.thetaDim();
    }

    @Override
    public int xDim() {
        return inner.xDim();
    }

    @Override
    public Tensor sample(int n, float[] x, Rng rng) {
        return inner.sample(n, x, rng);
    }

    @Override
    public ZScore thetaScore() {
        return inner.thetaScore();
    }

    @Override
    public ZScore xScore() {
        return inner.xScore();
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }
}
