package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void settingsAreChecked() {
        Path p = tmp.resolve("p");
        assertThrows(IllegalArgumentException.class, () -> new PyloricCalibration.Settings(p, List.of(), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PyloricCalibration.Settings(p, List.of(p), 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PyloricCalibration.Settings(p, List.of(p), 1, 0, 1));
    }
}
