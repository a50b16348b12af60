package org.jsbi.sim.channel;

/** The paper's data files ({@code ../shared/paper-data}) are missing, unreadable or not as documented. */
public final class PaperDataException extends RuntimeException {

    public PaperDataException(String message) {
        super(message);
    }

    public PaperDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
