package org.jsbi.backend;

/** The backend that was required ({@code -Djsbi.test.requireBackend}) or named cannot run here. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
