package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.BackendSelection;
import org.jsbi.backend.BackendUnavailableException;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Probe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Run without {@code --add-modules jdk.incubator.vector} (its own surefire execution): the SIMD provider still
 * loads, says why it cannot run, and selection falls back to scalar; a required SIMD backend refuses to fall back.
 * This class must not touch any Vector API type.
 */
class SimdFallbackTest {

    @Test
    void withoutTheVectorModuleSelectionPicksScalarAndSaysWhy() {
        boolean moduleAbsent = ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty();
        Assumptions.assumeTrue(moduleAbsent || Boolean.getBoolean("jsbi.test.expectNoVectorModule"),
                "the vector module is present in this run; the no-vector-module execution covers this test");
        assertTrue(moduleAbsent, "this execution is meant to run without jdk.incubator.vector");
        Probe probe = new SimdProvider().probe();
        assertFalse(probe.usable());
        assertTrue(probe.reason().contains("--add-modules jdk.incubator.vector"), probe.reason());
        BackendSelection sel = Backends.select(null, null);
        assertEquals("scalar", sel.backend().name());
        assertTrue(sel.reason().contains("simd not usable"), sel.reason());
        System.out.println("fallback selection: " + sel.reason());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select(null, "simd"));
        assertTrue(e.getMessage().contains("Refusing to fall back"), e.getMessage());
    }
}
