package org.jsbi.inference;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.ScalarBackend;
import org.jsbi.simulation.SimulationSet;
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
}
