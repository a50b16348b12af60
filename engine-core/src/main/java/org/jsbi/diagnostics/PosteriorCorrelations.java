package org.jsbi.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Marginal and conditional correlations of a posterior, the analysis of Gonçalves et al. (2020) for the pyloric
 * network (their "Identifying conditional correlations"; sbi's {@code conditional_corrcoeff}).
 *
 * <p>A marginal correlation is the Pearson correlation of two parameters over posterior samples. It is weak when
 * two parameters compensate each other only for given values of the others. The conditional correlation keeps all
 * parameters but the two fixed at a posterior sample θ_c, evaluates the posterior density of the remaining pair on a
 * resolution × resolution grid over the prior's box, and takes the Pearson correlation of that 2-D density; the
 * paper averages it over 500 posterior samples θ_c at resolution 50. Here the grid points are the cell centres
 * low + (k + ½)(high − low)/resolution (a midpoint rule; sbi's linspace puts points on the box's edges instead).
 */
public final class PosteriorCorrelations {

    /** Grid rows handed to the density per call (several pairs or conditions share a call). */
    static final int BATCH_ROWS = 8_192;

    private PosteriorCorrelations() {
    }

    /**
     * Conditional correlations: values[p][c] for pair p and condition c, NaN where the 2-D density was degenerate (no
     * finite log-density on the grid, or all its mass in one grid row or column) or, after an interruption, not
     * computed.
     *
     * @param conditionsDone conditions whose pairs were all computed (all of them unless interrupted)
     */
    public record Conditional(int[][] pairs, double[][] values, int conditionsDone, int resolution) {

        public int conditions() {
            return values.length == 0 ? 0 : values[0].length;
        }

        public boolean complete() {
            return conditionsDone == conditions();
        }

        /** Conditions at which pair p gave a finite correlation. */
        public int count(int p) {
            int n = 0;
            for (double v : values[p]) if (Double.isFinite(v)) n++;
            return n;
        }

        /** Mean over the conditions with a finite value (NaN when there is none). */
        public double mean(int p) {
            double s = 0;
            int n = 0;
            for (double v : values[p]) {
                if (Double.isFinite(v)) {
                    s += v;
                    n++;
                }
            }
            return n == 0 ? Double.NaN : s / n;
        }

        /** Sample standard deviation over the conditions with a finite value (NaN below two). */
        public double sd(int p) {
            int n = count(p);
            if (n < 2) return Double.NaN;
            double m = mean(p), s = 0;
            for (double v : values[p]) if (Double.isFinite(v)) s += (v - m) * (v - m);
            return Math.sqrt(s / (n - 1));
        }
    }

    /** The Pearson correlation matrix of the rows' columns (rows are samples), in double. */
    public static double[][] marginal(float[][] samples) {
        if (samples == null || samples.length < 2) {
            throw new IllegalArgumentException("marginal correlations need at least 2 samples, got "
                    + (samples == null ? "null" : samples.length));
        }
        int d = samples[0].length, n = samples.length;
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            if (samples[i].length != d) {
                throw new IllegalArgumentException("sample " + i + " has " + samples[i].length + " values, sample 0 has "
                        + d + "; every sample needs the same dimension");
            }
            for (int c = 0; c < d; c++) {
                if (!Float.isFinite(samples[i][c])) {
                    throw new IllegalArgumentException("sample " + i + ", dimension " + c + " is " + samples[i][c]
                            + "; correlations need finite samples");
                }
                mean[c] += samples[i][c];
            }
        }
        for (int c = 0; c < d; c++) mean[c] /= n;
        double[][] cov = new double[d][d];
        double[] dev = new double[d];
        for (float[] row : samples) {
            for (int c = 0; c < d; c++) dev[c] = row[c] - mean[c];
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) cov[a][b] += dev[a] * dev[b];
            }
        }
        double[][] r = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double v = cov[a][b] / Math.sqrt(cov[a][a] * cov[b][b]);
                r[a][b] = r[b][a] = a == b ? (cov[a][a] > 0 ? 1 : Double.NaN) : v;
            }
        }
        return r;
    }

    /**
     * The conditional correlation of every pair at every condition (see the class comment). Stops early, keeping what
     * was computed, when the calling thread is interrupted (the interrupt stays set).
     *
     * @param density    the posterior's log-density for the observation (unnormalised is fine)
     * @param conditions posterior samples at which the other parameters are fixed
     * @param pairs      index pairs (i, j), i ≠ j
     * @param low        the box the grid spans, per parameter (the prior's support)
     * @param high       its upper ends
     * @param resolution grid points per axis (the paper: 50)
     * @param progress   told the (condition, pair) units done after each batch of grid evaluations; may be null
     */
    public static Conditional conditional(LogDensity density, float[][] conditions, int[][] pairs, double[] low,
                                          double[] high, int resolution, Progress progress) {
        if (density == null) throw new IllegalArgumentException("conditional correlations need a density, got null");
        if (conditions == null || conditions.length == 0) {
            throw new IllegalArgumentException("conditional correlations need at least one condition (a posterior"
                    + " sample to fix the other parameters at)");
        }
        if (low == null || high == null || low.length != high.length) {
            throw new IllegalArgumentException("the grid's box needs low and high of one length, got "
                    + (low == null ? "null" : low.length) + " and " + (high == null ? "null" : high.length));
        }
        int d = low.length;
        for (int c = 0; c < d; c++) {
            if (!(Double.isFinite(low[c]) && Double.isFinite(high[c]) && low[c] < high[c])) {
                throw new IllegalArgumentException("the grid's box in dimension " + c + " is [" + low[c] + ", "
                        + high[c] + "]; it needs finite ends with low < high (give the prior's support)");
            }
        }
        if (resolution < 2) {
            throw new IllegalArgumentException("the grid needs at least 2 points per axis, got " + resolution);
        }
        if ((long) resolution * resolution > BATCH_ROWS * 16L) {
            throw new IllegalArgumentException("a grid of " + resolution + " x " + resolution + " points is too fine"
                    + " (at most " + (int) Math.sqrt(BATCH_ROWS * 16.0) + " per axis)");
        }
        if (pairs == null || pairs.length == 0) throw new IllegalArgumentException("no pairs to correlate");
        for (int[] p : pairs) {
            if (p == null || p.length != 2 || p[0] < 0 || p[1] < 0 || p[0] >= d || p[1] >= d || p[0] == p[1]) {
                throw new IllegalArgumentException("pair " + Arrays.toString(p) + " must be two different indices in"
                        + " 0.." + (d - 1));
            }
        }
        for (int i = 0; i < conditions.length; i++) {
            if (conditions[i] == null || conditions[i].length != d) {
                throw new IllegalArgumentException("condition " + i + " has " + (conditions[i] == null ? "no"
                        : conditions[i].length) + " values; the box has " + d + " dimensions");
            }
            for (int c = 0; c < d; c++) {
                if (!Float.isFinite(conditions[i][c])) {
                    throw new IllegalArgumentException("condition " + i + ", dimension " + c + " is "
                            + conditions[i][c] + "; conditions must be finite");
                }
            }
        }
        Progress pr = progress == null ? Progress.NONE : progress;
        int g = resolution * resolution;
        double[][] axis = new double[d][resolution];
        for (int c = 0; c < d; c++) {
            for (int k = 0; k < resolution; k++) axis[c][k] = low[c] + (k + 0.5) * (high[c] - low[c]) / resolution;
        }
        int np = pairs.length, nc = conditions.length;
        double[][] values = new double[np][nc];
        for (double[] v : values) Arrays.fill(v, Double.NaN);
        int unitsPerBatch = Math.max(1, BATCH_ROWS / g);
        long total = (long) np * nc, done = 0;
        int conditionsDone = 0;
        List<int[]> units = new ArrayList<>();   // (condition, pair) in this batch
        float[][] rows = new float[unitsPerBatch * g][];
        for (int c = 0; c < nc; c++) {
            for (int p = 0; p < np; p++) {
                int u = units.size();
                int a = pairs[p][0], b = pairs[p][1];
                for (int ka = 0; ka < resolution; ka++) {
                    for (int kb = 0; kb < resolution; kb++) {
                        float[] row = conditions[c].clone();
                        row[a] = (float) axis[a][ka];
                        row[b] = (float) axis[b][kb];
                        rows[u * g + ka * resolution + kb] = row;
                    }
                }
                units.add(new int[] {c, p});
                boolean last = c == nc - 1 && p == np - 1;
                if (units.size() == unitsPerBatch || last) {
                    float[][] batch = units.size() == unitsPerBatch ? rows : Arrays.copyOf(rows, units.size() * g);
                    double[] lp = density.logDensity(batch);
                    if (lp == null || lp.length != batch.length) {
                        throw new IllegalStateException("the density returned " + (lp == null ? "null" : lp.length
                                + " values") + " for " + batch.length + " rows");
                    }
                    for (int k = 0; k < units.size(); k++) {
                        int[] cu = units.get(k);
                        values[cu[1]][cu[0]] = gridCorrelation(lp, k * g, axis[pairs[cu[1]][0]], axis[pairs[cu[1]][1]]);
                    }
                    done += units.size();
                    int lastCondition = units.get(units.size() - 1)[0];
                    boolean conditionFinished = units.get(units.size() - 1)[1] == np - 1;
                    conditionsDone = conditionFinished ? lastCondition + 1 : lastCondition;
                    units.clear();
                    pr.update(done, total);
                    if (Thread.currentThread().isInterrupted()) {
                        return new Conditional(copy(pairs), values, conditionsDone, resolution);
                    }
                }
            }
        }
        return new Conditional(copy(pairs), values, conditionsDone, resolution);
    }

    /**
     * Pearson correlation of the 2-D density exp(lp) over the grid (row-major from off: first index along ax, second
     * along bx); NaN when no value is finite or either marginal has no spread.
     */
    static double gridCorrelation(double[] lp, int off, double[] ax, double[] bx) {
        int r = ax.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < r * r; k++) {
            double v = lp[off + k];
            if (Double.isNaN(v)) return Double.NaN;
            if (v > max) max = v;
        }
        if (!Double.isFinite(max)) return Double.NaN;   // −∞ everywhere (or +∞): no usable density
        double[] w = new double[r * r], wa = new double[r], wb = new double[r];
        double total = 0;
        for (int ka = 0; ka < r; ka++) {
            for (int kb = 0; kb < r; kb++) {
                double e = Math.exp(lp[off + ka * r + kb] - max);
                w[ka * r + kb] = e;
                wa[ka] += e;
                wb[kb] += e;
            }
            total += wa[ka];
        }
        double ma = 0, mb = 0;
        for (int k = 0; k < r; k++) {
            ma += wa[k] * ax[k];
            mb += wb[k] * bx[k];
        }
        ma /= total;
        mb /= total;
        // Centred sums (not E[ab] − E[a]E[b], which cancels when the spread is small against the means).
        double va = 0, vb = 0, cov = 0;
        for (int k = 0; k < r; k++) {
            va += wa[k] * (ax[k] - ma) * (ax[k] - ma);
            vb += wb[k] * (bx[k] - mb) * (bx[k] - mb);
        }
        for (int ka = 0; ka < r; ka++) {
            double da = ax[ka] - ma, rowB = 0;
            for (int kb = 0; kb < r; kb++) rowB += w[ka * r + kb] * (bx[kb] - mb);
            cov += da * rowB;
        }
        // All the mass in one grid row or column: no spread to correlate.
        double spanA = ax[r - 1] - ax[0], spanB = bx[r - 1] - bx[0];
        if (!(va > 1e-12 * spanA * spanA * total && vb > 1e-12 * spanB * spanB * total)) return Double.NaN;
        double rho = cov / Math.sqrt(va * vb);
        return Math.max(-1, Math.min(1, rho));
    }

    private static int[][] copy(int[][] pairs) {
        int[][] c = new int[pairs.length][];
        for (int i = 0; i < pairs.length; i++) c[i] = pairs[i].clone();
        return c;
    }
}
