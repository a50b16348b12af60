package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.BackendSelection;
import org.jsbi.backend.BackendUnavailableException;
import org.jsbi.backend.Backends;
import org.junit.jupiter.api.Test;

/** Selection with the vector module present (the default test run). */
class SimdSelectionTest {

    @Test
    void simdIsPreferredOverScalarWhenUsable() {
        BackendSelection sel = Backends.select(null, null);
        assertEquals("simd", sel.backend().name(), sel.reason());
        assertTrue(sel.reason().contains("bit float vectors"), sel.reason());
        assertEquals(SimdConfig.LANES, Integer.parseInt(sel.reason().replaceAll(".*\\((\\d+) lanes.*", "$1")));
    }

    @Test
    void preferenceListIsHonoured() {
        assertEquals("scalar", Backends.select("scalar,simd", null).backend().name());
        assertEquals("simd", Backends.select("simd,scalar", null).backend().name());
        assertTrue(!Backends.select("simd,scalar", null).byDefault(), "a named preference is not the default");
        assertTrue(Backends.select(null, null).byDefault());
        assertTrue(Backends.select(" ", null).byDefault());
    }

    @Test
    void requiredBackendRefusesToFallBack() {
        assertEquals("simd", Backends.select(null, "simd").backend().name());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select("scalar", "simd"));
        assertTrue(e.getMessage().contains("requireBackend=simd"), e.getMessage());
    }

    @Test
    void aMistypedVectorWidthIsAnErrorNotAQuietFallBackToScalar() {
        String before = System.getProperty("jsbi.simd.bits");
        System.setProperty("jsbi.simd.bits", "64");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.select(null, null));
            assertTrue(e.getMessage().contains("jsbi.simd.bits must be 128, 256 or 512, got '64'"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("jsbi.simd.bits"); else System.setProperty("jsbi.simd.bits", before);
        }
    }

    @Test
    void unknownBackendNameIsAClearError() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select("gpu9000", null));
        assertTrue(e.getMessage().contains("gpu9000") && e.getMessage().contains("scalar"), e.getMessage());
    }
}
