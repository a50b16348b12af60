package org.jsbi.optim;

import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.tensor.Storage;
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
        if (params.isEmpty()) return 0;
        Storage[] gs = new Storage[params.size()];
        int[] n = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = params.get(i).grad().storage();
            n[i] = params.get(i).size();
        }
        Backend be = params.get(0).grad().backend();
        double norm = Math.sqrt(be.sumOfSquares(gs, n));
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1.0) be.scaleMany((float) coef, gs, n);
        return norm;
    }
}
