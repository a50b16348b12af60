package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.cli.PyloricCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jsbi npe}: the sequential option's checks, and a small two-round run on two_moons. */
class NpeCommandTest {

    @Test
    void roundsOutsideOneToTheBudgetAreRefusedWithAMessage() {
        for (String rounds : new String[] {"0", "2001"}) {
            Run r = PyloricCommandTest.jsbi("npe", "--simulations", "2000", "--rounds", rounds);
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("--rounds must be between 1 and --simulations (2000), got " + rounds),
                    r.toString());
        }
    }

    /** Two rounds of 500 simulations: the second is drawn from the truncated prior, and the run ends with C2ST. */
    @Test
    void twoRoundsOnTwoMoonsReportEachRoundAndScoreThePosterior() {
        String out = succeeds("npe", "--task", "two_moons", "--simulations", "1000", "--rounds", "2", "--samples",
                "2000", "--max-epochs", "30");
        assertTrue(out.contains("round 0: 500 simulations from the prior"), out);
        assertTrue(out.contains("round 1: 500 simulations from the prior truncated to log q >="), out);
        assertTrue(out.contains("on 1,000 rows"), out);
        assertTrue(out.contains("C2ST against the reference posterior"), out);
    }

    /**
     * A mistake found past option parsing (by the command or the library) is one line naming the command and the
     * problem, with exit code 2 as for an option error, not a Java stack trace.
     */
    @Test
    void badInputFoundByTheLibraryIsOneLineNotAStackTrace() {
        String[][] cases = {
            {"jsbi npe: --estimator must be maf or mdn, got 'foo'", "npe", "--estimator", "foo"},
            {"jsbi npe: observation number must be 1..10, got 11", "npe", "--observation", "11"},
            {"--simulations must be at least 1, got 0", "npe", "--simulations", "0"},
            {"--stop-after-epochs must be at least 1, got 0", "npe", "--stop-after-epochs", "0"},
        };
        for (String[] c : cases) {
            Run r = PyloricCommandTest.jsbi(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
            assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
        }
    }

    /**
     * Options that failed only after the simulations and the training (--samples 0: an index error's stack trace;
     * --simulations 50: advice to lower a batch size npe has no option for) are refused before any work, with advice
     * the user can follow. Small budgets keep the test short should a check come late again.
     */
    @Test
    void samplesEpochsAndTooSmallBudgetsAreRefusedBeforeAnyWork() {
        String[][] cases = {
            {"--samples must be at least 5, got 0: the C2ST trains a classifier on each of 5 folds", "--samples", "0"},
            {"--samples must be at least 5, got -1", "--samples", "-1"},
            {"--samples must be at least 5, got 1", "--samples", "1"},
            {"--max-epochs must be at least 1, got 0", "--max-epochs", "0"},
            {"--simulations 50 is too few to train on: after holding out 10% for validation, one training batch of"
                    + " 200 needs 222 simulations; use --simulations 222 or more", "--simulations", "50"},
            {"--simulations 300 over 2 rounds (150 in the first) is too few to train on", "--simulations", "300",
                    "--rounds", "2"},
            {"use --simulations 444 or more, or fewer --rounds", "--simulations", "300", "--rounds", "2"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("npe"));
            args.addAll(List.of(c).subList(1, c.length));
            // Small settings where the case leaves them free, so a check that comes late again fails quickly.
            if (!args.contains("--simulations")) args.addAll(List.of("--simulations", "300"));
            if (!args.contains("--max-epochs")) args.addAll(List.of("--max-epochs", "1"));
            Printed p = printed(args.toArray(String[]::new));
            Run r = p.run();
            assertEquals(2, r.code(), args + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
            assertFalse(r.err().contains("\tat ") || r.err().contains("batch size"), "no trace, no batch size:\n" + r);
            assertFalse(p.out().contains("simulated"), "before any simulation:\n" + p.out());
        }
    }

    /** The budget check's boundary is the trainer's: 222 simulations fill one batch of 200 after the hold-out. */
    @Test
    void theSmallestBudgetTheCheckAllowsTrains() {
        String out = succeeds("npe", "--simulations", "222", "--max-epochs", "1", "--samples", "5");
        assertTrue(out.contains("trained 1 epoch in "), out);
    }

    /**
     * --out is checked before any simulation (a folder, a folder that cannot be made, here below a regular file), so
     * a mistake there no longer costs the run; a good one is written through a temporary file renamed into place.
     */
    @Test
    void outIsCheckedBeforeAnyWorkAndWrittenWhole(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        String[][] cases = {
            {"names a folder; give a file in it, e.g. --out " + tmp.resolve("posterior.csv"), tmp.toString()},
            {"names a folder", tmp.resolve("new") + "/"},
            {"cannot write a file in " + file + " (", file.resolve("post.csv").toString()},
        };
        for (String[] c : cases) {
            Printed p = printed("npe", "--simulations", "300", "--max-epochs", "1", "--samples", "5",
                        "--out", c[1]);
            Run r = p.run();
            assertEquals(2, r.code(), c[1] + "\n" + r);
            assertTrue(r.err().contains("--out " + c[1]) && r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
            assertFalse(p.out().contains("simulated"), "before any simulation:\n" + p.out());
        }
        assertFalse(Files.exists(tmp.resolve("new")), "a file name ending in / is refused, not written as a file");

        Path csv = tmp.resolve("sub/dir/post.csv");
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, "an earlier run's samples\n");
        String out = succeeds("npe", "--simulations", "300", "--max-epochs", "1", "--samples", "40", "--out",
                csv.toString());
        assertTrue(out.contains("posterior samples written to " + csv), out);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("theta_1,theta_2", lines.get(0));
        assertEquals(41, lines.size());
        try (var left = Files.list(csv.getParent())) {
            assertEquals(List.of(csv), left.toList(), "no temporary file left beside it");
        }
    }

    /** --save-posterior writes the trained posterior, which loads back to the same samples; a folder is refused early. */
    @Test
    void savePosteriorWritesAPosteriorThatLoadsBack(@TempDir Path tmp) throws IOException {
        Printed p = printed("npe", "--simulations", "300", "--max-epochs", "1", "--samples", "5", "--save-posterior",
                tmp.toString());
        Run r = p.run();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--save-posterior " + tmp + " names a folder; give a file in it, e.g."
                + " --save-posterior " + tmp.resolve("posterior.jsbi")), r.toString());
        assertFalse(p.out().contains("simulated"), "before any simulation:\n" + p.out());

        Path file = tmp.resolve("two_moons.jsbi");
        Path png = tmp.resolve("pairs.png");
        String out = succeeds("npe", "--simulations", "300", "--max-epochs", "1", "--samples", "40", "--seed", "5",
                "--save-posterior", file.toString(), "--plot", png.toString());
        assertTrue(out.contains("posterior saved to " + file), out);
        assertTrue(out.contains("pair plot written to " + png + " (the true θ marked in red)"), out);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * 180, image.getWidth());
        assertEquals(2 * 180, image.getHeight());
        org.jsbi.posterior.DirectPosterior post = org.jsbi.posterior.DirectPosterior.load(file,
                org.jsbi.backend.Backends.current());
        assertEquals(2, post.thetaDim());
        assertEquals(40, post.sample(40, new float[] {0.1f, 0.2f}, 5).length);
    }

    /**
     * Ctrl-C or SIGTERM reaches npe as an interrupt of its thread (a shutdown hook; the real signal is
     * {@link NpeSignalTest}'s): the training stops with its best weights, --save-posterior writes them, and the run
     * ends with a line saying so and exit code 130. It used to go on to sampling, which stopped on the same interrupt
     * with exit code 1; and without the hook the signal ended the JVM at once, the training lost.
     */
    @Test
    void anInterruptedTrainingSavesItsPosteriorAndExits130(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("interrupted.jsbi");
        // Patience and epochs far beyond the test: only the interrupt ends this training.
        Printed p = interruptedOnceItPrints("epoch    1 ", "npe", "--simulations", "300", "--max-epochs", "1000000",
                "--stop-after-epochs", "1000000", "--samples", "5", "--save-posterior", file.toString());
        String out = p.out();
        assertEquals(NpeCommand.EXIT_INTERRUPTED, p.run().code(), p.run() + "\n" + out);
        assertTrue(out.contains("(interrupted); best validation loss"), out);
        assertTrue(out.contains("interrupted: stopped before sampling; the posterior trained so far is in " + file), out);
        assertFalse(out.contains("sampled"), out);
        assertEquals(2, org.jsbi.posterior.DirectPosterior.load(file, org.jsbi.backend.Backends.current()).thetaDim());
    }

    /**
     * Ctrl-C once the samples are drawn and written: the C2ST (seconds at 10,000 samples) and the predictive check are
     * skipped, the run says so and where the samples and the posterior are, and exits with 130. The C2ST used to
     * ignore the interrupt, and the run went on to the end before it exited.
     */
    @Test
    void anInterruptAfterSamplingSkipsTheC2stAndKeepsTheFiles(@TempDir Path tmp) throws Exception {
        Path samples = tmp.resolve("samples.csv"), posterior = tmp.resolve("posterior.jsbi");
        // Twenty epochs: a posterior trained for one accepts 4% of its draws, and sampling took seconds.
        Printed p = interruptedOnceItPrints("posterior samples written to", "npe", "--simulations", "1000",
                "--max-epochs", "20", "--samples", "10000", "--out", samples.toString(), "--save-posterior",
                posterior.toString());
        String out = p.out();
        assertEquals(NpeCommand.EXIT_INTERRUPTED, p.run().code(), p.run() + "\n" + out);
        assertTrue(out.contains("interrupted after sampling: skipped the C2ST and the predictive check; the samples"
                + " are in " + samples + "; the posterior is in " + posterior), out);
        assertFalse(out.contains("C2ST against the reference posterior"), out);
        assertFalse(out.contains("posterior predictive:"), out);
        assertEquals(10_001, Files.readAllLines(samples).size());
        assertEquals(2, org.jsbi.posterior.DirectPosterior.load(posterior, org.jsbi.backend.Backends.current())
                .thetaDim());
    }

    /**
     * Ctrl-C as the calibration check begins: it stops before its first test and the run exits 130 saying so; it
     * used to end as bad input (exit 2, "the check was interrupted before its first test").
     */
    @Test
    void anInterruptAsTheCalibrationBeginsExits130(@TempDir Path tmp) throws Exception {
        Path samples = tmp.resolve("samples.csv");
        // 100,000 samples a test: the first takes long enough for the interrupt to come before it ends.
        Printed p = interruptedOnceItPrints("calibration: simulating", "npe", "--simulations", "1000", "--max-epochs",
                "5", "--samples", "200", "--sbc", "200", "--sbc-samples", "100000", "--out", samples.toString());
        String out = p.out();
        assertEquals(NpeCommand.EXIT_INTERRUPTED, p.run().code(), p.run() + "\n" + out);
        assertFalse(out.contains("before the first training epoch"), out);
        assertTrue(out.contains("interrupted in the calibration check before its first test: no calibration to report;"
                + " the samples are in " + samples) || out.contains("simulation-based calibration: "), out);
    }

    /**
     * Runs jsbi in process on a thread of its own and interrupts that thread once its output holds {@code printed},
     * as npe's shutdown hook does on Ctrl-C or SIGTERM; fails if the run has not ended two minutes later.
     */
    static Printed interruptedOnceItPrints(String printed, String... args) throws InterruptedException {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicReference<Run> run = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            Thread worker = new Thread(() -> run.set(PyloricCommandTest.jsbi(args)));
            worker.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!buf.toString(StandardCharsets.UTF_8).contains(printed) && worker.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            worker.interrupt();
            worker.join(120_000);
            assertFalse(worker.isAlive(), "the run did not stop:\n" + buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
        return new Printed(run.get(), buf.toString(StandardCharsets.UTF_8));
    }

    /**
     * The C2ST compares as many posterior as reference samples, as sbibm does: 40 draws against all 10,000 reference
     * samples scored about 0.996 however good the posterior, the share of the larger set.
     */
    @Test
    void c2stComparesAsManySamplesOfEach() {
        String out = succeeds("npe", "--simulations", "300", "--max-epochs", "1", "--samples", "40");
        assertTrue(out.contains("(0.5 = indistinguishable; 40 samples of each; "), out);
    }

    @Test
    void calibrationOptionsAreChecked() {
        String[][] cases = {
            {"--sbc must be >= 0, got -1", "npe", "--sbc", "-1"},
            {"--sbc-samples must be at least 1, got 0", "npe", "--sbc", "10", "--sbc-samples", "0"},
            {"Use --rounds 1 with --sbc", "npe", "--sbc", "10", "--rounds", "2"},
            {"--sbc-plot draws the calibration check; give --sbc N", "npe", "--sbc-plot", "sbc.png"},
            {"--save-posterior and --sbc-plot are the same file", "npe", "--sbc", "10", "--save-posterior",
                "/tmp/jsbi-same.png", "--sbc-plot", "/tmp/jsbi-same.png"},
        };
        for (String[] c : cases) {
            Run r = PyloricCommandTest.jsbi(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + "\n" + r);
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "':\n" + r);
        }
    }

    /** The patience reaches the trainer, and the summary says why training stopped and which epoch was kept. */
    @Test
    void stopAfterEpochsSetsThePatienceAndTheSummarySaysWhyTrainingStopped() {
        String out = succeeds("npe", "--task", "two_moons", "--estimator", "mdn", "--simulations", "1000",
                "--samples", "1000", "--stop-after-epochs", "2", "--max-epochs", "300");
        assertTrue(out.matches("(?s).*trained \\d+ epochs in [0-9.]+ s \\(no improvement for 2 epochs\\); best"
                + " validation loss -?[0-9.]+ at epoch \\d+.*"), out);
        out = succeeds("npe", "--task", "two_moons", "--estimator", "mdn", "--simulations", "1000",
                "--samples", "1000", "--max-epochs", "3");
        assertTrue(out.contains("trained 3 epochs in "), out);
        assertTrue(out.contains("(--max-epochs reached)"), out);
    }

    /** A short amortized run with the calibration check: its lines are printed after the C2ST. */
    @Test
    void theCalibrationCheckPrintsRanksAndCoverage(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("sbc.png");
        String out = succeeds("npe", "--task", "two_moons", "--simulations", "1000", "--samples", "1000",
                "--max-epochs", "20", "--sbc", "40", "--sbc-samples", "100", "--sbc-plot", png.toString());
        assertTrue(out.contains("calibration drawn to " + png), out);
        assertEquals(3 * 250, javax.imageio.ImageIO.read(png.toFile()).getWidth(), "two rank panels and the coverage");
        assertTrue(out.contains("simulation-based calibration: 40 test simulations from the prior, 100 posterior"
                + " samples each"), out);
        assertTrue(out.contains("KS p-value against uniform: θ1 "), out);
        assertTrue(out.contains("expected coverage of the highest-density regions: 50% -> "), out);
    }

    /** Runs jsbi in process, requires exit code 0, and returns what it printed to System.out (npe prints there). */
    private static String succeeds(String... args) {
        Printed p = printed(args);
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        return p.out();
    }

    /** A run and what it printed to System.out (npe's report and bench's tables go there). */
    record Printed(Run run, String out) {
    }

    static Printed printed(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Run r;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            r = PyloricCommandTest.jsbi(args);
        } finally {
            System.setOut(old);
        }
        return new Printed(r, buf.toString(StandardCharsets.UTF_8));
    }
}
