package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.diagnostics.Sbc;
import org.jsbi.flow.MafConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibration of a pyloric posterior on synthetic stores (the cheap stand-in simulator of PyloricInferenceTest). */
class PyloricCalibrationTest {

    @TempDir
    Path tmp;

    @Test
    void ranksHeldOutTriphasicNetworksAndRefusesTrainingStoresAndSequentialPosteriors() throws IOException {
        Path train = PyloricInferenceTest.syntheticStore(tmp.resolve("train"), 1200, 3);
        Path out = tmp.resolve("post");
        PyloricInference.run(PyloricInferenceTest.small(List.of(train), out), new PrintWriter(new StringWriter(), true));
        Path test = PyloricInferenceTest.syntheticStore(tmp.resolve("test"), 300, 9);

        StringWriter log = new StringWriter();
        PyloricCalibration.Result r = PyloricCalibration.run(new PyloricCalibration.Settings(out, List.of(test), 12, 20,
                1), new PrintWriter(log, true));
        assertTrue(r.available() > 100 && r.available() < 200, "about half of 300 synthetic rows: " + r.available());
        assertEquals(12, r.report().result().tests() + r.report().result().skipped());
        assertEquals(31, r.report().result().dim());
        assertEquals(20, r.report().result().samples());
        String md = Files.readString(out.resolve(PyloricCalibration.SUMMARY_FILE));
        assertEquals(r.summary(), md);
        for (String s : new String[] {"| coverage | ", "| AB/PD_Na | ", "| syn_PY-LP | ", "parameters have rank p"}) {
            assertTrue(md.contains(s), "summary lacks '" + s + "':\n" + md);
        }
        assertTrue(log.toString().contains("12 test networks (of " + r.available() + " triphasic"), log.toString());

        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> PyloricCalibration.run(
                new PyloricCalibration.Settings(out, List.of(train), 10, 10, 1), new PrintWriter(new StringWriter())));
        assertTrue(same.getMessage().contains("seed 3, a seed of the posterior's own training stores"),
                same.getMessage());

        // A posterior trained on a truncated round is not amortized over the prior.
        String summary = Files.readString(out.resolve("summary.md"));
        Files.writeString(out.resolve("summary.md"), summary + "\n- /x/round2: seed 5, simulator revision 3, 10 of 10"
                + " networks, 5 triphasic (50.00%), truncated prior\n");
        IllegalArgumentException seq = assertThrows(IllegalArgumentException.class, () -> PyloricCalibration.run(
                new PyloricCalibration.Settings(out, List.of(test), 10, 10, 1), new PrintWriter(new StringWriter())));
        assertTrue(seq.getMessage().contains("not amortized over the prior's networks"), seq.getMessage());

        Files.delete(out.resolve("summary.md"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> PyloricCalibration.run(
                new PyloricCalibration.Settings(out, List.of(test), 10, 10, 1), new PrintWriter(new StringWriter())));
        assertTrue(none.getMessage().contains("its summary names the training stores"), none.getMessage());
    }

    /**
     * A check cut short by Ctrl-C writes its report as calibration.partial.md and leaves a complete calibration.md as
     * it was; a complete one removes the partial report. (The partial report is the complete run's, written as if 20
     * tests had been asked for: an interrupt that lands between two tests cannot be timed from a test.)
     */
    @Test
    void anInterruptedCheckNeverReplacesACompleteReport() throws IOException {
        Path train = PyloricInferenceTest.syntheticStore(tmp.resolve("train"), 600, 3);
        Path out = tmp.resolve("post");
        PyloricInference.run(PyloricInferenceTest.small(List.of(train), out).withMaf(MafConfig.defaults()
                .withTransforms(2).withHiddenFeatures(32).withBlocks(1)), new PrintWriter(new StringWriter(), true));
        Path test = PyloricInferenceTest.syntheticStore(tmp.resolve("test"), 128, 9);
        PyloricCalibration.Settings settings = new PyloricCalibration.Settings(out, List.of(test), 12, 20, 1);
        PyloricCalibration.Result complete = PyloricCalibration.run(settings, new PrintWriter(new StringWriter(), true));
        assertTrue(complete.complete());
        assertEquals(out.resolve(PyloricCalibration.SUMMARY_FILE), complete.summaryFile());
        assertTrue(Files.size(out.resolve(PyloricCalibration.PLOT_FILE)) > 1000, "the calibration drawn");
        String md = Files.readString(out.resolve(PyloricCalibration.SUMMARY_FILE));

        StringWriter log = new StringWriter();
        PyloricCalibration.Result partial = PyloricCalibration.write(settings, complete.report(), 20,
                complete.available(), new PrintWriter(log, true));
        assertFalse(partial.complete());
        Path partialFile = out.resolve(PyloricCalibration.PARTIAL_SUMMARY_FILE);
        assertEquals(partialFile, partial.summaryFile());
        assertEquals(md, Files.readString(out.resolve(PyloricCalibration.SUMMARY_FILE)), "the complete report was replaced");
        assertTrue(Files.readString(partialFile).contains("**Interrupted** after 12 of 20 tests"),
                Files.readString(partialFile));
        assertTrue(log.toString().contains("interrupted after 12 of 20 tests; writing what was computed to " + partialFile
                + " (a complete calibration.md, if there, stays as it is"), log.toString());

        PyloricCalibration.write(settings, complete.report(), 12, complete.available(), new PrintWriter(log, true));
        assertFalse(Files.exists(partialFile), "a complete report removes the partial one");
    }

    /**
     * A new report replaces calibration.md by renaming a finished file onto it, never by rewriting it in place, where a
     * crash or a full disk midway would leave a truncated report: a hard link to the earlier file still sees it whole.
     */
    @Test
    void aNewReportReplacesTheEarlierOneAtomically() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("post"));
        PyloricCalibration.Settings settings = new PyloricCalibration.Settings(out, List.of(tmp.resolve("test")), 2, 4,
                1);
        int[][] ranks = {new int[31], new int[31]}, none = {new int[31], new int[31]};
        java.util.Arrays.fill(ranks[1], 4);
        Sbc.Result result = new Sbc.Result(ranks, none, new int[] {0, 4}, new int[2], 4, 0);
        PyloricCalibration.write(settings, new CalibrationCheck.Report(result, 0, 1.0), 2, 50,
                new PrintWriter(new StringWriter(), true));
        Path md = out.resolve(PyloricCalibration.SUMMARY_FILE);
        String before = Files.readString(md);
        Path link = Files.createLink(tmp.resolve("earlier.md"), md);

        PyloricCalibration.Result r = PyloricCalibration.write(settings, new CalibrationCheck.Report(result, 0, 1.0), 2,
                60, new PrintWriter(new StringWriter(), true));
        assertEquals(r.summary(), Files.readString(md));
        assertFalse(before.equals(r.summary()), "the new report differs (60 available, not 50)");
        assertEquals(before, Files.readString(link), "calibration.md was rewritten in place");
    }

    @Test
    void settingsAreChecked() {
        Path p = tmp.resolve("p");
        assertThrows(IllegalArgumentException.class, () -> new PyloricCalibration.Settings(p, List.of(), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PyloricCalibration.Settings(p, List.of(p), 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PyloricCalibration.Settings(p, List.of(p), 1, 0, 1));
    }
}
