package org.jsbi.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.jsbi.testing.Arrays2;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** The scalar reference itself against float64 arithmetic, so that "equals the reference" means something. */
class ScalarKernelTest {

    private final ScalarBackend be = new ScalarBackend();
    private final long seed = TestSeeds.seed(7L);

    @Test
    void gemmMatchesFloat64InEveryTransposeVariant() {
        SplittableRandom r = new SplittableRandom(seed);
        int m = 9, n = 11, k = 13;
        float[] a = Arrays2.uniform(r, m * k, -1, 1), b = Arrays2.uniform(r, k * n, -1, 1);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            float[] c = new float[m * n];
            be.gemm(ta, tb, m, n, k, 1.5f, Arrays2.host(a), 0, ta ? m : k, Arrays2.host(b), 0, tb ? k : n, 0f,
                    Arrays2.host(c), 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                    }
                    assertEquals(1.5 * s, c[i * n + j], 1e-5, "C[" + i + "][" + j + "] t=" + t + TestSeeds.replay(seed));
                }
            }
        }
    }

    @Test
    void reductionsMatchFloat64() {
        float[] a = {1f, -2f, 3.5f, 0.25f, 7f, -1f};
        float[] out = new float[2];
        be.reduceRows(ReduceOp.SUM, 2, 3, Arrays2.host(a), 0, 3, Arrays2.host(out), 0);
        assertEquals(2.5f, out[0]);
        assertEquals(6.25f, out[1]);
        be.reduceRows(ReduceOp.MAX, 2, 3, Arrays2.host(a), 0, 3, Arrays2.host(out), 0);
        assertEquals(3.5f, out[0]);
        assertEquals(7f, out[1]);
        float[] cols = new float[3];
        be.reduceColumns(ReduceOp.LOGSUMEXP, 2, 3, Arrays2.host(a), 0, 3, Arrays2.host(cols), 0);
        assertEquals(Math.log(Math.exp(1) + Math.exp(0.25)), cols[0], 1e-6);
        assertEquals(Math.log(Math.exp(-2) + Math.exp(7)), cols[1], 1e-6);
        // logsumexp stays finite where a naive exp would overflow.
        float[] big = {1000f, 1000f};
        float[] one = new float[1];
        be.reduceAll(ReduceOp.LOGSUMEXP, 2, Arrays2.host(big), 0, Arrays2.host(one), 0);
        assertEquals(1000 + Math.log(2), one[0], 1e-3);
        be.reduceAll(ReduceOp.SUM, 0, Arrays2.host(big), 0, Arrays2.host(one), 0);
        assertEquals(0f, one[0]);
        be.reduceAll(ReduceOp.LOGSUMEXP, 0, Arrays2.host(big), 0, Arrays2.host(one), 0);
        assertEquals(Float.NEGATIVE_INFINITY, one[0]);
    }

    @Test
    void unaryFunctionsAreStableAtTheExtremes() {
        float[] x = {-100f, 100f, 0f};
        float[] y = new float[3];
        be.unary(UnaryOp.SOFTPLUS, 3, Arrays2.host(x), 0, Arrays2.host(y), 0);
        assertEquals(0f, y[0], 1e-40);
        assertEquals(100f, y[1]);
        assertEquals((float) Math.log(2), y[2]);
        be.unary(UnaryOp.SIGMOID, 3, Arrays2.host(x), 0, Arrays2.host(y), 0);
        assertEquals(0f, y[0], 1e-40);
        assertEquals(1f, y[1]);
        assertEquals(0.5f, y[2]);
    }

    @Test
    void betaZeroIgnoresNaNInOutput() {
        float[] a = {1f}, b = {2f}, c = {Float.NaN};
        be.gemm(false, false, 1, 1, 1, 1f, Arrays2.host(a), 0, 1, Arrays2.host(b), 0, 1, 0f, Arrays2.host(c), 0, 1);
        assertEquals(2f, c[0]);
    }
}
