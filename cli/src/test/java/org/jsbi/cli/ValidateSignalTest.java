package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsbi.validation.ReferenceData;
import org.jsbi.validation.ValidationHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi validate} in its own JVM, stopped by SIGTERM (the JVM runs its shutdown hooks for it as for Ctrl-C's
 * SIGINT) while it trains: the hook interrupts the training, which leaves no row, the table is written from the
 * finished rows, the run says how to resume, and the JVM exits with 143. Without the hook the signal ended the JVM at
 * once, with nothing said. A JVM start and a short training: tagged slow ({@code -Djsbi.slow=true}); the default suite
 * interrupts the command's thread in process ({@link ValidateCommandTest}).
 */
@Tag("slow")
class ValidateSignalTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermDuringTrainingKeepsTheFinishedRowsAndSaysHowToResume() throws Exception {
        // Only the files' existence is read before the scoring, which this run never reaches.
        Path obs = Files.createDirectories(tmp.resolve("reference").resolve("two_moons").resolve("obs1"));
        Files.writeString(obs.resolve("observation.csv"), "x0,x1\n0,0\n");
        Files.writeString(obs.resolve("reference_posterior_samples.csv"), "t0,t1\n0,0\n");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path csv = out.resolve(ValidationHarness.RESULTS_CSV);
        String before = "task,estimator,budget,observation,c2st,ppc_median_distance,prior_predictive_median_distance,"
                + "acceptance_rate,excluded_non_finite,epochs,simulation_s,training_s,sampling_s,c2st_s\n"
                + "two_moons,maf,300,1,0.7000,0.12,1.5,0.99,0,80,0.5,12.0,0.3,4.0\n";
        Files.writeString(csv, before);
        Files.writeString(out.resolve(ValidationHarness.SETTINGS_FILE), "stop_after_epochs=1000000\n");

        ChildJsbi child = new ChildJsbi(List.of("-D" + ReferenceData.DIR_PROPERTY + "=" + tmp.resolve("reference")),
                "validate", "--tasks", "two_moons", "--estimators", "maf,mdn", "--budgets", "300", "--observations",
                "1", "--stop-after-epochs", "1000000", "--out", out.toString());
        child.awaitThat(() -> child.output().contains("two_moons mdn 300: simulating and training"),
                "the MDN's training never began");
        Thread.sleep(500);   // into the training: the simulations take a millisecond
        int status = child.sigterm();
        String text = child.output();
        assertEquals(143, status, "exit status after SIGTERM (128 + 15):\n" + text);
        assertTrue(text.contains("stopping: the training or scoring in progress ends"), text);
        assertTrue(text.contains("interrupted in the "), text);
        assertTrue(text.contains("the same command resumes where it stopped:"), text);
        assertFalse(text.contains("\tat "), "no stack trace:\n" + text);
        assertEquals(before, Files.readString(csv), "no row of the interrupted training");
        assertTrue(Files.readString(out.resolve(ValidateCommand.TABLE_FILE)).contains("(1) |"));
    }
}
