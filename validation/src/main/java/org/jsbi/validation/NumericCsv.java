package org.jsbi.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict reader for numeric CSV files (the reference data's, and the θ, x and observations given to {@code jsbi train}
 * and {@code jsbi sample}): one header row, then rows of comma-separated decimal numbers (pandas' float32 output:
 * {@code -0.6396706}, {@code 352.0}, {@code -3.3e-05}). A hand-written reader suffices because the format has no
 * quoting, and being strict is the point: a wrong column count, an empty line between rows, a non-numeric or
 * non-finite cell, a missing header is an error naming the file and line, never a silently wrong matrix. Blank lines
 * at the end of the file are ignored.
 */
public final class NumericCsv {

    /** The byte order mark some Windows tools put before the header; it is not part of the first column's name. */
    private static final String BOM = "\uFEFF";

    private NumericCsv() {
    }

    /** The data rows of {@code file}, as many columns as its header row has. */
    public static float[][] read(Path file) {
        return read(file, headerColumns(file), false);
    }

    /**
     * As {@link #read(Path)}, also taking {@code nan}, {@code inf}, {@code -inf} and {@code infinity} in any case (as
     * numpy and pandas write them), and an empty cell as NaN (pandas' {@code to_csv} writes a missing value so): simulated
     * data, whose undefined features the caller counts and leaves out. In a one-column file an empty line between rows
     * is such a cell, a NaN row; empty lines that end the file are still no rows.
     */
    public static float[][] readWithNonFinite(Path file) {
        return read(file, headerColumns(file), true);
    }

    /**
     * The data rows of {@code file} (rows = lines after the header).
     *
     * @param columns the number of columns every line, the header included, must have
     */
    public static float[][] read(Path file, int columns) {
        return read(file, columns, false);
    }

    /** The names of the header row's columns (a byte order mark before the first left out). */
    public static List<String> header(Path file) {
        String header;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = in.readLine();
        } catch (NoSuchFileException e) {
            throw new ReferenceDataException("missing file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return List.of(checkedHeader(file, header));
    }

    private static int headerColumns(Path file) {
        return header(file).size();
    }

    /**
     * The header's cells. A first line of numbers is data whose header is missing (np.savetxt writes none unless
     * asked): read as a header it would silently drop the first row, so it is an error. Pandas' labels of an unnamed
     * frame's columns, 0..n-1, are numbers too and stay a header.
     */
    private static String[] checkedHeader(Path file, String header) {
        if (header == null || header.isBlank()) throw error(file, 1, "has no header row");
        String[] cells = (header.startsWith(BOM) ? header.substring(1) : header).split(",", -1);
        boolean numbers = true, pandasLabels = true;
        for (int c = 0; c < cells.length; c++) {
            numbers &= isDecimal(cells[c]) || nonFinite(cells[c]) != 0f;
            pandasLabels &= cells[c].equals(Integer.toString(c));
        }
        if (numbers && !pandasLabels) {
            throw error(file, 1, "is '" + (header.length() <= 60 ? header : header.substring(0, 57) + "...")
                    + "': numbers, not a header row; the file must begin with a header row naming the columns"
                    + " (np.savetxt(f, a, delimiter=',', header='" + exampleHeader(cells.length) + "', comments='')"
                    + " writes one), or give a .npy file");
        }
        return cells;
    }

    /** A header to suggest: c1,c2,c3 for up to three columns, c1,c2,... for more. */
    private static String exampleHeader(int columns) {
        StringBuilder sb = new StringBuilder("c1");
        for (int c = 2; c <= Math.min(columns, 3); c++) sb.append(",c").append(c);
        return columns > 3 ? "c1,c2,..." : sb.toString();
    }

    private static float[][] read(Path file, int columns, boolean nonFinite) {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int headerColumns = checkedHeader(file, in.readLine()).length;
            if (headerColumns != columns) {
                throw error(file, 1, "has " + headerColumns + " header columns, expected " + columns);
            }
            String line;
            int lineNo = 1, firstBlank = -1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                // Blank lines that end the file (an editor's or a script's extra newline) hold no row; one with rows
                // after it is an error, as it may stand for a row that was lost.
                if (line.isBlank()) {
                    if (firstBlank < 0) firstBlank = lineNo;
                    continue;
                }
                if (firstBlank >= 0) {
                    if (!(nonFinite && columns == 1)) throw error(file, firstBlank, "is empty");
                    for (int b = firstBlank; b < lineNo; b++) rows.add(new float[] {Float.NaN});
                    firstBlank = -1;
                }
                rows.add(parseRow(file, lineNo, line, columns, nonFinite));
            }
        } catch (NoSuchFileException e) {
            throw new ReferenceDataException("missing file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) throw error(file, 2, "has a header but no data rows");
        return rows.toArray(new float[0][]);
    }

    private static float[] parseRow(Path file, int lineNo, String line, int columns, boolean nonFinite) {
        String[] cells = line.split(",", -1);
        if (cells.length != columns) {
            throw error(file, lineNo, "has " + cells.length + " columns, expected " + columns);
        }
        float[] row = new float[columns];
        for (int c = 0; c < columns; c++) {
            float v = !nonFinite ? 0f : cells[c].isBlank() ? Float.NaN : nonFinite(cells[c]);
            row[c] = nonFinite && v != 0f ? v : parseCell(file, lineNo, c + 1, cells[c]);
        }
        return row;
    }

    /** NaN or ±infinity for the words numpy and pandas write for them; 0 for anything else. */
    private static float nonFinite(String cell) {
        String w = cell.toLowerCase(java.util.Locale.ROOT);
        return switch (w) {
            case "nan", "-nan", "+nan" -> Float.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Float.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Float.NEGATIVE_INFINITY;
            default -> 0f;
        };
    }

    private static float parseCell(Path file, int lineNo, int column, String cell) {
        if (!isDecimal(cell)) {
            throw error(file, lineNo, "column " + column + " is '" + cell + "', not a decimal number");
        }
        float v = Float.parseFloat(cell);
        if (!Float.isFinite(v)) {
            throw error(file, lineNo, "column " + column + " is '" + cell + "', outside the float range");
        }
        return v;
    }

    /**
     * [+-] digits [. digits] [(e|E) [+-] digits], with at least one mantissa digit. Float.parseFloat alone would also
     * take "NaN", "Infinity", hex floats, "1f" and surrounding blanks, none of which belongs in these files.
     */
    public static boolean isDecimal(String s) {
        int i = 0, n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int digits = 0;
        while (i < n && isAsciiDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isAsciiDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) return false;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int expDigits = 0;
            while (i < n && isAsciiDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) return false;
        }
        return i == n;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static CsvFormatException error(Path file, int line, String what) {
        return new CsvFormatException(file + " line " + line + " " + what);
    }
}
