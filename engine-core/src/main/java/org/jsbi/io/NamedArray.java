package org.jsbi.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 matrix of a model file, row-major: element (r, c) is {@code data[r * cols + c]}. A vector is a
 * 1 x n or n x 1 array, a scalar a 1 x 1 array, an empty array 0 x n or n x 0.
 *
 * <p>Immutable: the constructor copies {@code data} and {@link #data()} returns a copy. Equality compares the name,
 * the shape and the values ({@link Arrays#equals(float[], float[])}).
 *
 * @param name a non-empty name, unique within its file (e.g. {@code "layer0.weight"})
 * @param rows the number of rows, ≥ 0
 * @param cols the number of columns, ≥ 0
 * @param data {@code rows * cols} values, row-major
 */
public record NamedArray(String name, int rows, int cols, float[] data) {

    public NamedArray {
        Objects.requireNonNull(name, "array name");
        Objects.requireNonNull(data, "array data");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an array name must not be empty");
        }
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("array '" + name + "' has a negative shape " + rows + " x " + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("array '" + name + "' has shape " + rows + " x " + cols + " = "
                    + (long) rows * cols + " elements but " + data.length + " values were given");
        }
        data = data.clone();
    }

    /** A 1 x n array (a vector). */
    public static NamedArray vector(String name, float[] data) {
        return new NamedArray(name, 1, data.length, data);
    }

    /** A copy of the values, row-major. */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** The number of elements, {@code rows * cols}. */
    public int size() {
        return data.length;
    }

    /** Element (r, c). */
    public float get(int r, int c) {
        Objects.checkIndex(r, rows);
        Objects.checkIndex(c, cols);
        return data[r * cols + c];
    }

    /** The shape as text, e.g. {@code "3 x 5"}. */
    public String shape() {
        return rows + " x " + cols;
    }

    /** The values without a copy, for the writer in this package; never modify. */
    float[] values() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray a && a.name.equals(name) && a.rows == rows && a.cols == cols
                && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, rows, cols) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NamedArray[" + name + ", " + shape() + "]";
    }
}
