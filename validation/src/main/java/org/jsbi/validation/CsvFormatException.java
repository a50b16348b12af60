package org.jsbi.validation;

/** A numeric CSV file breaks the expected format; the message names the file and the line. */
public class CsvFormatException extends ReferenceDataException {

    private static final long serialVersionUID = 1L;

    public CsvFormatException(String message) {
        super(message);
    }
}
