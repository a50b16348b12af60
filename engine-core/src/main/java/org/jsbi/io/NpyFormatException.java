package org.jsbi.io;

import java.io.IOException;

/**
 * A file or stream is not a {@code .npy} array that jsbi reads: bad magic bytes, a format version or dtype it does
 * not handle, Fortran order, a malformed header, truncated data or bytes after the data. The message names the source,
 * the problem and what to do about it; no array is returned from such a file.
 */
public class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
