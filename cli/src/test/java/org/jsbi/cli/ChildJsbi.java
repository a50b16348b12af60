package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code jsbi} in a JVM of its own, for the tests that stop it with a real signal: its output (standard output and
 * error together) is collected as it comes, the test waits for a moment in the run, then sends SIGTERM, which makes
 * the JVM run its shutdown hooks as Ctrl-C's SIGINT does.
 */
final class ChildJsbi {

    private final Process child;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread drain;

    /** Starts {@code jsbi args}, with the JVM options the tests run with and any {@code -D} options in jvmOptions. */
    ChildJsbi(List<String> jvmOptions, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC",
                "-Djsbi.log=warn"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Jsbi.class.getName()));
        cmd.addAll(List.of(args));
        child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        drain = new Thread(this::copy);
        drain.start();
    }

    /** What it has printed so far. */
    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits (up to two minutes) until {@code ready} holds or the child has ended; fails if it never held. */
    void awaitThat(BooleanSupplier ready, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!ready.getAsBoolean() && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(ready.getAsBoolean(), what + ":\n" + output());
    }

    /**
     * Sends SIGTERM and waits for the child to end; returns its exit status. (ProcessHandle.destroy sends only the
     * signal; Process.destroy would also close our end of the child's output pipe, losing what it says next.)
     */
    int sigterm() throws InterruptedException {
        try {
            assertTrue(child.toHandle().destroy());
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not stop:\n" + output());
            drain.join(10_000);
            return child.exitValue();
        } finally {
            child.destroyForcibly();
        }
    }

    private void copy() {
        byte[] buf = new byte[4096];
        try (InputStream in = child.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (output) {
                    output.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }
}
