package org.jsbi.diagnostics;

import java.util.Arrays;
import org.jsbi.posterior.SamplingIncompleteException;

/**
 * Simulation-based calibration of an amortized posterior (Talts et al. 2018; sbi's {@code run_sbc} and
 * {@code check_sbc}): for test pairs (θ*, x*) drawn from the prior and the simulator, draw L posterior samples for
 * each x* and rank θ* among them. A calibrated posterior makes every rank uniform on {0, …, L}, whatever the model;
 * an overconfident one piles ranks at both ends, a biased one at one end. Two summaries:
 * <ul>
 *   <li>per parameter, the rank of θ*_d among the samples' d-th coordinates and a KS test of the ranks against the
 *       uniform;</li>
 *   <li>expected coverage of the highest-density regions (Deistler et al. 2022, sbi's {@code reduce_fns =
 *       posterior.log_prob}): with r the share of the samples whose density exceeds q(θ* | x*), θ* lies inside the
 *       level-α HDR exactly when r &lt; α, so over the tests the share with r &lt; α should be α. Below α: the
 *       posterior is overconfident; above: conservative.</li>
 * </ul>
 * This is the check for models without a reference posterior (the neuron models); it needs only the simulator.
 */
public final class Sbc {

    private Sbc() {
    }

    /**
     * Draws n posterior samples for observation x, or returns null when it cannot (rejection sampling that ran out of
     * time, say): that test is then skipped and counted, not fatal.
     */
    @FunctionalInterface
    public interface Sampler {
        float[][] sample(int n, float[] x, long seed);
    }

    /** log q(θ | x) (+ a constant that may depend on x) of each row θ for one observation x. */
    @FunctionalInterface
    public interface Density {
        double[] logDensity(float[][] theta, float[] x);
    }

    /**
     * A test's rank is a count of samples, so it takes only the values 0 … L, and a θ* equal to some samples may rank
     * anywhere among them: the p-values and the coverage take both into account ({@code SpreadRanks}), so that a
     * calibrated posterior is not flagged for a small L or for ties.
     *
     * @param ranks     ranks[i][d]: how many of test i's samples have coordinate d below θ*_d (0 … samples)
     * @param rankTies  rankTies[i][d]: how many have coordinate d equal to θ*_d
     * @param hdrRanks  hdrRanks[i]: how many of test i's samples have a higher density than θ* (empty without a density)
     * @param hdrTies   hdrTies[i]: how many have the same density as θ* (empty without a density)
     * @param samples   L, the posterior samples per test
     * @param skipped   tests left out because the sampler returned no samples for them
     */
    public record Result(int[][] ranks, int[][] rankTies, int[] hdrRanks, int[] hdrTies, int samples, int skipped) {

        public int tests() {
            return ranks.length;
        }

        public int dim() {
            return ranks.length == 0 ? 0 : ranks[0].length;
        }

        /** The KS p-value of parameter d's ranks against the uniform ranks 0 … L (conservative). */
        public double rankPValue(int d) {
            return rankDistribution(d).pValue();
        }

        /** Parameter d's mean rank over L, ties counted at their middle: 0.5 for a calibrated posterior. */
        public double meanRank(int d) {
            double s = 0;
            for (int i = 0; i < ranks.length; i++) s += (ranks[i][d] + 0.5 * rankTies[i][d]) / samples;
            return s / ranks.length;
        }

        /**
         * The share of tests whose θ* lies in the level HDR (needs a density), each test's share of samples with a
         * higher density spread over its cell as in the p-values: exactly the level in expectation for a calibrated
         * posterior, where the plain share below the level has ⌈level·L⌉/(L + 1) (0.45 at 50% for L = 10).
         */
        public double expectedCoverage(double level) {
            if (hdrRanks.length == 0) throw new IllegalStateException("expected coverage needs the density; run with one");
            if (!(level >= 0 && level <= 1)) throw new IllegalArgumentException("level must be in [0, 1], got " + level);
            return hdrDistribution().cdf(level);
        }

        /** max over levels k/100 of |expected coverage − level|: 0 for a calibrated posterior, up to sampling noise. */
        public double maxCoverageError() {
            double m = 0;
            for (int k = 0; k <= 100; k++) m = Math.max(m, Math.abs(expectedCoverage(k / 100.0) - k / 100.0));
            return m;
        }

        /** The KS p-value of the HDR ranks against the uniform (calibration of the joint posterior; conservative). */
        public double coveragePValue() {
            if (hdrRanks.length == 0) throw new IllegalStateException("the coverage test needs the density");
            return hdrDistribution().pValue();
        }

        private SpreadRanks rankDistribution(int d) {
            int[] below = new int[ranks.length], tied = new int[ranks.length];
            for (int i = 0; i < ranks.length; i++) {
                below[i] = ranks[i][d];
                tied[i] = rankTies[i][d];
            }
            return new SpreadRanks(below, tied, samples);
        }

        private SpreadRanks hdrDistribution() {
            return new SpreadRanks(hdrRanks, hdrTies, samples);
        }
    }

