package org.jsbi.simd;

import java.util.Random;
import org.jsbi.backend.Parallel;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;
import org.jsbi.testing.AllocationProbe;

/**
 * Run in a fresh JVM by {@link FreshJvmCompilationTest}: from the JVM's start, nothing but a masked product with W
 * transposed added into C (beta = 1), 50 x 200 x 50, the shape whose masked 8-column tail ({@code half8MaskedAdd})
 * C1 once failed to compile, leaving it boxed for the rest of the run. Prints the bytes allocated per call once the
 * JIT has settled and exits with 1 where that is more than a boxed-free call allocates.
 */
public final class FreshJvmMaskedAddProbe {

    private FreshJvmMaskedAddProbe() {
    }

    public static void main(String[] args) {
        Parallel.setThreads(1);
        SimdBackend be = new SimdBackend();
        int m = 50, n = 200, k = 50;
        Random r = new Random(1);
        float[] mask = new float[k * m];
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextBoolean() ? 1f : 0f;
        Storage ws = SimdAllocationTest.data(k * m, -0.5f, 0.5f, 1), ms = new HostStorage(mask);
        Storage bs = SimdAllocationTest.data(k * n, -0.5f, 0.5f, 2), cs = SimdAllocationTest.data(m * n, 0f, 0f, 3);
        long budget = SimdAllocationTest.BUDGET;
        AllocationProbe.Result res = AllocationProbe.settle(
                () -> be.maskedGemm(true, m, n, k, ws, 0, ms, 0, m, bs, 0, n, 1f, cs, 0, n), 1, 200, 100, budget, 20);
        System.out.println("bytes per call " + res.bytesPerUnit() + " after " + res.rounds() + " rounds ("
                + String.format("%.1f", res.seconds()) + " s); directive " + JitDirectives.outcome());
        System.exit(res.bytesPerUnit() <= budget ? 0 : 1);
    }
}
