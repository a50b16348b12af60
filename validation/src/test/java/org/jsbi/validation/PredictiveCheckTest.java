package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.posterior.InvalidObservationException;
import org.jsbi.simulation.Simulator;
import org.jsbi.testing.NoisyIdentity;
import org.junit.jupiter.api.Test;

/** The predictive check's median distance against a hand-computed answer, and observations it cannot measure to. */
class PredictiveCheckTest {

    /** x = θ in two dimensions (noise 0), so the distances are those of θ to the observation. */
    private static final Simulator IDENTITY = new NoisyIdentity(0);

    private static final float[][] THETA = {{0f, 0f}, {3f, 4f}, {6f, 8f}, {0f, 1f}};

    @Test
    void medianOfTheDistancesToTheObservation() {
        // distances 0, 5, 10, 1: the median of an even count is the mean of the middle two (as np.median)
        assertEquals(3.0, PredictiveCheck.medianDistance(IDENTITY, THETA, new float[] {0f, 0f}, 1), 1e-12);
        // Data simulated elsewhere: a non-finite row is left out (distances 0, 10, 1), a row of another length refused.
        float[][] x = {{0f, 0f}, {Float.NaN, 4f}, {6f, 8f}, {0f, 1f}};
        assertEquals(1.0, PredictiveCheck.medianDistance(x, new float[] {0f, 0f}), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictiveCheck.medianDistance(new float[][] {{0f, 0f, 0f}}, new float[] {0f, 0f}));
        assertTrue(e.getMessage().contains("a simulated row has 3 values but the observation 2"), e.getMessage());
    }

    @Test
    void anObservationOfAnotherLengthOrNotFiniteIsRefusedWithTheProblemNamed() {
        assertMessage("has 3 values but noisy_identity simulates 2-dimensional data", new float[] {0f, 0f, 100f});
        assertMessage("has 1 values but noisy_identity simulates 2-dimensional data", new float[] {0f});
        assertMessage("observation value 0 is NaN", new float[] {Float.NaN, 0f});
        assertMessage("observation value 1 is Infinity", new float[] {0f, Float.POSITIVE_INFINITY});
        assertMessage("the observation is null", null);
    }

    private static void assertMessage(String expected, float[] observation) {
        InvalidObservationException e = assertThrows(InvalidObservationException.class,
                () -> PredictiveCheck.medianDistance(IDENTITY, THETA, observation, 1));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
