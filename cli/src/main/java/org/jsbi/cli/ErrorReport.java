package org.jsbi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.jsbi.backend.BackendUnavailableException;
import org.jsbi.io.ModelFormatException;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.simulation.SimulationInterruptedException;
import picocli.CommandLine;

/**
 * How a command's failure reaches the user. What the user can act on (bad input, a missing or damaged file, missing
 * reference data, a backend that cannot start, a run stopped short) is one line, {@code jsbi npe: <message>}, with
 * exit code 2 for bad input, as picocli's own option errors, and 1 otherwise; the library's messages already say what
 * is wrong and what to do, and a Java stack trace in front of them hid that. Anything else is a bug in jsbi and keeps
 * its stack trace. {@code JSBI_STACKTRACE=1} prints the trace for every failure.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler {

    static final int BAD_INPUT = 2;
    static final int FAILED = 1;

    private final boolean alwaysTrace;

    ErrorReport() {
        this(traceAsked(System.getenv("JSBI_STACKTRACE")));
    }

    private static boolean traceAsked(String env) {
        return env != null && !env.isBlank() && !env.strip().equals("0");
    }

    ErrorReport(boolean alwaysTrace) {
        this.alwaysTrace = alwaysTrace;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (!forTheUser(e)) {
            e.printStackTrace(err);
            err.flush();
            return cl.getCommandSpec().exitCodeOnExecutionException();
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": " + message(e));
        if (alwaysTrace) e.printStackTrace(err);
        err.flush();
        return e instanceof IllegalArgumentException ? BAD_INPUT : FAILED;
    }

    /** Failures whose message is meant for the user (the library's documented exceptions and file problems). */
    static boolean forTheUser(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof ModelFormatException || e instanceof BackendUnavailableException
                || e instanceof SamplingIncompleteException || e instanceof SimulationInterruptedException
                || e instanceof org.jsbi.validation.ReferenceDataException
                || e instanceof org.jsbi.sim.benchmark.ReferenceDataException;
    }

    /** The message, with each cause's where it adds something (a file error's message is only its path). */
    static String message(Throwable e) {
        StringBuilder sb = new StringBuilder(own(e));
        int depth = 0;   // a cycle of causes is possible in principle; eight is more than any real chain here
        for (Throwable c = e.getCause(); c != null && depth < 8; c = c.getCause(), depth++) {
            String m = own(c);
            if (!sb.toString().contains(m)) sb.append(" (").append(m).append(')');
        }
        return sb.toString();
    }

    private static String own(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) return own(u.getCause());
        String m = e.getMessage();
        if (e instanceof NoSuchFileException f) return "no such file or folder: " + f.getFile();
        if (e instanceof AccessDeniedException f) return "permission denied: " + f.getFile();
        if (e instanceof FileAlreadyExistsException f) return "already exists: " + f.getFile();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
