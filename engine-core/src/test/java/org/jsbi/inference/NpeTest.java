package org.jsbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.ScalarBackend;
import org.jsbi.dist.Priors;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.testing.NoisyIdentity;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.NoEpochFinishedException;
import org.jsbi.train.Trainer;
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
}
