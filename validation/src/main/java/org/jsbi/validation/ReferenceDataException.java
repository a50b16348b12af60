package org.jsbi.validation;

/** The benchmark reference data are missing or a file in them is not where or what it should be. */
public class ReferenceDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReferenceDataException(String message) {
        super(message);
    }

    public ReferenceDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
