package org.jsbi.sim.channel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the paper's data folder ({@code ../shared/paper-data} relative to the project root; its README documents
 * every file). {@code -Djsbi.paperdata.dir=<folder>} names it; otherwise the first {@code shared/paper-data} holding
 * {@code channels/} found in the working directory or a folder above it (the project root when a user runs jsbi, the
 * module folder when Maven runs tests), as {@code org.jsbi.validation.ReferenceData} finds {@code shared/reference}.
 */
public final class PaperData {

    /** The system property that names the paper-data folder (the one holding README.md and channels/). */
    public static final String DIR_PROPERTY = "jsbi.paperdata.dir";

    private static final Path MARKER = Path.of("shared", "paper-data", "channels");

    private PaperData() {
    }

    /** The paper-data folder; a {@link PaperDataException} saying where it looked when it is not found. */
    public static Path root() {
        return locate(System.getProperty(DIR_PROPERTY), Path.of("").toAbsolutePath());
    }

    /** The {@code channels/} sub-folder (the ion-channel protocols and manual fits). */
    public static Path channels() {
        Path dir = root().resolve("channels");
        if (!Files.isDirectory(dir)) {
            throw new PaperDataException("the paper-data folder " + dir.getParent() + " has no channels/ sub-folder;"
                    + " it should hold protocol_v_{act,inact,deact,ap,ramp}.csv (see its README.md)");
        }
        return dir;
    }

    /**
     * The {@code hh/allen/} sub-folder (the ten Allen Cell Types recordings the paper's HH inference uses, and
     * {@code allen_cells.csv} with each cell's time step, stimulus window, soma area and junction potential).
     */
    public static Path hhAllen() {
        Path dir = root().resolve("hh").resolve("allen");
        if (!Files.isDirectory(dir)) {
            throw new PaperDataException("the paper-data folder " + root() + " has no hh/allen/ sub-folder;"
                    + " it should hold allen_cells.csv and cell_<id>_sweep_<n>.csv (see its README.md)");
        }
        return dir;
    }

    /**
     * The {@code stg/} sub-folder (the pyloric network's Prinz neuron models, synapse constants, 31-D prior bounds, the
     * experimental x_o and the pyloric package's regression case).
     */
    public static Path stg() {
        Path dir = root().resolve("stg");
        if (!Files.isDirectory(dir)) {
            throw new PaperDataException("the paper-data folder " + root() + " has no stg/ sub-folder;"
                    + " it should hold xo_experimental_845_082_0044.csv and pyloric_test_*.csv (see its README.md)");
        }
        return dir;
    }

    static Path locate(String property, Path start) {
        if (property != null && !property.isBlank()) {
            Path dir = Path.of(property.trim()).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new PaperDataException("-D" + DIR_PROPERTY + "=" + property + " names " + dir
                        + ", which is not a folder; point it at the paper-data folder (the one holding channels/)");
            }
            return dir;
        }
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(MARKER))) return p.resolve(MARKER).getParent();
        }
        // As for the reference data: the search starts at the working directory, so say which, and how to name it.
        throw new PaperDataException("the paper's data were not found: no " + MARKER + " in the working directory "
                + start + " or any folder above it. Name the folder holding channels/ with the Java option -D"
                + DIR_PROPERTY + "=/path/to/paper-data; with bin/jsbi, JSBI_JAVA_OPTS=-D" + DIR_PROPERTY
                + "=/path/to/paper-data bin/jsbi ... (bin/jsbi sets it itself when the data are at ../shared/paper-data"
                + " beside the project).");
    }
}
