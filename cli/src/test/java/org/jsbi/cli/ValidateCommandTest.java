package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.jsbi.cli.PyloricCommandTest.Run;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ValidationHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi validate}: parsing of --observations, the checks a run makes before it trains anything, and Ctrl-C. The
 * runs here train nothing (their rows are already in results.csv, or they are refused) but the one that is
 * interrupted in its first moments of training.
 */
class ValidateCommandTest {

    /** results.csv's header, as HarnessRow writes it. */
    private static final String HEADER = "task,estimator,budget,observation,c2st,ppc_median_distance,"
            + "prior_predictive_median_distance,acceptance_rate,excluded_non_finite,epochs,simulation_s,training_s,"
            + "sampling_s,c2st_s";

    @TempDir
    Path tmp;

    private String referenceBefore;

    /** A reference folder with two_moons observation 1 (only the files' existence is read by these runs). */
    @BeforeEach
    void fakeReference() throws IOException {
        Path obs = Files.createDirectories(tmp.resolve("reference").resolve("two_moons").resolve("obs1"));
        Files.writeString(obs.resolve("observation.csv"), "x0,x1\n0,0\n");
        Files.writeString(obs.resolve("reference_posterior_samples.csv"), "t0,t1\n0,0\n");
        referenceBefore = System.getProperty(ReferenceData.DIR_PROPERTY);
        System.setProperty(ReferenceData.DIR_PROPERTY, tmp.resolve("reference").toString());
    }

    @AfterEach
    void restoreReference() {
        if (referenceBefore == null) System.clearProperty(ReferenceData.DIR_PROPERTY);
        else System.setProperty(ReferenceData.DIR_PROPERTY, referenceBefore);
    }

