package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@link ErrorReport}: what the user can act on in one line, a bug with its stack trace. */
class ErrorReportTest {

    @Command(name = "fails")
    static final class Fails implements Callable<Integer> {
        final RuntimeException e;

        Fails(RuntimeException e) {
            this.e = e;
        }

        @Override
        public Integer call() {
            throw e;
        }
    }

    private static String[] run(RuntimeException e, boolean alwaysTrace) {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Fails(e)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler(new ErrorReport(alwaysTrace)).execute();
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void aMissingFileIsNamedWithoutATrace() {
        String[] r = run(new UncheckedIOException(new NoSuchFileException("store/manifest.properties")), false);
        assertEquals("1", r[0]);
        assertEquals("fails: no such file or folder: store/manifest.properties", r[1].strip());
    }

    @Test
    void badInputExitsWithTwoAndKeepsTheCausesMessage() {
        String[] r = run(new IllegalArgumentException("x has 3 columns, the model takes 2",
                new IllegalStateException("loaded from model.jsbi")), false);
        assertEquals("2", r[0]);
        assertEquals("fails: x has 3 columns, the model takes 2 (loaded from model.jsbi)", r[1].strip());
    }

    @Test
    void aBugKeepsItsStackTrace() {
        String[] r = run(new NullPointerException("weights"), false);
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("java.lang.NullPointerException: weights"), r[1]);
        assertTrue(r[1].contains("\tat "), r[1]);
    }

    @Test
    void theTraceCanBeAskedFor() {
        String[] r = run(new IllegalArgumentException("bad"), true);
        assertTrue(r[1].startsWith("fails: bad"), r[1]);
        assertTrue(r[1].contains("\tat "), r[1]);
        assertFalse(run(new IllegalArgumentException("bad"), false)[1].contains("\tat "));
    }
}
