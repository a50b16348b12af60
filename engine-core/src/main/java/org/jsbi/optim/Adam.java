package org.jsbi.optim;

import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.Backend;
import org.jsbi.tensor.Storage;
import org.jsbi.tensor.Tensor;

/** Adam with bias correction (Kingma and Ba 2015), as PyTorch implements it, one fused kernel per parameter. */
public final class Adam {

    private final List<Parameter> params;
    private final AdamConfig config;
    private final Tensor[] m;
    private final Tensor[] v;
    private long step;
    /** {@link #applyStep}'s ranges by their first parameter. */
    private final Range[] ranges;
    /** The bias corrections of the current step, 1 − β₁ᵗ and 1 − β₂ᵗ (set by {@link #beginStep}). */
    private float c1, c2;

    public Adam(List<Parameter> params, AdamConfig config) {
        this.params = List.copyOf(params);
        for (Parameter p : this.params) {
            if (p.value().backend() != this.params.get(0).value().backend()) {
                throw new IllegalArgumentException("Adam needs all parameters on one backend: " + p.name() + " is on "
                        + p.value().backend().name() + ", " + this.params.get(0).name() + " on "
                        + this.params.get(0).value().backend().name());
            }
        }
        this.config = config;
        this.ranges = new Range[this.params.size()];
        this.m = new Tensor[this.params.size()];
        this.v = new Tensor[this.params.size()];
        for (int i = 0; i < m.length; i++) {
            Tensor p = this.params.get(i).value();
            m[i] = Tensor.zeros(p.backend(), p.rows(), p.cols());
            v[i] = Tensor.zeros(p.backend(), p.rows(), p.cols());
        }
    }

    /** Applies one update from the parameters' current gradients. */
    public void step() {
        step(1f);
    }

    /**
     * Applies one update from the parameters' gradients times {@code gradScale}, scaled as
     * {@link org.jsbi.backend.Backend#scaleMany} would (the same bits as clipping first); the gradients themselves
     * may be left unscaled. A scale of 1 is {@link #step()}.
     */
    public void step(float gradScale) {
        step(gradScale, false);
    }

    /**
     * {@link #step(float)}, leaving every gradient zero (as {@link #zeroGrad()} would) in the same pass over them: for
     * training loops whose next step accumulates into zeroed gradients.
     */
    public void stepAndZeroGrad(float gradScale) {
        step(gradScale, true);
    }

    private void step(float gradScale, boolean zeroGrads) {
        beginStep();
        applyStep(gradScale, zeroGrads, 0, params.size());
    }

    /**
     * Starts a step in parts: advances the step count, which fixes the bias corrections that the following
     * {@link #applyStep} calls use. Every parameter must then get exactly one applyStep before the next beginStep,
     * in any order and on any threads: for a data-parallel trainer that updates the parameters each thread needs first.
     */
    public void beginStep() {
        step++;
        c1 = (float) (1.0 - Math.pow(config.beta1(), step));
        c2 = (float) (1.0 - Math.pow(config.beta2(), step));
    }

    /**
     * The update of the step begun by {@link #beginStep} for parameters [from, to) of the list, from their gradients
     * times {@code gradScale}, zeroing those gradients if asked. Each element gets the arithmetic of {@link #step()}.
     */
    public void applyStep(float gradScale, boolean zeroGrads, int from, int to) {
        if (from < 0 || to > params.size() || from > to) {
            throw new IllegalArgumentException("parameters [" + from + ", " + to + ") of " + params.size());
        }
        if (from == to) return;
        Range r = ranges[from];
        if (r == null || r.to() != to) {
            r = range(from, to);
            ranges[from] = r;
        }
        backend().adamStepMany(config.learningRate(), config.beta1(), config.beta2(), config.eps(), c1, c2, gradScale,
                zeroGrads, r.ps(), r.gs(), r.ms(), r.vs(), r.lengths());
    }

    /**
     * The storages and lengths of parameters [from, to), which do not change: kept per range (a trainer updates the
     * same ranges every step), so a step allocates none. A record's final fields publish it safely to the thread
     * that updates the range next time.
     */
    private record Range(int to, Storage[] ps, Storage[] gs, Storage[] ms, Storage[] vs, int[] lengths) {
    }

    private Range range(int from, int to) {
        int n = to - from;
        Storage[] ps = new Storage[n], gs = new Storage[n], ms = new Storage[n], vs = new Storage[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            Parameter p = params.get(from + i);
            ps[i] = p.value().storage();
            gs[i] = p.grad().storage();
            ms[i] = m[from + i].storage();
            vs[i] = v[from + i].storage();
            lengths[i] = p.size();
        }
        return new Range(to, ps, gs, ms, vs, lengths);
    }

    public void zeroGrad() {
        if (params.isEmpty()) return;
        Storage[] gs = new Storage[params.size()];
        for (int i = 0; i < gs.length; i++) gs[i] = params.get(i).grad().storage();
        backend().zeroMany(gs, lengths());
    }

    private Backend backend() {
        return params.get(0).value().backend();
    }

    private int[] lengths() {
        int[] n = new int[params.size()];
        for (int i = 0; i < n.length; i++) n[i] = params.get(i).size();
        return n;
    }

    public long stepCount() {
        return step;
    }

    public AdamConfig config() {
        return config;
    }
}
