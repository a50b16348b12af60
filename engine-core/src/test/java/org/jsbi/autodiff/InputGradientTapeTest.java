package org.jsbi.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Tape#recordingInputGradients}: the gradient of log q with respect to θ is the same, bit for bit, as on a
 * plain recording tape (fresh tensors or an arena's), from a graph that records fewer nodes, and no parameter's
 * gradient accumulator is written.
 */
class InputGradientTapeTest {

    private final Backend be = new ScalarBackend();

    private static float[] thetaGradient(ConditionalDensityEstimator est, Tape tape, Tensor theta, Tensor x) {
        Var th = tape.variable(theta);
        tape.backward(tape.sum(est.logProb(tape, th, tape.constant(x))));
        return th.grad().toArray();
    }

    @Test
    void sameThetaGradientAndNoParameterGradient() {
        Rng rng = new Rng(5);
        ZScore ts = new ZScore(new float[] {0.5f, -1f, 2f}, new float[] {1.5f, 0.7f, 2f});
        List<ConditionalDensityEstimator> estimators = List.of(
                new Maf(be, 3, 2, ts, ZScore.identity(2), MafConfig.defaults().withTransforms(2)
                        .withHiddenFeatures(12), rng),
                new Mdn(be, 3, 2, ts, ZScore.identity(2), MdnConfig.defaults().withHiddenFeatures(12)
                        .withComponents(3), rng));
        int n = 13;
        float[] t = new float[3 * n], xs = new float[2 * n];
        for (int i = 0; i < t.length; i++) t[i] = (float) rng.nextGaussian();
        for (int i = 0; i < xs.length; i++) xs[i] = (float) rng.nextGaussian();
        Tensor theta = Tensor.of(be, 3, n, t), x = Tensor.of(be, 2, n, xs);
        for (ConditionalDensityEstimator est : estimators) {
            String name = est.getClass().getSimpleName();
            Tape plain = Tape.recording(be);
            float[] expected = thetaGradient(est, plain, theta, x);
            est.zeroGrad();
            Tape inputs = Tape.recordingInputGradients(be, null);
            assertArrayEquals(expected, thetaGradient(est, inputs, theta, x), name + ", fresh tensors");
            assertTrue(inputs.size() < plain.size(), name + ": " + inputs.size() + " nodes recorded against "
                    + plain.size() + " with the parameters'");
            TapeArena arena = new TapeArena(be);
            for (int step = 0; step < 2; step++) {
                assertArrayEquals(expected, thetaGradient(est, Tape.recordingInputGradients(be, arena), theta, x),
                        name + ", arena, pass " + step);
            }
            for (Parameter p : est.parameters()) {
                assertArrayEquals(new float[p.size()], p.grad().toArray(), name + " " + p.name());
            }
        }
    }
}
