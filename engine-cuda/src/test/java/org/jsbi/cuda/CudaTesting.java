package org.jsbi.cuda;

import org.jsbi.backend.Probe;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The CUDA backend for a GPU test, or a skip that prints why. With {@code -Djsbi.test.requireGpu=true} (the device
 * runs) a missing GPU fails the test instead, so a run meant for the GPU cannot pass by skipping.
 */
final class CudaTesting {

    private static volatile CudaBackend backend;

    private CudaTesting() {
    }

    static synchronized CudaBackend backendOrSkip() {
        if (backend != null) return backend;
        Probe p = new CudaProvider().probe();
        if (!p.usable()) {
            String why = "GPU test skipped: " + p.reason();
            if (Boolean.getBoolean("jsbi.test.requireGpu")) Assertions.fail(why + " (-Djsbi.test.requireGpu=true)");
            System.out.println(why);
            Assumptions.abort(why);
        }
        backend = CudaBackend.onSharedDevice();
        System.out.println("GPU test on " + backend.describe());
        return backend;
    }
}
