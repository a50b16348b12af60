package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jsbi.autodiff.AutodiffGradCheckSuite;
import org.jsbi.autodiff.AutodiffGradCheckSuite.Evaluation;
import org.jsbi.autodiff.AutodiffGradCheckSuite.OpCase;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.nn.Activation;
import org.jsbi.nn.Mlp;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The autodiff graphs of {@link AutodiffGradCheckSuite} (every op and variant, at its small shapes and at larger
 * ones: 1x1021, 50x207, 17x33, products up to k = 300 and n = 1021) and an MLP loss at batch sizes 1, 7, 8, 9, 13, 50,
 * 207 and 1021, run on the scalar reference and the SIMD backend from identical inputs and parameters: forward values
 * and every gradient must agree. Surefire runs this at the native width, 128 and 256 bits.
 *
 * <p>Tolerance, with b the scalar reference and a the SIMD result:
 * <ul>
 *   <li>elementwise ops and data movement (no value is a sum of more than one term):
 *       |a_i − b_i| ≤ 1e-5 (1 + |b_i|) for every element: a few float32 roundings and 1–2 ulp differences of the
 *       Vector API's transcendental functions;</li>
 *   <li>anything that sums K terms (products, reductions, broadcast-vector gradients, scatter-adds, the MLP with
 *       K = max(batch, widest layer)): max_i |a_i − b_i| ≤ 1e-5 √K (1 + max_i |b_i|), per tensor: float32 sums in a
 *       different order (SIMD lanes, FMA, blocking; the reference sums some reductions in double) differ by about
 *       √K roundings of the tensor's scale.</li>
 * </ul>
 */
class SimdGradientConformanceTest {

    private static final long SEED = AutodiffGradCheckSuite.SEED;
    private static final double TOL = 1e-5;
    private static final int[] BATCHES = {1, 7, 8, 9, 13, 50, 207, 1021};

    private final Backend scalar = new ScalarBackend();
    private final Backend simd = new SimdBackend();

    private static String ctx() {
        return " [simd " + SimdConfig.bits() + "-bit, " + SimdConfig.LANES + " lanes]" + TestSeeds.replay(SEED);
    }

    /** The tolerance of this class (see the class comment); accumulation K ≤ 1 means elementwise. */
    static void assertConforms(String what, float[] simdValues, float[] scalarValues, int accumulation) {
        assertEquals(scalarValues.length, simdValues.length, what + ": length" + ctx());
        if (accumulation <= 1) {
            for (int i = 0; i < scalarValues.length; i++) {
                double b = scalarValues[i], a = simdValues[i];
                double bound = TOL * (1 + Math.abs(b));
                if (!(Math.abs(a - b) <= bound)) {
                    fail(String.format("%s: element %d: simd %.9g, scalar %.9g, |diff| %.3g > 1e-5 (1 + |scalar|)"
                            + " = %.3g%s", what, i, a, b, Math.abs(a - b), bound, ctx()));
                }
            }
        } else {
            double maxDiff = 0, maxRef = 0;
            int worst = 0;
            for (int i = 0; i < scalarValues.length; i++) {
                double d = Math.abs((double) simdValues[i] - scalarValues[i]);
                if (!(d <= maxDiff)) {
                    maxDiff = d;
                    worst = i;
                }
                maxRef = Math.max(maxRef, Math.abs(scalarValues[i]));
            }
            double bound = TOL * Math.sqrt(accumulation) * (1 + maxRef);
            if (!(maxDiff <= bound)) {
                fail(String.format("%s: max |simd − scalar| %.3g > 1e-5 √%d (1 + max|scalar| = %.4g) = %.3g; worst at"
                                + " element %d: simd %.9g, scalar %.9g%s", what, maxDiff, accumulation, 1 + maxRef,
                        bound, worst, simdValues[worst], scalarValues[worst], ctx()));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOpMatchesScalarReference() {
        return AutodiffGradCheckSuite.opCases(SEED, true).stream().map(c -> dynamicTest(c.name(), () -> checkCase(c)));
    }

    private void checkCase(OpCase c) {
        Evaluation ref = AutodiffGradCheckSuite.evaluate(c, scalar);
        Evaluation got = AutodiffGradCheckSuite.evaluate(c, simd);
        assertEquals(ref.rows(), got.rows(), c.name() + ": output rows");
        assertEquals(ref.cols(), got.cols(), c.name() + ": output cols");
        assertConforms(c.name() + ": forward", got.forward(), ref.forward(), c.accumulation());
        for (int i = 0; i < ref.gradients().size(); i++) {
            assertConforms(c.name() + ": gradient of input " + i, got.gradients().get(i), ref.gradients().get(i),
                    c.accumulation());
        }
    }

    @TestFactory
    Stream<DynamicTest> mlpLossGradientMatchesScalarReference() {
        Stream<DynamicTest> tanh = IntStream.of(BATCHES)
                .mapToObj(b -> dynamicTest("Mlp 5-50-50-3 TANH, batch " + b, () -> checkMlp(Activation.TANH, b)));
        Stream<DynamicTest> others = Stream.of(Activation.SOFTPLUS, Activation.SIGMOID)
                .flatMap(a -> IntStream.of(9, 207).mapToObj(b ->
                        dynamicTest("Mlp 5-50-50-3 " + a + ", batch " + b, () -> checkMlp(a, b))));
        return Stream.concat(tanh, others);
    }

    private void checkMlp(Activation activation, int batch) {
        long seed = SEED + 1000L * batch + activation.ordinal();
        int in = 5, width = 50, out = 3;
        Mlp ms = new Mlp(scalar, in, new int[] {width, width}, out, activation, new Rng(seed));
        Mlp mv = new Mlp(simd, in, new int[] {width, width}, out, activation, new Rng(seed));
        List<Parameter> ps = ms.parameters(), pv = mv.parameters();
        assertEquals(ps.size(), pv.size());
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(ps.get(i).value().toArray(), pv.get(i).value().toArray(), 0f,
                    "identical initial parameters " + ps.get(i) + ctx());
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[in * batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();

        List<float[]> ref = lossAndGradients(ms, scalar, x, in, batch);
        List<float[]> got = lossAndGradients(mv, simd, x, in, batch);
        int k = Math.max(batch, width);
        String name = "Mlp " + in + "-" + width + "-" + width + "-" + out + " " + activation + " batch " + batch;
        assertConforms(name + ": output", got.get(0), ref.get(0), k);
        assertConforms(name + ": loss Σ y²", got.get(1), ref.get(1), k);
        for (int i = 0; i < ps.size(); i++) {
            assertConforms(name + ": gradient of " + ps.get(i).name(), got.get(i + 2), ref.get(i + 2), k);
        }
    }

    /** [output, loss, gradient of each parameter] of Σ y² on one backend. */
    private static List<float[]> lossAndGradients(Mlp mlp, Backend be, float[] x, int in, int batch) {
        Tape tape = Tape.recording(be);
        Var y = mlp.forward(tape, tape.constant(Tensor.of(be, in, batch, x)));
        Var loss = tape.sum(tape.square(y));
        mlp.zeroGrad();
        tape.backward(loss);
        List<float[]> res = new ArrayList<>();
        res.add(y.value().toArray());
        res.add(new float[] {loss.item()});
        for (Parameter p : mlp.parameters()) res.add(p.grad().toArray());
        return res;
    }
}
