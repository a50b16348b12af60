package org.jsbi.validation;

import java.util.Locale;
import org.jsbi.diagnostics.Progress;
import org.jsbi.diagnostics.Sbc;
import org.jsbi.dist.Prior;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.Simulator;

/**
 * Simulation-based calibration of an amortized NPE posterior ({@link Sbc}) on fresh test simulations from the prior,
 * as printed by {@code jsbi npe --sbc N}: per-parameter rank tests and the expected coverage of the posterior's
 * highest-density regions.
 */
public final class CalibrationCheck {

    /** Added to the run's seed for the test simulations, so they are not the training simulations. */
    public static final long SEED_OFFSET = 0x5BC0_0000L;
    /** The levels whose expected coverage is printed. */
    public static final double[] LEVELS = {0.5, 0.8, 0.9, 0.95};
    /** Below this KS p-value a rank or coverage distribution is flagged. */
    public static final double FLAG_P = 0.01;

    private CalibrationCheck() {
    }

    /** The check's outcome: tests used, simulations left out for non-finite data, wall seconds. */
    public record Report(Sbc.Result result, int excluded, double seconds) {

        /** Lines for a terminal: the setting, the rank p-values, the coverage. */
        public String text() {
            Sbc.Result r = result;
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "simulation-based calibration: %,d test simulations from the prior%s%s,"
                    + " %,d posterior samples each (%.1f s)%n", r.tests(), excluded > 0 ? String.format(Locale.ROOT,
                    " (%,d left out for non-finite data)", excluded) : "", r.skipped() > 0 ? String.format(Locale.ROOT,
                    " (%,d left out: posterior sampling ran out of time)", r.skipped()) : "", r.samples(), seconds));
            b.append("  rank of the true parameter among the samples, KS p-value against uniform:");
            int flagged = 0;
            for (int d = 0; d < r.dim(); d++) {
                double p = r.rankPValue(d);
                if (p < FLAG_P) flagged++;
                b.append(String.format(Locale.ROOT, "%s θ%d %.3g", d == 0 ? "" : ",", d + 1, p));
            }
            b.append('\n');
            b.append("  expected coverage of the highest-density regions:");
            for (int k = 0; k < LEVELS.length; k++) {
                b.append(String.format(Locale.ROOT, "%s %.0f%% -> %.3f", k == 0 ? "" : ",", 100 * LEVELS[k],
                        r.expectedCoverage(LEVELS[k])));
            }
            double pc = r.coveragePValue();
            b.append(String.format(Locale.ROOT, " (largest gap over all levels %.3f; KS p %.3g)%n",
                    r.maxCoverageError(), pc));
            if (pc < FLAG_P) {
                b.append(String.format(Locale.ROOT, "  miscalibrated (coverage KS p < %.2f): %s%n", FLAG_P,
                        r.expectedCoverage(0.9) < 0.9 ? "too little coverage, an overconfident posterior (too narrow,"
                                + " or off target)" : "too much coverage, a conservative posterior (too wide)"));
            } else if (flagged > 0) {
                b.append(String.format(Locale.ROOT, "  miscalibrated (rank KS p < %.2f in %d parameter(s)) while the"
                        + " coverage looks right: the marginals are shifted or skewed%n", FLAG_P, flagged));
            } else {
                b.append(String.format(Locale.ROOT, "  no sign of miscalibration at p < %.2f with %,d tests%n", FLAG_P,
                        r.tests()));
            }
            return b.toString();
        }
    }

    /**
     * Simulates {@code tests} pairs from the prior (seed + {@link #SEED_OFFSET}), leaves out non-finite data, and runs
     * SBC with {@code samples} posterior samples per test.
     */
    public static Report run(Simulator sim, Prior prior, DirectPosterior posterior, int tests, int samples, long seed,
                             Progress progress) {
        if (tests < 1) throw new IllegalArgumentException("the calibration check needs at least 1 test, got " + tests);
        long t0 = System.nanoTime();
        SimulationSet test = Simulations.run(sim, prior, tests, seed + SEED_OFFSET);
        if (test.size() == 0) {
            throw new IllegalArgumentException("all " + tests + " test simulations had non-finite data");
        }
        Report r = check(test.theta(), test.x(), posterior, samples, seed + SEED_OFFSET + 1, progress);
        return new Report(r.result(), test.excludedNonFinite(), (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * SBC of the posterior on given test pairs (θ from the prior, x simulated from it, none used in training): tests
     * whose sampling runs out of time are skipped and counted.
     */
    public static Report check(float[][] theta, float[][] x, DirectPosterior posterior, int samples, long seed,
                               Progress progress) {
        long t0 = System.nanoTime();
        Sbc.Sampler sampler = (n, obs, s) -> {
            try {
                return posterior.sample(n, obs, s);
            } catch (SamplingIncompleteException e) {
                return null;   // skipped and counted: a posterior that leaks out of the prior for this x
            }
        };
        Sbc.Result r = Sbc.run(theta, x, sampler, posterior::logProbUncorrected, samples, seed, progress);
        if (r.tests() == 0) {
            throw new IllegalArgumentException(r.skipped() > 0 ? "posterior sampling ran out of time for all "
                    + r.skipped() + " test observations (the posterior leaks out of the prior); no calibration to"
                    + " report" : "the check was interrupted before its first test");
        }
        return new Report(r, 0, (System.nanoTime() - t0) * 1e-9);
    }
}
