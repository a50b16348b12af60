package org.jsbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.Backends;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationListener;
import org.jsbi.testing.InterruptingPrior;
import org.jsbi.testing.NoisyIdentity;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainingHistory;
import org.jsbi.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link SequentialNpe} stops on an interrupt (Ctrl-C) at each stage of a round: the finished rounds, their
 * estimator and every finished simulation come back, with the interrupt still set. A tiny MDN trained for a few epochs
 * on a few hundred simulations of x = θ + noise: the estimates are poor, and need not be good for this. (The accuracy
 * of the rounds is tested in the validation module.)
 */
class SequentialNpeTest {

    static final Prior PRIOR = Priors.boxUniform(2, -5, 5);
    static final float[] XO = {1.3f, -2.1f};
    static final NoisyIdentity SIM = new NoisyIdentity(0.1);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    static SequentialNpe tiny(int maxEpochs) {
        NpeConfig d = NpeConfig.defaults();
        NpeConfig cfg = d.withEstimator(EstimatorFactory.mdn(MdnConfig.defaults().withHiddenFeatures(16)
                .withComponents(2))).withTraining(d.training().withMaxEpochs(maxEpochs).withSeed(3));
        return new SequentialNpe(cfg, PosteriorConfig.defaults(), 0.01, 100,
                Backends.current());
    }

    /** Interrupts the calling thread when the round with {@code total} simulations reports progress. */
    static SimulationListener interruptInRoundOf(int total) {
        return (done, t, nonFinite, seconds) -> {
            if (t == total) Thread.currentThread().interrupt();
        };
    }

    @Test
    void aProposalThatCannotBeDrawnFromInTimeEndsTheRunAtTheFinishedRounds() {
        // Round 1 needs 5,000 draws from the truncated prior, many blocks of rejection sampling, under a time limit
        // of a microsecond: its proposal fails, and round 0 stands.
        NpeConfig d = NpeConfig.defaults();
        NpeConfig cfg = d.withEstimator(EstimatorFactory.mdn(MdnConfig.defaults().withHiddenFeatures(16)
                .withComponents(2))).withTraining(d.training().withMaxEpochs(2).withSeed(3));
        SequentialNpe seq = new SequentialNpe(cfg, PosteriorConfig.defaults().withTimeLimitSeconds(1e-6), 0.01, 100,
                Backends.current());
        SequentialNpe.Result r = seq.run(SIM, PRIOR, XO, new int[] {150, 5_000}, 7);
        assertFalse(r.interrupted());
        assertTrue(r.stoppedEarly());
        assertEquals(1, r.rounds().size());
        assertTrue(r.proposalFailure().startsWith("round 1's proposal: ") && r.proposalFailure().contains("time limit"),
                r.proposalFailure());
        assertEquals(150, r.simulations().simulated());
        assertTrue(r.posterior() != null && r.last() != null);
    }

