package org.jsbi.optim;

import java.util.List;
import org.jsbi.autodiff.Parameter;

/** Clipping by the global gradient norm, as PyTorch's {@code clip_grad_norm_}. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales all gradients by maxNorm / (norm + 1e-6) when their joint L2 norm exceeds maxNorm.
     *
     * @return the norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clipNorm(List<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxNorm);
        double sq = 0;
        for (Parameter p : params) {
            sq += p.grad().backend().dot(p.size(), p.grad().storage(), 0, p.grad().storage(), 0);
        }
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1.0) {
            for (Parameter p : params) {
                p.grad().backend().affine(p.size(), (float) coef, 0f, p.grad().storage(), 0, p.grad().storage(), 0);
            }
        }
        return norm;
    }
}
