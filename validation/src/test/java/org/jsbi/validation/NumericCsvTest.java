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

    /**
     * pandas' to_csv writes a missing value as an empty cell (and a one-column frame's as an empty line): simulated
     * data's NaN, read as NaN where non-finite values are asked for and an error elsewhere.
     */
    @Test
    void pandasEmptyCellsAreNaNOnlyWhenAsked(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "a,b\n1,\n,2\n3,4\n");
        float[][] m = NumericCsv.readWithNonFinite(f);
        assertArrayEquals(new float[][] {{1f, Float.NaN}, {Float.NaN, 2f}, {3f, 4f}}, m);
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> NumericCsv.read(f));
        assertTrue(e.getMessage().contains("line 2 column 2 is '', not a decimal number"), e.getMessage());
        Files.writeString(f, "x\n1\n\n\n2\n\n");
        assertArrayEquals(new float[][] {{1f}, {Float.NaN}, {Float.NaN}, {2f}}, NumericCsv.readWithNonFinite(f));
        e = assertThrows(CsvFormatException.class, () -> NumericCsv.read(f));
        assertTrue(e.getMessage().contains("line 3 is empty"), e.getMessage());
    }

    /**
     * np.savetxt writes no header unless asked: its first row read as the header would vanish silently (a file of
     * observations would then be sampled from its second row on, numbered from 1), so a first line of numbers is an
     * error. Pandas' labels of unnamed columns (0,1,...) stay a header, as does a name after a byte order mark.
     */
    @Test
    void aFirstLineOfNumbersIsAMissingHeaderNotAHeader(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x.csv");
        for (String headless : new String[] {"1.0e-01,2.0e-01\n3.0e-01,4.0e-01\n5,6\n", "nan,0.5\n1,2\n3,4\n",
            "\uFEFF0.1,0.2\n0.3,0.4\n0.5,0.6\n"}) {
            Files.writeString(f, headless);
            CsvFormatException e = assertThrows(CsvFormatException.class, () -> NumericCsv.readWithNonFinite(f));
            assertTrue(e.getMessage().contains("line 1 is '") && e.getMessage().contains("numbers, not a header row")
                    && e.getMessage().contains("header='c1,c2'"), e.getMessage());
            assertThrows(CsvFormatException.class, () -> NumericCsv.read(f, 2));
        }
        Files.writeString(f, "0,1\n0.5,0.25\n");
        assertArrayEquals(new float[][] {{0.5f, 0.25f}}, NumericCsv.read(f));
        Files.writeString(f, "\uFEFFa,b\r\n0.5,0.25\r\n");
        assertArrayEquals(new float[][] {{0.5f, 0.25f}}, NumericCsv.read(f, 2));
    }

    /** Blank lines that end the file (a script's extra newline) hold no row; one between rows is still an error. */
    @Test
    void blankLinesAtTheEndAreIgnoredButNotBetweenRows(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "a,b\r\n1,2\r\n3,4\r\n\r\n\n  \n");
        assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, NumericCsv.read(f));
        Files.writeString(f, "a,b\n1,2\n\n3,4\n\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> NumericCsv.read(f));
        assertTrue(e.getMessage().contains("line 3 is empty"), e.getMessage());
        Files.writeString(f, "a,b\n\n");
        e = assertThrows(CsvFormatException.class, () -> NumericCsv.read(f));
        assertTrue(e.getMessage().contains("has a header but no data rows"), e.getMessage());
    }
}
