package org.jsbi.validation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.io.Npy;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.random.Rng;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.simulation.SimulationInterruptedException;
import org.jsbi.simulation.SimulationListener;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingHistory;
import org.jsbi.train.TrainingListener;

/**
 * Runs NPE on benchmark tasks and scores the posteriors against the reference posteriors with the benchmark's C2ST.
 *
 * <p>NPE is amortized, so each (task, estimator, budget) is trained once and its posterior scored on every requested
 * observation (the benchmark retrains per observation; an amortized estimator makes that unnecessary, at the cost of
 * correlating the observations' scores). Each finished row is appended to {@code results.csv} at once, and a rerun
 * skips the rows already there, so an interrupted run loses at most the training in progress.
 *
 * <p>An interrupt of the running thread (Ctrl-C, through {@link StopOnShutdown}) stops the simulation, training,
 * sampling or C2ST in progress and ends the run with {@link Outcome#interruption()} saying where it stopped. Only
 * whole rows are written: a training cut short is not scored, since its rows would stand in the table for the
 * settings they were not trained with, and a rerun trains it again from the start.
 */
public final class ValidationHarness {

    public static final String RESULTS_CSV = "results.csv";
    /**
     * Beside the CSV: the settings its rows were made with (patience, seed, posterior samples), where they are not the
     * defaults. A folder without it, or without one of them, holds rows made with the defaults, as every folder did
     * before it existed.
     */
    public static final String SETTINGS_FILE = "training.properties";
    private static final String PATIENCE_KEY = "stop_after_epochs", SEED_KEY = "seed", SAMPLES_KEY = "posterior_samples";

    private ValidationHarness() {
    }

    /**
     * What a run leaves in {@code results.csv} for the grid it was given.
     *
     * @param rows          the grid's finished rows, earlier runs' and this run's, in grid order
     * @param added         how many of them this run appended
     * @param interruption  where an interrupt stopped the run, e.g. "in the training of two_moons maf 1000 (after 12
     *                      epochs)": the work in progress left no row, and a rerun does it again; "" when the run
     *                      went through the whole grid
     */
    public record Outcome(List<HarnessRow> rows, int added, String interruption) {

        /** Whether the run went through the whole grid, not stopped by an interrupt. */
        public boolean complete() {
            return interruption.isEmpty();
        }
    }

