package org.jsbi.sim.gabor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The stimulus cache: one array per seed while it is held, the same values once the collector has taken it. */
class GaborStimulusTest {

    @Test
    void aReclaimedStimulusComesBackTheSame() {
        float[] first = GaborStimulus.get(Gabor.DEFAULT_STIMULUS_SEED);
        assertSame(first, GaborStimulus.get(Gabor.DEFAULT_STIMULUS_SEED), "held while referenced");
        float[] copy = first.clone();
        GaborStimulus.releaseForTest();
        float[] again = GaborStimulus.get(Gabor.DEFAULT_STIMULUS_SEED);
        assertNotSame(first, again, "generated anew once released");
        assertArrayEquals(copy, again);
    }
}
