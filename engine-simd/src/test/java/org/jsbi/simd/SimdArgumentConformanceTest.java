package org.jsbi.simd;

import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendArgumentSuite;

/** The SIMD backend refuses bad sizes, offsets and indices as the scalar reference does, at every width. */
class SimdArgumentConformanceTest extends BackendArgumentSuite {

    private final SimdBackend backend = new SimdBackend();

    @Override
    protected Backend candidate() {
        return backend;
    }
}
