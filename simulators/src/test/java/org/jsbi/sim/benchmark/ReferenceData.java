package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's reference data (../shared/reference): the folder given by {@code -Djsbi.reference.dir}, else the
 * first {@code shared/reference} found walking up from the working directory. Tests that need it are skipped, with
 * the reason printed, where it is absent.
 */
final class ReferenceData {

    private ReferenceData() {
    }

    static Path root() {
        String prop = System.getProperty("jsbi.reference.dir");
        if (prop != null) {
            Path p = Path.of(prop);
            assumeTrue(Files.isDirectory(p), "-Djsbi.reference.dir=" + prop + " is not a folder");
            return p;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("reference");
            if (Files.isDirectory(p)) return p;
        }
        assumeTrue(false, "no shared/reference above " + Path.of("").toAbsolutePath()
                + "; set -Djsbi.reference.dir to run the reference checks");
        return null;
    }

    /** The single data row of {@code <task>/obs<k>/<file>.csv} (the header skipped). */
    static double[] row(String task, int obs, String file) {
        Path p = root().resolve(task).resolve("obs" + obs).resolve(file + ".csv");
        try {
            List<String> lines = Files.readAllLines(p);
            String[] cells = lines.get(1).split(",");
            double[] v = new double[cells.length];
            // the files hold float32 values: parse as float so θ is exactly what a float batch carries
            for (int i = 0; i < cells.length; i++) v[i] = Float.parseFloat(cells[i].trim());
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] trueParameters(String task, int obs) {
        return row(task, obs, "true_parameters");
    }

    static double[] observation(String task, int obs) {
        return row(task, obs, "observation");
    }
}
