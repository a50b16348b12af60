package org.jsbi.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.jsbi.sim.gabor.Gabor;
import org.jsbi.sim.glm.Glm;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.sim.stg.PyloricFeatureConfig;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.StoreConfig;
import org.jsbi.simulation.StoreListener;
import org.jsbi.simulation.StoreMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that change a simulator's output are part of its configuration, and a store holds to them. */
class SimulatorConfigurationTest {

    @Test
    void settingsThatChangeTheOutputChangeTheConfiguration() {
        assertEquals(Glm.withDefaults().configuration(), Glm.withDefaults().configuration());
        assertNotEquals(Glm.withDefaults().configuration(), Glm.withDefaults().withNoise(false).configuration());
        float[] stimulus = new float[100];
        stimulus[7] = 1;
        assertNotEquals(Glm.withDefaults().configuration(), Glm.withDefaults().withStimulus(stimulus).configuration());
        assertNotEquals(HodgkinHuxley.withDefaults().configuration(),
                HodgkinHuxley.withDefaults().withNoise(false).configuration());
        assertNotEquals(HodgkinHuxley.withDefaults().configuration(),
                HodgkinHuxley.withDefaults().withFeatures(HodgkinHuxley.Features.FOUR).configuration());
        assertNotEquals(Gabor.withDefaults().configuration(), Gabor.withDefaults().withStimulusSeed(99).configuration());
        PyloricNetwork pn = PyloricNetwork.withDefaults();
        assertNotEquals(pn.configuration(), pn.withNoise(false).configuration());
        assertNotEquals(pn.configuration(), pn.withFeatureConfig(PyloricFeatureConfig.pyloricPackage())
                .configuration());
    }

    @Test
    void aStoreIsNotFinishedWithTheNoiseTurnedOff(@TempDir Path dir) throws IOException {
        Glm noisy = Glm.withDefaults();
        StoreConfig cfg = StoreConfig.defaults().withChunkSize(2).withSeed(1);
        SimulationStore.create(dir, noisy, Glm.prior(), 4, cfg);
        StoreMismatchException e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.create(dir, noisy.withNoise(false), Glm.prior(), 4, cfg));
        assertTrue(e.differences().get(0).startsWith("simulator configuration: noise=true"), e.differences().toString());
        e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.open(dir).run(noisy.withNoise(false), Glm.prior(), StoreListener.NONE));
        assertTrue(e.differences().get(0).endsWith("given") && e.differences().get(0).contains("noise=false"), e.differences().toString());
    }
}
