package org.jsbi.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jsbi.io.Npy;
import org.jsbi.plot.C2stPlot;
import org.jsbi.train.TrainingConfig;
import org.jsbi.validation.HarnessConfig;
import org.jsbi.validation.HarnessRow;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ReferenceTask;
import org.jsbi.validation.ResultsReport;
import org.jsbi.validation.StopOnShutdown;
import org.jsbi.validation.ValidationHarness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jsbi validate}: NPE on benchmark tasks scored against their reference posteriors; CSV and markdown out. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Run NPE on benchmark tasks × estimators × budgets × observations, score each posterior with "
                + "the benchmark's C2ST, and write results.csv and the table results-table.md. Rerunning resumes"
                + " where it stopped; Ctrl-C stops the training or scoring in progress and keeps the finished rows.")
final class ValidateCommand implements Callable<Integer> {

    /** The markdown table the command writes beside results.csv. */
    static final String TABLE_FILE = "results-table.md";
    /** The table drawn: C2ST against the budget per task, beside the benchmark's published rows. */
    static final String PLOT_FILE = "results.png";

    @Option(names = "--tasks", split = ",", description = "Tasks (default: the seven with reference data).")
    List<String> tasks = List.of("two_moons", "gaussian_linear", "gaussian_linear_uniform", "slcp", "bernoulli_glm",
            "sir", "lotka_volterra");

    @Option(names = "--estimators", split = ",", description = "maf and/or mdn (default: ${DEFAULT-VALUE}).")
    List<String> estimators = List.of("maf", "mdn");

