package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.Backend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.jsbi.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * A trained estimator is a normalised density in θ: a MAF and an MDN (default architectures) trained on two-moons
 * pairs on the SIMD backend, for two observations, integrate exp(log q(θ | x)) over [-3, 3]² to 1 within 2%
 * (midpoint rule on a 301 x 301 grid, evaluated in batches). The prior is U(-1, 1)², so the learned posterior's mass
 * outside the box is negligible. Training is capped at 40 epochs on 4,000 pairs (override with
 * {@code -Djsbi.test.mafEpochs} / {@code -Djsbi.test.mdnEpochs}) to keep the class short: about 4–6 s per training
 * and under 20 s for the class on two cores. The capped densities are broader than converged ones (the true
 * posterior's crescents are ~0.01 thick, finer than the grid), so this checks normalisation — the log-det and
 * z-scoring terms, the mixture normaliser — not the fit. With 20 and 60 epochs the integrals were all within 3e-4 of 1.
 */
class SimdEstimatorNormalisationTest {

    private static final long SEED = TestSeeds.seed(11L);
    private static final int PAIRS = 4000;
    private static final int GRID = 301;
    private static final double LOW = -3, HIGH = 3;
    private static final float[][] OBSERVATIONS = {{0f, 0f}, {0.1f, -0.2f}};

    /** Two-moons pairs (TASKS.md), generated here because the simulators module depends on this one. */
    private static TrainingData twoMoons(int n, Rng rng) {
        float[][] t = new float[n][2], x = new float[n][2];
        for (int i = 0; i < n; i++) {
            double t1 = rng.uniform(-1, 1), t2 = rng.uniform(-1, 1);
            double a = rng.uniform(-Math.PI / 2, Math.PI / 2), r = 0.1 + 0.01 * rng.nextGaussian();
            t[i][0] = (float) t1;
            t[i][1] = (float) t2;
            x[i][0] = (float) (r * Math.cos(a) + 0.25 - Math.abs(t1 + t2) / Math.sqrt(2));
            x[i][1] = (float) (r * Math.sin(a) + (t2 - t1) / Math.sqrt(2));
        }
        return TrainingData.of(t, x);
    }

    /** ∫ exp(log q(θ | x)) dθ over [LOW, HIGH]² by the midpoint rule on GRID x GRID cells. */
    private static double integral(Backend be, ConditionalDensityEstimator est, float[] x) {
        double h = (HIGH - LOW) / GRID;
        int total = GRID * GRID, chunk = 8192;
        double sum = 0;
        for (int from = 0; from < total; from += chunk) {
            int m = Math.min(chunk, total - from);
            float[] t = new float[2 * m], xs = new float[2 * m];
            for (int c = 0; c < m; c++) {
                int idx = from + c;
                t[c] = (float) (LOW + (idx / GRID + 0.5) * h);
                t[m + c] = (float) (LOW + (idx % GRID + 0.5) * h);
                xs[c] = x[0];
                xs[m + c] = x[1];
            }
            for (float lp : est.logProb(Tensor.of(be, 2, m, t), Tensor.of(be, 2, m, xs))) sum += Math.exp(lp);
        }
        return sum * h * h;
    }

    private static void trainAndCheck(String name, EstimatorFactory factory, int maxEpochs) {
        Backend be = new SimdBackend();
        TrainingData data = twoMoons(PAIRS, new Rng(SEED));
        TrainingConfig cfg = TrainingConfig.defaults().withSeed(SEED).withMaxEpochs(maxEpochs);
        long t0 = System.nanoTime();
        TrainedEstimator te = Trainer.train(be, factory, data, cfg, TrainingListener.NONE);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: trained on %d two-moons pairs in %.2f s (%d epochs, best %d, %s, best validation NLL"
                        + " %.4f)%n", name, PAIRS, trainSeconds, te.history().epochs(), te.history().bestEpoch(),
                te.history().stopReason(), te.history().bestValidationLoss());
        for (float[] x : OBSERVATIONS) {
            long t1 = System.nanoTime();
            double z = integral(be, te.estimator(), x);
            System.out.printf("%s: x = (%s, %s): ∫ q(θ | x) dθ over [%s, %s]² (%d x %d midpoints) = %.6f (%.2f s)%n",
                    name, x[0], x[1], LOW, HIGH, GRID, GRID, z, (System.nanoTime() - t1) / 1e9);
            assertTrue(Math.abs(z - 1) <= 0.02, name + ": the density at x = (" + x[0] + ", " + x[1]
                    + ") integrates to " + z + ", not within 2% of 1" + TestSeeds.replay(SEED));
        }
    }

    @Test
    void trainedMafIntegratesToOne() {
        trainAndCheck("MAF", (b, td, xd, ts, xs, rng) -> new Maf(b, td, xd, ts, xs, MafConfig.defaults(), rng),
                Integer.getInteger("jsbi.test.mafEpochs", 40));
    }

    @Test
    void trainedMdnIntegratesToOne() {
        trainAndCheck("MDN", (b, td, xd, ts, xs, rng) -> new Mdn(b, td, xd, ts, xs, MdnConfig.defaults(), rng),
                Integer.getInteger("jsbi.test.mdnEpochs", 40));
    }
}
