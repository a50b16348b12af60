package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi sample --plot} in its own JVM, stopped by SIGTERM in its third observation: the two observations
 * finished are written and drawn while the JVM shuts down, and the run says how far it got. The figures used to fail
 * there (ImageIO's disk cache registers a shutdown hook, which throws once shutdown has begun), and that error hid the
 * run's last line. A JVM start: tagged slow ({@code -Djsbi.slow=true}).
 */
@Tag("slow")
class SampleSignalTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermKeepsAndDrawsTheObservationsFinished() throws Exception {
        Path posterior = SampleCommandTest.smallTwoMoonsPosterior(tmp);
        Path obs = Files.writeString(tmp.resolve("obs.csv"), "a,b\n0.1,-0.2\n0.0,0.3\n-0.25,0.05\n");
        Path out = tmp.resolve("samples.csv"), plot = tmp.resolve("pairs.png");
        // A million samples of the third observation: the signal comes long before they are drawn.
        ChildJsbi child = new ChildJsbi(List.of(), "sample", "--posterior", posterior.toString(), "--observations",
                obs.toString(), "--samples", "1000000", "--out", out.toString(), "--plot", plot.toString());
        child.awaitThat(() -> child.output().contains("observation 2: acceptance"), "observation 2 never finished");
        Thread.sleep(500);   // into observation 3's sampling
        int status = child.sigterm();
        String text = child.output();
        assertEquals(143, status, "exit status after SIGTERM (128 + 15):\n" + text);
        assertTrue(text.contains("interrupted: 2 of 3 observations sampled; those are in " + out), text);
        assertTrue(Files.size(tmp.resolve("pairs-1.png")) > 1000 && Files.size(tmp.resolve("pairs-2.png")) > 1000,
                text);
        assertFalse(Files.exists(tmp.resolve("pairs-3.png")), text);
        assertFalse(text.contains("Shutdown in progress") || text.contains("\tat "), text);
    }
}
