package org.jsbi.sim.gabor;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Helpers of the Gabor tests. */
final class GaborTesting {

    private GaborTesting() {
    }

    static long seed() {
        return Long.getLong("jsbi.test.seed", 20240611L);
    }

    static Path paperData() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("paper-data");
            if (Files.isDirectory(c)) return c;
        }
        Assumptions.abort("shared/paper-data not found above " + Path.of("").toAbsolutePath());
        return null;
    }

    static float[] repeat(float[] theta, int n) {
        float[] v = new float[n * theta.length];
        for (int i = 0; i < n; i++) System.arraycopy(theta, 0, v, i * theta.length, theta.length);
        return v;
    }

    static float[] column(float[] rows, int dim, int c) {
        float[] x = new float[rows.length / dim];
        for (int i = 0; i < x.length; i++) x[i] = rows[i * dim + c];
        return x;
    }

    static float[] priorDraws(int n, long seed) {
        float[][] rows = Gabor.prior().sample(n, new org.jsbi.random.Rng(seed));
        float[] v = new float[n * Gabor.PARAMETERS];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, v, i * Gabor.PARAMETERS, Gabor.PARAMETERS);
        return v;
    }

    /** Pearson correlation of out[off .. off + 1680] with h. */
    static double correlation(float[] out, int off, double[] h) {
        int n = Gabor.PIXELS;
        double ma = 0, mb = 0;
        for (int p = 0; p < n; p++) {
            ma += out[off + p];
            mb += h[p];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int p = 0; p < n; p++) {
            double a = out[off + p] - ma, b = h[p] - mb;
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
