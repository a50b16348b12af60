package org.jsbi.validation;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.jsbi.train.TrainingConfig;

/**
 * What the validation harness runs: every combination of task, estimator and simulation budget, scored on the given
 * observations.
 *
 * @param tasks             benchmark task names with reference data (e.g. {@code two_moons})
 * @param estimators        {@code maf} and/or {@code mdn}
 * @param budgets           simulation budgets, e.g. 1,000 and 10,000
 * @param observations      observation numbers, 1 to 10
 * @param posteriorSamples  samples drawn per observation for the C2ST (the benchmark uses 10,000)
 * @param predictiveSamples posterior samples simulated for the posterior predictive check
 * @param seed              the run's seed: simulations, training and sampling derive theirs from it
 * @param outDir            where {@code results.csv} is written (and, by {@code jsbi validate}, its table)
 * @param stopAfterEpochs   training's patience: epochs without validation improvement before it stops (sbi's 20 by
 *                          default; an MDN can need more, validation/RESULTS.md)
 */
public record HarnessConfig(List<String> tasks, List<String> estimators, List<Integer> budgets, List<Integer> observations,
                            int posteriorSamples, int predictiveSamples, long seed, Path outDir, int stopAfterEpochs) {

    /** The seed of {@code jsbi validate} unless told otherwise; a results folder without a record was made with it. */
    public static final long DEFAULT_SEED = 1L;
    /** The benchmark's posterior samples per observation; a results folder without a record was made with it. */
    public static final int DEFAULT_POSTERIOR_SAMPLES = 10_000;

    /** The benchmark's training: sbi's patience of 20 epochs. */
    public HarnessConfig(List<String> tasks, List<String> estimators, List<Integer> budgets, List<Integer> observations,
                         int posteriorSamples, int predictiveSamples, long seed, Path outDir) {
        this(tasks, estimators, budgets, observations, posteriorSamples, predictiveSamples, seed, outDir,
                TrainingConfig.defaults().stopAfterEpochs());
    }

    public HarnessConfig {
        if (tasks == null || tasks.isEmpty()) throw new IllegalArgumentException("no tasks given");
        if (estimators == null || estimators.isEmpty()) throw new IllegalArgumentException("no estimators given");
        for (String e : estimators) {
            if (!e.equals("maf") && !e.equals("mdn")) {
                throw new IllegalArgumentException("unknown estimator '" + e + "'; use maf or mdn");
            }
        }
        if (budgets == null || budgets.isEmpty()) throw new IllegalArgumentException("no simulation budgets given");
        for (int b : budgets) {
            if (b < 100) throw new IllegalArgumentException("a budget of " + b + " simulations is too small; use >= 100");
        }
        if (observations == null || observations.isEmpty()) throw new IllegalArgumentException("no observations given");
        for (int k : observations) {
            if (k < 1 || k > ReferenceTask.OBSERVATIONS) {
                throw new IllegalArgumentException("observation " + k + " does not exist; use 1.." + ReferenceTask.OBSERVATIONS);
            }
        }
        if (posteriorSamples < 100 || predictiveSamples < 10) {
            throw new IllegalArgumentException("need >= 100 posterior samples and >= 10 predictive samples");
        }
        if (outDir == null) throw new IllegalArgumentException("no output directory given");
        if (stopAfterEpochs < 1) {
            throw new IllegalArgumentException("the patience (epochs without improvement) must be >= 1, got "
                    + stopAfterEpochs);
        }
        // A repeated entry would be computed and counted twice ("± 0.000 (3)" for one observation given three times).
        tasks = distinct(tasks);
        estimators = distinct(estimators);
        budgets = distinct(budgets);
        observations = distinct(observations);
    }

    /** The entries of {@code values} without repeats, in first-seen order. */
    private static <T> List<T> distinct(List<T> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