    @Test
    void aThresholdSampleTooSmallForTheQuantileIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SequentialNpe(
                NpeConfig.defaults(), PosteriorConfig.defaults(), TruncatedPrior.DEFAULT_QUANTILE, 100,
                Backends.current()));
        assertTrue(e.getMessage().contains("1 / quantile"), e.getMessage());
    }

    @Test
    void uninterruptedRunsAllRoundsAndPoolsTheirSimulations() {
        SequentialNpe.Result r = tiny(2).run(SIM, PRIOR, XO, new int[] {150, 120}, 7);
        assertFalse(r.interrupted());
        assertFalse(r.stoppedEarly());
        assertEquals("", r.proposalFailure());
        assertEquals(2, r.rounds().size());
        assertEquals(270, r.simulations().size());
        assertEquals(270, r.rounds().get(1).trainingRows());
    }

    /** Training stops early (as in Npe); the run then stops at the round boundary instead of failing in round 1. */
    @Test
    void anInterruptDuringTrainingKeepsThatRoundAndStopsAtTheBoundary() {
        TrainingListener interruptAtEpoch1 = (epoch, train, val, best, since, sec) -> {
            if (epoch == 1) Thread.currentThread().interrupt();
        };
        SequentialNpe.Result r = tiny(3).run(SIM, PRIOR, XO, new int[] {300, 200, 200}, 7, SimulationListener.NONE,
                interruptAtEpoch1);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        assertTrue(r.interrupted());
        assertEquals(1, r.rounds().size());
        assertEquals(TrainingHistory.StopReason.INTERRUPTED, r.last().trained().history().stopReason());
        assertEquals(1, r.rounds().get(0).epochs());
        assertEquals(300, r.simulations().size());
        Thread.interrupted();
        assertEquals(50, r.posterior().sample(50, XO, 1).length, "round 0's posterior is usable");
    }

    /** Round 1 is interrupted before its first epoch ends: no estimator for it, round 0's stands (it was lost). */
    @Test
    void anInterruptInALaterRoundsFirstEpochKeepsTheFinishedRounds() {
        TrainingListener none = TrainingListener.NONE;
        int[] built = {0};
        NpeConfig d = NpeConfig.defaults();
        EstimatorFactory mdn = EstimatorFactory.mdn(MdnConfig.defaults().withHiddenFeatures(16).withComponents(2));
        EstimatorFactory interruptingSecond = (b, td, xd, ts, xs, rng) -> {
            if (++built[0] == 2) Thread.currentThread().interrupt();
            return mdn.build(b, td, xd, ts, xs, rng);
        };
        SequentialNpe seq = new SequentialNpe(d.withEstimator(interruptingSecond).withTraining(d.training()
                .withMaxEpochs(2).withSeed(3)), PosteriorConfig.defaults(), 0.01, 100, Backends.current());
        SequentialNpe.Result r = seq.run(SIM, PRIOR, XO, new int[] {300, 200, 200}, 7, SimulationListener.NONE, none);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        assertTrue(r.interrupted());
        assertEquals(1, r.rounds().size());
        assertEquals(500, r.simulations().size(), "round 1's simulations are kept, though not trained on");
        assertEquals(300, r.last().simulationsUsed());

        // Round 0 interrupted in its first epoch: as Npe.run, the exception holds the simulations.
        Thread.interrupted();
        built[0] = 1;
        SimulationInterruptedException e = assertThrows(SimulationInterruptedException.class,
                () -> seq.run(SIM, PRIOR, XO, new int[] {300, 200}, 7, SimulationListener.NONE, none));
        assertEquals(300, e.completed().size());
        assertTrue(e.getMessage().startsWith("training was interrupted before its first epoch finished"),
                e.getMessage());
    }

    @Test
    void anInterruptWhileALaterRoundSimulatesKeepsItsFinishedSimulationsUntrained() {
        SequentialNpe.Result r = tiny(2).run(SIM, PRIOR, XO, new int[] {300, 200, 200}, 7, interruptInRoundOf(200),
                TrainingListener.NONE);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        assertTrue(r.interrupted());
        assertEquals(1, r.rounds().size());
        assertEquals(300, r.rounds().get(0).trainingRows());
        assertEquals(500, r.simulations().size(), "round 1's simulations are kept, though not trained on");
        assertEquals(TrainingHistory.StopReason.MAX_EPOCHS, r.last().trained().history().stopReason());
    }

    /** The first posterior sample checked against the prior interrupts: the region's mass estimate stops. */
    @Test
    void anInterruptWhileALaterRoundBuildsItsProposalKeepsTheFinishedRounds() {
        Prior interrupting = InterruptingPrior.onSupportCheck(PRIOR, 1);
        SequentialNpe.Result r = tiny(2).run(SIM, interrupting, XO, new int[] {300, 200}, 7);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        assertTrue(r.interrupted());
        assertEquals(1, r.rounds().size());
        assertEquals(300, r.simulations().size());
    }

    /** Before anything is trained there is no result to give: as Npe, the exception holds the finished simulations. */
    @Test
    void anInterruptInRoundZerosSimulationsIsNpesException() {
        SimulationInterruptedException e = assertThrows(SimulationInterruptedException.class,
                () -> tiny(2).run(SIM, PRIOR, XO, new int[] {300, 200}, 7, interruptInRoundOf(300),
                        TrainingListener.NONE));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        assertEquals(300, e.completed().simulated());
    }
}
