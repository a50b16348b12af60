package org.jsbi.estimator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** What both estimators refuse at their evaluation and sampling entry points, whatever their training. */
class EstimatorInputTest {

    private final Backend be = new ScalarBackend();

    private List<ConditionalDensityEstimator> estimators() {
        return List.of(
                new Maf(be, 4, 1, ZScore.identity(4), ZScore.identity(1), MafConfig.defaults().withTransforms(1)
                        .withHiddenFeatures(8), new Rng(1)),
                new Mdn(be, 4, 1, ZScore.identity(4), ZScore.identity(1), MdnConfig.defaults().withHiddenFeatures(8)
                        .withComponents(2), new Rng(1)));
    }

    @Test
    void aSampleCountWhoseValuesOverflowOneArrayIsRefused() {
        for (ConditionalDensityEstimator est : estimators()) {
            // 2^30 samples of 4 dimensions: the product wrapped to 0 and the buffer was silently empty.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> est.sample(1 << 30, new float[] {0f}, new Rng(2)), est.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("draw them in batches"), e.getMessage());
        }
    }

    @Test
    void aNonFiniteThetaOrXIsRefusedNotEvaluatedToNaN() {
        for (ConditionalDensityEstimator est : estimators()) {
            Tensor theta = Tensor.of(be, 4, 2, new float[8]);
            Tensor x = Tensor.of(be, 1, 2, new float[] {0f, Float.NaN});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.logProb(theta, x));
            assertTrue(e.getMessage().startsWith("x holds NaN at dimension 0 of sample 1"), e.getMessage());
            float[] t = new float[8];
            t[5] = Float.POSITIVE_INFINITY;
            e = assertThrows(IllegalArgumentException.class,
                    () -> est.logProb(Tensor.of(be, 4, 2, t), Tensor.of(be, 1, 2, new float[2])));
            assertTrue(e.getMessage().startsWith("θ holds Infinity at dimension 2 of sample 1"), e.getMessage());
        }
    }
}
