package org.jsbi.train;

/**
 * Simulated pairs (θ, x), checked on entry: one row per simulation, all rows of θ and of x of the same length,
 * every value finite. {@link #of} keeps a dimension-major copy; {@link #readingRows} reads the caller's rows where
 * they are, for a caller that keeps them anyway (a {@code SimulationSet}), so that training does not hold a second
 * copy of the data beside them.
 */
public final class TrainingData {

    private final int n;
    private final Columns theta;
    private final Columns x;

    private TrainingData(Columns theta, Columns x, int n) {
        this.theta = theta;
        this.x = x;
        this.n = n;
    }

    /** From rows: theta[i] and x[i] are simulation i's parameters and data, copied (the rows may then change). */
    public static TrainingData of(float[][] theta, float[][] x) {
        int n = checkShapes(theta, x), td = theta[0].length, xd = x[0].length;
        float[][] tb = new float[td][n], xb = new float[xd][n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < td; d++) tb[d][i] = finite("θ", theta[i][d], i, d);
            for (int d = 0; d < xd; d++) xb[d][i] = finite("x", x[i][d], i, d);
        }
        return new TrainingData(new ByDim(tb), new ByDim(xb), n);
    }

    /**
     * As {@link #of}, but the rows are read where they are, not copied: for data whose rows the caller keeps anyway,
     * where a copy would only add to the memory that training needs (196 bytes a pair at 31-D θ and 18-D x). The
     * rows must not change until the trainings that use this have returned.
     */
    public static TrainingData readingRows(float[][] theta, float[][] x) {
        int n = checkShapes(theta, x), td = theta[0].length, xd = x[0].length;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < td; d++) finite("θ", theta[i][d], i, d);
            for (int d = 0; d < xd; d++) finite("x", x[i][d], i, d);
        }
        return new TrainingData(new Rows(theta, td), new Rows(x, xd), n);
    }

    /** The number of pairs, once the row counts and widths are checked. */
    private static int checkShapes(float[][] theta, float[][] x) {
        if (theta == null || x == null) throw new IllegalArgumentException("θ and x must be given, got null");
        if (theta.length == 0) throw new IllegalArgumentException("the simulation set is empty: no θ rows");
        if (theta.length != x.length) {
            throw new IllegalArgumentException("θ has " + theta.length + " rows but x has " + x.length
                    + "; each simulation needs one row of each");
        }
        int td = width("θ", theta);
        width("x", x);
        if (td == 0) throw new IllegalArgumentException("θ rows are empty: the model needs at least one parameter");
        return theta.length;
    }

    private static int width(String what, float[][] rows) {
        int w = rows[0] == null ? -1 : rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) throw new IllegalArgumentException(what + " row " + i + " is null");
            if (rows[i].length != w) {
                throw new IllegalArgumentException(what + " row " + i + " has " + rows[i].length + " values but row 0 has "
                        + w + "; all rows must have the same dimension");
            }
        }
        return w;
    }

    private static float finite(String what, float v, int row, int col) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(what + " has a non-finite value " + v + " in simulation " + row
                    + ", dimension " + col + "; remove or repair such simulations before training");
        }
        return v;
    }

    public int size() {
        return n;
    }

    public int thetaDim() {
        return theta.dim();
    }

    public int xDim() {
        return x.dim();
    }

    /** θ, read by dimension (do not modify what it reads). */
    Columns theta() {
        return theta;
    }

    Columns x() {
        return x;
    }

    /** One side of the pairs, θ or x, read a dimension of chosen pairs at a time. */
    sealed interface Columns permits ByDim, Rows {
        int dim();

        /** out[k] = dimension d of pair idx[k], for k < idx.length. */
        void gather(int d, int[] idx, float[] out);

        /** out[j][k] = dimension d + j of pair idx[k], for j < out.length: one visit of each pair for several. */
        default void gather(int d, int[] idx, float[][] out) {
            for (int j = 0; j < out.length; j++) gather(d + j, idx, out[j]);
        }
    }

    /** Dimension-major: byDim[d][i] is dimension d of pair i. */
    record ByDim(float[][] byDim) implements Columns {
        @Override
        public int dim() {
            return byDim.length;
        }

        @Override
        public void gather(int d, int[] idx, float[] out) {
            float[] src = byDim[d];
            for (int k = 0; k < idx.length; k++) out[k] = src[idx[k]];
        }
    }

    /** The caller's rows: rows[i][d] is dimension d of pair i. */
    record Rows(float[][] rows, int dim) implements Columns {
        @Override
        public void gather(int d, int[] idx, float[] out) {
            for (int k = 0; k < idx.length; k++) out[k] = rows[idx[k]][d];
        }

        @Override
        public void gather(int d, int[] idx, float[][] out) {
            // Pair by pair, several dimensions each: each visit of a row (a cache miss in a large set, taken in
            // random order) serves out.length dimensions.
            int w = out.length;
            for (int k = 0; k < idx.length; k++) {
                float[] row = rows[idx[k]];
                for (int j = 0; j < w; j++) out[j][k] = row[d + j];
            }
        }
    }
}
