package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict CSV reader: its width from the header, and the words for NaN and infinity only where asked for. */
class NumericCsvTest {

    @Test
    void theHeaderGivesTheWidthAndNonFiniteWordsAreReadOnlyWhenAsked(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "a,b,c\n1,-2.5,3e-2\nnan,inf,-Infinity\n+NaN,+inf,-INF\n");
        float[][] m = NumericCsv.readWithNonFinite(f);
        assertArrayEquals(new float[] {1f, -2.5f, 0.03f}, m[0]);
        assertArrayEquals(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, m[1]);
        assertArrayEquals(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, m[2]);
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> NumericCsv.read(f));
        assertTrue(e.getMessage().contains("line 3 column 1 is 'nan', not a decimal number"), e.getMessage());
        Files.writeString(f, "a,b\n1,2,3\n");
        e = assertThrows(CsvFormatException.class, () -> NumericCsv.readWithNonFinite(f));
        assertTrue(e.getMessage().contains("line 2 has 3 columns, expected 2"), e.getMessage());
        Files.writeString(f, "a,b\n1,nanx\n");
        e = assertThrows(CsvFormatException.class, () -> NumericCsv.readWithNonFinite(f));
        assertTrue(e.getMessage().contains("column 2 is 'nanx', not a decimal number"), e.getMessage());
    }
}
