package org.jsbi.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sbibm benchmark reference data: for each {@link ReferenceTask} and observation k = 1..10, the observed data,
 * the parameters that generated them and 10,000 reference posterior samples ({@code ../shared/reference/TASKS.md}
 * gives the layout: {@code <task>/obs<k>/observation.csv}, {@code true_parameters.csv},
 * {@code reference_posterior_samples.csv}). Files are read on each call, strictly (see {@link NumericCsv}), and
 * checked against the task's dimensions.
 */
public final class ReferenceData {

    /** System property naming the reference folder (the one holding TASKS.md); overrides the search. */
    public static final String DIR_PROPERTY = "jsbi.reference.dir";

    private static final Path MARKER = Path.of("shared", "reference", "TASKS.md");

    private final Path root;

    private ReferenceData(Path root) {
        this.root = root;
    }

    /** The reference data in {@code root}, the folder that holds TASKS.md and one folder per task. */
    public static ReferenceData at(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ReferenceDataException("benchmark reference folder " + root.toAbsolutePath()
                    + " does not exist or is not a folder");
        }
        return new ReferenceData(root.toAbsolutePath().normalize());
    }

    /**
     * The reference data named by {@code -Djsbi.reference.dir}, else the first {@code shared/reference} found in the
     * working directory or a folder above it. That finds the project's {@code ../shared/reference} from the project
     * root and from a module folder (where Maven runs tests), and a {@code shared/} inside the checkout.
     */
    public static ReferenceData locate() {
        return locate(System.getProperty(DIR_PROPERTY), Path.of("").toAbsolutePath());
    }

    /** {@link #locate()} with the property's value and the working directory given. */
    static ReferenceData locate(String property, Path start) {
        if (property != null && !property.isBlank()) {
            Path dir = Path.of(property.trim());
            if (!Files.isDirectory(dir)) {
                throw new ReferenceDataException("-D" + DIR_PROPERTY + "=" + property + " names "
                        + dir.toAbsolutePath() + ", which is not a folder; point it at the folder that holds the"
                        + " benchmark reference data (TASKS.md and one folder per task)");
            }
            return at(dir);
        }
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(MARKER))) return at(p.resolve(MARKER).getParent());
        }
        // The search starts at the working directory, not the project: from elsewhere it misses ../shared/reference
        // even where the data are in place, so the message says where it looked and how to name the folder.
        throw new ReferenceDataException("benchmark reference data not found: no " + MARKER + " in the working"
                + " directory " + start + " or any folder above it. Name the folder holding TASKS.md with the Java"
                + " option -D" + DIR_PROPERTY + "=/path/to/reference; with bin/jsbi, JSBI_JAVA_OPTS=-D"
                + DIR_PROPERTY + "=/path/to/reference bin/jsbi ... (bin/jsbi sets it itself when the data are at"
                + " ../shared/reference beside the project).");
    }

    /** The folder the data are read from. */
    public Path root() {
        return root;
    }

    /** The tasks whose folder is present, in {@link ReferenceTask} order. */
    public List<ReferenceTask> tasks() {
        List<ReferenceTask> present = new ArrayList<>();
        for (ReferenceTask t : ReferenceTask.values()) {
            if (Files.isDirectory(root.resolve(t.id()))) present.add(t);
        }
        return List.copyOf(present);
    }

    /** The observed data x_o of observation k (1..10): {@code task.xDim()} values. */
    public float[] observation(ReferenceTask task, int k) {
        return single(file(task, k, "observation.csv"), task.xDim());
    }

    /** The parameters θ_true that generated observation k: {@code task.thetaDim()} values. */
    public float[] trueParameters(ReferenceTask task, int k) {
        return single(file(task, k, "true_parameters.csv"), task.thetaDim());
    }

    /** The reference posterior samples of observation k, one sample per row (10,000 x {@code task.thetaDim()}). */
    public float[][] referenceSamples(ReferenceTask task, int k) {
        return NumericCsv.read(file(task, k, "reference_posterior_samples.csv"), task.thetaDim());
    }

    /** The path of one file of observation k; the file need not exist. */
    public Path file(ReferenceTask task, int k, String name) {
        if (k < 1 || k > ReferenceTask.OBSERVATIONS) {
            throw new IllegalArgumentException("observation number must be 1.." + ReferenceTask.OBSERVATIONS
                    + ", got " + k);
        }
        Path dir = root.resolve(task.id());
        if (!Files.isDirectory(dir)) {
            throw new ReferenceDataException("no folder for task " + task.id() + " in the reference data at " + root
                    + "; tasks present: " + tasks());
        }
        return dir.resolve("obs" + k).resolve(name);
    }

    private static float[] single(Path file, int columns) {
        float[][] rows = NumericCsv.read(file, columns);
        if (rows.length != 1) {
            throw new CsvFormatException(file + " has " + rows.length + " data rows, expected exactly 1");
        }
        return rows[0];
    }

    @Override
    public String toString() {
        return "ReferenceData[" + root + "]";
    }
}
