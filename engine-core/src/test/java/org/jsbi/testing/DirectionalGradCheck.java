package org.jsbi.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;

/**
 * Whole-model gradient checks shared by the estimators' tests: the float32 autodiff gradient g, dotted with a random
 * direction v, against a float64 central difference of the model's float64 loss along v. Checked along one direction
 * over all parameters and along each parameter tensor alone. Error measure: |g·v − numeric| / Σ|g_i v_i|, which does
 * not blow up when a direction happens to be nearly orthogonal to the gradient.
 */
public final class DirectionalGradCheck {

    private DirectionalGradCheck() {
    }

    /** Random z-scoring statistics (means in [-2, 2], standard deviations in [0.3, 3]), so tests exercise it. */
    public static ZScore randomScore(int dim, Rng rng) {
        float[] m = new float[dim], s = new float[dim];
        for (int i = 0; i < dim; i++) {
            m[i] = (float) rng.uniform(-2, 2);
            s[i] = (float) rng.uniform(0.3, 3);
        }
        return new ZScore(m, s);
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * Runs every direction and returns the worst error; fails with a message naming the case and tensor.
     *
     * @param name   the case, for messages
     * @param p      parameters in float64, one array per tensor
     * @param g      their float32 gradients
     * @param names  the tensors' names
     * @param loss64 the float64 loss of a parameter set
     * @param seed   seed of the random direction
     * @param replay the test's base seed, named in failure messages
     */
    public static double check(String name, double[][] p, float[][] g, List<String> names,
                               ToDoubleFunction<double[][]> loss64, double tolerance, long seed, long replay) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[][] v = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            v[i] = new double[p[i].length];
            for (int j = 0; j < v[i].length; j++) v[i][j] = r.nextDouble(-1, 1);
        }
        double worst = direction(name, p, g, v, -1, "all parameters", loss64, tolerance, replay);
        for (int t = 0; t < p.length; t++) {
            worst = Math.max(worst, direction(name, p, g, v, t, names.get(t), loss64, tolerance, replay));
        }
        return worst;
    }

    private static double direction(String name, double[][] p, float[][] g, double[][] v, int only, String which,
                                    ToDoubleFunction<double[][]> loss64, double tolerance, long replay) {
        double gv = 0, scale = 0;
        double t = 1e-6;
        double[][] plus = new double[p.length][], minus = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            plus[i] = p[i].clone();
            minus[i] = p[i].clone();
            if (only >= 0 && i != only) continue;
            for (int j = 0; j < p[i].length; j++) {
                gv += g[i][j] * v[i][j];
                scale += Math.abs(g[i][j] * v[i][j]);
                plus[i][j] += t * v[i][j];
                minus[i][j] -= t * v[i][j];
            }
        }
        double numeric = (loss64.applyAsDouble(plus) - loss64.applyAsDouble(minus)) / (2 * t);
        double err = Math.abs(gv - numeric) / Math.max(scale, 1e-12);
        assertTrue(err <= tolerance, String.format("%s, direction in %s: g·v = %.9g, central difference %.12g,"
                + " Σ|g_i v_i| = %.6g, relative error %.3g > %.1g%s", name, which, gv, numeric, scale, err,
                tolerance, TestSeeds.replay(replay)));
        return err;
    }
}
