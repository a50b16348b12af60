package org.jsbi.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import jcuda.Pointer;
import org.jsbi.tensor.Storage;

/**
 * Device copies of the tables that multi-tensor kernels read: for each of several tensors, the device addresses of
 * one or more storages and the tensor's length, laid out as {@code u64 address[group][count]} then
 * {@code i32 length[count]}. A training loop passes the same tensors every step, so tables are kept by content (the
 * most recent 64) and uploaded only the first time: an upload from pageable host memory waits for the device.
 */
final class PointerTables {

    private static final int KEEP = 64;

    private final DevicePool pool;
    private final Map<Key, Table> tables = new LinkedHashMap<>(16, 0.75f, true);

    PointerTables(DevicePool pool) {
        this.pool = pool;
    }

    record Table(DevicePointer buffer, long bytes, int count) {
        /** Where the lengths start, in bytes from the buffer. */
        long lengthsOffset(int groups) {
            return 8L * groups * count;
        }
    }

    private record Key(long[] addresses, int[] lengths) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(addresses, k.addresses) && Arrays.equals(lengths, k.lengths);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(addresses) + Arrays.hashCode(lengths);
        }
    }

    /** The device table of the given storage groups (each of {@code lengths.length} storages). */
    synchronized Table table(int[] lengths, Storage[]... groups) {
        int count = lengths.length;
        long[] addr = new long[groups.length * count];
        for (int g = 0; g < groups.length; g++) {
            if (groups[g].length != count) {
                throw new IllegalArgumentException("pointer table: group " + g + " has " + groups[g].length
                        + " storages, expected " + count);
            }
            for (int t = 0; t < count; t++) addr[g * count + t] = CudaBackend.storage(groups[g][t]).pointer().address();
        }
        Key key = new Key(addr, lengths.clone());
        Table t = tables.get(key);
        if (t != null) return t;
        long bytes = 8L * addr.length + 4L * count;
        DevicePointer buf = pool.take(bytes);
        cuMemcpyHtoD(buf, Pointer.to(addr), 8L * addr.length);
        if (count > 0) cuMemcpyHtoD(buf.withByteOffset(8L * addr.length), Pointer.to(lengths), 4L * count);
        t = new Table(buf, bytes, count);
        tables.put(key, t);
        if (tables.size() > KEEP) {
            var it = tables.entrySet().iterator();
            Table old = it.next().getValue();
            it.remove();
            pool.give(old.buffer(), old.bytes());
        }
        return t;
    }
}
