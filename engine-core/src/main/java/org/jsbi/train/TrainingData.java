package org.jsbi.train;

/**
 * Simulated pairs (θ, x), checked on entry: one row per simulation, all rows of θ and of x of the same length,
 * every value finite. Stored batch-major (dimension x simulation) for the estimators.
 */
public final class TrainingData {

    private final int n;
    private final int thetaDim;
    private final int xDim;
    private final float[][] thetaByDim;
    private final float[][] xByDim;

    private TrainingData(float[][] thetaByDim, float[][] xByDim, int n) {
        this.thetaByDim = thetaByDim;
        this.xByDim = xByDim;
        this.n = n;
        this.thetaDim = thetaByDim.length;
        this.xDim = xByDim.length;
    }

    /** From rows: theta[i] and x[i] are simulation i's parameters and data. */
    public static TrainingData of(float[][] theta, float[][] x) {
        if (theta == null || x == null) throw new IllegalArgumentException("θ and x must be given, got null");
        if (theta.length == 0) throw new IllegalArgumentException("the simulation set is empty: no θ rows");
        if (theta.length != x.length) {
            throw new IllegalArgumentException("θ has " + theta.length + " rows but x has " + x.length
                    + "; each simulation needs one row of each");
        }
        int n = theta.length, td = width("θ", theta), xd = width("x", x);
        if (td == 0) throw new IllegalArgumentException("θ rows are empty: the model needs at least one parameter");
        float[][] tb = new float[td][n], xb = new float[xd][n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < td; d++) tb[d][i] = finite("θ", theta[i][d], i, d);
            for (int d = 0; d < xd; d++) xb[d][i] = finite("x", x[i][d], i, d);
        }
        return new TrainingData(tb, xb, n);
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
        return thetaDim;
    }

    public int xDim() {
        return xDim;
    }

    /** θ as dimension x simulation (a view: do not modify). */
    float[][] thetaByDim() {
        return thetaByDim;
    }

    float[][] xByDim() {
        return xByDim;
    }

    /** The columns idx of a dimension-major array, as a new dimension-major array. */
    static float[][] select(float[][] byDim, int[] idx) {
        float[][] out = new float[byDim.length][idx.length];
        for (int d = 0; d < byDim.length; d++) {
            for (int i = 0; i < idx.length; i++) out[d][i] = byDim[d][idx[i]];
        }
        return out;
    }

    /** Flattens dimension-major rows into one row-major dim x n array. */
    static float[] flatten(float[][] byDim) {
        int n = byDim.length == 0 ? 0 : byDim[0].length;
        float[] out = new float[byDim.length * n];
        for (int d = 0; d < byDim.length; d++) System.arraycopy(byDim[d], 0, out, d * n, n);
        return out;
    }
}
