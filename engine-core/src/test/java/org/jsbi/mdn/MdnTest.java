package org.jsbi.mdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.nn.Activation;
import org.jsbi.optim.Adam;
import org.jsbi.optim.AdamConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.DirectionalGradCheck;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

class MdnTest {

    private static final long SEED = TestSeeds.seed(4_242L);
    private final Backend be = new ScalarBackend();
    /** The reference backend with the mixture built from the primitives, as on a backend that does not fuse it. */
    private static final Backend UNFUSED = new ScalarBackend() {
        @Override
        public boolean fusesGaussianMixture() {
            return false;
        }
    };

    private Mdn perturbed(int thetaDim, int xDim, MdnConfig cfg, long seed) {
        Rng rng = new Rng(seed);
        Mdn mdn = new Mdn(be, thetaDim, xDim, DirectionalGradCheck.randomScore(thetaDim, rng),
                DirectionalGradCheck.randomScore(xDim, rng), cfg, rng);
        MdnTesting.perturb(mdn, rng, 0.2);
        return mdn;
    }

    private static float[] randomX(Mdn mdn, Rng rng) {
        float[] x = new float[mdn.xDim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (mdn.xScore().mean()[i] + mdn.xScore().std()[i] * rng.nextGaussian());
        }
        return x;
    }

    // ---- config -------------------------------------------------------------------------------------------------

    @Test
    void configDefaultsAreSbis() {
        MdnConfig c = MdnConfig.defaults();
        assertEquals(50, c.hiddenFeatures());
        assertEquals(2, c.hiddenLayers());
        assertEquals(10, c.components());
        assertEquals(Activation.RELU, c.activation());
        assertEquals(1e-4f, c.epsilon());
        MdnConfig d = c.withHiddenFeatures(20).withHiddenLayers(3).withComponents(4).withActivation(Activation.TANH)
                .withEpsilon(1e-3f);
        assertEquals(new MdnConfig(20, 3, 4, Activation.TANH, 1e-3f), d);
        assertEquals(50, c.hiddenFeatures(), "with... returns a copy");
    }

