package org.jsbi.diagnostics;

import java.util.Arrays;
import org.jsbi.dist.BoxUniform;
import org.jsbi.dist.Prior;

/**
 * The ranges a posterior's analyses span (the grids of conditional correlations, the axes of a pair plot): the
 * prior's box where the prior is box-uniform, as the paper's figures; else the posterior samples' range, widened by
 * 10% at each end so that no sample sits on an edge.
 */
public final class ParameterRanges {

    private ParameterRanges() {
    }

    /** {low, high}, one entry per parameter. */
    public static double[][] of(Prior prior, float[][] samples) {
        if (prior instanceof BoxUniform b) return new double[][] {b.low(), b.high()};
        return widenedRange(samples);
    }

    /**
     * The samples' range widened by 10% at each end, within the prior's box where it has one: the grids of
     * conditional correlations, whose cells must be narrow beside the posterior. A 50-point grid over the prior's
     * box has cells 2% of the box wide, and a posterior a few percent of its prior wide (ḡ_K of the Hodgkin–Huxley
     * example) would fall into two or three of them.
     */
    public static double[][] aroundSamples(Prior prior, float[][] samples) {
        double[][] r = widenedRange(samples);
        if (prior instanceof BoxUniform b) {
            for (int c = 0; c < r[0].length; c++) {
                r[0][c] = Math.max(r[0][c], b.low()[c]);
                r[1][c] = Math.min(r[1][c], b.high()[c]);
            }
        }
        return r;
    }

    private static double[][] widenedRange(float[][] samples) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("the ranges of a prior that is not a box come from samples; got none");
        }
        int d = samples[0].length;
        double[] low = new double[d], high = new double[d];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        for (float[] row : samples) {
            for (int c = 0; c < d; c++) {
                if (!Float.isFinite(row[c])) continue;
                low[c] = Math.min(low[c], row[c]);
                high[c] = Math.max(high[c], row[c]);
            }
        }
        for (int c = 0; c < d; c++) {
            if (low[c] > high[c]) {
                throw new IllegalArgumentException("parameter " + (c + 1) + " has no finite sample to take a range from");
            }
            // A parameter the posterior pins to one value still needs a range of some width.
            double w = Math.max(high[c] - low[c], 1e-6 * Math.max(1, Math.abs(low[c])));
            low[c] -= 0.1 * w;
            high[c] += 0.1 * w;
        }
        return new double[][] {low, high};
    }

    /** What {@link #of} spans, for saying so. */
    public static String describe(Prior prior) {
        return prior instanceof BoxUniform ? "the prior's box" : "the samples' range widened by 10%";
    }
}
