package org.jsbi.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** The flow is a bijection with the right log-determinant, and each MADE is autoregressive. */
class MafInvariantsTest {

    private final Backend be = new ScalarBackend();
    private final long seed = TestSeeds.seed(11L);

    private Maf maf(int d, int xd) {
        return new Maf(be, d, xd, ZScore.identity(d), ZScore.identity(xd), MafConfig.defaults(), new Rng(seed + d));
    }

    private static Tensor gaussian(Backend be, int rows, int cols, Rng rng) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return Tensor.of(be, rows, cols, v);
    }

    @Test
    void inverseOfForwardIsTheIdentity() {
        for (int d : new int[] {1, 2, 3, 5, 10}) {
            Maf f = maf(d, 4);
            Rng rng = new Rng(seed);
            Tensor z = gaussian(be, d, 257, rng), x = gaussian(be, 4, 257, rng);
            Tape tape = Tape.noGrad(be);
            Tensor u = f.forwardZ(tape, tape.constant(z), tape.constant(x))[0].value();
            float[] back = f.inverseZ(u, x).toArray(), orig = z.toArray();
            double worst = 0;
            for (int i = 0; i < orig.length; i++) worst = Math.max(worst, Math.abs(back[i] - orig[i]));
            assertTrue(worst < 1e-4, "D=" + d + ": max |inverse(forward(z)) - z| = " + worst + TestSeeds.replay(seed));
        }
    }

    @Test
    void logDetMatchesFiniteDifferenceJacobian() {
        for (int d = 1; d <= 5; d++) {
            Maf f = maf(d, 2);
            Rng rng = new Rng(seed + 100 + d);
            float[] z0 = gaussian(be, d, 1, rng).toArray();
            float[] x0 = gaussian(be, 2, 1, rng).toArray();
            Tape tape = Tape.noGrad(be);
            double logDet = f.forwardZ(tape, tape.constant(Tensor.of(be, d, 1, z0)),
                    tape.constant(Tensor.of(be, 2, 1, x0)))[1].item();
            // Central differences of u(z), all perturbations of one input in one batch of 2D columns.
            double h = 1e-2;
            float[] cols = new float[d * 2 * d];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    cols[i * 2 * d + 2 * j] = z0[i] + (i == j ? (float) h : 0f);
                    cols[i * 2 * d + 2 * j + 1] = z0[i] - (i == j ? (float) h : 0f);
                }
            }
            float[] xs = new float[2 * 2 * d];
            for (int c = 0; c < 2 * d; c++) {
                xs[c] = x0[0];
                xs[2 * d + c] = x0[1];
            }
            float[] u = f.forwardZ(tape, tape.constant(Tensor.of(be, d, 2 * d, cols)),
                    tape.constant(Tensor.of(be, 2, 2 * d, xs)))[0].value().toArray();
            double[][] jac = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    jac[i][j] = (u[i * 2 * d + 2 * j] - (double) u[i * 2 * d + 2 * j + 1]) / (2 * h);
                }
            }
            double fd = Math.log(Math.abs(det(jac)));
            assertEquals(fd, logDet, 2e-3, "D=" + d + ": log|det J| from the flow vs finite differences"
                    + TestSeeds.replay(seed));
        }
    }

    private static double det(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double det = 1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            if (p != c) {
                double[] t = m[p];
                m[p] = m[c];
                m[c] = t;
                det = -det;
            }
            det *= m[c][c];
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) m[r][k] -= f * m[c][k];
            }
        }
        return det;
    }

    @Test
    void madeOutputsDependOnlyOnEarlierInputs() {
        int d = 5;
        Made made = new Made(be, "m", d, 3, 50, 2, org.jsbi.nn.Activation.TANH, new Rng(seed));
        Rng rng = new Rng(seed + 7);
        for (int out = 0; out < 2 * d; out++) {
            Tape tape = Tape.recording(be);
            Var in = tape.variable(gaussian(be, d, 4, rng));
            Var ctx = tape.variable(gaussian(be, 3, 4, rng));
            Var params = made.forward(tape, in, ctx);
            float[] seedGrad = new float[2 * d * 4];
            for (int c = 0; c < 4; c++) seedGrad[out * 4 + c] = 1f;
            tape.backward(params, Tensor.of(be, 2 * d, 4, seedGrad));
            float[] g = in.grad().toArray();
            int feature = out % d;   // rows 0..D-1 scales, D..2D-1 shifts, both for input `feature`
            double dependsOnEarlier = 0;
            for (int j = 0; j < d; j++) {
                for (int c = 0; c < 4; c++) {
                    float v = g[j * 4 + c];
                    if (j >= feature) {
                        assertEquals(0f, v, "output " + out + " must not depend on input " + j);
                    } else {
                        dependsOnEarlier += Math.abs(v);
                    }
                }
            }
            if (feature > 0) assertTrue(dependsOnEarlier > 0, "output " + out + " ignores all earlier inputs");
            float[] gc = ctx.grad().toArray();
            double ctxDep = 0;
            for (float v : gc) ctxDep += Math.abs(v);
            // With Germain's degrees (hidden degrees 1..D-1) the first feature's parameters see no hidden unit, so they
            // are constants, exactly as in nflows; the permutations between transforms condition every dimension.
            if (feature > 0) {
                assertTrue(ctxDep > 0, "output " + out + " ignores the context");
            } else {
                assertEquals(0.0, ctxDep, "output " + out + " (first feature) should be a constant");
            }
        }
    }

    @Test
    void sampleShapeAndBadObservations() {
        Maf f = maf(3, 2);
        Tensor s = f.sample(17, new float[] {0.5f, -1f}, new Rng(1));
        assertEquals(3, s.rows());
        assertEquals(17, s.cols());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.sample(5, new float[] {1f}, new Rng(1)));
        assertTrue(e.getMessage().contains("2 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.sample(5, new float[] {1f, Float.NaN}, new Rng(1)));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        Tape tape = Tape.noGrad(be);
        e = assertThrows(IllegalArgumentException.class, () -> f.logProb(tape,
                tape.constant(Tensor.zeros(be, 2, 4)), tape.constant(Tensor.zeros(be, 2, 4))));
        assertTrue(e.getMessage().contains("θ must have 3 rows"), e.getMessage());
    }
}
