package org.jsbi.autodiff;

import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;

/** Float64 central-difference gradient checks of every autodiff op on the scalar reference backend. */
class ScalarAutodiffGradCheckTest extends AutodiffGradCheckSuite {

    private final Backend backend = new ScalarBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
