package org.jsbi.sim.benchmark;

/** The benchmark's reference data could not be found or read; the message names the folder or file. */
public final class ReferenceDataException extends RuntimeException {

    public ReferenceDataException(String message) {
        super(message);
    }

    public ReferenceDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
