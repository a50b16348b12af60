package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jsbi.cli.PyloricCommandTest.Run;
import org.junit.jupiter.api.Test;

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

    @Test
    void calibrationOptionsAreChecked() {
        String[][] cases = {
            {"--sbc must be >= 0, got -1", "npe", "--sbc", "-1"},
            {"--sbc-samples must be at least 1, got 0", "npe", "--sbc", "10", "--sbc-samples", "0"},
            {"Use --rounds 1 with --sbc", "npe", "--sbc", "10", "--rounds", "2"},
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
    void theCalibrationCheckPrintsRanksAndCoverage() {
        String out = succeeds("npe", "--task", "two_moons", "--simulations", "1000", "--samples", "1000",
                "--max-epochs", "20", "--sbc", "40", "--sbc-samples", "100");
        assertTrue(out.contains("simulation-based calibration: 40 test simulations from the prior, 100 posterior"
                + " samples each"), out);
        assertTrue(out.contains("KS p-value against uniform: θ1 "), out);
        assertTrue(out.contains("expected coverage of the highest-density regions: 50% -> "), out);
    }

    /** Runs jsbi in process, requires exit code 0, and returns what it printed to System.out (npe prints there). */
    private static String succeeds(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Run r;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            r = PyloricCommandTest.jsbi(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.code(), r + "\n" + out);
        return out;
    }
}
