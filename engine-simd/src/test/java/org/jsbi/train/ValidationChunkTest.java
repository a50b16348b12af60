package org.jsbi.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.autodiff.TapeArena;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.simd.SimdBackend;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The validation loss does not depend on how the validation pairs are chunked ({@link Trainer#validationChunk}): the
 * same double on the SIMD backend for chunks of the batch size and for one chunk per thread, on one and two threads,
 * so that changing the chunking cannot move early stopping.
 */
class ValidationChunkTest {

    @Test
    void validationLossIsTheSameForEveryChunking() {
        Backend be = new SimdBackend();
        int n = 1000, dim = 3;
        Rng rng = new Rng(11);
        float[] theta = new float[dim * n], x = new float[dim * n];
        for (int i = 0; i < theta.length; i++) {
            x[i] = (float) rng.nextGaussian();
            theta[i] = 0.6f * x[i] + 0.4f * (float) rng.nextGaussian();
        }
        float[][] tRows = new float[n][dim], xRows = new float[n][dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                tRows[i][d] = theta[d * n + i];
                xRows[i][d] = x[d * n + i];
            }
        }
        TrainingData data = TrainingData.of(tRows, xRows);
        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(2).withSeed(3);
        EstimatorFactory maf = (b, td, xd, ts, xs, r) -> new Maf(b, td, xd, ts, xs, MafConfig.defaults(), r);
        EstimatorFactory mdn = (b, td, xd, ts, xs, r) -> new Mdn(b, td, xd, ts, xs, MdnConfig.defaults(), r);
        int before = Parallel.threads();
        try {
            for (EstimatorFactory f : new EstimatorFactory[] {maf, mdn}) {
                Parallel.setThreads(1);
                var est = Trainer.train(be, f, data, cfg, TrainingListener.NONE).estimator();
                Tensor t = Tensor.of(be, dim, n, theta), xs = Tensor.of(be, dim, n, x);
                double reference = loss(be, est, t, xs, 200);
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    for (int chunk : new int[] {200, Trainer.validationChunk(n, 200, 2), n, 16, 17}) {
                        assertEquals(Double.doubleToRawLongBits(reference),
                                Double.doubleToRawLongBits(loss(be, est, t, xs, chunk)),
                                est.getClass().getSimpleName() + ": chunks of " + chunk + " on " + threads
                                        + " threads");
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void chunksAreEvenOverThreadsAndAtMostTheCap() {
        assertEquals(200, Trainer.validationChunk(1000, 200, 1), "one thread: the batch size");
        assertEquals(200, Trainer.validationChunk(150, 200, 2), "fewer pairs than a batch: the batch size");
        assertEquals(256, Trainer.validationChunk(1000, 200, 2), "1,000 pairs on two threads: 4 chunks, 2 each");
        assertEquals(160, Trainer.validationChunk(300, 200, 2), "a share under the cap: one chunk per thread");
        for (int n : new int[] {201, 999, 1000, 5000, 20_000}) {
            for (int threads : new int[] {2, 3, 16}) {
                int chunk = Trainer.validationChunk(n, 200, threads);
                assertTrue(chunk <= Trainer.VALIDATION_CHUNK_MAX + Trainer.SPLIT_ALIGN - 1 && chunk % 16 == 0,
                        n + " pairs on " + threads + " threads: chunk " + chunk);
            }
        }
    }

    private static double loss(Backend be, org.jsbi.estimator.ConditionalDensityEstimator est, Tensor t, Tensor x,
                               int chunk) {
        TapeArena[] arenas = new TapeArena[(t.cols() + chunk - 1) / chunk];
        for (int c = 0; c < arenas.length; c++) arenas[c] = new TapeArena(be);
        return Trainer.validationLoss(be, est, t, x, chunk, arenas);
    }
}
