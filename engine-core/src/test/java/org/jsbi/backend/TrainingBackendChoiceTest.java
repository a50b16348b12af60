package org.jsbi.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Backends#forTraining}'s rule: when a GPU chosen by default gives way to the host for narrow batches. */
class TrainingBackendChoiceTest {

    @Test
    void aDefaultGpuChoiceGivesWayBelowTheThresholdOnly() {
        int min = Backends.DEFAULT_CUDA_MIN_TRAINING_BATCH;
        assertTrue(Backends.trainsOnHostInstead(true, false, 200, min));
        assertTrue(Backends.trainsOnHostInstead(true, false, min - 1, min));
        assertFalse(Backends.trainsOnHostInstead(true, false, min, min));
        assertFalse(Backends.trainsOnHostInstead(true, false, 10_000, min));
    }

    @Test
    void aNamedPreferenceAndAHostBackendAreKept() {
        assertFalse(Backends.trainsOnHostInstead(false, false, 200, 4096), "-Djsbi.backend=cuda is obeyed");
        assertFalse(Backends.trainsOnHostInstead(true, true, 200, 4096), "a CPU backend stays");
    }

    @Test
    void badBatchSizesAndThresholdsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.trainsOnHostInstead(true, false, 0, 4096));
        assertTrue(e.getMessage().contains("batch size"), e.getMessage());
        String before = System.getProperty("jsbi.cuda.minTrainingBatch");
        try {
            System.setProperty("jsbi.cuda.minTrainingBatch", "lots");
            e = assertThrows(IllegalArgumentException.class, Backends::minTrainingBatchOnDevice);
            assertTrue(e.getMessage().contains("minTrainingBatch") && e.getMessage().contains("lots"), e.getMessage());
            System.setProperty("jsbi.cuda.minTrainingBatch", "0");
            assertThrows(IllegalArgumentException.class, Backends::minTrainingBatchOnDevice);
            System.setProperty("jsbi.cuda.minTrainingBatch", "512");
            assertEquals(512, Backends.minTrainingBatchOnDevice());
            System.clearProperty("jsbi.cuda.minTrainingBatch");
            assertEquals(Backends.DEFAULT_CUDA_MIN_TRAINING_BATCH, Backends.minTrainingBatchOnDevice());
        } finally {
            if (before == null) System.clearProperty("jsbi.cuda.minTrainingBatch");
            else System.setProperty("jsbi.cuda.minTrainingBatch", before);
        }
    }

    @Test
    void withoutAGpuTrainingUsesTheJvmsChoice() {
        BackendSelection s = Backends.selection();
        if (s.backend().splitsWorkOverHostThreads()) {
            assertEquals(s.backend(), Backends.forTraining(200));
            assertEquals(s.backend(), Backends.forTraining(100_000));
        }
    }
}
