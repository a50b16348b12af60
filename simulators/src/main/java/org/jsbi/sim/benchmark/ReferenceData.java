package org.jsbi.sim.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's reference data folder ({@code shared/reference}: observations, reference posteriors and the data
 * files some tasks are defined by) and a reader for its CSV files.
 *
 * <p>The folder is {@code -Djsbi.reference.dir} when set; otherwise the first {@code shared/reference} found walking
 * up from the working directory (Maven runs tests in the module folder, a user runs jsbi from the checkout).
 */
public final class ReferenceData {

    /** The system property that names the reference folder. */
    public static final String PROPERTY = "jsbi.reference.dir";

    private ReferenceData() {
    }

    /** The reference folder; a clear error when it is not found. */
    public static Path root() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            Path dir = Path.of(p.trim()).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new ReferenceDataException("-D" + PROPERTY + " names " + dir + ", which is not a folder");
            }
            return dir;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("reference");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new ReferenceDataException("the benchmark reference data (a folder shared/reference) was not found in "
                + start + " or any folder above it; set -D" + PROPERTY + "=<folder>");
    }

    /** A file under the reference folder, e.g. {@code file("two_moons", "obs1", "observation.csv")}; it must exist. */
    public static Path file(String first, String... more) {
        Path f = root().resolve(Path.of(first, more));
        if (!Files.isRegularFile(f)) throw new ReferenceDataException("missing reference data file " + f);
        return f;
    }

    /** The observed data x_o of observation k (1-based) of a task. */
    public static float[] observation(String task, int k) {
        return readRow(file(task, "obs" + k, "observation.csv"));
    }

    /** The parameters θ_true that generated observation k of a task. */
    public static float[] trueParameters(String task, int k) {
        return readRow(file(task, "obs" + k, "true_parameters.csv"));
    }

    /** The 10,000 reference posterior samples of observation k of a task, one per row. */
    public static float[][] referencePosteriorSamples(String task, int k) {
        double[][] t = readCsv(file(task, "obs" + k, "reference_posterior_samples.csv"));
        float[][] out = new float[t.length][];
        for (int i = 0; i < t.length; i++) out[i] = toFloat(t[i]);
        return out;
    }

    /** The one data row of a CSV file (an observation, a θ), as float32 like the benchmark's tensors. */
    public static float[] readRow(Path f) {
        double[][] t = readCsv(f);
        if (t.length != 1) throw new ReferenceDataException(f + ": expected one data row, found " + t.length);
        return toFloat(t[0]);
    }

    private static float[] toFloat(double[] row) {
        float[] out = new float[row.length];
        for (int i = 0; i < row.length; i++) out[i] = (float) row[i];
        return out;
    }

    /**
     * The numbers of a CSV file with one header row, one array per data row; every row must have the header's number
     * of columns. Values written as NumPy scalar reprs ({@code np.float64(3.42)}) are read as the number inside.
     */
    public static double[][] readCsv(Path file) {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) throw new ReferenceDataException(file + " is empty; expected a header row");
            int columns = header.split(",", -1).length;
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] cells = line.split(",", -1);
                if (cells.length != columns) {
                    throw new ReferenceDataException(file + " line " + lineNo + ": " + cells.length + " values, but the header has "
                            + columns + " columns");
                }
                double[] row = new double[columns];
                for (int c = 0; c < columns; c++) row[c] = parse(cells[c], file, lineNo);
                rows.add(row);
            }
        } catch (IOException e) {
            throw new ReferenceDataException("cannot read reference data file " + file + ": " + e.getMessage(), e);
        }
        return rows.toArray(double[][]::new);
    }

    private static double parse(String cell, Path file, int lineNo) {
        String s = cell.trim();
        // Some files were written from NumPy 2 scalars, whose repr wraps the number: np.float64(3.42).
        if (s.startsWith("np.") && s.endsWith(")") && s.indexOf('(') > 0) {
            s = s.substring(s.indexOf('(') + 1, s.length() - 1).trim();
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new ReferenceDataException(file + " line " + lineNo + ": '" + cell + "' is not a number", e);
        }
    }
}
