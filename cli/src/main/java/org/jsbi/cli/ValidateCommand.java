package org.jsbi.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jsbi.train.TrainingConfig;
import org.jsbi.validation.HarnessConfig;
import org.jsbi.validation.HarnessRow;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ResultsReport;
import org.jsbi.validation.ValidationHarness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jsbi validate}: NPE on benchmark tasks scored against their reference posteriors; CSV and markdown out. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Run NPE on benchmark tasks × estimators × budgets × observations, score each posterior with "
                + "the benchmark's C2ST, and write results.csv and the table results-table.md. Rerunning resumes"
                + " where it stopped.")
final class ValidateCommand implements Callable<Integer> {

    /** The markdown table the command writes beside results.csv. */
    static final String TABLE_FILE = "results-table.md";

    @Option(names = "--tasks", split = ",", description = "Tasks (default: the seven with reference data).")
    List<String> tasks = List.of("two_moons", "gaussian_linear", "gaussian_linear_uniform", "slcp", "bernoulli_glm",
            "sir", "lotka_volterra");

    @Option(names = "--estimators", split = ",", description = "maf and/or mdn (default: ${DEFAULT-VALUE}).")
    List<String> estimators = List.of("maf", "mdn");

    @Option(names = "--budgets", split = ",", description = "Simulation budgets (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets = List.of(1_000, 10_000);

    @Option(names = "--observations", description = "Observations, e.g. 1-10 or 1,2 (default: ${DEFAULT-VALUE}).")
    String observations = "1-10";

    @Option(names = "--samples", description = "Posterior samples per observation (default: ${DEFAULT-VALUE}).")
    int samples = 10_000;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1L;

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("validation-results");

    @Option(names = "--stop-after-epochs", paramLabel = "E", description = "Stop each training after E epochs without"
            + " improvement of the validation loss (default: ${DEFAULT-VALUE}, sbi's and the benchmark's). A folder's"
            + " rows all share one value; another needs another --out.")
    int stopAfterEpochs = TrainingConfig.defaults().stopAfterEpochs();

    @Option(names = "--report-only", description = "Run nothing: rewrite results-table.md from every row in"
            + " results.csv.")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        HarnessConfig cfg = new HarnessConfig(tasks, estimators, budgets, parseRange(observations), samples, 1_000, seed,
                out, stopAfterEpochs);
        List<HarnessRow> rows = reportOnly
                ? ValidationHarness.readResults(out.resolve(ValidationHarness.RESULTS_CSV))
                : ValidationHarness.run(cfg, ReferenceData.locate(), System.out::println);
        String command = reportOnly ? null : "bin/jsbi validate --tasks " + String.join(",", tasks) + " --estimators "
                + String.join(",", estimators) + " --budgets " + join(budgets) + " --observations " + observations
                + " --samples " + samples + " --seed " + seed
                + (stopAfterEpochs == TrainingConfig.defaults().stopAfterEpochs() ? ""
                        : " --stop-after-epochs " + stopAfterEpochs)
                + " --out " + out;
        String md = ResultsReport.markdown(rows, command);
        // Not RESULTS.md: the project's validation/RESULTS.md is written by hand around these tables, and resuming
        // its runs with --out validation must not overwrite it.
        Files.writeString(out.resolve(TABLE_FILE), md, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(md);
        return 0;
    }

    static List<Integer> parseRange(String spec) {
        List<Integer> ks = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).trim()), b = Integer.parseInt(p.substring(dash + 1).trim());
                    for (int k = a; k <= b; k++) ks.add(k);
                } else {
                    ks.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--observations: cannot read '" + p + "'; write e.g. 1-10 or 1,3,5");
            }
        }
        return ks;
    }

    private static String join(List<Integer> v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.size(); i++) sb.append(i == 0 ? "" : ",").append(v.get(i));
        return sb.toString();
    }
}
