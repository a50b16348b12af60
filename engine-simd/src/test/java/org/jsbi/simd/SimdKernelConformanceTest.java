package org.jsbi.simd;

import org.jsbi.backend.Backend;
import org.jsbi.backend.KernelConformanceSuite;

/** Every SIMD kernel against the scalar reference; surefire runs this at the native width, 128 and 256 bits. */
class SimdKernelConformanceTest extends KernelConformanceSuite {

    private final SimdBackend backend = new SimdBackend();

    @Override
    protected Backend candidate() {
        return backend;
    }

    @Override
    protected int lanes() {
        return SimdConfig.LANES;
    }
}
