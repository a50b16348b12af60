package org.jsbi.optim;

import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.tensor.Tensor;

/** Adam with bias correction (Kingma and Ba 2015), as PyTorch implements it, one fused kernel per parameter. */
public final class Adam {

    private final List<Parameter> params;
    private final AdamConfig config;
    private final Tensor[] m;
    private final Tensor[] v;
    private long step;

    public Adam(List<Parameter> params, AdamConfig config) {
        this.params = List.copyOf(params);
        this.config = config;
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
        step++;
        float c1 = (float) (1.0 - Math.pow(config.beta1(), step));
        float c2 = (float) (1.0 - Math.pow(config.beta2(), step));
        for (int i = 0; i < m.length; i++) {
            Parameter p = params.get(i);
            p.value().backend().adamStep(p.size(), config.learningRate(), config.beta1(), config.beta2(), config.eps(),
                    c1, c2, p.value().storage(), 0, p.grad().storage(), 0, m[i].storage(), 0, v[i].storage(), 0);
        }
    }

    public void zeroGrad() {
        for (Parameter p : params) p.zeroGrad();
    }

    public long stepCount() {
        return step;
    }

    public AdamConfig config() {
        return config;
    }
}
