package org.jsbi.cuda;

import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendArgumentSuite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The CUDA backend refuses bad sizes, offsets and indices as the scalar reference does, before any copy or launch:
 * unchecked, a host offset sent cuMemcpy outside a Java array and a device offset outside its allocation.
 */
@Tag("gpu")
class CudaArgumentConformanceTest extends BackendArgumentSuite {

    private static CudaBackend backend;

    @BeforeAll
    static void device() {
        backend = CudaTesting.backendOrSkip();
    }

    @Override
    protected Backend candidate() {
        return backend;
    }
}
