package org.jsbi.backend;

/** The scalar reference refuses bad sizes, offsets and indices with the messages of {@link KernelChecks}. */
class ScalarArgumentConformanceTest extends BackendArgumentSuite {

    private final ScalarBackend backend = new ScalarBackend();

    @Override
    protected Backend candidate() {
        return backend;
    }
}
