package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import jcuda.driver.CUresult;
import jcuda.CudaException;

/**
 * Device memory, recycled: blocks are kept in free lists by size class rather than given back to the driver, since
 * {@code cuMemAlloc} and {@code cuMemFree} synchronise the device and cost far more than a training step's kernels.
 * A block comes back to its list when its {@link CudaStorage} is closed, or when the storage becomes unreachable (a
 * {@link java.lang.ref.Cleaner} action, which makes no CUDA call and so is safe on the cleaner's thread). Reuse is
 * safe without synchronisation because every kernel runs on the one default stream, in order.
 *
 * <p>Storages that nobody closes come back only after a garbage collection, and the JVM sees little reason to collect
 * when its own heap is small: device memory could fill with unreachable blocks. So once the blocks taken from the
 * driver pass half the device's memory, the pool asks for a collection before it takes more. When the device is out
 * of memory the pool frees its cached blocks, asks the JVM to collect unreachable storages, and tries once more
 * before it reports the size asked for and what the device has free.
 */
public final class DevicePool {

    private final CudaDevice device;
    private final Map<Long, ArrayDeque<DevicePointer>> free = new HashMap<>();
    private long cachedBytes, liveBytes, peakLiveBytes;
    /** Bytes of all blocks taken from the driver and not freed, cached or live. */
    private long fromDriverBytes;
    private long collectAbove;

    DevicePool(CudaDevice device) {
        this.device = device;
        this.collectAbove = device.totalBytes() / 2;
    }

    /** The size class of a request: multiples of 1 KiB up to 64 KiB, then four classes per power of two. */
    static long sizeClass(long bytes) {
        if (bytes <= 0) return 256;
        if (bytes <= 65536) return (bytes + 1023) & ~1023L;
        long step = Long.highestOneBit(bytes - 1) / 4;
        return (bytes + step - 1) / step * step;
    }

    synchronized DevicePointer take(long bytes) {
        long cls = sizeClass(bytes);
        ArrayDeque<DevicePointer> list = free.get(cls);
        DevicePointer p = list == null ? null : list.pollFirst();
        if (p == null && fromDriverBytes + cls > collectAbove) {
            collectUnreachable();
            list = free.get(cls);
            p = list == null ? null : list.pollFirst();
            // The next collection when half of what is left is taken too: a few collections at most, however much
            // the caller really holds.
            collectAbove = fromDriverBytes + (device.totalBytes() - fromDriverBytes) / 2;
        }
        if (p != null) {
            cachedBytes -= cls;
        } else {
            p = allocate(cls);
            fromDriverBytes += cls;
        }
        liveBytes += cls;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        return p;
    }

    synchronized void give(DevicePointer p, long bytes) {
        long cls = sizeClass(bytes);
        free.computeIfAbsent(cls, k -> new ArrayDeque<>()).addFirst(p);
        liveBytes -= cls;
        cachedBytes += cls;
    }

    private DevicePointer allocate(long cls) {
        device.makeCurrent();
        DevicePointer p = new DevicePointer();
        try {
            cuMemAlloc(p, cls);
            return p;
        } catch (CudaException e) {
            if (!e.getMessage().contains("OUT_OF_MEMORY")) throw e;
        }
        trim();
        collectUnreachable();
        trim();
        int rc = jcuda.driver.JCudaDriver.cuMemAlloc(p, cls);
        if (rc == CUresult.CUDA_SUCCESS) return p;
        long[] freeB = new long[1], total = new long[1];
        cuMemGetInfo(freeB, total);
        throw new DeviceMemoryException(String.format(java.util.Locale.ROOT,
                "the GPU is out of memory: asked for %.1f MiB, the device has %.1f MiB free of %.1f MiB, jsbi holds"
                        + " %.1f MiB in use; use smaller batches or fewer simulations per call",
                cls / 1048576.0, freeB[0] / 1048576.0, total[0] / 1048576.0, liveBytes / 1048576.0));
    }

    /**
     * Collects garbage and gives the cleaner a moment to return the blocks of unreachable storages. Called with the
     * pool's lock held: the cleaner's {@link #give} waits for it, so release it while waiting.
     */
    private void collectUnreachable() {
        System.gc();
        try {
            wait(100);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** Frees every cached block (called under memory pressure). */
    synchronized void trim() {
        device.makeCurrent();
        for (Map.Entry<Long, ArrayDeque<DevicePointer>> e : free.entrySet()) {
            for (DevicePointer p : e.getValue()) {
                cuMemFree(p);
                fromDriverBytes -= e.getKey();
            }
            e.getValue().clear();
        }
        cachedBytes = 0;
    }

    /** Bytes held by live storages, and the most ever held at once. */
    public synchronized long liveBytes() {
        return liveBytes;
    }

    public synchronized long peakLiveBytes() {
        return peakLiveBytes;
    }

    public synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Thrown when the device has no memory left for a request, with the sizes in the message. */
    public static final class DeviceMemoryException extends RuntimeException {
        DeviceMemoryException(String message) {
            super(message);
        }
    }
}
