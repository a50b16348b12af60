package org.jsbi.validation;

/**
 * A C2ST stopped because the thread that ran it was interrupted (Ctrl-C or SIGTERM through {@link StopOnShutdown}):
 * it has no accuracy to report. The thread's interrupt status stays set.
 */
public final class C2stInterruptedException extends RuntimeException {

    public C2stInterruptedException(String message) {
        super(message);
    }
}
