package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC",
                "-Djsbi.log=warn"));
        String reference = System.getProperty("jsbi.reference.dir");
        if (reference != null) cmd.add("-Djsbi.reference.dir=" + reference);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Jsbi.class.getName(), "npe", "--simulations",
                "300", "--max-epochs", "1000000", "--stop-after-epochs", "1000000", "--samples", "5",
                "--save-posterior", file.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(child.getInputStream(), output));
        drain.start();
        String text;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!said(output, "epoch    1 ") && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(said(output, "epoch    1 "), "training never began:\n" + output);
            // ProcessHandle.destroy sends only the signal; Process.destroy would also close the child's output pipe.
            assertTrue(child.toHandle().destroy());
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not stop:\n" + output);
            drain.join(10_000);
            text = output.toString(StandardCharsets.UTF_8);
            assertEquals(143, child.exitValue(), "exit status after SIGTERM (128 + 15):\n" + text);
        } finally {
            child.destroyForcibly();
        }
        assertTrue(text.contains("stopping: "), text);
        assertTrue(text.contains("(interrupted); best validation loss"), text);
        assertTrue(text.contains("interrupted: stopped before sampling; the posterior trained so far is in " + file),
                text);
        assertFalse(text.contains("\tat "), "no stack trace:\n" + text);
        assertEquals(2, DirectPosterior.load(file, Backends.current()).thetaDim());
    }

    private static boolean said(ByteArrayOutputStream output, String s) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8).contains(s);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }
}
