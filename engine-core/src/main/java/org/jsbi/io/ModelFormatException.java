package org.jsbi.io;

/**
 * A model file, or a {@link ModelFile} value, is not what the reader needs: not a jsbi model file, a format version
 * this jsbi does not read, a truncated or damaged file, or a file written for another architecture (a missing
 * metadata entry or array, a shape that does not match). The message names the problem and what to do about it.
 * A model is never built from such a file.
 */
public class ModelFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
