package org.jsbi.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jsbi.autodiff.AutodiffGradCheckSuite.Evaluation;
import org.jsbi.autodiff.AutodiffGradCheckSuite.OpCase;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.nn.Activation;
import org.jsbi.nn.Mlp;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.jsbi.train.EstimatorFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The autodiff graphs of {@link AutodiffGradCheckSuite} (every op and variant, at its small shapes and at larger
 * ones: 1x1021, 50x207, 17x33, products up to k = 300 and n = 1021), an MLP loss at batch sizes 1, 7, 8, 9, 13, 50,
 * 207 and 1021, and the NPE loss (mean negative log-probability, built as {@code Trainer} builds it) of a default MAF
 * (5 transforms, 2 blocks of 50: 3 hidden layers) and a default MDN (2 hidden layers of 50, 10 components), with
 * θ and x of dimension 2 and 10 and batch sizes 7, 200 and 1021, run on the scalar reference and a candidate backend
 * from identical inputs and parameters: forward values and every gradient must agree.
 *
 * <p>Tolerance, with b the scalar reference and a the candidate backend's result:
 * <ul>
 *   <li>elementwise ops and data movement (no value is a sum of more than one term):
 *       |a_i − b_i| ≤ 1e-5 (1 + |b_i|) for every element: a few float32 roundings and 1–2 ulp differences of the
 *       candidate's transcendental functions;</li>
 *   <li>anything that sums K terms (products, reductions, broadcast-vector gradients, scatter-adds, the MLP with
 *       K = max(batch, widest layer)): max_i |a_i − b_i| ≤ 1e-5 √K (1 + max_i |b_i|), per tensor: float32 sums in a
 *       different order (SIMD lanes, FMA, blocking; the reference sums some reductions in double) differ by about
 *       √K roundings of the tensor's scale.</li>
 * </ul>
 *
 * <p>The MAF and MDN use the same accumulation tolerance, 1e-5 √K (1 + max |b|) per tensor (the loss is one value),
 * with K = max(batch, widest layer), the widest layer being the largest dimension of any weight matrix: 50 for the
 * MAF (hidden width; its output layers have 2D ≤ 20 rows); for the MDN 50, or at D = 10 the Cholesky off-diagonal
 * head's 10 · D (D − 1) / 2 = 450 outputs, whose backward product sums 450 terms into each hidden unit's gradient.
 * The loss is a mean over the batch and every weight and bias gradient a sum over it. Both models are built by
 * {@link EstimatorFactory#maf()} and {@link EstimatorFactory#mdn()} (the defaults) from the same seed on both
 * backends, with z-scoring fitted ({@link ZScore#fit}) to the batch as the Trainer fits it to the training split;
 * then the same N(0, 0.1²) noise is added to every parameter of both. Why: at the constructed parameters (the MDN's
 * heads start at 1e-3 of the usual scale) the largest element of some gradient tensors (MDN logits head, first MAF
 * layers, at batch 1021) is only ~5 times the bound, so a wrong gradient there could pass; with the noise every
 * tensor's largest element is at least 37 times its bound.
 * The composite models need no looser tolerance: measured on SIMD (native 256, 128 bits), the largest
 * max |a − b| / (1 + max |b|) over the loss and all gradient tensors is 5.4e-7 for the MAF (θ 2, x 2, batch 1021,
 * maf4.output.weight, 128-bit) and 3.5e-7 for the MDN (θ 10, x 10, batch 7, mlp.1.weight), at most 0.0017 of the
 * bound; each case prints its figure.
 */
public abstract class GradientConformanceSuite {

    private static final long SEED = AutodiffGradCheckSuite.SEED;
    private static final double TOL = 1e-5;
    private static final int[] BATCHES = {1, 7, 8, 9, 13, 50, 207, 1021};
    private static final int[] MODEL_DIMS = {2, 10};
    private static final int[] MODEL_BATCHES = {7, 200, 1021};
    /** The noise added to every parameter of the MAF and MDN (see the class comment). */
    private static final double PERTURBATION_SD = 0.1;

    /** The backend under test. */
    protected abstract Backend candidate();

    /** The candidate in words for failure messages, e.g. "simd 256-bit, 8 lanes". */
    protected abstract String describeCandidate();

    private final Backend scalar = new ScalarBackend();

    private String ctx() {
        return " [" + describeCandidate() + "]" + TestSeeds.replay(SEED);
    }

    /**
     * The tolerance of this class (see the class comment); accumulation K ≤ 1 means elementwise. Returns the largest
     * |a − b| / (1 + max |b|) of the tensor (accumulated) or max |a_i − b_i| / (1 + |b_i|) (elementwise).
     */
    protected final double assertConforms(String what, float[] candidateValues, float[] scalarValues,
                                          int accumulation) {
        assertEquals(scalarValues.length, candidateValues.length, what + ": length" + ctx());
        if (accumulation <= 1) {
            double worstRel = 0;
            for (int i = 0; i < scalarValues.length; i++) {
                double b = scalarValues[i], a = candidateValues[i];
                double bound = TOL * (1 + Math.abs(b));
                if (!(Math.abs(a - b) <= bound)) {
                    fail(String.format("%s: element %d: candidate %.9g, scalar %.9g, |diff| %.3g > 1e-5 (1 + |scalar|)"
                            + " = %.3g%s", what, i, a, b, Math.abs(a - b), bound, ctx()));
                }
                worstRel = Math.max(worstRel, Math.abs(a - b) / (1 + Math.abs(b)));
            }
            return worstRel;
        }
        double maxDiff = 0, maxRef = 0;
        int worst = 0;
        for (int i = 0; i < scalarValues.length; i++) {
            double d = Math.abs((double) candidateValues[i] - scalarValues[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
                worst = i;
            }
            maxRef = Math.max(maxRef, Math.abs(scalarValues[i]));
        }
        double bound = TOL * Math.sqrt(accumulation) * (1 + maxRef);
        if (!(maxDiff <= bound)) {
            fail(String.format("%s: max |candidate − scalar| %.3g > 1e-5 √%d (1 + max|scalar| = %.4g) = %.3g; worst at"
                            + " element %d: candidate %.9g, scalar %.9g%s", what, maxDiff, accumulation, 1 + maxRef,
                    bound, worst, candidateValues[worst], scalarValues[worst], ctx()));
        }
        return maxDiff / (1 + maxRef);
    }

    // ---- every op ---------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyOpMatchesScalarReference() {
        return AutodiffGradCheckSuite.opCases(SEED, true).stream().map(c -> dynamicTest(c.name(), () -> checkCase(c)));
    }

    private void checkCase(OpCase c) {
        Evaluation ref = AutodiffGradCheckSuite.evaluate(c, scalar);
        Evaluation got = AutodiffGradCheckSuite.evaluate(c, candidate());
        assertEquals(ref.rows(), got.rows(), c.name() + ": output rows");
        assertEquals(ref.cols(), got.cols(), c.name() + ": output cols");
        assertConforms(c.name() + ": forward", got.forward(), ref.forward(), c.accumulation());
        for (int i = 0; i < ref.gradients().size(); i++) {
            assertConforms(c.name() + ": gradient of input " + i, got.gradients().get(i), ref.gradients().get(i),
                    c.accumulation());
        }
    }

    // ---- MLP --------------------------------------------------------------------------------------------------------

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
        Backend cand = candidate();
        long seed = SEED + 1000L * batch + activation.ordinal();
        int in = 5, width = 50, out = 3;
        Mlp ms = new Mlp(scalar, in, new int[] {width, width}, out, activation, new Rng(seed));
        Mlp mv = new Mlp(cand, in, new int[] {width, width}, out, activation, new Rng(seed));
        List<Parameter> ps = ms.parameters(), pv = mv.parameters();
        assertEquals(ps.size(), pv.size());
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(ps.get(i).value().toArray(), pv.get(i).value().toArray(), 0f,
                    "identical initial parameters " + ps.get(i) + ctx());
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[in * batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();

        List<float[]> ref = mlpLossAndGradients(ms, scalar, x, in, batch);
        List<float[]> got = mlpLossAndGradients(mv, cand, x, in, batch);
        int k = Math.max(batch, width);
        String name = "Mlp " + in + "-" + width + "-" + width + "-" + out + " " + activation + " batch " + batch;
        assertConforms(name + ": output", got.get(0), ref.get(0), k);
        assertConforms(name + ": loss Σ y²", got.get(1), ref.get(1), k);
        for (int i = 0; i < ps.size(); i++) {
            assertConforms(name + ": gradient of " + ps.get(i).name(), got.get(i + 2), ref.get(i + 2), k);
        }
    }

    /** [output, loss, gradient of each parameter] of Σ y² on one backend. */
    private static List<float[]> mlpLossAndGradients(Mlp mlp, Backend be, float[] x, int in, int batch) {
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

    // ---- MAF and MDN: the NPE loss ----------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> mafLossGradientMatchesScalarReference() {
        return modelCases("Maf", EstimatorFactory.maf(), 1);
    }

    @TestFactory
    Stream<DynamicTest> mdnLossGradientMatchesScalarReference() {
        return modelCases("Mdn", EstimatorFactory.mdn(), 2);
    }

    private Stream<DynamicTest> modelCases(String model, EstimatorFactory factory, int salt) {
        List<DynamicTest> tests = new ArrayList<>();
        for (int td : MODEL_DIMS) {
            for (int xd : MODEL_DIMS) {
                for (int b : MODEL_BATCHES) {
                    String name = model + " θ " + td + ", x " + xd + ", batch " + b;
                    tests.add(dynamicTest(name, () -> checkModel(name, factory, salt, td, xd, b)));
                }
            }
        }
        return tests.stream();
    }

    private void checkModel(String name, EstimatorFactory factory, int salt, int thetaDim, int xDim, int batch) {
        Backend cand = candidate();
        long seed = SEED + 100_000L * salt + 1000L * batch + 10L * thetaDim + xDim;
        // Inputs: θ with a random scale and offset per dimension, x a noisy linear function of θ.
        SplittableRandom r = new SplittableRandom(seed);
        float[][] theta = new float[thetaDim][batch], x = new float[xDim][batch];
        for (float[] row : theta) {
            double m = r.nextDouble(-2, 2), s = r.nextDouble(0.3, 3);
            for (int j = 0; j < batch; j++) row[j] = (float) (m + s * r.nextGaussian());
        }
        for (int i = 0; i < xDim; i++) {
            double a = r.nextDouble(-2, 2), c = r.nextDouble(-5, 5), noise = r.nextDouble(0.1, 1);
            float[] src = theta[i % thetaDim];
            for (int j = 0; j < batch; j++) x[i][j] = (float) (a * src[j] + c + noise * r.nextGaussian());
        }
        ZScore ts = ZScore.fit(theta), xs = ZScore.fit(x);
        ConditionalDensityEstimator ms = factory.build(scalar, thetaDim, xDim, ts, xs, new Rng(seed));
        ConditionalDensityEstimator mc = factory.build(cand, thetaDim, xDim, ts, xs, new Rng(seed));
        List<Parameter> ps = ms.parameters(), pc = mc.parameters();
        assertEquals(ps.size(), pc.size(), name + ": parameter count" + ctx());
        int widest = 0;
        for (int i = 0; i < ps.size(); i++) {
            Tensor vs = ps.get(i).value();
            float[] v = vs.toArray();
            assertArrayEquals(v, pc.get(i).value().toArray(), 0f, name + ": identical initial parameters "
                    + ps.get(i) + ctx());
            for (int j = 0; j < v.length; j++) v[j] += (float) (PERTURBATION_SD * r.nextGaussian());
            vs.set(v);
            pc.get(i).value().set(v);
            widest = Math.max(widest, Math.max(vs.rows(), vs.cols()));
        }
        float[] thetaFlat = flatten(theta), xFlat = flatten(x);
        List<float[]> ref = npeLossAndGradients(ms, scalar, thetaFlat, xFlat, batch);
        List<float[]> got = npeLossAndGradients(mc, cand, thetaFlat, xFlat, batch);
        int k = Math.max(batch, widest);
        String what = name + " (K = " + k + ")";
        double worst = assertConforms(what + ": loss", got.get(0), ref.get(0), k);
        String worstAt = "loss";
        for (int i = 0; i < ps.size(); i++) {
            double e = assertConforms(what + ": gradient of " + ps.get(i).name(), got.get(i + 1), ref.get(i + 1), k);
            if (e > worst) {
                worst = e;
                worstAt = ps.get(i).name();
            }
        }
        System.out.printf("gradient conformance %s [%s]: loss %.7g, %d parameter tensors, K = %d, worst"
                        + " max|a − b| / (1 + max|b|) %.3g (%s), %.3g of the bound 1e-5 √K%n", name,
                describeCandidate(), ref.get(0)[0], ps.size(), k, worst, worstAt, worst / (TOL * Math.sqrt(k)));
    }

    /** [loss, gradient of each parameter] of the NPE loss −mean log q(θ | x), built as the Trainer builds it. */
    private static List<float[]> npeLossAndGradients(ConditionalDensityEstimator est, Backend be, float[] theta,
                                                     float[] x, int batch) {
        Tape tape = Tape.recording(be);
        Var loss = tape.neg(tape.mean(est.logProb(tape, tape.constant(Tensor.of(be, est.thetaDim(), batch, theta)),
                tape.constant(Tensor.of(be, est.xDim(), batch, x)))));
        est.zeroGrad();
        tape.backward(loss);
        List<float[]> res = new ArrayList<>();
        res.add(new float[] {loss.item()});
        for (Parameter p : est.parameters()) res.add(p.grad().toArray());
        return res;
    }

    private static float[] flatten(float[][] rows) {
        int n = rows[0].length;
        float[] flat = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * n, n);
        return flat;
    }
}
