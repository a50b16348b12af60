package org.jsbi.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.tensor.Storage;
import org.jsbi.testing.AllocationProbe;
import org.junit.jupiter.api.Test;

/**
 * The shared checks themselves, on a storage that is not a host array (as the CUDA backend's are): what the CUDA
 * backend runs before each cuMemcpy and launch is tested here without a GPU. The backends' agreement is
 * BackendArgumentSuite's.
 */
class KernelChecksTest {

    /** A storage of n floats somewhere else (device memory, say): the checks read only its length. */
    private static Storage elsewhere(int n) {
        return () -> n;
    }

    @Test
    void hostCopiesStayInsideTheHostArrayAndTheStorage() {
        float[] host = new float[4];
        KernelChecks.upload(host, 2, elsewhere(10), 8, 2);   // exact fits at both ends
        KernelChecks.download(elsewhere(10), 8, host, 2, 2);
        assertEquals("upload: src needs floats [3, 5) (2 floats from offset 3) but holds 4; check the sizes and the"
                        + " offset passed with src",
                assertThrows(IllegalArgumentException.class,
                        () -> KernelChecks.upload(host, 3, elsewhere(10), 0, 2)).getMessage());
        assertEquals("download: dst needs floats [2, 5) (3 floats from offset 2) but holds 4; check the sizes and the"
                        + " offset passed with dst",
                assertThrows(IllegalArgumentException.class,
                        () -> KernelChecks.download(elsewhere(10), 0, host, 2, 3)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KernelChecks.upload(host, 0, elsewhere(10), 9, 2)).getMessage().startsWith("upload: dst needs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KernelChecks.download(elsewhere(10), -1, host, 0, 2)).getMessage()
                .startsWith("download: src starts at offset -1"));
    }

    /** An offset plus a length past Integer.MAX_VALUE must not wrap around to a small number and pass. */
    @Test
    void extentsArePastTheIntRangeNotWrappedIntoIt() {
        float[] host = new float[4];
        assertThrows(IllegalArgumentException.class,
                () -> KernelChecks.upload(host, Integer.MAX_VALUE - 1, elsewhere(10), 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> KernelChecks.run("axpy", "y", elsewhere(10), Integer.MAX_VALUE, 2));
        // 46,341² floats overflow an int; the product's C is 4 floats.
        String msg = assertThrows(IllegalArgumentException.class, () -> KernelChecks.gemm(false, false, 46_341,
                46_341, 1, elsewhere(46_341), 0, 1, elsewhere(46_341), 0, 46_341, elsewhere(4), 0, 46_341)).getMessage();
        assertTrue(msg.startsWith("gemm: c needs floats [0, 2147488281)"), msg);
        assertThrows(IllegalArgumentException.class, () -> KernelChecks.gaussianMixtureForward(1 << 16, 1 << 8, 1 << 8,
                elsewhere(1 << 24), elsewhere(1), elsewhere(1), null, elsewhere(1), elsewhere(1), elsewhere(1)));
    }

    @Test
    void indicesAreCheckedAgainstWhatTheyAddress() {
        // gatherRows: src row idx[r] for each r; the highest index decides how much of src is read.
        KernelChecks.gatherRows(new int[] {2, 0, 2}, 3, elsewhere(9), 0, 3, elsewhere(9), 0, 3);
        assertEquals("gatherRows: src needs floats [0, 12) (4 rows of 3, lds = 3 from offset 0) but holds 9; check the"
                        + " sizes and the offset and lds passed with src",
                assertThrows(IllegalArgumentException.class, () -> KernelChecks.gatherRows(new int[] {3, 0, 2}, 3,
                        elsewhere(9), 0, 3, elsewhere(9), 0, 3)).getMessage());
        assertEquals("scatterAddColumns: idx[2] = -4 is negative; an index counts rows or columns from 0",
                assertThrows(IllegalArgumentException.class, () -> KernelChecks.scatterAddColumns(new int[] {0, 1, -4},
                        1, elsewhere(3), 0, 3, elsewhere(3), 0, 3)).getMessage());
        assertEquals("affineFlowBackward: perm[1] = 3 is outside [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> KernelChecks.affineFlowBackward(3, 1,
                        new int[] {0, 3, 1}, elsewhere(6), 0, elsewhere(3), 0, elsewhere(3), 0, elsewhere(3), 0, null,
                        0, null, 0, null, 0)).getMessage());
    }

    /** The checks run on every kernel call: they must allocate nothing where the arguments are good. */
    @Test
    void goodCallsAllocateNothing() {
        Storage a = elsewhere(2500), small = elsewhere(50);
        Storage[] group = {a, small};
        int[] lengths = {2500, 50};
        int[] idx = {3, 1, 4, 1, 5, 9, 2, 6};
        float[] host = new float[2500];
        Runnable calls = () -> {
            KernelChecks.gemm(false, true, 50, 50, 50, a, 0, 50, a, 0, 50, a, 0, 50);
            KernelChecks.maskedGemm(true, 50, 50, 50, a, 0, a, 0, 50, a, 0, 50, a, 0, 50);
            KernelChecks.denseForward(50, 50, 10, a, 0, a, 0, a, 0, small, 0, a, 0, a, 0);
            KernelChecks.axpy(2500, a, 0, a, 0);
            KernelChecks.gatherColumns(idx, 50, a, 0, 50, a, 0, 50);
            KernelChecks.upload(host, 0, a, 0, 2500);
            KernelChecks.addManyAndSumSquares(group, PARTS, lengths);
            KernelChecks.adamStepMany(group, group, group, group, lengths);
        };
        AllocationProbe.Result r = AllocationProbe.settle(calls, 1, 2000, 1000, 0, 10);
        assertEquals(0, r.bytesPerUnit(), "bytes allocated per round of good calls after " + r.rounds() + " rounds");
    }

    private static final Storage[][] PARTS = {null, {elsewhere(2500), elsewhere(50)}};
}