    public static Outcome run(HarnessConfig cfg, ReferenceData reference, Consumer<String> log) {
        // Every name is resolved before anything is created or trained: a typo in the last task must not surface
        // hours later, after the first tasks ran, nor leave an output folder behind.
        List<Task> tasks = resolveTasks(cfg, reference);
        try {
            Files.createDirectories(cfg.outDir());
            Path csv = cfg.outDir().resolve(RESULTS_CSV);
            dropCutOffRow(csv, log);
            Map<String, HarnessRow> done = readExisting(csv);
            checkSameSettings(cfg, done.isEmpty());
            if (done.isEmpty()) {
                // Renamed into place: a run killed mid-header would leave a file the next run refuses as foreign.
                Npy.writeAtomically(csv, (HarnessRow.CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
            }
            List<HarnessRow> rows = new ArrayList<>();
            int added = 0;
            String interruption = "";
            for (Task t : tasks) {
                for (String est : cfg.estimators()) {
                    for (int budget : cfg.budgets()) {
                        List<Integer> todo = new ArrayList<>();
                        for (int k : cfg.observations()) {
                            HarnessRow r = done.get(t.task().name() + "/" + est + "/" + budget + "/" + k);
                            if (r != null) rows.add(r); else todo.add(k);
                        }
                        // Once stopped, the loop only gathers the earlier runs' rows, for the table.
                        if (todo.isEmpty() || !interruption.isEmpty()) continue;
                        int before = rows.size();
                        interruption = runOne(cfg, reference, t.task(), t.reference(), est, budget, todo, csv, log,
                                rows);
                        added += rows.size() - before;
                    }
                }
            }
            return new Outcome(List.copyOf(rows), added, interruption);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results under " + cfg.outDir() + ": " + e.getMessage(), e);
        }
    }

    /** A benchmark task and its reference posteriors. */
    record Task(BenchmarkTask task, ReferenceTask reference) {
    }

    /**
     * The config's tasks, each resolved to its simulator and reference posteriors, with the reference folder checked
     * to hold every requested observation; names that mean one task (two_moons, Two-Moons) count once, first-seen
     * order kept.
     */
    static List<Task> resolveTasks(HarnessConfig cfg, ReferenceData reference) {
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (String name : cfg.tasks()) {
            BenchmarkTask task = BenchmarkTasks.byName(name);
            if (tasks.containsKey(task.name())) continue;
            ReferenceTask refTask = ReferenceTask.byId(task.name());
            for (int k : cfg.observations()) requireReferenceFiles(reference, refTask, k);
            tasks.put(task.name(), new Task(task, refTask));
        }
        return List.copyOf(tasks.values());
    }

    private static void requireReferenceFiles(ReferenceData reference, ReferenceTask task, int k) {
        for (String name : new String[] {"observation.csv", "reference_posterior_samples.csv"}) {
            Path file = reference.file(task, k, name);
            if (!Files.isRegularFile(file)) {
                throw new ReferenceDataException("the reference data lack " + file + ", needed to score " + task.id()
                        + " observation " + k + "; restore that file, or leave the observation out (--observations)");
            }
        }
    }

    /**
     * Trains one (task, estimator, budget) and scores it on each observation, appending each finished row to the CSV
     * and to {@code rows}; returns where an interrupt of the thread stopped it, or "" when every observation was
     * scored.
     */
    /** The longest a training goes without a line of progress. */
    static final long PROGRESS_NANOS = 10_000_000_000L;

    /**
     * A line at most every {@code everyNanos} of a training (at 100,000 simulations one takes minutes, and the harness
     * said nothing between its start and end): the epoch, its validation loss and the best so far.
     */
    static TrainingListener trainingProgress(String cell, Consumer<String> log, long everyNanos) {
        long[] last = {System.nanoTime()};
        return (epoch, train, val, best, since, sec) -> {
            long now = System.nanoTime();
            if (now - last[0] < everyNanos) return;
            last[0] = now;
            log.accept(String.format(Locale.ROOT, "  %s: epoch %d, validation loss %.4f (best %.4f, %d epoch%s ago)",
                    cell, epoch, val, best, since, since == 1 ? "" : "s"));
        };
    }

    private static String runOne(HarnessConfig cfg, ReferenceData reference, BenchmarkTask task, ReferenceTask refTask,
                                 String est, int budget, List<Integer> observations, Path csv, Consumer<String> log,
                                 List<HarnessRow> rows) throws IOException {
        String cell = String.format(Locale.ROOT, "%s %s %d", task.name(), est, budget);
        if (Thread.currentThread().isInterrupted()) return "before " + cell + " began";
        long seed = cfg.seed() * 1_000_003L + (task.name().hashCode() * 31L + est.hashCode()) * 7_919L + budget;
        EstimatorFactory factory = est.equals("maf") ? EstimatorFactory.maf() : EstimatorFactory.mdn();
        NpeConfig npeConfig = NpeConfig.defaults().withEstimator(factory)
                .withTraining(NpeConfig.defaults().training().withSeed(seed)
                        .withStopAfterEpochs(cfg.stopAfterEpochs()));
        log.accept(cell + ": simulating and training ...");
        NpeResult npe;
        try {
            npe = new Npe(npeConfig).run(task.simulator(), task.prior(), budget, seed, SimulationListener.NONE,
                    trainingProgress(cell, log, PROGRESS_NANOS));
        } catch (SimulationInterruptedException e) {
            return "in the simulations or the first training epoch of " + cell;
        }
        int epochs = npe.trained().history().epochs();
        if (npe.trained().history().stopReason() == TrainingHistory.StopReason.INTERRUPTED) {
            return "in the training of " + cell + " (after " + epochs + " epochs)";
        }
        log.accept(String.format(Locale.ROOT, "%s %s %d: %d simulations in %.1f s (%d non-finite excluded), %d epochs in %.1f s",
                task.name(), est, budget, npe.simulationsUsed(), npe.simulationSeconds(), npe.excludedNonFinite(), epochs,
                npe.trainingSeconds()));
        DirectPosterior posterior = npe.posterior(task.prior());
        float[][] priorDraws = task.prior().sample(cfg.predictiveSamples(), new Rng(seed + 17));
        for (int k : observations) {
            String scoring = "in the scoring of " + cell + " on observation " + k;
            if (Thread.currentThread().isInterrupted()) return scoring;
            float[] xo = reference.observation(refTask, k);
            long t0 = System.nanoTime();
            float[][] samples;
            try {
                samples = posterior.sample(cfg.posteriorSamples(), xo, seed + k);
            } catch (SamplingIncompleteException e) {
                if (!e.interrupted()) throw e;
                return scoring;
            }
            double sampleSeconds = (System.nanoTime() - t0) * 1e-9;
            long t1 = System.nanoTime();
            double c2st;
            try {
                c2st = C2st.accuracyOnEqualCounts(reference.referenceSamples(refTask, k), samples);
            } catch (C2stInterruptedException e) {
                return scoring;
            }
            double c2stSeconds = (System.nanoTime() - t1) * 1e-9;
            float[][] predictive = java.util.Arrays.copyOf(samples, Math.min(cfg.predictiveSamples(), samples.length));
            double ppc = PredictiveCheck.medianDistance(task.simulator(), predictive, xo, seed + 1_000 + k);
            double prior = PredictiveCheck.medianDistance(task.simulator(), priorDraws, xo, seed + 2_000 + k);
            HarnessRow row = new HarnessRow(task.name(), est, budget, k, c2st, ppc, prior, posterior.acceptanceRate(xo),
                    npe.excludedNonFinite(), epochs, npe.simulationSeconds(), npe.trainingSeconds(), sampleSeconds,
                    c2stSeconds);
            // A kill mid-write leaves a line without its end, which the next run drops (dropCutOffRow).
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                w.write(row.toCsv());
                w.newLine();
            }
            log.accept(String.format(Locale.ROOT, "  obs %d: C2ST %.3f, predictive median distance %.3g (prior %.3g), "
                    + "sampling %.1f s, C2ST %.1f s", k, c2st, ppc, prior, sampleSeconds, c2stSeconds));
            rows.add(row);
        }
        return "";
    }

    /**
     * Refuses to add rows made with another patience, seed or number of posterior samples to a folder's rows (a resume
     * skips rows by task, estimator, budget and observation, so they would be mixed silently, and the table labelled
     * with the new command), and records this run's settings where they are not the defaults. Rows without a record
     * were made with the defaults.
     */
    static void checkSameSettings(HarnessConfig cfg, boolean noRows) throws IOException {
        Path file = cfg.outDir().resolve(SETTINGS_FILE);
        List<Setting> settings = settings(cfg);
        if (!noRows) {
            Properties recorded = Files.exists(file) ? load(file) : new Properties();
            for (Setting s : settings) {
                long had = recordedValue(recorded, s, file);
                if (had != s.value()) {
                    throw new IllegalStateException("the results in " + cfg.outDir() + " were made with " + s.option()
                            + " " + had + ", not " + s.value() + "; use " + s.option() + " " + had + " to resume them,"
                            + " or another --out for the new setting");
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (Setting s : settings) {
            if (s.value() != s.defaultValue()) text.append(s.key()).append('=').append(s.value()).append('\n');
        }
        if (text.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            // Renamed into place: a run killed while writing it must not leave a folder whose settings are unreadable.
            Npy.writeAtomically(file, ("# jsbi validate: settings of the rows in " + RESULTS_CSV + " that are not the"
                    + " defaults\n" + text).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A setting every row of a folder shares: its key in {@link #SETTINGS_FILE}, the option of {@code jsbi validate}
     * that sets it, this run's value, and the value of rows made without a record.
     */
    private record Setting(String key, String option, long value, long defaultValue) {
    }

    private static List<Setting> settings(HarnessConfig cfg) {
        return List.of(
                new Setting(PATIENCE_KEY, "--stop-after-epochs", cfg.stopAfterEpochs(),
                        TrainingConfig.defaults().stopAfterEpochs()),
                new Setting(SEED_KEY, "--seed", cfg.seed(), HarnessConfig.DEFAULT_SEED),
                new Setting(SAMPLES_KEY, "--samples", cfg.posteriorSamples(), HarnessConfig.DEFAULT_POSTERIOR_SAMPLES));
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    private static long recordedValue(Properties recorded, Setting s, Path file) {
        String v = recorded.getProperty(s.key());
        if (v == null) return s.defaultValue();
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " has no valid " + s.key() + " (" + v + "); repair or delete it,"
                    + " or choose another output directory");
        }
    }

    /** Every row of an earlier run's {@code results.csv}, in file order. */
    public static List<HarnessRow> readResults(Path csv) throws IOException {
        if (!Files.exists(csv)) throw new IllegalArgumentException("no results file at " + csv + "; run the harness first");
        return new ArrayList<>(readExisting(csv).values());
    }

    /**
     * A run killed while it appended a row leaves a last line without its end: the next append would run on into it,
     * and a cut number may still parse (12.3 of 12.345). Such a line is removed, so that its row is run again; the
     * rest is kept as it is, and any other damage is left to {@link #readExisting} to report.
     */
    static void dropCutOffRow(Path csv, Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(csv)) return;
        byte[] b = Files.readAllBytes(csv);
        if (b.length == 0 || b[b.length - 1] == '\n') return;
        int end = b.length - 1;
        while (end >= 0 && b[end] != '\n') end--;
        if (end < 0) return;   // not even a whole header line: readExisting names the file as foreign
        String cut = new String(b, end + 1, b.length - end - 1, StandardCharsets.UTF_8);
        Npy.writeAtomically(csv, Arrays.copyOf(b, end + 1));
        log.accept("dropped the last line of " + csv + ", cut off by a run that ended while writing it ('" + cut
                + "'); its row runs again");
    }

    /** Rows of an earlier run, by key; a damaged file is an error, never silently overwritten. */
    static Map<String, HarnessRow> readExisting(Path csv) throws IOException {
        Map<String, HarnessRow> rows = new LinkedHashMap<>();
        if (!Files.exists(csv)) return rows;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) return rows;
        if (!lines.get(0).equals(HarnessRow.CSV_HEADER)) {
            throw new IllegalStateException(csv + " is not a results file of this harness (its header differs); move it "
                    + "away or choose another output directory");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                HarnessRow r = HarnessRow.parse(lines.get(i));
                rows.put(r.key(), r);
            } catch (RuntimeException e) {
                throw new IllegalStateException(csv + " line " + (i + 1) + " is damaged (" + e.getMessage()
                        + "); repair or delete that line to resume", e);
            }
        }
        return rows;
    }
}
