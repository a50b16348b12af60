package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.jsbi.backend.BackendSelection;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Probe;
import org.junit.jupiter.api.Test;

/** On every machine, with or without a GPU: the probe gives a reason instead of crashing, and selection goes on. */
class CudaProviderTest {

    @Test
    void loadErrorsAreCutToOneLineNamingTheMissingLibrary() {
        String jcudaStyle = "Error while loading native library \"JCudaDriver\"\nStack trace ...\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file";
        assertEquals("libcuda.so.1 not found (no NVIDIA driver on this machine)",
                CudaProvider.oneLine(new UnsatisfiedLinkError(jcudaStyle)));
        assertEquals("libcublas.so.12 not found (a CUDA library of the version JCuda was built for)",
                CudaProvider.oneLine(new UnsatisfiedLinkError("Error while loading native library \"JCublas2\"\n"
                        + "/tmp/libJCublas2.so: libcublas.so.12: cannot open shared object file: No such file")));
        assertEquals("first line", CudaProvider.oneLine(new UnsatisfiedLinkError("first line\nsecond")));
    }

    @Test
    void probeNeverThrowsAndSaysWhy() {
        Probe p = new CudaProvider().probe();
        assertNotNull(p.reason());
        assertFalse(p.reason().contains("\n"), "a probe reason is one line: " + p.reason());
        System.out.println("cuda probe: " + (p.usable() ? "usable, " : "not usable, ") + p.reason());
        // Selection goes on to a usable backend and names the reason CUDA was passed over, or chooses CUDA.
        BackendSelection s = Backends.select(null, null);
        System.out.println("selection: " + s.reason());
        assertEquals(p.usable(), s.backend().name().equals("cuda"), "selection follows the probe: " + s.reason());
    }

    @Test
    void aDefaultGpuChoiceTrainsNarrowBatchesOnSimdWhereItCan() {
        BackendSelection s = Backends.selection();
        if (!s.byDefault() || !s.backend().name().equals("cuda")) return;   // no GPU, or a named preference
        assertEquals("cuda", Backends.forTraining(Backends.DEFAULT_CUDA_MIN_TRAINING_BATCH).name());
        String narrow = Backends.forTraining(200).name();
        boolean simdHere = Backends.providers().stream().anyMatch(p -> p.name().equals("simd") && p.probe().usable());
        assertEquals(simdHere ? "simd" : "cuda", narrow, "batch 200 on a GPU chosen by default");
    }

    @Test
    void sizeClassesCoverTheRequestWithBoundedWaste() {
        for (long bytes : new long[] {1, 4, 1023, 1024, 1025, 65536, 65537, 100_000, 1 << 20, 40_000_000L}) {
            long c = DevicePool.sizeClass(bytes);
            assertFalse(c < bytes, bytes + " -> " + c);
            assertFalse(bytes > 65536 && c > bytes * 1.25 + 1, "waste above 25%: " + bytes + " -> " + c);
        }
        assertEquals(DevicePool.sizeClass(800_000), DevicePool.sizeClass(800_001 - 1));
    }

    @Test
    void scatterIndexRepeatsAreFound() {
        assertEquals(true, CudaBackend.distinct(new int[] {3, 0, 2, 1}));
        assertEquals(false, CudaBackend.distinct(new int[] {3, 0, 3}));
    }
}
