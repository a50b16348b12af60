package org.jsbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.dist.Priors;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.testing.NoisyIdentity;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.NoEpochFinishedException;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** {@link Npe}'s checks of what it is given, before training. */
class NpeTest {

    /**
     * A feature that is NaN in most simulations excludes most of them: 3,000 simulated, 92 kept. The trainer's own
     * refusal asked for "at least 222 simulations" of a user who had run 3,000; the message now says how many were
     * excluded and why.
     */
    @Test
    void tooFewFiniteSimulationsAreBlamedOnTheExclusionsNotTheBudget() {
        int kept = 92, excluded = 2908;
        float[][] theta = new float[kept][], x = new float[kept][];
        for (int i = 0; i < kept; i++) {
            theta[i] = new float[] {i * 0.01f};
            x[i] = new float[] {i * 0.01f + 0.1f * (i % 7)};
        }
        Npe npe = new Npe(NpeConfig.defaults(), new ScalarBackend());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> npe.train(new SimulationSet(theta, x, excluded)));
        assertTrue(e.getMessage().startsWith("only 92 of 3000 simulations produced finite data (2908 had NaN or"
                + " infinite values") && e.getMessage().contains(
                "fewer than the " + Trainer.minimumSimulations(NpeConfig.defaults().training())), e.getMessage());
    }

    /**
     * An interrupt before the first epoch ends leaves no estimator; run's simulations come back in the exception
     * (they went down with the trainer's IllegalStateException), with the interrupt still set.
     */
    @Test
    void anInterruptInTheFirstEpochKeepsTheSimulations() {
        EstimatorFactory interrupting = (b, td, xd, ts, xs, rng) -> {
            Thread.currentThread().interrupt();
            return EstimatorFactory.mdn().build(b, td, xd, ts, xs, rng);
        };
        Npe npe = new Npe(NpeConfig.defaults().withEstimator(interrupting), new ScalarBackend());
        try {
            SimulationInterruptedException e = assertThrows(SimulationInterruptedException.class,
                    () -> npe.run(new NoisyIdentity(0.3), Priors.boxUniform(2, 0, 1), 400, 1));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
            assertEquals(400, e.completed().size());
            assertTrue(e.getCause() instanceof NoEpochFinishedException, String.valueOf(e.getCause()));
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * Training from a set reads its rows in place and fills the tensors a dimension at a time. Setup and an epoch
     * allocate the tensors, the validation pairs' chunks, the outlier check's samples (160 KB a dimension) and the
     * epoch's own, 1.85 times the data's 196 bytes a pair here (31-D θ and 18-D x). SimulationSet.toTrainingData
     * copied the whole set, and the trainer selected the training split whole before uploading it, 3.7 times; at
     * 1,000,000 pairs the heap beside the set peaked at those copies and the validation tensors, 392 MB, where the
     * tensors alone take 196.
     */
    @Test
    void trainingASimulationSetMakesNoCopyOfIt() {
        int n = 100_000, thetaDim = 31, xDim = 18;
        SplittableRandom rng = new SplittableRandom(7);
        float[][] theta = new float[n][thetaDim], x = new float[n][xDim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < thetaDim; d++) theta[i][d] = rng.nextFloat();
            for (int d = 0; d < xDim; d++) x[i][d] = theta[i][d] + rng.nextFloat();
        }
        SimulationSet set = new SimulationSet(theta, x, 0);
        EstimatorFactory smallMaf = (b, td, xd, ts, xs, r) ->
                new Maf(b, td, xd, ts, xs, MafConfig.defaults().withTransforms(1).withHiddenFeatures(8), r);
        Npe npe = new Npe(NpeConfig.defaults().withEstimator(smallMaf).withTraining(TrainingConfig.defaults()
                .withMaxEpochs(1).withBatchSize(1000).withSeed(1)), new ScalarBackend());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);   // all of the training's allocations on this thread, where they are counted
            long start = threads.getCurrentThreadAllocatedBytes();
            npe.train(set);
            double copies = (threads.getCurrentThreadAllocatedBytes() - start) / (4.0 * n * (thetaDim + xDim));
            assertTrue(copies < 2.5, String.format("training %d pairs allocated %.2f times their data, a copy more"
                    + " than the tensors need: are the set or the training split copied whole?", n, copies));
        } finally {
            Parallel.setThreads(before);
        }
    }
}