    @Test
    void configRejectsBadValues() {
        MdnConfig c = MdnConfig.defaults();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> c.withHiddenFeatures(0)), "hiddenFeatures");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> c.withHiddenLayers(-1)), "hiddenLayers");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> c.withComponents(0)), "components");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> c.withActivation(null)), "activation");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> c.withEpsilon(-1e-4f)), "epsilon");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> c.withEpsilon(Float.NaN)), "epsilon");
    }

    // ---- structure and initialisation -----------------------------------------------------------------------------

    @Test
    void parametersComeInAFixedOrderWithTheExpectedShapes() {
        Mdn mdn = new Mdn(be, 3, 2, ZScore.identity(3), ZScore.identity(2), MdnConfig.defaults(), new Rng(SEED));
        List<String> names = mdn.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "mdn.logits.weight",
                "mdn.logits.bias", "mdn.means.weight", "mdn.means.bias", "mdn.diag.weight", "mdn.diag.bias",
                "mdn.upper.weight", "mdn.upper.bias"), names);
        List<Parameter> ps = mdn.parameters();
        assertEquals("10 x 50", ps.get(4).value().shape());
        assertEquals("30 x 50", ps.get(6).value().shape());
        assertEquals("30 x 50", ps.get(8).value().shape());
        assertEquals("30 x 50", ps.get(10).value().shape()); // K·D(D−1)/2 = 10·3
        // 2·50 + 50 + 50·50 + 50 + (10 + 30 + 30 + 30)·51
        assertEquals(150 + 2550 + 100 * 51, mdn.parameterCount());
        Mdn one = new Mdn(be, 1, 2, ZScore.identity(1), ZScore.identity(2), MdnConfig.defaults(), new Rng(SEED));
        assertEquals(10, one.parameters().size(), "no upper-triangle head for thetaDim = 1");
    }

    @Test
    void customInitialisationGivesUniformWeightsAndIdentityCovariancesInZSpace() {
        Rng rng = new Rng(SEED);
        ZScore ts = DirectionalGradCheck.randomScore(3, rng);
        Mdn mdn = new Mdn(be, 3, 2, ts, DirectionalGradCheck.randomScore(2, rng), MdnConfig.defaults(), rng);
        for (int trial = 0; trial < 5; trial++) {
            GaussianMixture g = mdn.mixture(randomX(mdn, rng));
            for (int c = 0; c < 10; c++) {
                assertEquals(0.1, g.weights()[c], 1e-3, "weight " + c + TestSeeds.replay(SEED));
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double expect = i == j ? 1 : 0;
                        double zCov = g.covariances()[c][i][j] / (ts.std()[i] * ts.std()[j]);
                        assertEquals(expect, zCov, 2e-2, "component " + c + " z-space covariance (" + i + ", " + j
                                + ")" + TestSeeds.replay(SEED));
                    }
                }
            }
        }
    }

    @Test
    void tapeOpCountGrowsLinearlyInThetaDim() {
        int[] primitives = tapeSizes(UNFUSED), fused = tapeSizes(be);
        // From the primitives: 2 ops (a slice and a GEMM) per θ dimension, plus a constant.
        assertEquals(4, primitives[1] - primitives[0], "ops per 2 more θ dims: " + Arrays.toString(primitives));
        assertEquals(8, primitives[2] - primitives[1], "ops per 4 more θ dims: " + Arrays.toString(primitives));
        assertTrue(primitives[2] <= 60, "ops for D = 8: " + primitives[2]);
        // Fused: one node for the mixture whatever the dimension.
        assertTrue(fused[0] == fused[1] && fused[1] == fused[2], "fused ops: " + Arrays.toString(fused));
        assertTrue(fused[0] < primitives[0], "fused " + fused[0] + " against " + primitives[0]);
    }

    @Test
    void fusedMixtureAgreesWithThePrimitives() {
        for (int d : new int[] {1, 2, 3, 6}) {
            for (int k : new int[] {1, 3, 10}) {
                MdnConfig cfg = MdnConfig.defaults().withComponents(k);
                long seed = SEED + 31L * d + k;
                Mdn fused = perturbedOn(be, d, 3, cfg, seed), composed = perturbedOn(UNFUSED, d, 3, cfg, seed);
                Rng rng = new Rng(seed + 1);
                int n = 23;
                float[] theta = new float[d * n], x = new float[3 * n];
                for (int i = 0; i < theta.length; i++) theta[i] = (float) rng.nextGaussian();
                for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
                float[][] a = lossAndGradients(fused, theta, x, n), b = lossAndGradients(composed, theta, x, n);
                String what = "d=" + d + " K=" + k + TestSeeds.replay(SEED);
                for (int i = 0; i < a.length; i++) {
                    double scale = 0;
                    for (float v : b[i]) scale = Math.max(scale, Math.abs(v));
                    for (int j = 0; j < a[i].length; j++) {
                        assertEquals(b[i][j], a[i][j], 2e-5 * Math.max(1, scale),
                                what + (i == 0 ? " log-density " : " gradient of parameter " + (i - 1)) + " [" + j + "]");
                    }
                }
            }
        }
    }

    private Mdn perturbedOn(Backend backend, int thetaDim, int xDim, MdnConfig cfg, long seed) {
        Rng rng = new Rng(seed);
        Mdn mdn = new Mdn(backend, thetaDim, xDim, DirectionalGradCheck.randomScore(thetaDim, rng),
                DirectionalGradCheck.randomScore(xDim, rng), cfg, rng);
        MdnTesting.perturb(mdn, rng, 0.3);
        return mdn;
    }

    /** Row 0: log q of each column; then each parameter's gradient of the summed log q. */
    private static float[][] lossAndGradients(Mdn mdn, float[] theta, float[] x, int n) {
        Backend backend = mdn.backend();
        Tape tape = Tape.recording(backend);
        for (Parameter p : mdn.parameters()) p.zeroGrad();
        Var lp = mdn.logProb(tape, tape.constant(Tensor.of(backend, mdn.thetaDim(), n, theta)),
                tape.constant(Tensor.of(backend, mdn.xDim(), n, x)));
        tape.backward(tape.reduceAll(org.jsbi.backend.ReduceOp.SUM, lp));
        List<Parameter> ps = mdn.parameters();
        float[][] out = new float[ps.size() + 1][];
        out[0] = lp.value().toArray();
        for (int i = 0; i < ps.size(); i++) out[i + 1] = ps.get(i).grad().toArray();
        return out;
    }

    private static int[] tapeSizes(Backend backend) {
        int[] dims = {2, 4, 8}, sizes = new int[dims.length];
        for (int t = 0; t < dims.length; t++) {
            int d = dims[t];
            Mdn mdn = new Mdn(backend, d, 2, ZScore.identity(d), ZScore.identity(2), MdnConfig.defaults(),
                    new Rng(SEED));
            Tape tape = Tape.recording(backend);
            mdn.logProb(tape, tape.constant(Tensor.zeros(backend, d, 5)), tape.constant(Tensor.zeros(backend, 2, 5)));
            sizes[t] = tape.size();
        }
        return sizes;
    }

    // ---- mixture parameters and log-density -------------------------------------------------------------------------

    @Test
    void mixtureWeightsSumToOne() {
        Mdn mdn = perturbed(3, 4, MdnConfig.defaults(), SEED);
        Rng rng = new Rng(SEED + 1);
        for (int trial = 0; trial < 10; trial++) {
            GaussianMixture g = mdn.mixture(randomX(mdn, rng));
            double s = 0;
            for (double w : g.weights()) {
                assertTrue(w >= 0 && w <= 1, "weight " + w);
                s += w;
            }
            assertEquals(1.0, s, 1e-12, "Σ weights" + TestSeeds.replay(SEED));
        }
    }

    /** log N(θ; μ, Σ) for one Gaussian, in double, through an explicit inverse and determinant (Gauss–Jordan). */
    private static double gaussianLogDensity(double[] theta, double[] mu, double[][] cov) {
        int d = mu.length;
        double[][] a = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(cov[i], 0, a[i], 0, d);
            a[i][d + i] = 1;
        }
        double det = 1;
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            if (piv != col) {
                double[] t = a[piv];
                a[piv] = a[col];
                a[col] = t;
                det = -det;
            }
            double p = a[col][col];
            det *= p;
            for (int j = 0; j < 2 * d; j++) a[col][j] /= p;
            for (int r = 0; r < d; r++) {
                if (r == col) continue;
                double f = a[r][col];
                for (int j = 0; j < 2 * d; j++) a[r][j] -= f * a[col][j];
            }
        }
        double quad = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) quad += (theta[i] - mu[i]) * a[i][d + j] * (theta[j] - mu[j]);
        }
        return -0.5 * d * Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quad;
    }

    @Test
    void oneComponentLogProbIsTheGaussianOfItsOwnMixtureParameters() {
        Mdn mdn = perturbed(3, 2, MdnConfig.defaults().withComponents(1), SEED + 2);
        Rng rng = new Rng(SEED + 3);
        for (int trial = 0; trial < 5; trial++) {
            float[] x = randomX(mdn, rng);
            GaussianMixture g = mdn.mixture(x);
            assertEquals(1.0, g.weights()[0], 0.0);
            int n = 20;
            float[] theta = new float[3 * n], xs = new float[2 * n];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < 3; i++) {
                    theta[i * n + s] = (float) (g.means()[0][i] + 1.5 * Math.sqrt(g.covariances()[0][i][i])
                            * rng.nextGaussian());
                }
                for (int i = 0; i < 2; i++) xs[i * n + s] = x[i];
            }
            float[] lp = mdn.logProb(Tensor.of(be, 3, n, theta), Tensor.of(be, 2, n, xs));
            for (int s = 0; s < n; s++) {
                double[] th = {theta[s], theta[n + s], theta[2 * n + s]};
                double expect = gaussianLogDensity(th, g.means()[0], g.covariances()[0]);
                assertEquals(expect, lp[s], 1e-4 * Math.max(1, Math.abs(expect)), "column " + s
                        + TestSeeds.replay(SEED));
                assertEquals(expect, g.logDensity(th), 1e-9 * Math.max(1, Math.abs(expect)));
            }
        }
    }

    @Test
    void mixtureLogDensityAgreesWithLogProbForTenComponents() {
        Mdn mdn = perturbed(3, 2, MdnConfig.defaults(), SEED + 4);
        Rng rng = new Rng(SEED + 5);
        for (int trial = 0; trial < 5; trial++) {
            float[] x = randomX(mdn, rng);
            GaussianMixture g = mdn.mixture(x);
            double[] m = g.mean();
            double[][] cov = g.covariance();
            int n = 20;
            float[] theta = new float[3 * n], xs = new float[2 * n];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < 3; i++) theta[i * n + s] = (float) (m[i] + Math.sqrt(cov[i][i]) * rng.nextGaussian());
                for (int i = 0; i < 2; i++) xs[i * n + s] = x[i];
            }
            float[] lp = mdn.logProb(Tensor.of(be, 3, n, theta), Tensor.of(be, 2, n, xs));
            double[] lp64 = MdnTesting.logProb64(mdn, MdnTesting.params64(mdn), MdnTesting.toDouble(theta),
                    MdnTesting.toDouble(xs), n);
            for (int s = 0; s < n; s++) {
                double expect = g.logDensity(new double[] {theta[s], theta[n + s], theta[2 * n + s]});
                assertEquals(expect, lp[s], 1e-4 * Math.max(1, Math.abs(expect)), "column " + s
                        + TestSeeds.replay(SEED));
                // mixture(x) starts from the float32 head outputs, logProb64 from float32 weights: ~1e-7 relative apart.
                assertEquals(lp64[s], expect, 1e-4 * Math.max(1, Math.abs(expect)), "float64 paths, column " + s);
            }
        }
    }

    @Test
    void precisionsInvertTheCovariances() {
        GaussianMixture g = perturbed(3, 2, MdnConfig.defaults().withComponents(3), SEED + 6)
                .mixture(new float[] {0.5f, -0.3f});
        double[][][] p = g.precisions();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int r = 0; r < 3; r++) s += g.covariances()[c][i][r] * p[c][r][j];
                    assertEquals(i == j ? 1 : 0, s, 1e-9);
                }
            }
        }
    }

    // ---- sampling -------------------------------------------------------------------------------------------------

    /**
     * 20,000 draws for one x: sample mean and covariance against the mixture's analytic ones, each entry within 3.5
     * standard errors, estimated from the draws themselves (var of x_i for a mean; var of (x_i − m_i)(x_j − m_j) for
     * a covariance). 5 entries at 3.5 SE fail together by chance with probability about 0.2%; the seed is fixed.
     */
    @Test
    void sampleMomentsMatchTheMixture() {
        Mdn mdn = perturbed(2, 3, MdnConfig.defaults().withComponents(3), SEED + 7);
        Rng rng = new Rng(SEED + 8);
        float[] x = randomX(mdn, rng);
        GaussianMixture g = mdn.mixture(x);
        int n = 20_000, d = 2;
        Tensor t = mdn.sample(n, x, rng);
        assertEquals(d, t.rows());
        assertEquals(n, t.cols());
        float[] v = t.toArray();
        double[] m = g.mean();
        double[][] cov = g.covariance();
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            for (int s = 0; s < n; s++) mean[i] += v[i * n + s];
            mean[i] /= n;
            double se = Math.sqrt(cov[i][i] / n);
            assertTrue(Math.abs(mean[i] - m[i]) <= 3.5 * se, "mean " + i + ": sample " + mean[i] + " vs " + m[i]
                    + " (se " + se + ")" + TestSeeds.replay(SEED));
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double s1 = 0, s2 = 0;
                for (int s = 0; s < n; s++) {
                    double p = (v[i * n + s] - m[i]) * (v[j * n + s] - m[j]);
                    s1 += p;
                    s2 += p * p;
                }
                double c = s1 / n;
                double se = Math.sqrt((s2 / n - c * c) / n);
                assertTrue(Math.abs(c - cov[i][j]) <= 3.5 * se, "covariance (" + i + ", " + j + "): sample " + c
                        + " vs " + cov[i][j] + " (se " + se + ")" + TestSeeds.replay(SEED));
            }
        }
        // The mixture must not be trivially one Gaussian, for this to test the component draw.
        int sizeable = 0;
        for (double w : g.weights()) if (w > 0.05) sizeable++;
        assertTrue(sizeable >= 2, "weights " + java.util.Arrays.toString(g.weights()) + TestSeeds.replay(SEED));
    }

    @Test
    void samplingIsReproducibleAndHandlesZero() {
        Mdn mdn = perturbed(2, 3, MdnConfig.defaults(), SEED + 9);
        float[] x = {0.1f, 0.2f, 0.3f};
        assertEquals(java.util.Arrays.toString(mdn.sample(50, x, new Rng(1)).toArray()),
                java.util.Arrays.toString(mdn.sample(50, x, new Rng(1)).toArray()));
        Tensor empty = mdn.sample(0, x, new Rng(1));
        assertEquals("2 x 0", empty.shape());
    }

    // ---- training -------------------------------------------------------------------------------------------------

    /**
     * θ | x ~ N(2x, 0.5²), x ~ N(0, 1), 2,000 training pairs, default MDN (K = 10), Adam lr 1e-3, batch 200, 400
     * steps: the mean NLL on 10,000 fresh pairs is within 0.1 nats of the true conditional entropy
     * ½ log(2πe·0.25) ≈ 0.7258 (the evaluation mean's own standard error is ≈ 0.007).
     */
    @Test
    void learnsALinearGaussianConditional() {
        Rng rng = new Rng(SEED + 10);
        int nTrain = 2_000, batch = 200, steps = 400;
        float[][] th = new float[1][nTrain], xx = new float[1][nTrain];
        for (int i = 0; i < nTrain; i++) {
            xx[0][i] = (float) rng.nextGaussian();
            th[0][i] = (float) (2 * xx[0][i] + 0.5 * rng.nextGaussian());
        }
        Mdn mdn = new Mdn(be, 1, 1, ZScore.fit(th), ZScore.fit(xx), MdnConfig.defaults(), rng);
        Adam adam = new Adam(mdn.parameters(), AdamConfig.defaults().withLearningRate(1e-3f));
        int[] perm = rng.permutation(nTrain);
        int pos = 0;
        for (int step = 0; step < steps; step++) {
            if (pos + batch > nTrain) {
                perm = rng.permutation(nTrain);
                pos = 0;
            }
            float[] tb = new float[batch], xb = new float[batch];
            for (int b = 0; b < batch; b++) {
                tb[b] = th[0][perm[pos + b]];
                xb[b] = xx[0][perm[pos + b]];
            }
            pos += batch;
            Tape tape = Tape.recording(be);
            Var loss = tape.scale(tape.mean(mdn.logProb(tape, tape.constant(Tensor.of(be, 1, batch, tb)),
                    tape.constant(Tensor.of(be, 1, batch, xb)))), -1f);
            adam.zeroGrad();
            tape.backward(loss);
            adam.step();
        }
        int nTest = 10_000;
        float[] tt = new float[nTest], xt = new float[nTest];
        for (int i = 0; i < nTest; i++) {
            xt[i] = (float) rng.nextGaussian();
            tt[i] = (float) (2 * xt[i] + 0.5 * rng.nextGaussian());
        }
        float[] lp = mdn.logProb(Tensor.of(be, 1, nTest, tt), Tensor.of(be, 1, nTest, xt));
        double nll = 0;
        for (float f : lp) nll -= f;
        nll /= nTest;
        double entropy = 0.5 * Math.log(2 * Math.PI * Math.E * 0.25);
        System.out.printf("MDN training sanity: test NLL %.4f, true conditional entropy %.4f%n", nll, entropy);
        assertTrue(Math.abs(nll - entropy) <= 0.1, "test NLL " + nll + " vs conditional entropy " + entropy
                + TestSeeds.replay(SEED));
    }

    // ---- bad input ------------------------------------------------------------------------------------------------

    @Test
    void rejectsBadShapesAndNonFiniteObservations() {
        Mdn mdn = new Mdn(be, 2, 3, ZScore.identity(2), ZScore.identity(3), MdnConfig.defaults(), new Rng(SEED));
        Tensor x = Tensor.zeros(be, 3, 4);
        var e1 = assertThrows(IllegalArgumentException.class, () -> mdn.logProb(Tensor.zeros(be, 3, 4), x));
        assertMessage(e1, "2 x n");
        assertMessage(e1, "3 x 4");
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> mdn.logProb(Tensor.zeros(be, 2, 4), Tensor.zeros(be, 2, 4)));
        assertMessage(e2, "3 x n");
        assertMessage(e2, "2 x 4");
        var e3 = assertThrows(IllegalArgumentException.class, () -> mdn.logProb(Tensor.zeros(be, 2, 5), x));
        assertMessage(e3, "same number of columns");

        var e4 = assertThrows(IllegalArgumentException.class, () -> mdn.sample(5, new float[] {0, Float.NaN, 0},
                new Rng(1)));
        assertMessage(e4, "x[1]");
        var e5 = assertThrows(IllegalArgumentException.class, () -> mdn.mixture(new float[] {0, 0,
                Float.POSITIVE_INFINITY}));
        assertMessage(e5, "x[2]");
        var e6 = assertThrows(IllegalArgumentException.class, () -> mdn.mixture(new float[] {0, 0}));
        assertMessage(e6, "length xDim = 3, got 2");
        assertThrows(IllegalArgumentException.class, () -> mdn.sample(-1, new float[3], new Rng(1)));

        var e7 = assertThrows(IllegalArgumentException.class, () -> new Mdn(be, 2, 3, ZScore.identity(3),
                ZScore.identity(3), MdnConfig.defaults(), new Rng(1)));
        assertMessage(e7, "θ z-score has dimension 3");
        var e8 = assertThrows(IllegalArgumentException.class, () -> new Mdn(be, 2, 3, ZScore.identity(2),
                ZScore.identity(4), MdnConfig.defaults(), new Rng(1)));
        assertMessage(e8, "x z-score has dimension 4");
        assertThrows(IllegalArgumentException.class, () -> new Mdn(be, 0, 3, ZScore.identity(0), ZScore.identity(3),
                MdnConfig.defaults(), new Rng(1)));
    }

    @Test
    void gaussianMixtureRejectsInconsistentInput() {
        double[][][] id = {{{1, 0}, {0, 1}}};
        assertThrows(IllegalArgumentException.class, () -> new GaussianMixture(new double[] {0.5},
                new double[][] {{0, 0}}, id));
        assertThrows(IllegalArgumentException.class, () -> new GaussianMixture(new double[] {1},
                new double[][] {{0, 0, 0}}, id));
        var e = assertThrows(IllegalArgumentException.class, () -> new GaussianMixture(new double[] {1},
                new double[][] {{0, 0}}, new double[][][] {{{1, 2}, {2, 1}}}));
        assertMessage(e, "positive definite");
        GaussianMixture g = new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, id);
        assertEquals(-Math.log(2 * Math.PI), g.logDensity(new double[] {0, 0}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> g.logDensity(new double[] {0}));
    }

    private static void assertMessage(Throwable t, String part) {
        assertTrue(t.getMessage() != null && t.getMessage().contains(part),
                "message \"" + t.getMessage() + "\" should mention \"" + part + "\"");
    }
}
