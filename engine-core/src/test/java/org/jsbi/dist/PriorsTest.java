package org.jsbi.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.random.Rng;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

class PriorsTest {

    private static final int N = 100_000;

    /** Sample mean and sd match the prior's own mean() and stddev() within a few Monte Carlo errors. */
    private static void assertMoments(Prior p, long seed) {
        float[][] s = p.sample(N, new Rng(seed));
        double[] m = p.mean(), sd = p.stddev();
        for (int d = 0; d < p.dim(); d++) {
            double sum = 0, sq = 0;
            for (float[] r : s) {
                assertTrue(p.inSupport(r), "draw outside support" + TestSeeds.replay(seed));
                sum += r[d];
                sq += (double) r[d] * r[d];
            }
            double mean = sum / N, var = sq / N - mean * mean;
            assertEquals(m[d], mean, 5 * sd[d] / Math.sqrt(N), p.describe() + " mean " + d + TestSeeds.replay(seed));
            assertEquals(sd[d], Math.sqrt(var), 0.02 * sd[d], p.describe() + " sd " + d + TestSeeds.replay(seed));
        }
    }

    @Test
    void boxUniform() {
        BoxUniform p = Priors.boxUniform(new double[] {-1, 0}, new double[] {1, 4});
        assertMoments(p, TestSeeds.seed(1));
        assertEquals(-Math.log(8), p.logProb(new float[] {0, 1}), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, p.logProb(new float[] {0, 4.5f}));
        assertFalse(p.inSupport(new float[] {-1.01f, 1}));
    }

    @Test
    void logNormal() {
        LogNormal p = Priors.logNormal(new double[] {Math.log(0.4), Math.log(0.125)}, new double[] {0.5, 0.2});
        assertMoments(p, TestSeeds.seed(2));
        // log-density of a log-normal at θ: N(log θ; μ, σ) / θ
        double th = 0.3, mu = Math.log(0.4), s = 0.5, z = (Math.log(th) - mu) / s;
        double expected = -0.5 * z * z - Math.log(s * Math.sqrt(2 * Math.PI)) - Math.log(th);
        double th2 = 0.125, z2 = 0;
        expected += -0.5 * z2 * z2 - Math.log(0.2 * Math.sqrt(2 * Math.PI)) - Math.log(th2);
        assertEquals(expected, p.logProb(new float[] {0.3f, 0.125f}), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, p.logProb(new float[] {0.3f, -1f}));
    }

