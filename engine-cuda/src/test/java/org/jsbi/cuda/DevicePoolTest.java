package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.tensor.Storage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Device memory comes back from storages nobody closed: allocating one and a half times the card's memory in
 * storages that are dropped at once must not run out, since the pool collects before it takes more than half the
 * card. Closed storages are reused at once.
 */
@Tag("gpu")
class DevicePoolTest {

    private static CudaBackend backend;

    @BeforeAll
    static void gpu() {
        backend = CudaTesting.backendOrSkip();
    }

    @Test
    void unreachableStoragesAreReclaimed() {
        DevicePool pool = backend.device().pool();
        int floats = 1 << 29;   // 2 GiB
        long total = backend.device().totalBytes();
        long rounds = 3 * total / 2 / (4L * floats);
        for (long r = 0; r < rounds; r++) {
            Storage s = backend.allocate(floats);
            backend.fill(1, 1f, s, floats - 1);
        }
        System.out.printf("allocated %d x 2 GiB on a %.1f GiB card; the pool holds %.1f GiB live, %.1f GiB cached%n",
                rounds, total / 1073741824.0, pool.liveBytes() / 1073741824.0, pool.cachedBytes() / 1073741824.0);
        assertTrue(pool.liveBytes() + pool.cachedBytes() <= total, "the pool holds more than the card");
    }

    @Test
    void closedStoragesAreReusedAtOnce() {
        DevicePool pool = backend.device().pool();
        CudaStorage a = (CudaStorage) backend.allocate(1000);
        long address = a.pointer().address();
        a.close();
        a.close();   // idempotent
        CudaStorage b = (CudaStorage) backend.allocate(1000);
        assertTrue(b.pointer().address() == address, "the block of a closed storage serves the next of its size");
        b.close();
        assertTrue(pool.peakLiveBytes() >= 4000);
    }
}
