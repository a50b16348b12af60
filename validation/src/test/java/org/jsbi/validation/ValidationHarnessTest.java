package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationHarnessTest {

    /** A training says where it is at most every interval: its epoch, validation loss and best so far. */
    @Test
    void trainingProgressIsALineAtMostEveryInterval() {
        List<String> lines = new java.util.ArrayList<>();
        org.jsbi.train.TrainingListener every = ValidationHarness.trainingProgress("two_moons maf 1000", lines::add, 0);
        every.epochEnd(3, 1.0, -2.5, -2.625, 1, 0.01);
        every.epochEnd(4, 1.0, -2.7, -2.7, 0, 0.01);
        assertEquals(List.of("  two_moons maf 1000: epoch 3, validation loss -2.5000 (best -2.6250, 1 epoch ago)",
                "  two_moons maf 1000: epoch 4, validation loss -2.7000 (best -2.7000, 0 epochs ago)"), lines);
        org.jsbi.train.TrainingListener quiet = ValidationHarness.trainingProgress("x", lines::add,
                ValidationHarness.PROGRESS_NANOS);
        quiet.epochEnd(1, 1.0, 1.0, 1.0, 0, 0.01);
        assertEquals(2, lines.size(), "a line within the interval of the start");
    }

    private static HarnessRow row(String task, String est, int budget, int k, double c2st) {
        return new HarnessRow(task, est, budget, k, c2st, 0.12, 1.5, 0.99, 0, 80, 0.5, 12.0, 0.3, 4.0);
    }

    @Test
    void csvRowsRoundTrip() {
        HarnessRow r = row("two_moons", "maf", 1000, 3, 0.7123);
        HarnessRow back = HarnessRow.parse(r.toCsv());
        assertEquals(r.key(), back.key());
        assertEquals(0.7123, back.c2st(), 1e-9);
        assertEquals(80, back.epochs());
    }

    @Test
    void resumesFromAnEarlierFileAndRefusesADamagedOne(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve(ValidationHarness.RESULTS_CSV);
        Files.writeString(csv, HarnessRow.CSV_HEADER + "\n" + row("slcp", "mdn", 10000, 2, 0.9).toCsv() + "\n");
        Map<String, HarnessRow> done = ValidationHarness.readExisting(csv);
        assertEquals(1, done.size());
        assertTrue(done.containsKey("slcp/mdn/10000/2"));
        Files.writeString(csv, HarnessRow.CSV_HEADER + "\nslcp,mdn,10000\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ValidationHarness.readExisting(csv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(csv, "something,else\n");
        assertThrows(IllegalStateException.class, () -> ValidationHarness.readExisting(csv));
    }

    /**
     * A run killed mid-append leaves a line without its end; the next run drops it (even where the cut text still
     * parses, as a number cut short does), keeps the whole rows, and appends after them.
     */
    @Test
    void aRowCutOffByAKilledRunIsDroppedAndRunAgain(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve(ValidationHarness.RESULTS_CSV);
        String whole = HarnessRow.CSV_HEADER + "\n" + row("slcp", "mdn", 10000, 2, 0.9).toCsv() + "\n";
        String next = row("slcp", "mdn", 10000, 3, 0.8).toCsv();
        List<String> log = new java.util.ArrayList<>();
        for (String cut : new String[] {next.substring(0, 12), next.substring(0, next.length() - 1)}) {
            Files.writeString(csv, whole + cut);
            ValidationHarness.dropCutOffRow(csv, log::add);
            assertEquals(whole, Files.readString(csv));
            assertEquals(1, ValidationHarness.readExisting(csv).size());
        }
        assertEquals(2, log.size());
        assertTrue(log.get(0).contains("runs again"), log.get(0));
        // whole files, a foreign file and one without even its header line are left alone
        ValidationHarness.dropCutOffRow(csv, log::add);
        Files.writeString(csv, "task,estim");
        ValidationHarness.dropCutOffRow(csv, log::add);
        assertEquals("task,estim", Files.readString(csv));
        assertEquals(2, log.size());
    }

    @Test
    void markdownSummarisesPerTaskAndBudgetBesideThePublishedRows() {
        List<HarnessRow> rows = List.of(row("two_moons", "maf", 1000, 1, 0.70), row("two_moons", "maf", 1000, 2, 0.80),
                row("two_moons", "mdn", 1000, 1, 0.75), row("two_moons", "mdn", 1000, 2, 0.75));
        String md = ResultsReport.markdown(rows, "bin/jsbi validate");
        assertTrue(md.contains("| two_moons | 1,000 | 0.750 ± 0.071 (2) | 0.750 ± 0.000 (2) | 0.872 | 0.725 |"), md);
        assertTrue(md.contains("bin/jsbi validate"), md);
    }

    /**
     * A folder's rows share one patience: a resume with another is refused before anything is trained, the
     * setting is recorded beside the CSV when it is not sbi's, and rows without a record count as sbi's 20.
     */
    @Test
    void aFolderKeepsOnePatience(@TempDir Path dir) throws Exception {
        HarnessConfig sbi = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1), 10_000,
                100, 1, dir);
        HarnessConfig longer = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1), 10_000,
                100, 1, dir, 100);
        assertEquals(20, sbi.stopAfterEpochs());
        Path settings = dir.resolve(ValidationHarness.SETTINGS_FILE);
        ValidationHarness.checkSameSettings(longer, true);
        assertTrue(Files.readString(settings).contains("stop_after_epochs=100"));
        ValidationHarness.checkSameSettings(longer, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ValidationHarness.checkSameSettings(sbi, false));
        assertTrue(e.getMessage().contains("were made with --stop-after-epochs 100, not 20"), e.getMessage());
        // No record and rows present: the rows were made with the default.
        Files.delete(settings);
        ValidationHarness.checkSameSettings(sbi, false);
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameSettings(longer, false));
        assertTrue(e.getMessage().contains("were made with --stop-after-epochs 20, not 100"), e.getMessage());
        assertTrue(!Files.exists(settings));
        Files.writeString(settings, "stop_after_epochs=many\n");
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameSettings(longer, false));
        assertTrue(e.getMessage().contains("no valid stop_after_epochs"), e.getMessage());
    }

    /**
     * The seed and the posterior samples are a folder's too: a rerun with another is refused (it would skip the rows
     * made with the old values and label the table with the new command), and both are recorded when not the defaults.
     */
    @Test
    void aFolderKeepsOneSeedAndOneSampleCount(@TempDir Path dir) throws Exception {
        HarnessConfig defaults = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1),
                HarnessConfig.DEFAULT_POSTERIOR_SAMPLES, 100, HarnessConfig.DEFAULT_SEED, dir);
        HarnessConfig seed2 = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1),
                HarnessConfig.DEFAULT_POSTERIOR_SAMPLES, 100, 2, dir);
        HarnessConfig fewer = new HarnessConfig(List.of("two_moons"), List.of("mdn"), List.of(1000), List.of(1), 500,
                100, HarnessConfig.DEFAULT_SEED, dir);
        Path settings = dir.resolve(ValidationHarness.SETTINGS_FILE);

        // Rows without a record were made with the defaults.
        ValidationHarness.checkSameSettings(defaults, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ValidationHarness.checkSameSettings(seed2, false));
        assertTrue(e.getMessage().contains("were made with --seed 1, not 2; use --seed 1 to resume them, or another"
                + " --out"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameSettings(fewer, false));
        assertTrue(e.getMessage().contains("were made with --samples 10000, not 500"), e.getMessage());

        // A new folder records what is not the default, and holds its later runs to it.
        ValidationHarness.checkSameSettings(seed2, true);
        assertTrue(Files.readString(settings).contains("seed=2"), Files.readString(settings));
        ValidationHarness.checkSameSettings(seed2, false);
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameSettings(defaults, false));
        assertTrue(e.getMessage().contains("were made with --seed 2, not 1"), e.getMessage());
        ValidationHarness.checkSameSettings(fewer, true);
        assertTrue(Files.readString(settings).contains("posterior_samples=500"), Files.readString(settings));
        e = assertThrows(IllegalStateException.class, () -> ValidationHarness.checkSameSettings(seed2, false));
        assertTrue(e.getMessage().contains("--seed 1, not 2"), e.getMessage());
    }

    /** A reference folder holding two_moons observation 1 only (its files' existence is all the checks read). */
    private static ReferenceData twoMoonsObservation1(Path root) throws IOException {
        Path obs = Files.createDirectories(root.resolve("two_moons").resolve("obs1"));
        Files.writeString(obs.resolve("observation.csv"), "x0,x1\n0,0\n");
        Files.writeString(obs.resolve("reference_posterior_samples.csv"), "t0,t1\n0,0\n");
        return ReferenceData.at(root);
    }

    /**
     * Every task is resolved before anything is made: an unknown name, a benchmark task without reference posteriors,
     * or missing reference files, anywhere in the list, fail at once and leave no output folder behind.
     */
    @Test
    void unknownTasksFailBeforeAnythingIsCreated(@TempDir Path dir) throws Exception {
        ReferenceData reference = twoMoonsObservation1(dir.resolve("reference"));
        Path out = dir.resolve("out");
        for (String[] c : new String[][] {{"nope", "1", "unknown benchmark task 'nope'"},
            {"slcp_distractors", "1", "no reference task named 'slcp_distractors'"},
            {"slcp", "1", "no folder for task slcp"},
            {"two_moons", "2", "lack " + dir.resolve("reference").resolve("two_moons").resolve("obs2")
                    .resolve("observation.csv").toAbsolutePath()}}) {
            HarnessConfig cfg = new HarnessConfig(List.of("two_moons", c[0]), List.of("maf"), List.of(1000),
                    List.of(1, Integer.parseInt(c[1])), 1000, 100, 1, out);
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> ValidationHarness.run(cfg, reference, line -> { }));
            assertTrue(e.getMessage().contains(c[2]), c[0] + ": " + e.getMessage());
            assertTrue(!Files.exists(out), c[0] + ": the output folder was created");
        }
    }

    /**
     * Ctrl-C reaches the harness as an interrupt of its thread (jsbi validate's shutdown hook): the training in
     * progress stops, leaves no row (its posterior would be scored as if trained to the end) and the run returns at
     * once, saying where it stopped, with the rows finished before it and the interrupt still set. The cell that
     * trains here has a patience of a million epochs, so only the interrupt ends it; before, the interrupted
     * training's sampling threw the interrupt out of the harness as an error.
     */
    @Test
    void anInterruptStopsTheTrainingInProgressAndKeepsTheFinishedRows(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve(ValidationHarness.RESULTS_CSV);
        HarnessRow finished = row("two_moons", "maf", 300, 1, 0.7);
        String before = HarnessRow.CSV_HEADER + "\n" + finished.toCsv() + "\n";
        Files.writeString(csv, before);
        Files.writeString(dir.resolve(ValidationHarness.SETTINGS_FILE),
                "stop_after_epochs=1000000\nposterior_samples=100\n");
        HarnessConfig cfg = new HarnessConfig(List.of("two_moons"), List.of("maf", "mdn"), List.of(300), List.of(1),
                100, 10, HarnessConfig.DEFAULT_SEED, dir, 1_000_000);
        CountDownLatch training = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                result.set(ValidationHarness.run(cfg, ReferenceData.locate(), line -> {
                    if (line.startsWith("two_moons mdn 300: simulating and training")) training.countDown();
                }));
            } catch (RuntimeException e) {
                result.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
            training.countDown();
        });
        worker.start();
        assertTrue(training.await(60, TimeUnit.SECONDS) && result.get() == null, "the mdn cell never began: "
                + result.get());
        Thread.sleep(200);   // into the training: 300 simulations of two_moons take a millisecond
        worker.interrupt();
        worker.join(60_000);
        assertTrue(!worker.isAlive(), "the run did not stop");
        ValidationHarness.Outcome outcome = assertInstanceOf(ValidationHarness.Outcome.class, result.get());
        assertTrue(!outcome.complete());
        assertTrue(outcome.interruption().matches("in the (training|simulations or the first training epoch) of"
                + " two_moons mdn 300.*"), outcome.interruption());
        assertEquals(List.of(finished.toCsv()), outcome.rows().stream().map(HarnessRow::toCsv).toList());
        assertEquals(0, outcome.added());
        assertEquals(before, Files.readString(csv), "no row of the interrupted training");
        assertTrue(stillInterrupted.get(), "the interrupt is left set for the caller");
    }

    @Test
    void repeatedEntriesCountOnceInFirstSeenOrder(@TempDir Path dir) throws IOException {
        HarnessConfig cfg = new HarnessConfig(List.of("slcp", "two_moons", "slcp"), List.of("mdn", "maf", "mdn"),
                List.of(1000, 100, 1000), List.of(3, 1, 3, 3), 1000, 100, 1, dir);
        assertEquals(List.of("slcp", "two_moons"), cfg.tasks());
        assertEquals(List.of("mdn", "maf"), cfg.estimators());
        assertEquals(List.of(1000, 100), cfg.budgets());
        assertEquals(List.of(3, 1), cfg.observations());
        // Two spellings of one task resolve to it once.
        List<ValidationHarness.Task> tasks = ValidationHarness.resolveTasks(new HarnessConfig(List.of("two_moons",
                "Two-Moons"), List.of("maf"), List.of(1000), List.of(1), 1000, 100, 1, dir),
                twoMoonsObservation1(dir.resolve("reference")));
        assertEquals(1, tasks.size());
    }

    @Test
    void configRefusesNonsense(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of("two_moons"), List.of("nsf"),
                List.of(1000), List.of(1), 1000, 100, 1, dir));
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of("two_moons"), List.of("maf"),
                List.of(1000), List.of(11), 1000, 100, 1, dir));
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of(), List.of("maf"),
                List.of(1000), List.of(1), 1000, 100, 1, dir));
        assertThrows(IllegalArgumentException.class, () -> new HarnessConfig(List.of("two_moons"), List.of("maf"),
                List.of(1000), List.of(1), 1000, 100, 1, dir, 0));
    }
}
