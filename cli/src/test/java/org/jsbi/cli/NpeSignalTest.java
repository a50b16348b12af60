package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsbi.backend.Backends;
import org.jsbi.posterior.DirectPosterior;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi npe --save-posterior} in its own JVM, stopped by SIGTERM (the JVM runs its shutdown hooks for it as for
 * Ctrl-C's SIGINT) once training has begun: the hook interrupts the training, which keeps its best weights, the
 * posterior is saved and the run says so, and the JVM exits with 143. Without the hook the signal ended the JVM at
 * once and the training was lost. A JVM start and a few epochs: tagged slow ({@code -Djsbi.slow=true}); the default
 * suite interrupts the command's thread in process ({@link NpeCommandTest}).
 */
@Tag("slow")
class NpeSignalTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermDuringTrainingSavesThePosteriorTrainedSoFar() throws Exception {
        Path file = tmp.resolve("posterior.jsbi");
        List<String> jvm = new ArrayList<>();
        String reference = System.getProperty("jsbi.reference.dir");
        if (reference != null) jvm.add("-Djsbi.reference.dir=" + reference);
        ChildJsbi child = new ChildJsbi(jvm, "npe", "--simulations", "300", "--max-epochs", "1000000",
                "--stop-after-epochs", "1000000", "--samples", "5", "--save-posterior", file.toString());
        child.awaitThat(() -> child.output().contains("epoch    1 "), "training never began");
        int status = child.sigterm();
        String text = child.output();
        assertEquals(143, status, "exit status after SIGTERM (128 + 15):\n" + text);
        assertTrue(text.contains("stopping: "), text);
        assertTrue(text.contains("(interrupted); best validation loss"), text);
        assertTrue(text.contains("interrupted: stopped before sampling; the posterior trained so far is in " + file),
                text);
        assertFalse(text.contains("\tat "), "no stack trace:\n" + text);
        assertEquals(2, DirectPosterior.load(file, Backends.current()).thetaDim());
    }
}
