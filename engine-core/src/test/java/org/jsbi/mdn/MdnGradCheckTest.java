package org.jsbi.mdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.stream.Stream;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.nn.Activation;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.DirectionalGradCheck;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole-model gradient check of the MDN: the mean negative log-likelihood over a small batch, its float32 tape
 * gradient with respect to every parameter against float64 central differences of an independent float64
 * re-implementation ({@link MdnTesting#logProb64}).
 *
 * <p>Method (as the MLP check in AutodiffGradCheckSuite): for a random direction v (entries U(−1, 1)) over all
 * parameters, and for v restricted to each parameter tensor in turn, compare g·v with
 * (L64(θ + t v) − L64(θ − t v)) / 2t, t = 1e-6 (truncation O(t²) ≈ 1e-12, rounding ≈ 1e-16 |L| / t ≈ 1e-10).
 * Measure: |g·v − numeric| / Σ_i |g_i v_i| ≤ 1e-5, relative to the ℓ1 scale of the dot product, which float32
 * rounding of g can move by ~1e-6 of itself whatever the direction, while a wrong rule or layout moves it by
 * O(1e-2) or more (the largest error seen with these seeds is 7.2e-7). Also the float32 loss against the float64
 * loss, relative 1e-5.
 *
 * <p>ReLU kinks: a perturbation of 1e-6 moves a pre-activation by ~1e-5; the chance that one of the few hundred
 * pre-activations here sits that close to 0 is well below 1%, and the seeds are fixed.
 */
class MdnGradCheckTest {

    private static final long SEED = TestSeeds.seed(7_301L);
    private static final double TOLERANCE = 1e-5;

    private record Case(String name, int thetaDim, int xDim, MdnConfig cfg, int batch) {
    }

    @TestFactory
    Stream<DynamicTest> meanNllGradientMatchesCentralDifferences() {
        MdnConfig small = MdnConfig.defaults().withHiddenFeatures(8).withComponents(4);
        return Stream.of(
                new Case("D=3 xDim=2 K=4 H=8 L=2 ReLU", 3, 2, small, 7),
                new Case("D=1 xDim=3 K=3 H=8 L=2 ReLU", 1, 3, small.withComponents(3), 9),
                new Case("D=2 xDim=1 K=1 H=6 L=1 tanh", 2, 1, small.withComponents(1).withHiddenFeatures(6)
                        .withHiddenLayers(1).withActivation(Activation.TANH), 5),
                new Case("D=4 xDim=2 K=10 H=10 L=0", 4, 2, MdnConfig.defaults().withHiddenFeatures(10)
                        .withHiddenLayers(0), 6))
                .map(c -> dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) {
        Backend be = new ScalarBackend();
        long seed = SEED + 1000L * c.thetaDim() + 17L * c.cfg().components() + c.cfg().hiddenLayers();
        Rng rng = new Rng(seed);
        ZScore ts = DirectionalGradCheck.randomScore(c.thetaDim(), rng), xs = DirectionalGradCheck.randomScore(c.xDim(), rng);
        Mdn mdn = new Mdn(be, c.thetaDim(), c.xDim(), ts, xs, c.cfg(), rng);
        MdnTesting.perturb(mdn, rng, 0.3);
        int n = c.batch();
        float[] theta = new float[c.thetaDim() * n], x = new float[c.xDim() * n];
        for (int i = 0; i < theta.length; i++) theta[i] = (float) (ts.mean()[i / n] + ts.std()[i / n] * rng.nextGaussian());
        for (int i = 0; i < x.length; i++) x[i] = (float) (xs.mean()[i / n] + xs.std()[i / n] * rng.nextGaussian());

        Tape tape = Tape.recording(be);
        Var lp = mdn.logProb(tape, tape.constant(Tensor.of(be, c.thetaDim(), n, theta)),
                tape.constant(Tensor.of(be, c.xDim(), n, x)));
        assertEquals(1, lp.rows());
        assertEquals(n, lp.cols());
        Var loss = tape.scale(tape.mean(lp), -1f);
        mdn.zeroGrad();
        tape.backward(loss);

        List<Parameter> ps = mdn.parameters();
        double[][] p = MdnTesting.params64(mdn);
        float[][] g = new float[ps.size()][];
        for (int i = 0; i < g.length; i++) g[i] = ps.get(i).grad().toArray();
        double[] th64 = MdnTesting.toDouble(theta), x64 = MdnTesting.toDouble(x);
        double l64 = MdnTesting.meanNll64(mdn, p, th64, x64, n);
        double fwdErr = Math.abs(loss.item() - l64) / Math.max(Math.abs(l64), 1e-3);
        assertTrue(fwdErr <= 1e-5, c.name() + ": float32 loss " + loss.item() + " vs float64 " + l64
                + " (relative " + fwdErr + ")" + TestSeeds.replay(SEED));

        List<String> names = ps.stream().map(Parameter::name).toList();
        double worst = DirectionalGradCheck.check(c.name(), p, g, names,
                q -> MdnTesting.meanNll64(mdn, q, th64, x64, n), TOLERANCE, seed, SEED);
        System.out.printf("MDN grad check %s: worst relative error %.3g%n", c.name(), worst);
    }
}
