package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole NPE trainings on the GPU against the scalar reference from the same seed: a MAF and an MDN on 3,000 pairs of
 * a linear-Gaussian conditional (θ | x ~ N(Ax + b, Σ), 2-D), eight epochs each. Both backends see the same split,
 * batches and initial weights, so their per-epoch losses differ only by float32 rounding in another summation order,
 * which grows slowly over 8 × 13 Adam steps: each epoch's training and validation loss must agree within 2e-3 nats.
 * Samples drawn from the two trained estimators with the same base noise must then agree within 2e-2.
 */
@Tag("gpu")
class CudaTrainingTest {

    private static CudaBackend cuda;

    @BeforeAll
    static void device() {
        cuda = CudaTesting.backendOrSkip();
    }

    @Test
    void mafTrainsLikeTheScalarReference() {
        check("MAF", EstimatorFactory.maf());
    }

    @Test
    void mdnTrainsLikeTheScalarReference() {
        check("MDN", EstimatorFactory.mdn());
    }

    private void check(String what, EstimatorFactory factory) {
        TrainingData data = linearGaussian(3000, 11);
        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(8).withStopAfterEpochs(100).withSeed(5);
        TrainedEstimator ref = Trainer.train(new ScalarBackend(), factory, data, cfg, (e, t, v, b, s, sec) -> { });
        TrainedEstimator got = Trainer.train(cuda, factory, data, cfg, (e, t, v, b, s, sec) -> { });
        assertEquals(8, got.history().epochs(), what + " epochs");
        compare(what + " training loss", ref.history().trainLoss(), got.history().trainLoss());
        compare(what + " validation loss", ref.history().validationLoss(), got.history().validationLoss());
        float[] x = {0.5f, -1f};
        float[] a = ref.estimator().sample(500, x, new Rng(3)).toArray();
        Tensor gs = got.estimator().sample(500, x, new Rng(3));
        assertEquals(cuda, gs.backend(), "samples stay on the GPU until asked for");
        float[] b = gs.toArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        System.out.printf("%s on the GPU: losses %s (scalar %s), largest sample difference %.2e%n", what,
                got.history().validationLoss(), ref.history().validationLoss(), worst);
        assertTrue(worst < 2e-2, what + ": samples from the GPU-trained estimator differ by " + worst);
    }

    private static void compare(String what, List<Double> ref, List<Double> got) {
        assertEquals(ref.size(), got.size(), what + ": epochs");
        for (int e = 0; e < ref.size(); e++) {
            double d = Math.abs(ref.get(e) - got.get(e));
            assertTrue(d < 2e-3, what + " at epoch " + (e + 1) + ": GPU " + got.get(e) + ", scalar " + ref.get(e));
        }
    }

    /** θ | x ~ N(Ax + b, Σ) with x ~ N(0, I): A = [[1, 0.5], [-0.3, 0.8]], b = (0.2, -0.1), Σ = [[0.3, 0.1], [0.1, 0.2]]. */
    static TrainingData linearGaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] theta = new float[n][2], x = new float[n][2];
        double l11 = Math.sqrt(0.3), l21 = 0.1 / l11, l22 = Math.sqrt(0.2 - l21 * l21);
        for (int i = 0; i < n; i++) {
            double x0 = r.nextGaussian(), x1 = r.nextGaussian(), z0 = r.nextGaussian(), z1 = r.nextGaussian();
            x[i][0] = (float) x0;
            x[i][1] = (float) x1;
            theta[i][0] = (float) (x0 + 0.5 * x1 + 0.2 + l11 * z0);
            theta[i][1] = (float) (-0.3 * x0 + 0.8 * x1 - 0.1 + l21 * z0 + l22 * z1);
        }
        return TrainingData.of(theta, x);
    }
}