    @Option(names = "--budgets", split = ",", description = "Simulation budgets (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets = List.of(1_000, 10_000);

    @Option(names = "--observations", description = "Observations, e.g. 1-10 or 1,2 (default: ${DEFAULT-VALUE}).")
    String observations = "1-10";

    @Option(names = "--samples", description = "Posterior samples per observation (default: ${DEFAULT-VALUE}). A"
            + " folder's rows all share one value; another needs another --out.")
    int samples = HarnessConfig.DEFAULT_POSTERIOR_SAMPLES;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}). A folder's rows all share one value;"
            + " another needs another --out.")
    long seed = HarnessConfig.DEFAULT_SEED;

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("validation-results");

    @Option(names = "--stop-after-epochs", paramLabel = "E", description = "Stop each training after E epochs without"
            + " improvement of the validation loss (default: ${DEFAULT-VALUE}, sbi's and the benchmark's). A folder's"
            + " rows all share one value; another needs another --out.")
    int stopAfterEpochs = TrainingConfig.defaults().stopAfterEpochs();

    @Option(names = "--report-only", description = "Run nothing: rewrite results-table.md from every row in"
            + " results.csv.")
    boolean reportOnly;

    /** Exit code of a run stopped by Ctrl-C or SIGTERM, as npe's and pyloric's. */
    static final int EXIT_INTERRUPTED = PyloricCommand.EXIT_INTERRUPTED;

    @Override
    public Integer call() throws Exception {
        HarnessConfig cfg = new HarnessConfig(tasks, estimators, budgets, parseRange(observations), samples, 1_000, seed,
                out, stopAfterEpochs);
        if (reportOnly) {
            List<HarnessRow> rows = ValidationHarness.readResults(out.resolve(ValidationHarness.RESULTS_CSV));
            printTable(writeTable(rows, null));
            System.out.println("written: " + out.resolve(TABLE_FILE) + (rows.isEmpty() || !Files.exists(
                    out.resolve(PLOT_FILE)) ? "" : " and " + out.resolve(PLOT_FILE)) + " (" + rows.size() + " rows)");
            return 0;
        }
        String command = "bin/jsbi validate --tasks " + String.join(",", tasks) + " --estimators "
                + String.join(",", estimators) + " --budgets " + join(budgets) + " --observations " + observations
                + " --samples " + samples + " --seed " + seed
                + (stopAfterEpochs == TrainingConfig.defaults().stopAfterEpochs() ? ""
                        : " --stop-after-epochs " + stopAfterEpochs)
                + " --out " + out;
        // Ctrl-C or SIGTERM interrupts this thread instead of ending the JVM at once: the work in progress stops, the
        // table is written from the finished rows and the run says how to resume before the hook is released.
        try (StopOnShutdown stop = StopOnShutdown.install(System.err::println, "stopping: the training or scoring in"
                + " progress ends (a rerun does it again); the finished rows stay in " + out.resolve(
                        ValidationHarness.RESULTS_CSV) + " ...")) {
            ValidationHarness.Outcome outcome = ValidationHarness.run(cfg, ReferenceData.locate(), System.out::println);
            String md = writeTable(outcome.rows(), command);
            if (!outcome.complete()) {
                System.out.printf(Locale.ROOT, "interrupted %s. %s holds this grid's finished rows (%,d, of which"
                        + " %,d added by this run), and %s their table; the same command resumes where it stopped:%n"
                        + "%s%n", outcome.interruption(), out.resolve(ValidationHarness.RESULTS_CSV),
                        outcome.rows().size(), outcome.added(), out.resolve(TABLE_FILE), command);
                return EXIT_INTERRUPTED;
            }
            printTable(md);
            return 0;
        }
    }

    private static void printTable(String md) {
        System.out.println();
        System.out.println(md);
    }

    /** Writes the markdown table of {@code rows} beside results.csv and returns it. */
    private String writeTable(List<HarnessRow> rows, String command) throws IOException {
        String md = ResultsReport.markdown(rows, command);
        // Not RESULTS.md: the project's validation/RESULTS.md is written by hand around these tables, and resuming
        // its runs with --out validation must not overwrite it.
        // Through a temporary file renamed into place: a run killed here leaves the earlier table whole.
        Npy.writeAtomically(out.resolve(TABLE_FILE), md.getBytes(StandardCharsets.UTF_8));
        if (rows.isEmpty()) {
            Files.deleteIfExists(out.resolve(PLOT_FILE));   // an earlier run's figure would not be this table's
        } else {
            try {
                C2stPlot.writePng(rows, out.resolve(PLOT_FILE));
            } catch (IOException | RuntimeException e) {
                // The figure is a view of the table: whatever stops it, the table and the run's last words stand.
                System.out.println("note: no " + PLOT_FILE + ": " + ErrorReport.message(e));
            }
        }
        return md;
    }

    /**
     * Observation numbers from "1-10", "1,3,5" or a mix, repeats dropped (first-seen order kept). A range is checked
     * against 1..{@value ReferenceTask#OBSERVATIONS} before it is expanded, so "1-2147483647" is an error, not a list
     * that grows until memory runs out.
     */
    static List<Integer> parseRange(String spec) {
        Set<Integer> ks = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash > 0) {
                int a = observation(p.substring(0, dash), p), b = observation(p.substring(dash + 1), p);
                if (a > b) {
                    throw new IllegalArgumentException("--observations: the range '" + p + "' is reversed; write it"
                            + " low-high, e.g. " + b + "-" + a);
                }
                for (int k = a; k <= b; k++) ks.add(k);
            } else {
                ks.add(observation(p, p));
            }
        }
        return List.copyOf(ks);
    }

    /** One observation number of {@code part}, which must lie in 1..{@value ReferenceTask#OBSERVATIONS}. */
    private static int observation(String number, String part) {
        int k;
        try {
            k = Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--observations: cannot read '" + part + "'; write e.g. 1-10 or 1,3,5");
        }
        if (k < 1 || k > ReferenceTask.OBSERVATIONS) {
            throw new IllegalArgumentException("--observations: '" + part + "' names observation " + k + ", which"
                    + " does not exist; each task has observations 1-" + ReferenceTask.OBSERVATIONS);
        }
        return k;
    }

    private static String join(List<Integer> v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.size(); i++) sb.append(i == 0 ? "" : ",").append(v.get(i));
        return sb.toString();
    }
}