    @Test
    void gaussianWithFullCovariance() {
        double[][] cov = {{2.0, 0.6, 0.0}, {0.6, 1.0, -0.3}, {0.0, -0.3, 0.5}};
        MultivariateGaussian p = Priors.gaussian(new double[] {1, -2, 0.5}, cov);
        assertMoments(p, TestSeeds.seed(3));
        // Against the closed form, by an explicit inverse and determinant of the 3x3 matrix.
        double[][] c = p.covariance();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) assertEquals(cov[i][j], c[i][j], 1e-12);
        }
        double det = cov[0][0] * (cov[1][1] * cov[2][2] - cov[1][2] * cov[2][1])
                - cov[0][1] * (cov[1][0] * cov[2][2] - cov[1][2] * cov[2][0])
                + cov[0][2] * (cov[1][0] * cov[2][1] - cov[1][1] * cov[2][0]);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                inv[i][j] = (cov[i1][j1] * cov[i2][j2] - cov[i1][j2] * cov[i2][j1]) / det;
            }
        }
        float[] th = {0.2f, -1.5f, 1.0f};
        double[] r = {(double) th[0] - 1, (double) th[1] + 2, (double) th[2] - 0.5};
        double q = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) q += r[i] * inv[i][j] * r[j];
        }
        double expected = -0.5 * q - 0.5 * Math.log(Math.pow(2 * Math.PI, 3) * det);
        assertEquals(expected, p.logProb(th), 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> Priors.gaussian(new double[] {0, 0}, new double[][] {{1, 2}, {2, 1}}));
    }

    @Test
    void gaussianFromPrecisionInvertsIt() {
        double[][] prec = {{4, 1}, {1, 2}};
        MultivariateGaussian p = Priors.gaussianFromPrecision(new double[] {0, 0}, prec);
        double[][] c = p.covariance();
        double det = 7;
        assertEquals(2 / det, c[0][0], 1e-12);
        assertEquals(-1 / det, c[0][1], 1e-12);
        assertEquals(4 / det, c[1][1], 1e-12);
    }

    @Test
    void independentProductConcatenates() {
        Prior p = Priors.independent(Priors.boxUniform(1, 0, 1), Priors.logNormal(new double[] {0}, new double[] {0.3}));
        assertEquals(2, p.dim());
        assertMoments(p, TestSeeds.seed(4));
        float[] th = {0.5f, 1.0f};
        double expected = 0 + (-Math.log(0.3 * Math.sqrt(2 * Math.PI)));
        assertEquals(expected, p.logProb(th), 1e-6);
        assertFalse(p.inSupport(new float[] {0.5f, -1f}));
    }

    @Test
    void badInputIsNamed() {
        BoxUniform p = Priors.boxUniform(2, -1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.logProb(new float[] {0}));
        assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.logProb(new float[] {0, Float.NaN}));
        assertTrue(e.getMessage().contains("θ[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Priors.boxUniform(new double[] {1}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Priors.logNormal(new double[] {0}, new double[] {-1}));
    }

    @Test
    void boxUniformDrawsStayInsideBoundsThatAreNotFloats() {
        // 0.7 is no float: (float) 0.7 = 0.69999999 lies below the box, and a draw rounding onto it was outside.
        BoxUniform narrow = Priors.boxUniform(new double[] {0.7, -0.7000003}, new double[] {0.7000003, -0.7});
        long seed = TestSeeds.seed(5);
        float[][] s = narrow.sample(N, new Rng(seed));
        for (float[] r : s) assertTrue(narrow.inSupport(r), "draw " + java.util.Arrays.toString(r) + " outside "
                + narrow.describe() + TestSeeds.replay(seed));
        // A box holding a single float gives that float.
        BoxUniform one = Priors.boxUniform(new double[] {0.69999996}, new double[] {0.70000001});
        for (float[] r : one.sample(100, new Rng(seed))) assertEquals(0.7f, r[0]);
    }

    @Test
    void boxUniformRefusesBoxesNoFloatDrawFits() {
        assertMessage("contains no float", () -> Priors.boxUniform(new double[] {0.70000001}, new double[] {0.70000002}));
        assertMessage("float range", () -> Priors.boxUniform(new double[] {0}, new double[] {1e39}));
        assertMessage("float range", () -> Priors.boxUniform(1, -1e39, 0));
        assertMessage("at least one dimension, got dim = -1", () -> Priors.boxUniform(-1, 0, 1));
        assertMessage("at least one dimension, got dim = 0", () -> Priors.boxUniform(0, 0, 1));
    }

    @Test
    void logNormalRefusesDrawsThatLeaveTheFloatRange() {
        // μ = 95 drew +∞ (which its own logProb refuses), μ = −110 drew 0 (outside the support θ > 0).
        assertMessage("outside the float range", () -> Priors.logNormal(new double[] {95}, new double[] {1}));
        assertMessage("outside the float range", () -> Priors.logNormal(new double[] {-110}, new double[] {1}));
        assertMessage("dimension 1", () -> Priors.logNormal(new double[] {0, 70}, new double[] {1, 3}));
        LogNormal wide = Priors.logNormal(new double[] {0}, new double[] {10});
        for (float[] r : wide.sample(N, new Rng(TestSeeds.seed(6)))) {
            assertTrue(wide.inSupport(r) && Double.isFinite(wide.logProb(r)), "draw " + r[0]);
        }
    }

    @Test
    void gaussianRefusesMalformedCovarianceWithTheReason() {
        // Rows are checked whole before the symmetry test reads Σ[j][i]: these gave an index error and an NPE.
        assertMessage("Σ row 2 must have 3 values, got 1", () -> Priors.gaussian(new double[3],
                new double[][] {{1, 0, 0}, {0, 1, 0}, {0}}));
        double[] m = {0, 0};
        assertMessage("Σ row 1 must have 2 values, got null", () -> Priors.gaussian(m, new double[][] {{1, 0}, null}));
        assertMessage("Σ[1][0] = NaN", () -> Priors.gaussian(m, new double[][] {{1, 0}, {Double.NaN, 1}}));
        // Tiny variances: correlation +0.9 one way and −0.9 the other is no rounding difference.
        assertMessage("Σ is not symmetric", () -> Priors.gaussian(m, new double[][] {{1e-12, 0.9e-12}, {-0.9e-12, 1e-12}}));
        // Rounding-level differences at the same scale pass.
        Priors.gaussian(m, new double[][] {{1e-12, 0.9e-12}, {0.9e-12 * (1 + 1e-14), 1e-12}});
    }

    @Test
    void gaussianFromPrecisionRefusesMalformedPrecisionWithTheReason() {
        double[] m = {0, 0};
        assertMessage("P is not symmetric", () -> Priors.gaussianFromPrecision(m, new double[][] {{4, 1}, {-1, 2}}));
        assertMessage("μ and P must be given", () -> Priors.gaussianFromPrecision(m, null));
        assertMessage("μ and P must be given", () -> Priors.gaussianFromPrecision(null, new double[][] {{1}}));
        assertMessage("P row 0 must have 2 values", () -> Priors.gaussianFromPrecision(m, new double[][] {{4}, {1, 2}}));
        assertMessage("μ has 2 values but P has 3 rows", () -> Priors.gaussianFromPrecision(m, new double[3][3]));
        assertMessage("P[0][1] = Infinity", () -> Priors.gaussianFromPrecision(m,
                new double[][] {{4, Double.POSITIVE_INFINITY}, {1, 2}}));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should contain '" + part + "'");
    }
}
