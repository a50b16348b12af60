package org.jsbi.cuda;

import org.jsbi.backend.Backend;
import org.jsbi.backend.KernelConformanceSuite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every CUDA kernel against the scalar reference at the conformance sizes, with the matrix product that selection
 * chose (cuBLAS or the hand-written SGEMM). "Lanes" here is the warp: 31, 32 and 33 cross a warp's edge.
 */
@Tag("gpu")
class CudaKernelConformanceTest extends KernelConformanceSuite {

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
    protected int lanes() {
        return 32;
    }
}
