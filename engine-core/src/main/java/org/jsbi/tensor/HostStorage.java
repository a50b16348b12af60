package org.jsbi.tensor;

/** Storage in a Java float array, shared by the scalar and SIMD backends. */
public record HostStorage(float[] data) implements Storage {

    public HostStorage {
        if (data == null) throw new IllegalArgumentException("host storage needs an array, got null");
    }

    public static HostStorage allocate(int length) {
        if (length < 0) throw new IllegalArgumentException("storage length must be >= 0, got " + length);
        return new HostStorage(new float[length]);
    }

    /** The array behind a host storage; a clear error when a kernel is handed another backend's storage. */
    public static float[] array(Storage s) {
        if (s instanceof HostStorage h) return h.data;
        throw new IllegalArgumentException("a CPU kernel was given " + (s == null ? "null" : s.getClass().getSimpleName())
                + " storage; copy the tensor to the host backend first (Tensor.to(backend))");
    }

    @Override
    public int length() {
        return data.length;
    }
}
