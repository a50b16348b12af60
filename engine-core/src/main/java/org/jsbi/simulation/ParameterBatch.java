package org.jsbi.simulation;

/**
 * A batch of parameter sets, row-major ({@code values[i * dim + d]}), whose first row is simulation number
 * {@code firstIndex} of the run (the key of its noise stream).
 */
public record ParameterBatch(float[] values, int count, int dim, long firstIndex) {

    public ParameterBatch {
        if (values == null) throw new IllegalArgumentException("parameter values are null");
        if (count < 0 || dim < 1) {
            throw new IllegalArgumentException("need count >= 0 and dim >= 1, got count=" + count + ", dim=" + dim);
        }
        if ((long) count * dim > values.length) {
            throw new IllegalArgumentException("a batch of " + count + " x " + dim + " needs " + (long) count * dim
                    + " values, got " + values.length);
        }
        if (firstIndex < 0) throw new IllegalArgumentException("firstIndex must be >= 0, got " + firstIndex);
    }

    /** From rows, numbered from firstIndex. */
    public static ParameterBatch ofRows(float[][] rows, long firstIndex) {
        if (rows == null || rows.length == 0 || rows[0] == null) {
            throw new IllegalArgumentException("no parameter sets to simulate: the batch is empty");
        }
        int dim = rows[0].length;
        float[] v = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != dim) {
                throw new IllegalArgumentException("parameter set " + i + " has " + (rows[i] == null ? 0 : rows[i].length)
                        + " values but set 0 has " + dim);
            }
            System.arraycopy(rows[i], 0, v, i * dim, dim);
        }
        return new ParameterBatch(v, rows.length, dim, firstIndex);
    }

    public float get(int row, int d) {
        return values[row * dim + d];
    }

    /** A copy of one row. */
    public float[] row(int row) {
        float[] r = new float[dim];
        System.arraycopy(values, row * dim, r, 0, dim);
        return r;
    }

    /**
     * Throws a clear error when the batch's dimension is not the simulator's, or a value is not finite; simulators
     * call this before simulating.
     */
    public void check(Simulator sim) {
        if (dim != sim.parameterDim()) {
            throw new IllegalArgumentException(sim.name() + " takes " + sim.parameterDim() + " parameters but the batch has "
                    + dim + " per set");
        }
        for (int i = 0; i < count * dim; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(sim.name() + ": parameter " + (i % dim) + " of set " + (firstIndex + i / dim)
                        + " is " + values[i] + "; parameters must be finite");
            }
        }
    }
}
