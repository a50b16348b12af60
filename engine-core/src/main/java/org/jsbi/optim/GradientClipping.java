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
        double sumOfSquares = be.sumOfSquares(gs, n);
        float scale = scale(sumOfSquares, maxNorm);
        if (scale != 1f) be.scaleMany(scale, gs, n);
        return Math.sqrt(sumOfSquares);
    }

    /**
     * The factor {@link #clipNorm} scales the gradients by, from their squared global norm: maxNorm / (norm + 1e-6)
     * when that is below 1, else exactly 1. For callers that fold the scaling into the optimizer's step
     * ({@link Adam#step(float)}).
     */
    public static float scale(double sumOfSquares, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxNorm);
        double coef = maxNorm / (Math.sqrt(sumOfSquares) + 1e-6);
        return coef < 1.0 ? (float) coef : 1f;
    }
}
