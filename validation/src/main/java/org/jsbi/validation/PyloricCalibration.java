package org.jsbi.validation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.diagnostics.Sbc;
import org.jsbi.flow.Maf;
import org.jsbi.io.Npy;
import org.jsbi.plot.PlotException;
import org.jsbi.plot.SbcPlot;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.SimulationStoreException;
import org.jsbi.simulation.StoreListener;
import org.jsbi.simulation.StoreManifest;

/**
 * Simulation-based calibration ({@link CalibrationCheck}) of an amortized pyloric posterior written by
 * {@link PyloricInference}: the test pairs are the triphasic networks (all 18 features defined, the training filter)
 * of prior stores that the posterior was not trained on. Only a posterior trained on prior stores alone is amortized
 * over the prior's triphasic networks; one trained on truncated rounds is refused, since its proposal covers only the
 * region around x_o. Writes {@code calibration.md} into the posterior's directory, or {@code calibration.partial.md}
 * when interrupted, so that a partial report never replaces a complete one.
 */
public final class PyloricCalibration {

    public static final String SUMMARY_FILE = "calibration.md";
    /** Where an interrupted run writes its report: never over a complete run's. A complete run removes it. */
    public static final String PARTIAL_SUMMARY_FILE = "calibration.partial.md";
    /** The ranks and the coverage drawn (SbcPlot); a partial run's beside a complete one's. */
    public static final String PLOT_FILE = "calibration.png", PARTIAL_PLOT_FILE = "calibration.partial.png";
    /** A store line of an infer summary: "- DIR: seed S, ..., prior" or "..., truncated prior". */
    private static final Pattern STORE_LINE = Pattern.compile("^- (.+): seed (-?\\d+), .*, (truncated prior|prior)$");

    private PyloricCalibration() {
    }

    /**
     * @param tests   at most this many test networks (the first triphasic rows of the stores, in order)
     * @param samples posterior samples per test
     */
    public record Settings(Path posterior, List<Path> stores, int tests, int samples, long seed) {
        public Settings {
            if (posterior == null) throw new IllegalArgumentException("the posterior directory is required");
            if (stores == null || stores.isEmpty()) throw new IllegalArgumentException("give at least one test store");
            if (tests < 1) throw new IllegalArgumentException("tests must be at least 1, got " + tests);
            if (samples < 1) throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
    }

    /**
     * The check, the triphasic test networks the stores hold, the report as written to summaryFile
     * ({@value #SUMMARY_FILE}, or {@value #PARTIAL_SUMMARY_FILE} when an interrupt cut the check short), and whether
     * every test network was ranked or skipped.
     */
    public record Result(CalibrationCheck.Report report, int available, String summary, Path summaryFile,
                         boolean complete) {
    }

    public static Result run(Settings s, PrintWriter log) throws IOException {
        Backend be = Backends.current();
        Maf maf = PyloricInference.loadFlow(s.posterior(), be);
        Set<Long> trainingSeeds = trainingSeeds(s.posterior());
        List<float[]> theta = new ArrayList<>(), x = new ArrayList<>();
        int available = 0;
        for (Path dir : s.stores()) {
            if (!Files.isRegularFile(dir.resolve(SimulationStore.MANIFEST))) {
                throw new SimulationStoreException("no simulation store at " + dir + "; make one with 'jsbi pyloric"
                        + " simulate --store " + dir + " --n <networks> --seed <a seed the posterior did not use>'");
            }
            SimulationStore st = SimulationStore.open(dir);
            StoreManifest m = st.manifest();
            if (!m.prior().equals(PyloricNetwork.prior().describe()) || m.parameterDim() != 31
                    || m.dataDim() < PyloricInference.FEATURES) {
                throw new IllegalArgumentException(dir + " is not a pyloric store drawn from the paper's prior (its prior:"
                        + " " + m.prior() + "); calibration needs test networks from the prior itself");
            }
            if (trainingSeeds.contains(m.seed())) {
                throw new IllegalArgumentException(dir + " was made with seed " + m.seed() + ", a seed of the posterior's"
                        + " own training stores, so its networks may be training data; simulate a test store with"
                        + " another seed");
            }
            int d = m.dataDim();
            int[] count = {0};
            st.stream(c -> {
                for (int i = 0; i < c.rows(); i++) {
                    int o = i * d;
                    boolean finite = true;
                    for (int j = 0; j < PyloricInference.FEATURES; j++) finite &= Float.isFinite(c.x()[o + j]);
                    if (!finite) continue;
                    count[0]++;
                    if (theta.size() < s.tests()) {
                        theta.add(c.thetaRow(i));
                        x.add(java.util.Arrays.copyOfRange(c.x(), o, o + PyloricInference.FEATURES));
                    }
                }
            });
            available += count[0];
        }
        if (theta.isEmpty()) {
            throw new IllegalArgumentException("the test stores hold no triphasic network with all 18 features; about 1%"
                    + " of prior networks are, so simulate more");
        }
        DirectPosterior posterior = new DirectPosterior(maf, PyloricNetwork.prior(), PosteriorConfig.defaults()
                .withTimeLimitSeconds(60));
        log.printf(Locale.ROOT, "calibration: %,d test networks (of %,d triphasic in the test stores), %,d posterior"
                + " samples each; Ctrl-C stops and reports the tests done%n", theta.size(), available, s.samples());
        log.flush();
        CalibrationCheck.Report r = CalibrationCheck.check(theta.toArray(float[][]::new), x.toArray(float[][]::new),
                posterior, s.samples(), s.seed(), ProgressLines.every10Seconds(log, "tests"));
        return write(s, r, theta.size(), available, log);
    }

