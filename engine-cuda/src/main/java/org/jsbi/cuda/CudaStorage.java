package org.jsbi.cuda;

import java.lang.ref.Cleaner;

import org.jsbi.tensor.Storage;

/**
 * A run of floats in device memory, owned by the {@link DevicePool} it came from. {@link #close()} gives the block
 * back at once; a storage that is never closed gives it back when it becomes unreachable. A closed storage must not
 * be used again: its block may already belong to another storage.
 */
public final class CudaStorage implements Storage, AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final DevicePointer pointer;
    private final int length;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(DevicePool pool, int length) {
        this.length = length;
        long bytes = Math.max(1L, length) * Float.BYTES;
        this.pointer = pool.take(bytes);
        this.cleanable = CLEANER.register(this, new Release(pool, pointer, bytes));
    }

    /** The block's device address; valid while this storage is open. */
    DevicePointer pointer() {
        return pointer;
    }

    @Override
    public int length() {
        return length;
    }

    /** Gives the block back to the pool; idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Holds no reference to the storage, so that the storage can become unreachable. */
    private record Release(DevicePool pool, DevicePointer pointer, long bytes) implements Runnable {
        @Override
        public void run() {
            pool.give(pointer, bytes);
        }
    }
}
