package org.jsbi.validation;

/**
 * An inference run was interrupted (Ctrl-C, SIGTERM, or the thread's interrupt) before it finished; the message says
 * what was kept (the flow trained so far, in the run's staging folder) and that the earlier results stand. The
 * thread's interrupt status stays set.
 */
public final class InferenceInterruptedException extends RuntimeException {

    public InferenceInterruptedException(String message) {
        super(message);
    }

    public InferenceInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
