package org.jsbi.tensor;

/**
 * A flat run of float32 values owned by one backend: a Java array for the CPU backends, device memory for CUDA.
 * Kernels take storages plus offsets and leading dimensions, so one kernel interface serves every backend.
 */
public interface Storage {
    /** Number of floats this storage holds. */
    int length();
}