    /**
     * Runs the check on test pairs theta[i], x[i] (from the prior and the simulator, not used in training); test i's
     * samples use seed + i. Progress is reported after every test: one test can take long (a posterior sampler
     * rejecting for up to its time limit), and a {@link Progress} that prints limits its own rate. An interrupt stops
     * the run before the next sampler call, with progress reported where it stopped; the result then holds the tests
     * finished and the interrupt stays set. A test whose sampling the interrupt cut short (the sampler returned null or
     * threw {@link SamplingIncompleteException} with the interrupt set) is left out, not counted as skipped.
     *
     * @param density null to skip expected coverage
     */
    public static Result run(float[][] theta, float[][] x, Sampler sampler, Density density, int samples, long seed,
                             Progress progress) {
        if (theta == null || x == null || theta.length != x.length) {
            throw new IllegalArgumentException("SBC needs one observation per test parameter, got "
                    + (theta == null ? "null" : theta.length) + " parameters and " + (x == null ? "null" : x.length)
                    + " observations");
        }
        if (theta.length == 0) throw new IllegalArgumentException("SBC needs at least one test pair");
        if (samples < 1) throw new IllegalArgumentException("SBC needs at least 1 posterior sample per test, got "
                + samples);
        if (sampler == null) throw new IllegalArgumentException("SBC needs a posterior sampler");
        int n = theta.length, d = theta[0].length;
        for (int i = 0; i < n; i++) {
            if (theta[i].length != d) {
                throw new IllegalArgumentException("test parameter " + i + " has " + theta[i].length + " values, test 0"
                        + " has " + d);
            }
            for (float v : theta[i]) {
                if (!Float.isFinite(v)) throw new IllegalArgumentException("test parameter " + i + " is not finite");
            }
            for (float v : x[i]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("test observation " + i + " is not finite; leave out"
                            + " simulations with NaN or infinite data");
                }
            }
        }
        Progress pr = progress == null ? Progress.NONE : progress;
        int[][] ranks = new int[n][d], rankTies = new int[n][d];
        int[] hdr = new int[density == null ? 0 : n], hdrTies = new int[hdr.length];
        int used = 0, skipped = 0;
        int done = 0;   // tests the sampler has answered, finished or skipped
        for (; done < n; done++) {
            // Checked before every sampler call: a sampler called after the interrupt can only
            // return null (counted as "ran out of time") or throw (losing the finished tests).
            if (interrupted()) break;
            float[][] s = sample(sampler, samples, x[done], seed + done);
            if (s == null && interrupted()) break;   // the interrupt, not the time limit, cut this test short
            if (s == null) {
                skipped++;
            } else {
                if (s.length != samples) {
                    throw new IllegalStateException("the sampler returned " + s.length + " samples for test " + done
                            + ", not " + samples);
                }
                rank(s, theta[done], done, ranks[used], rankTies[used]);
                if (density != null) hdrRank(s, theta[done], x[done], done, density, hdr, hdrTies, used);
                used++;
            }
            pr.update(done + 1, n);
        }
        int kept = density == null ? 0 : used;
        return new Result(Arrays.copyOf(ranks, used), Arrays.copyOf(rankTies, used), Arrays.copyOf(hdr, kept),
                Arrays.copyOf(hdrTies, kept), samples, skipped);
    }

    private static boolean interrupted() {
        return Thread.currentThread().isInterrupted();
    }

    /**
     * The sampler's answer; a {@link SamplingIncompleteException} thrown because of the interrupt becomes null, so the
     * caller stops with the tests it has rather than losing them.
     */
    private static float[][] sample(Sampler sampler, int samples, float[] x, long seed) {
        try {
            return sampler.sample(samples, x, seed);
        } catch (SamplingIncompleteException e) {
            if (interrupted()) return null;
            throw e;
        }
    }

    /**
     * Counts into rank[c] the samples whose coordinate c lies below θ*_c and into ties[c] those equal to it. A NaN
     * coordinate is refused: it compares as neither, and would pull the rank down unseen.
     */
    private static void rank(float[][] s, float[] theta, int test, int[] rank, int[] ties) {
        for (int l = 0; l < s.length; l++) {
            float[] row = s[l];
            if (row == null || row.length != rank.length) {
                throw new IllegalStateException("the sampler returned sample " + l + " of test " + test + " with "
                        + (row == null ? "no" : row.length) + " values; the test parameters have " + rank.length);
            }
            for (int c = 0; c < rank.length; c++) {
                if (row[c] < theta[c]) {
                    rank[c]++;
                } else if (row[c] == theta[c]) {
                    ties[c]++;
                } else if (Float.isNaN(row[c])) {
                    throw new IllegalStateException("the sampler returned NaN in dimension " + c + " of sample " + l
                            + " of test " + test + "; SBC needs finite posterior samples");
                }
            }
        }
    }

    /**
     * Into above[k] and tied[k]: how many of the samples have a higher density than θ*, and how many the same. A NaN
     * density is refused: it compares as neither, and would put θ* inside every highest-density region unseen.
     */
    private static void hdrRank(float[][] s, float[] theta, float[] x, int test, Density density, int[] above,
                                int[] tied, int k) {
        int samples = s.length;
        float[][] rows = Arrays.copyOf(s, samples + 1);
        rows[samples] = theta;
        double[] lp = density.logDensity(rows, x);
        if (lp == null || lp.length != rows.length) {
            throw new IllegalStateException("the density returned " + (lp == null ? "null" : lp.length + " values")
                    + " for " + rows.length + " rows of test " + test);
        }
        double ref = lp[samples];
        if (Double.isNaN(ref)) {
            throw new IllegalStateException("the density of test " + test + "'s true parameter is NaN; SBC's coverage"
                    + " needs a log-density that is a number (−∞ outside the support)");
        }
        for (int l = 0; l < samples; l++) {
            if (lp[l] > ref) {
                above[k]++;
            } else if (lp[l] == ref) {
                tied[k]++;
            } else if (Double.isNaN(lp[l])) {
                throw new IllegalStateException("the density of sample " + l + " of test " + test + " is NaN; SBC's"
                        + " coverage needs a log-density that is a number (−∞ outside the support)");
            }
        }
    }
}