    /** An output folder holding one finished row: two_moons, MAF, 1,000 simulations, observation 1. */
    private Path folderWithOneRow() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve(ValidationHarness.RESULTS_CSV), HEADER + "\n"
                + "two_moons,maf,1000,1,0.7000,0.12,1.5,0.99,0,80,0.5,12.0,0.3,4.0\n");
        return out;
    }

    private static Run validate(Path out, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "validate";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        return PyloricCommandTest.jsbi(all);
    }

    @Test
    void observationsAreReadWithoutRepeats() {
        assertEquals(List.of(1), ValidateCommand.parseRange("1,1,1"));
        assertEquals(IntStream.rangeClosed(1, 10).boxed().toList(), ValidateCommand.parseRange("1-10,1"));
        assertEquals(List.of(3, 1, 2, 4), ValidateCommand.parseRange("3, 1-3 ,4,2"));
    }

    @Test
    void aRangeIsCheckedBeforeItIsExpanded() {
        // Expanding this one first grew a list until memory ran out.
        IllegalArgumentException huge = assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThrows(IllegalArgumentException.class, () -> ValidateCommand.parseRange("1-2147483647")));
        assertTrue(huge.getMessage().contains("'1-2147483647' names observation 2147483647, which does not exist;"
                + " each task has observations 1-10"), huge.getMessage());
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> ValidateCommand.parseRange("5-3"));
        assertTrue(reversed.getMessage().contains("the range '5-3' is reversed; write it low-high, e.g. 3-5"),
                reversed.getMessage());
        for (String[] c : new String[][] {{"0-3", "names observation 0"}, {"11", "names observation 11"},
            {"-2", "names observation -2"}, {"1-x", "cannot read '1-x'"}, {"", "cannot read ''"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ValidateCommand.parseRange(c[0]));
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void anUnknownTaskIsRefusedBeforeAnythingIsCreated() {
        Path out = tmp.resolve("never");
        Run r = validate(out, "--tasks", "two_moons,nope", "--estimators", "maf", "--budgets", "1000",
                "--observations", "1");
        assertEquals(ErrorReport.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("unknown benchmark task 'nope'"), r.toString());
        assertFalse(Files.exists(out), "the output folder was created for a run that cannot start");
    }

    /** --report-only on a results.csv without rows removes an earlier run's figure, which is not this table's. */
    @Test
    void aReportOfNoRowsLeavesNoOldFigure() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(out.resolve(ValidationHarness.RESULTS_CSV), HEADER + "\n");
        Files.writeString(out.resolve(ValidateCommand.PLOT_FILE), "an earlier run's figure");
        Run r = PyloricCommandTest.jsbi("validate", "--report-only", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertFalse(Files.exists(out.resolve(ValidateCommand.PLOT_FILE)));
        assertTrue(Files.exists(out.resolve(ValidateCommand.TABLE_FILE)));
    }

    /** A repeated observation is scored and counted once: the table's n is 1, not 3. */
    @Test
    void aRepeatedObservationCountsOnce() throws IOException {
        Path out = folderWithOneRow();
        Run r = validate(out, "--tasks", "two_moons", "--estimators", "maf", "--budgets", "1000", "--observations",
                "1,1,1");
        assertEquals(0, r.code(), r.toString());
        String table = Files.readString(out.resolve(ValidateCommand.TABLE_FILE));
        assertTrue(table.contains("| two_moons | 1,000 | 0.700 ± "), table);
        assertTrue(table.contains(" (1) |") && !table.contains("(3)"), table);
        // The table drawn beside it: one task, one panel of 300 pixels under the legend.
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve(ValidateCommand.PLOT_FILE).toFile());
        assertEquals(300, png.getWidth());
    }

    /**
     * Ctrl-C reaches validate as an interrupt of its thread (its shutdown hook; the real signal is
     * {@link ValidateSignalTest}'s): the training in progress stops and leaves no row, the finished rows stay and the
     * table is written from them, and the run says where it stopped and which command resumes it, with exit code 130.
     * Here the MDN's patience is a million epochs, so only the interrupt ends its training; before, validate ended with
     * an error when its thread was interrupted, and a signal ended the JVM at once.
     */
    @Test
    void anInterruptStopsTheTrainingKeepsTheFinishedRowsAndExits130() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path csv = out.resolve(ValidationHarness.RESULTS_CSV);
        String before = HEADER + "\n" + "two_moons,maf,300,1,0.7000,0.12,1.5,0.99,0,80,0.5,12.0,0.3,4.0\n";
        Files.writeString(csv, before);
        Files.writeString(out.resolve(ValidationHarness.SETTINGS_FILE), "stop_after_epochs=1000000\n");
        NpeCommandTest.Printed p = NpeCommandTest.interruptedOnceItPrints("two_moons mdn 300: simulating and training",
                "validate", "--tasks", "two_moons", "--estimators", "maf,mdn", "--budgets", "300", "--observations",
                "1", "--stop-after-epochs", "1000000", "--out", out.toString());
        String printed = p.out();
        assertEquals(ValidateCommand.EXIT_INTERRUPTED, p.run().code(), p.run() + "\n" + printed);
        assertTrue(printed.matches("(?s).*interrupted in the (training|simulations or the first training epoch) of"
                + " two_moons mdn 300.*"), printed);
        assertTrue(printed.contains(csv + " holds this grid's finished rows (1, of which 0 added by this run)"),
                printed);
        assertTrue(printed.contains("the same command resumes where it stopped:\nbin/jsbi validate --tasks two_moons"
                + " --estimators maf,mdn --budgets 300 --observations 1 --samples 10000 --seed 1 --stop-after-epochs"
                + " 1000000 --out " + out), printed);
        assertEquals(before, Files.readString(csv), "no row of the interrupted training");
        String table = Files.readString(out.resolve(ValidateCommand.TABLE_FILE));
        assertTrue(table.contains("| two_moons | 300 | 0.700 ± 0.000 (1) | – |"), table);
    }

    /**
     * A rerun into the same folder with another --seed or --samples is refused, and the table is not relabelled:
     * it would reuse the rows made with the old values under the new command.
     */
    @Test
    void aRerunWithAnotherSeedOrSampleCountIsRefused() throws IOException {
        Path out = folderWithOneRow();
        String[] same = {"--tasks", "two_moons", "--estimators", "maf", "--budgets", "1000", "--observations", "1"};
        Run ok = validate(out, same);
        assertEquals(0, ok.code(), ok.toString());
        String table = Files.readString(out.resolve(ValidateCommand.TABLE_FILE));

        Run seed = validate(out, "--tasks", "two_moons", "--estimators", "maf", "--budgets", "1000", "--observations",
                "1", "--seed", "2");
        assertEquals(ErrorReport.FAILED, seed.code(), seed.toString());
        assertTrue(seed.err().contains("were made with --seed 1, not 2; use --seed 1 to resume them, or another --out"),
                seed.toString());
        Run samples = validate(out, "--tasks", "two_moons", "--estimators", "maf", "--budgets", "1000",
                "--observations", "1", "--samples", "500");
        assertEquals(ErrorReport.FAILED, samples.code(), samples.toString());
        assertTrue(samples.err().contains("were made with --samples 10000, not 500"), samples.toString());
        assertEquals(table, Files.readString(out.resolve(ValidateCommand.TABLE_FILE)), "the table was rewritten");
    }
}
