package org.jsbi.tensor;

import java.util.Arrays;
import org.jsbi.backend.Backend;

/**
 * A dense float32 matrix of rows x cols in row-major order (leading dimension = cols), living in one backend's
 * storage. Networks use the batch-major layout: features are rows and the batch runs along the contiguous columns
 * (docs/ARCHITECTURE.md says why). A vector is a rows x 1 or 1 x cols tensor.
 */
public final class Tensor {

    private final Backend backend;
    private final Storage storage;
    private final int rows;
    private final int cols;

    private Tensor(Backend backend, Storage storage, int rows, int cols) {
        this.backend = backend;
        this.storage = storage;
        this.rows = rows;
        this.cols = cols;
    }

    /** A new zero tensor. */
    public static Tensor zeros(Backend backend, int rows, int cols) {
        checkShape(rows, cols);
        return new Tensor(backend, backend.allocate(Math.multiplyExact(rows, cols)), rows, cols);
    }

    /** A tensor holding a copy of {@code data}, read row-major. */
    public static Tensor of(Backend backend, int rows, int cols, float... data) {
        checkShape(rows, cols);
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " tensor needs " + (long) rows * cols
                    + " values, got " + data.length);
        }
        Tensor t = zeros(backend, rows, cols);
        backend.upload(data, 0, t.storage, 0, data.length);
        return t;
    }

    /** A tensor over existing storage (no copy); the storage must hold at least rows * cols floats. */
    public static Tensor wrap(Backend backend, Storage storage, int rows, int cols) {
        checkShape(rows, cols);
        if (storage.length() < (long) rows * cols) {
            throw new IllegalArgumentException("storage of " + storage.length() + " floats cannot hold "
                    + rows + " x " + cols);
        }
        return new Tensor(backend, storage, rows, cols);
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("tensor dimensions must be >= 0, got " + rows + " x " + cols);
        }
    }

    public Backend backend() {
        return backend;
    }

    public Storage storage() {
        return storage;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return rows * cols;
    }

    public boolean sameShape(Tensor o) {
        return rows == o.rows && cols == o.cols;
    }

    public String shape() {
        return rows + " x " + cols;
    }

    /** A copy of the values, row-major. */
    public float[] toArray() {
        float[] out = new float[size()];
        backend.download(storage, 0, out, 0, out.length);
        return out;
    }

    /** One value; a download per call, so for tests and small reads only. */
    public float get(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("(" + r + ", " + c + ") outside " + shape());
        }
        float[] one = new float[1];
        backend.download(storage, r * cols + c, one, 0, 1);
        return one[0];
    }

    /** Overwrites the values from a row-major array of exactly size() floats. */
    public Tensor set(float[] data) {
        if (data.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " values for " + shape() + ", got " + data.length);
        }
        backend.upload(data, 0, storage, 0, data.length);
        return this;
    }

    /** An independent copy in the same backend. */
    public Tensor copy() {
        Tensor t = zeros(backend, rows, cols);
        backend.copy2d(1, size(), storage, 0, size(), t.storage, 0, size());
        return t;
    }

    /** This tensor's values in another backend (a copy through the host). */
    public Tensor to(Backend other) {
        if (other == backend) return this;
        return of(other, rows, cols, toArray());
    }

    /** Sets every value to zero. */
    public void zero() {
        backend.fill(size(), 0f, storage, 0);
    }

    @Override
    public String toString() {
        float[] v = toArray();
        return "Tensor[" + shape() + ", " + backend.name() + "] "
                + (v.length <= 16 ? Arrays.toString(v) : Arrays.toString(Arrays.copyOf(v, 16)) + "...");
    }
}
