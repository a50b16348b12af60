package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jsbi.backend.Backend;
import org.jsbi.posterior.MapSearchSuite;
import org.junit.jupiter.api.Test;

/**
 * {@link MapSearchSuite} on the SIMD backend, whose kernels are fastest at a multiple of the lane count: a MAP's
 * ten chains run padded to it, and must give the floats of ten columns. A conformance test, so that the build runs it
 * at 128 and 256 bits too (4 and 8 lanes, AVX2's tails without masked stores).
 */
class SimdMapSearchConformanceTest extends MapSearchSuite {

    private final Backend backend = new SimdBackend();

    @Override
    protected Backend backend() {
        return backend;
    }

    @Test
    void prefersWholeVectors() {
        assertEquals(SimdConfig.LANES, backend.preferredColumnMultiple());
    }
}
