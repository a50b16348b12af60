package org.jsbi.posterior;

import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;

/** {@link MapSearchSuite} on the scalar reference backend. */
class ScalarMapSearchTest extends MapSearchSuite {

    private final Backend backend = new ScalarBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
