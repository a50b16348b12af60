package org.jsbi.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.backend.UnaryOp;
import org.jsbi.estimator.ZScore;
import org.jsbi.nn.Activation;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.DirectionalGradCheck;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole-model gradient check of the MAF: the mean negative log-likelihood over a small batch, its float32 tape
 * gradient with respect to every parameter against float64 central differences of an independent float64
 * re-implementation of the flow written here ({@link #logProb64}).
 *
 * <p>The re-implementation follows the definitions, not the tape: z-scoring of θ and x; per transform the MADE
 * (initial masked layer + dense context layer, then per block activation → masked layer, then the masked output
 * layer, as {@link Made#forward}), scale = softplus(s) + 1e-3, u ← scale · u + shift, log|det| += Σ log scale, then the
 * permutation (output row i is input row perm[i], {@link Maf#permutation}); finally log N(u; 0, I) + log|det| − Σ log
 * std_θ. The masks are rebuilt from {@link MadeMasks} (Made does not expose its layers); a mask that differed from the
 * model's would change the loss, which the float32-vs-float64 loss check catches since masked-out weights are not zero.
 *
 * <p>Method and measure as {@code MdnGradCheckTest}: for a random direction v (entries U(−1, 1)) over all parameters,
 * and for v restricted to each parameter tensor in turn, compare g·v with (L64(p + t v) − L64(p − t v)) / 2t,
 * t = 1e-6; require |g·v − numeric| / Σ_i |g_i v_i| ≤ 1e-5. Also the float32 loss against the float64 loss, relative
 * 1e-5. The activations are smooth (tanh, sigmoid), so no kinks.
 */
class MafGradCheckTest {

    private static final long SEED = TestSeeds.seed(8_117L);
    private static final double TOLERANCE = 1e-5;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private record Case(String name, int thetaDim, int xDim, MafConfig cfg, int batch) {
    }

    @TestFactory
    Stream<DynamicTest> meanNllGradientMatchesCentralDifferences() {
        MafConfig small = MafConfig.defaults().withTransforms(2).withHiddenFeatures(8);
        return Stream.of(
                new Case("D=3 xDim=2 T=2 H=8 B=2 tanh", 3, 2, small, 7),
                new Case("D=1 xDim=3 T=3 H=6 B=1 tanh", 1, 3, small.withTransforms(3).withHiddenFeatures(6)
                        .withBlocks(1), 5),
                new Case("D=4 xDim=1 T=2 H=10 B=0 sigmoid", 4, 1, small.withHiddenFeatures(10).withBlocks(0)
                        .withActivation(Activation.SIGMOID), 6))
                .map(c -> dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) {
        Backend be = new ScalarBackend();
        long seed = SEED + 1000L * c.thetaDim() + 17L * c.cfg().transforms() + c.cfg().blocks();
        Rng rng = new Rng(seed);
        ZScore ts = DirectionalGradCheck.randomScore(c.thetaDim(), rng), xs = DirectionalGradCheck.randomScore(c.xDim(), rng);
        Maf maf = new Maf(be, c.thetaDim(), c.xDim(), ts, xs, c.cfg(), rng);
        // Move every parameter off its initial value so that no layer is near-trivial.
        for (Parameter p : maf.parameters()) {
            float[] v = p.value().toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.2 * rng.nextGaussian());
            p.value().set(v);
        }
        int n = c.batch();
        float[] theta = new float[c.thetaDim() * n], x = new float[c.xDim() * n];
        for (int i = 0; i < theta.length; i++) theta[i] = (float) (ts.mean()[i / n] + ts.std()[i / n] * rng.nextGaussian());
        for (int i = 0; i < x.length; i++) x[i] = (float) (xs.mean()[i / n] + xs.std()[i / n] * rng.nextGaussian());

        Tape tape = Tape.recording(be);
        Var lp = maf.logProb(tape, tape.constant(Tensor.of(be, c.thetaDim(), n, theta)),
                tape.constant(Tensor.of(be, c.xDim(), n, x)));
        assertEquals(1, lp.rows());
        assertEquals(n, lp.cols());
        Var loss = tape.scale(tape.mean(lp), -1f);
        maf.zeroGrad();
        tape.backward(loss);

        List<Parameter> ps = maf.parameters();
        double[][] p = new double[ps.size()][];
        float[][] g = new float[ps.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = DirectionalGradCheck.toDouble(ps.get(i).value().toArray());
            g[i] = ps.get(i).grad().toArray();
        }
        double[] th64 = DirectionalGradCheck.toDouble(theta), x64 = DirectionalGradCheck.toDouble(x);
        double l64 = meanNll64(maf, p, th64, x64, n);
        double fwdErr = Math.abs(loss.item() - l64) / Math.max(Math.abs(l64), 1e-3);
        assertTrue(fwdErr <= 1e-5, c.name() + ": float32 loss " + loss.item() + " vs float64 " + l64
                + " (relative " + fwdErr + ")" + TestSeeds.replay(SEED));

        List<String> names = ps.stream().map(Parameter::name).toList();
        double worst = DirectionalGradCheck.check(c.name(), p, g, names,
                q -> meanNll64(maf, q, th64, x64, n), TOLERANCE, seed, SEED);
        System.out.printf("MAF grad check %s: loss %.9g (float64 %.12g, relative %.3g), %d parameter tensors,"
                + " worst relative error %.3g%n", c.name(), loss.item(), l64, fwdErr, p.length, worst);
    }

    // ---- the float64 re-implementation ---------------------------------------------------------------------------

    /** (W ⊙ M) h + b in float64; w and mask are out x in row-major (mask null: dense), h is in x n. */
    private static double[] linear(double[] w, float[] mask, double[] b, double[] h, int in, int n) {
        int out = b.length;
        if (w.length != out * in) {
            throw new IllegalStateException("weight has " + w.length + " entries, expected " + out + " x " + in);
        }
        double[] y = new double[out * n];
        for (int o = 0; o < out; o++) {
            for (int s = 0; s < n; s++) {
                double acc = b[o];
                for (int i = 0; i < in; i++) {
                    if (mask == null || mask[o * in + i] != 0f) acc += w[o * in + i] * h[i * n + s];
                }
                y[o * n + s] = acc;
            }
        }
        return y;
    }

    private static double[] get(Map<String, double[]> byName, String name) {
        double[] a = byName.get(name);
        if (a == null) throw new IllegalStateException("no parameter named '" + name + "' in " + byName.keySet());
        return a;
    }

    /**
     * log q(θ | x) of each column in float64. p holds the parameters in {@link Maf#parameters()} order; they are
     * looked up by name ({@code maf<t>.initial|context|block<b>|output.weight|bias}). theta is D x n, x is xDim x n.
     */
    static double[] logProb64(Maf maf, double[][] p, double[] theta, double[] x, int n) {
        return logProb64(maf, p, theta, x, n,
                MadeMasks.orderedHiddenDegrees(maf.config().hiddenFeatures(), maf.thetaDim()));
    }

    /** As above, for parameters p whose hidden units have the degrees hidDeg (nflows' order: a model file's). */
    static double[] logProb64(Maf maf, double[][] p, double[] theta, double[] x, int n, int[] hidDeg) {
        MafConfig cfg = maf.config();
        int d = maf.thetaDim(), xd = maf.xDim(), hidden = cfg.hiddenFeatures();
        List<Parameter> ps = maf.parameters();
        Map<String, double[]> byName = new HashMap<>();
        for (int i = 0; i < p.length; i++) byName.put(ps.get(i).name(), p[i]);
        ZScore ts = maf.thetaScore(), xs = maf.xScore();
        UnaryOp act = switch (cfg.activation()) {
            case TANH -> UnaryOp.TANH;
            case RELU -> UnaryOp.RELU;
            case SIGMOID -> UnaryOp.SIGMOID;
            case SOFTPLUS -> UnaryOp.SOFTPLUS;
            case IDENTITY -> null;
        };
        // Masks as MADE builds them from the units' degrees.
        int[] inDeg = MadeMasks.inputDegrees(d);
        int[] outDeg = new int[2 * d];
        for (int i = 0; i < d; i++) {
            outDeg[i] = inDeg[i];
            outDeg[d + i] = inDeg[i];
        }
        float[] initialMask = MadeMasks.hiddenMask(hidDeg, inDeg);
        float[] blockMask = MadeMasks.hiddenMask(hidDeg, hidDeg);
        float[] outputMask = MadeMasks.outputMask(outDeg, hidDeg);

        double[] zx = new double[xd * n];
        for (int i = 0; i < xd; i++) {
            for (int s = 0; s < n; s++) zx[i * n + s] = (x[i * n + s] - xs.mean()[i]) / xs.std()[i];
        }
        double[] u = new double[d * n];
        for (int i = 0; i < d; i++) {
            for (int s = 0; s < n; s++) u[i * n + s] = (theta[i * n + s] - ts.mean()[i]) / ts.std()[i];
        }
        double[] logDet = new double[n];
        double floor = MafConfig.SCALE_FLOOR; // the float32 constant, widened exactly
        for (int t = 0; t < cfg.transforms(); t++) {
            String m = "maf" + t;
            double[] h = linear(get(byName, m + ".initial.weight"), initialMask, get(byName, m + ".initial.bias"), u, d, n);
            if (xd > 0) {
                double[] ctx = linear(get(byName, m + ".context.weight"), null, get(byName, m + ".context.bias"), zx,
                        xd, n);
                for (int i = 0; i < h.length; i++) h[i] += act == null ? ctx[i] : act.apply(ctx[i]);
            }
            if (act != null) for (int i = 0; i < h.length; i++) h[i] = act.apply(h[i]);
            for (int b = 0; b < cfg.blocks(); b++) {
                h = linear(get(byName, m + ".block" + b + ".weight"), blockMask, get(byName, m + ".block" + b + ".bias"),
                        h, hidden, n);
                if (act != null) for (int i = 0; i < h.length; i++) h[i] = act.apply(h[i]);
            }
            double[] out = linear(get(byName, m + ".output.weight"), outputMask, get(byName, m + ".output.bias"), h,
                    hidden, n);
            double[] next = new double[d * n];
            for (int i = 0; i < d; i++) {
                for (int s = 0; s < n; s++) {
                    double scale = UnaryOp.SOFTPLUS.apply(out[i * n + s]) + floor;
                    double shift = out[(d + i) * n + s];
                    next[i * n + s] = scale * u[i * n + s] + shift;
                    logDet[s] += Math.log(scale);
                }
            }
            int[] perm = maf.permutation(t);
            for (int i = 0; i < d; i++) System.arraycopy(next, perm[i] * n, u, i * n, n);
        }
        double[] lp = new double[n];
        double logScale = ts.logScale();
        for (int s = 0; s < n; s++) {
            double sq = 0;
            for (int i = 0; i < d; i++) sq += u[i * n + s] * u[i * n + s];
            lp[s] = -0.5 * sq - 0.5 * d * LOG_2PI + logDet[s] - logScale;
        }
        return lp;
    }

    /** Mean of −log q over the batch, float64. */
    static double meanNll64(Maf maf, double[][] p, double[] theta, double[] x, int n) {
        double s = 0;
        for (double v : logProb64(maf, p, theta, x, n)) s -= v;
        return s / n;
    }

}
