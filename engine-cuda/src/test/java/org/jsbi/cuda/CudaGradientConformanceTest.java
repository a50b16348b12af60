package org.jsbi.cuda;

import org.jsbi.autodiff.GradientConformanceSuite;
import org.jsbi.backend.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Forward values and gradients on the GPU against the scalar reference: every autodiff op, an MLP loss, and the NPE
 * losses of MAF and MDN, from identical inputs and parameters, with the suite's tolerances.
 */
@Tag("gpu")
class CudaGradientConformanceTest extends GradientConformanceSuite {

    private static CudaBackend backend;

    @BeforeAll
    static void device() {
        backend = CudaTesting.backendOrSkip();
    }

    @Override
    protected Backend candidate() {
        return backend;
    }

    @Override
    protected String describeCandidate() {
        return "cuda, " + backend.gemmSelection();
    }
}
