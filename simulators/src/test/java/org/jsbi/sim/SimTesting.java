package org.jsbi.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jsbi.diagnostics.KolmogorovSmirnov;
import org.junit.jupiter.api.Assumptions;

/** Helpers shared by the simulator tests (HH, channel, GLM, Gabor): the test seed, row-major batches, the KS test. */
public final class SimTesting {

    private SimTesting() {
    }

    /** The tests' base seed, {@code -Djsbi.test.seed} (default 20240611). */
    public static long seed() {
        return Long.getLong("jsbi.test.seed", 20240611L);
    }

    /** shared/paper-data, found walking up from the working directory; the test is skipped when it is absent. */
    public static Path paperData() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("paper-data");
            if (Files.isDirectory(c)) return c;
        }
        Assumptions.abort("shared/paper-data not found above " + Path.of("").toAbsolutePath());
        return null;
    }

    /** rows (each of dim values) as one row-major array. */
    public static float[] rowMajor(float[][] rows, int dim) {
        float[] v = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, v, i * dim, dim);
        return v;
    }

    /** theta repeated n times, row-major. */
    public static float[] repeat(float[] theta, int n) {
        float[] v = new float[n * theta.length];
        for (int i = 0; i < n; i++) System.arraycopy(theta, 0, v, i * theta.length, theta.length);
        return v;
    }

    /** Column c of row-major rows of dim values. */
    public static float[] column(float[] rows, int dim, int c) {
        float[] x = new float[rows.length / dim];
        for (int i = 0; i < x.length; i++) x[i] = rows[i * dim + c];
        return x;
    }

    /**
     * CRC32 of the values' bits (Float.floatToIntBits, so every NaN counts as the canonical one), little-endian: the
     * simulators' revision pins.
     */
    public static long crc32OfBits(float[] values) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putInt(Float.floatToIntBits(v));
        crc.update(b.array());
        return crc.getValue();
    }

    /**
     * Two-sample Kolmogorov–Smirnov test: the p-value of D by the asymptotic Kolmogorov distribution with the
     * effective size n1·n2/(n1 + n2) and Stephens' small-sample correction ({@link KolmogorovSmirnov#pValue}).
     */
    public static double ksPValue(float[] a, float[] b) {
        // A NaN would stall the merge below (NaN == t is never true): fail with the reason instead of hanging.
        for (float[] s : new float[][] {a, b}) {
            for (float v : s) {
                if (Float.isNaN(v)) throw new AssertionError("KS test: a sample contains NaN (diverged simulations?)");
            }
        }
        float[] x = a.clone(), y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            float t = Math.min(x[i], y[j]);
            while (i < x.length && x[i] == t) i++;
            while (j < y.length && y[j] == t) j++;
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        double ne = (double) x.length * y.length / (x.length + y.length);
        return KolmogorovSmirnov.pValue(d, ne);
    }
}
