package org.jsbi.estimator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.tensor.Tensor;

/**
 * Independent z-scoring of each dimension, z = (v - mean) / std, with statistics from the training split (as sbi's
 * {@code z_score_x="independent"}). A constant dimension gets the standard deviation {@link #MIN_STD}, so it does not
 * divide by zero; any other keeps its own, however small (a conductance in siemens, a current in amperes).
 *
 * <p>A class rather than a record so that it can keep its statistics as column tensors on the backend last used:
 * {@link #apply} runs twice a training step, and making them anew each time was a steady allocation (session 36).
 */
public final class ZScore {

    /**
     * The standard deviation {@link #fit} gives a dimension that takes one value in every sample. sbi floors every
     * std (at 1e-14 for θ, 1e-7 for x); flooring a real spread at this value shrank the z-scored values of data in SI
     * units (std 3e-9) to a few hundredths, and training all but ignored them, so only a constant dimension gets it.
     */
    public static final float MIN_STD = 1e-7f;

    private final float[] mean;
    private final float[] std;
    /** mean and std as dim x 1 tensors on one backend; a record's final fields publish it safely across threads. */
    private volatile Columns columns;

    private record Columns(Backend backend, Tensor mean, Tensor std) {
    }

    /**
     * @param mean per-dimension mean
     * @param std  per-dimension standard deviation (finite and > 0)
     */
    public ZScore(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("z-score mean and std lengths differ: " + mean.length + " vs " + std.length);
        }
        for (int i = 0; i < std.length; i++) {
            if (!Float.isFinite(mean[i]) || !(std[i] > 0) || !Float.isFinite(std[i])) {
                throw new IllegalArgumentException("z-score statistics of dimension " + i + " are not usable: mean "
                        + mean[i] + ", std " + std[i]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Per-dimension mean (the array itself: do not change it). */
    public float[] mean() {
        return mean;
    }

    /** Per-dimension standard deviation (the array itself: do not change it). */
    public float[] std() {
        return std;
    }

    /** mean and std as columns on be, made once per backend (constants: no operation writes them). */
    private Columns columns(Backend be) {
        Columns c = columns;
        if (c == null || c.backend() != be) {
            c = new Columns(be, Tensor.of(be, dim(), 1, mean), Tensor.of(be, dim(), 1, std));
            columns = c;
        }
        return c;
    }

    /** The identity: mean 0, std 1. */
    public static ZScore identity(int dim) {
        float[] ones = new float[dim];
        Arrays.fill(ones, 1f);
        return new ZScore(new float[dim], ones);
    }

    /** How many times the spread of its middle half a dimension's std may be before {@link #outlierNotes} speaks. */
    public static final double OUTLIER_RATIO = 100;
    /**
     * The most values of a dimension whose quartiles {@link #outlierNotes} takes (evenly spaced beyond that): enough
     * for quartiles within a few percent, against a factor of 100, and a sort of about a millisecond per dimension
     * however large the data (a raw-trace user's 1,000 features).
     */
    static final int QUARTILE_SAMPLE = 20_000;

    /**
     * One sentence for each dimension whose standard deviation a few extreme values dominate: more than {@value
     * #OUTLIER_RATIO} times IQR / 1.349 (which is the std of a Gaussian, about 0.8 of a uniform's; a log-normal of
     * σ = 2 has 20, the SIR task's infection counts up to 83, and it trains well). z-scoring then
     * squeezes every other value of that dimension into a sliver near 0, and an estimator can hardly learn from it:
     * with 5 of 3,000 values a million times the rest, a feature's posterior was its prior, without a word. Usually
     * failed simulations returning huge numbers (which should be NaN, to be left out) or a heavy-tailed feature
     * (which a log would tame). Dimensions whose middle half is one value (counts with many ties) are skipped.
     */
    public List<String> outlierNotes(float[][] rowsByDim, String what) {
        List<String> notes = new ArrayList<>();
        for (int d = 0; d < rowsByDim.length; d++) {
            String note = outlierNote(rowsByDim[d], std[d], d, what);
            if (note != null) notes.add(note);
        }
        return notes;
    }

    /** {@link #outlierNotes}'s sentence for dimension d of values v, whose std is std; null if it has none. */
    private static String outlierNote(float[] v, float std, int d, String what) {
        int n = Math.min(v.length, QUARTILE_SAMPLE);
        double[] sample = new double[n];
        for (int i = 0; i < n; i++) sample[i] = v[(int) ((long) i * v.length / n)];
        Arrays.sort(sample);
        double robust = (quantile(sample, 0.75) - quantile(sample, 0.25)) / 1.349;
        if (!(robust > 0 && std > OUTLIER_RATIO * robust)) return null;
        return String.format(Locale.ROOT, "%s dimension %d: its standard deviation (%.3g) is %.3g times the"
                + " spread of its middle half (IQR / 1.349 = %.3g): a few extreme values dominate it, and"
                + " z-scoring squeezes the others together, so the estimator can hardly use this dimension;"
                + " look for failed simulations returning huge values (make them NaN to leave them out) or"
                + " transform it (a log, for a heavy tail)", what, d, std, std / robust, robust);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /**
     * {@link #fit} and {@link #outlierNotes} for the training data of an estimator, given a dimension at a time, so
     * that a trainer need not hold every dimension of its training split at once besides the tensors it fills
     * (196 MB at 1,000,000 pairs of 31-D θ and 18-D x). The estimator z-scores with these statistics everything it
     * later sees, so {@link #zScore} refuses a dimension that takes one value in every sample (its spread would be
     * floored at {@link #MIN_STD}, so another value at evaluation would land a million standard deviations out, and
     * θ's log-density would gain −log 1e-7 per such dimension), and one whose statistics overflow float; the
     * statistics, checks and notes, and their order, are those of the whole arrays.
     */
    public static final class TrainingFit {
        private final String what;
        private final float[] mean, std, first;
        private final boolean[] constant;
        private final int[] count;
        private final List<String> notes = new ArrayList<>();
        private int added;

        /** For dim dimensions, {@code what} naming the data in messages ("θ", "x"). */
        public TrainingFit(int dim, String what) {
            this.what = what;
            mean = new float[dim];
            std = new float[dim];
            first = new float[dim];
            constant = new boolean[dim];
            count = new int[dim];
        }

        /** The next dimension's values (not kept: the caller may reuse the array). */
        public void add(float[] v) {
            if (added == mean.length) {
                throw new IllegalStateException("all " + mean.length + " dimensions of " + what
                        + " are fitted already");
            }
            int d = added++;
            constant[d] = fitDimension(v, d, mean, std);
            first[d] = v[0];
            count[d] = v.length;
            String note = outlierNote(v, std[d], d, what);
            if (note != null) notes.add(note);
        }

        /** The statistics, once every dimension is added; throws for a dimension the estimator cannot z-score. */
        public ZScore zScore() {
            if (added < mean.length) {
                throw new IllegalStateException("only " + added + " of " + what + "'s " + mean.length
                        + " dimensions are fitted");
            }
            ZScore z = new ZScore(mean, std);
            for (int d = 0; d < mean.length; d++) {
                if (!Float.isFinite(mean[d]) || !Float.isFinite(std[d])) {
                    throw new IllegalArgumentException(what + " dimension " + d + " has values too large for float"
                            + " statistics (mean " + mean[d] + ", std " + std[d] + "); rescale it");
                }
                if (constant[d]) {
                    throw new IllegalArgumentException(what + " dimension " + d + " takes the same value (" + first[d]
                            + ") in all " + count[d] + " training samples: it carries nothing to learn from, and"
                            + " z-scoring it would divide by zero; leave it out" + ("θ".equals(what)
                            ? " (or give the prior a spread there: jsbi draws parameters as float32, about 7"
                            + " significant digits, so an interval narrower than that around " + first[d]
                            + " holds this one value)"
                            : " of the summary statistics"));
                }
            }
            return z;
        }

        /** {@link #outlierNotes}'s sentences for the dimensions added, in their order. */
        public List<String> outlierNotes() {
            return List.copyOf(notes);
        }
    }

    /**
     * Statistics of the columns of a dim x n batch-major array (row i is dimension i), in double precision. The std of
     * a dimension that takes one value throughout is {@link #MIN_STD}; any other's is its own, down to
     * {@link Float#MIN_NORMAL} (below that it would not survive the cast to float).
     */
    public static ZScore fit(float[][] rowsByDim) {
        int dim = rowsByDim.length;
        float[] mean = new float[dim], std = new float[dim];
        for (int d = 0; d < dim; d++) fitDimension(rowsByDim[d], d, mean, std);
        return new ZScore(mean, std);
    }

    /** {@link #fit}'s statistics of dimension d, from its values v, into mean[d] and std[d]; whether v is constant. */
    private static boolean fitDimension(float[] v, int d, float[] mean, float[] std) {
        if (v.length < 2) throw new IllegalArgumentException("z-scoring needs at least 2 samples, got " + v.length);
        double s = 0;
        boolean constant = true;
        for (float f : v) {
            s += f;
            constant &= f == v[0];
        }
        double m = s / v.length, ss = 0;
        for (float f : v) ss += (f - m) * (f - m);
        mean[d] = (float) m;
        // A constant column's ss is not always 0 (m carries the sum's rounding), hence the test on the values.
        double sd = Math.sqrt(ss / (v.length - 1));
        std[d] = constant ? MIN_STD : (float) Math.max(sd, Float.MIN_NORMAL);
        return constant;
    }

    public int dim() {
        return mean.length;
    }

    /** Σ log std: the log-Jacobian of the map from z back to user units. */
    public double logScale() {
        double s = 0;
        for (float f : std) s += Math.log(f);
        return s;
    }

    /** (v - mean) / std on a dim x n value, as tape operations (constants, so no gradient flows into the statistics). */
    public Var apply(Tape tape, Var v) {
        Columns c = columns(tape.backend());
        Var centred = tape.broadcastColumn(BinaryOp.SUB, v, tape.constant(c.mean()));
        return tape.broadcastColumn(BinaryOp.DIV, centred, tape.constant(c.std()));
    }

    /** z * std + mean for a dim x n tensor, in place. */
    public void invertInPlace(Tensor z) {
        Backend be = z.backend();
        int n = z.cols();
        Columns c = columns(be);
        be.broadcastColumn(BinaryOp.MUL, dim(), n, z.storage(), 0, n, c.std().storage(), 0, z.storage(), 0, n);
        be.broadcastColumn(BinaryOp.ADD, dim(), n, z.storage(), 0, n, c.mean().storage(), 0, z.storage(), 0, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZScore z && Arrays.equals(mean, z.mean) && Arrays.equals(std, z.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "ZScore[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
