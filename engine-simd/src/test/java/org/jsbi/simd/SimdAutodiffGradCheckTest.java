package org.jsbi.simd;

import org.jsbi.autodiff.AutodiffGradCheckSuite;
import org.jsbi.backend.Backend;

/**
 * Float64 central-difference gradient checks of every autodiff op on the Vector API backend; surefire runs this at
 * the native width, 128 and 256 bits.
 */
class SimdAutodiffGradCheckTest extends AutodiffGradCheckSuite {

    private final Backend backend = new SimdBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