    /**
     * Writes the report of a check over {@code tests} test networks: to {@value #SUMMARY_FILE} when it ranked or
     * skipped them all, else (an interrupt cut it short) to {@value #PARTIAL_SUMMARY_FILE}, so that a complete
     * report is never replaced by a partial one, and saying so on {@code log}.
     */
    static Result write(Settings s, CalibrationCheck.Report r, int tests, int available, PrintWriter log)
            throws IOException {
        String summary = summary(s, r, tests, available);
        boolean complete = !interrupted(r, tests);
        Path file = s.posterior().resolve(complete ? SUMMARY_FILE : PARTIAL_SUMMARY_FILE);
        if (!complete) {
            log.printf(Locale.ROOT, "interrupted after %,d of %,d tests; writing what was computed to %s (a complete %s,"
                    + " if there, stays as it is; rerun to finish)%n", r.result().tests() + r.result().skipped(),
                    tests, file, SUMMARY_FILE);
            log.flush();
        }
        // Atomically: a crash while writing leaves an earlier report whole, not a truncated one.
        Npy.writeAtomically(file, summary.getBytes(StandardCharsets.UTF_8));
        if (r.result().tests() > 0) {
            try {
                SbcPlot.writePng(r.result(), PyloricNetwork.PARAMETER_NAMES,
                        s.posterior().resolve(complete ? PLOT_FILE : PARTIAL_PLOT_FILE));
            } catch (PlotException e) {
                log.println("note: no picture of the calibration: " + e.getMessage());
            }
        }
        // A finished report supersedes an interrupted one's.
        if (complete) {
            Files.deleteIfExists(s.posterior().resolve(PARTIAL_SUMMARY_FILE));
            Files.deleteIfExists(s.posterior().resolve(PARTIAL_PLOT_FILE));
        }
        return new Result(r, available, summary, file, complete);
    }

    /** Seeds of the posterior's training stores, from its summary.md; refuses a posterior trained on truncated rounds. */
    static Set<Long> trainingSeeds(Path posterior) throws IOException {
        Path summary = posterior.resolve("summary.md");
        if (!Files.isRegularFile(summary)) {
            throw new IllegalArgumentException(summary + " does not exist; give the directory written by 'jsbi pyloric"
                    + " infer --out DIR' (its summary names the training stores)");
        }
        Set<Long> seeds = new HashSet<>();
        for (String line : Files.readAllLines(summary, StandardCharsets.UTF_8)) {
            Matcher m = STORE_LINE.matcher(line.strip());
            if (!m.matches()) continue;
            if (m.group(3).equals("truncated prior")) {
                throw new IllegalArgumentException("this posterior was trained on a sequential round (" + m.group(1)
                        + " was drawn from a truncated prior), so it is not amortized over the prior's networks;"
                        + " calibrate the first round's posterior (trained on prior stores only) instead");
            }
            seeds.add(Long.parseLong(m.group(2)));
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException(summary + " names no training stores; give the directory written by"
                    + " 'jsbi pyloric infer --out DIR'");
        }
        return seeds;
    }

    /** Whether an interrupt stopped the check before it had ranked or skipped every one of its tests. */
    private static boolean interrupted(CalibrationCheck.Report report, int tests) {
        return report.result().tests() + report.result().skipped() < tests;
    }

    static String summary(Settings s, CalibrationCheck.Report report, int tests, int available) {
        Sbc.Result r = report.result();
        String[] names = PyloricNetwork.PARAMETER_NAMES;
        StringBuilder b = new StringBuilder("# Calibration of the pyloric posterior\n\n");
        b.append(String.format(Locale.ROOT, "Posterior: %s. Simulation-based calibration on %,d triphasic test networks"
                        + " (all 18 features defined) of %s (%,d available), %,d posterior samples each%s, %s.%n%n",
                s.posterior(), r.tests(), s.stores(), available, r.samples(), r.skipped() > 0
                        ? String.format(Locale.ROOT, " (%,d tests left out: sampling ran out of time)", r.skipped())
                        : "", StoreListener.duration(report.seconds())));
        if (interrupted(report, tests)) {
            b.append(String.format(Locale.ROOT, "**Interrupted** after %,d of %,d tests.%n%n", r.tests() + r.skipped(),
                    tests));
        }
        b.append("Expected coverage of the highest-density regions (calibrated: the level itself):\n\n");
        b.append("| level | 50% | 80% | 90% | 95% | largest gap | KS p |\n|---|---:|---:|---:|---:|---:|---:|\n");
        b.append(String.format(Locale.ROOT, "| coverage | %.3f | %.3f | %.3f | %.3f | %.3f | %.3g |%n%n",
                r.expectedCoverage(0.5), r.expectedCoverage(0.8), r.expectedCoverage(0.9), r.expectedCoverage(0.95),
                r.maxCoverageError(), r.coveragePValue()));
        b.append("Rank of each true parameter among its samples, KS p-value against uniform, and the mean rank (0.5:"
                + " centred; below: the posterior sits above the truth):\n\n");
        b.append("| parameter | rank KS p | mean rank / L |\n|---|---:|---:|\n");
        int flagged = 0;
        for (int d = 0; d < r.dim(); d++) {
            double p = r.rankPValue(d), mean = r.meanRank(d);
            if (p < CalibrationCheck.FLAG_P) flagged++;
            b.append(String.format(Locale.ROOT, "| %s | %.3g%s | %.3f |%n", names[d], p,
                    p < CalibrationCheck.FLAG_P ? " *" : "", mean));
        }
        b.append(String.format(Locale.ROOT, "%n%d of %d parameters have rank p < %.2f (*); with %d independent tests"
                        + " about %.1f would by chance.%n", flagged, r.dim(), CalibrationCheck.FLAG_P, r.dim(),
                r.dim() * CalibrationCheck.FLAG_P));
        return b.toString();
    }
}
