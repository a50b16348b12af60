package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.jsbi.backend.Backends;
import org.jsbi.backend.Probe;
import org.junit.jupiter.api.Test;

/** On every machine, with or without a GPU: the probe gives a reason instead of crashing, and selection goes on. */
class CudaProviderTest {

    @Test
    void loadErrorsAreCutToOneLineNamingTheMissingDriver() {
        String jcudaStyle = "Error while loading native library \"JCudaDriver\"\nStack trace ...\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file";
        org.junit.jupiter.api.Assertions.assertEquals("libcuda.so.1 not found (no NVIDIA driver on this machine)",
                CudaProvider.oneLine(new UnsatisfiedLinkError(jcudaStyle)));
        org.junit.jupiter.api.Assertions.assertEquals("first line",
                CudaProvider.oneLine(new UnsatisfiedLinkError("first line\nsecond")));
    }

    @Test
    void probeNeverThrowsAndSaysWhy() {
        Probe p = new CudaProvider().probe();
        assertFalse(p.usable(), "the skeleton cannot be usable: " + p.reason());
        assertNotNull(p.reason());
        assertFalse(p.reason().contains("\n"), "a probe reason is one line: " + p.reason());
        System.out.println("cuda probe: " + p.reason());
        // Selection passes over it to a usable backend and names the reason.
        String reason = Backends.select(null, null).reason();
        System.out.println("selection: " + reason);
    }
}
