package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Masked products on the staircase masks of a MADE whose hidden units are in order of degree (Made): on 512 bits
 * {@code SimdGemm.direct} (blockPanels) runs each 8-row block over its nonzero range of k only. The result must be the same,
 * bit for bit, as the same product with the mask applied to W beforehand (which takes the unmasked path, over all of
 * k), and within rounding of the scalar reference; rows of C outside the product stay untouched. Shapes: a MADE's
 * blocks, first and output layers at 3, 5, 10 and 31 inputs, the training batch and its two-thread halves, widths
 * with and without a tail, and a block whose rows see nothing (an empty range). The same layers' weight gradients,
 * masked as they are added, against the unfused sequence.
 */
class MaskedBlockConformanceTest {

    private static int threadsBefore;
    private final SimdBackend simd = new SimdBackend();
    private final Backend ref = new ScalarBackend();

    @BeforeAll
    static void oneThread() {
        threadsBefore = Parallel.threads();
        Parallel.setThreads(1);   // the small-product paths run below the threading threshold
    }

    @AfterAll
    static void restore() {
        Parallel.setThreads(threadsBefore);
    }

    /**
     * An out x in MADE mask with sorted degrees (hidden units of degree h mod (d-1) + 1, sorted): 1 where deg(out) ≥
     * deg(in), or deg(out) > deg(in) for an output layer (whose rows are the d inputs' degrees, twice).
     */
    static float[] staircase(int out, int in, int d, boolean outputLayer) {
        int[] inDeg = sortedDegrees(in, d), outDeg = outputLayer ? new int[out] : sortedDegrees(out, d);
        if (outputLayer) {
            for (int i = 0; i < out; i++) outDeg[i] = i % d + 1;
        }
        float[] m = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                m[o * in + i] = (outputLayer ? outDeg[o] > inDeg[i] : outDeg[o] >= inDeg[i]) ? 1f : 0f;
            }
        }
        return m;
    }

    private static int[] sortedDegrees(int width, int d) {
        int mod = Math.max(1, d - 1);
        int[] deg = new int[width];
        for (int h = 0; h < width; h++) deg[h] = h % mod + 1;
        Arrays.sort(deg);
        return deg;
    }

    @TestFactory
    List<DynamicTest> staircaseMasks() {
        List<DynamicTest> tests = new ArrayList<>();
        // {out, in, d, output layer}: a block, a first layer (in = d), an output layer (out = 2d), wide blocks.
        int[][] layers = {{50, 50, 10, 0}, {50, 50, 5, 0}, {50, 50, 3, 0}, {20, 50, 10, 1}, {50, 10, 10, 0},
            {100, 100, 31, 0}, {62, 100, 31, 1}, {16, 24, 10, 0}, {8, 40, 9, 0}};
        for (int[] l : layers) {
            for (int n : new int[] {200, 112, 88, 16, 7, 250}) {
                for (boolean tw : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f, 0.5f}) {
                        // transW: the input gradient (W ⊙ M)ᵀ·dY, rows = the layer's inputs, k = its outputs.
                        int m = tw ? l[1] : l[0], k = tw ? l[0] : l[1];
                        String name = (tw ? "Wᵀ " : "W ") + l[0] + "x" + l[1] + " (d=" + l[2] + (l[3] == 1 ? ", output"
                                : "") + ") n=" + n + " beta=" + beta;
                        float[] mask = staircase(l[0], l[1], l[2], l[3] == 1);
                        tests.add(DynamicTest.dynamicTest(name, () -> check(tw, m, n, k, mask, beta, name)));
                    }
                }
            }
        }
        // A block of 8 rows that sees nothing (an output layer's first rows at d = 1 see no hidden unit): range empty.
        float[] empty = new float[24 * 30];
        for (int i = 8 * 30; i < empty.length; i++) empty[i] = (i % 30) < (i / 30) ? 1f : 0f;
        for (float beta : new float[] {0f, 1f}) {
            tests.add(DynamicTest.dynamicTest("W 24x30 with 8 empty rows beta=" + beta,
                    () -> check(false, 24, 200, 30, empty, beta, "empty rows")));
        }
        return tests;
    }

    /**
     * A masked layer's weight and bias gradients in one call (SimdBackend.maskedParameterGradients: the mask applied
     * as the product is added, all-zero blocks of the mask skipped) against the same backend's unfused sequence
     * (the product into scratch, times the mask, added): the same bits, dW accumulated onto what it held.
     */
    @TestFactory
    List<DynamicTest> maskedParameterGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        // {out, in, d, output layer, mask kind (0 staircase, 1 random, 2 all ones)}
        int[][] layers = {{50, 50, 10, 0, 0}, {50, 50, 5, 0, 0}, {50, 50, 3, 0, 0}, {20, 50, 10, 1, 0},
            {50, 10, 10, 0, 0}, {100, 100, 31, 0, 0}, {62, 100, 31, 1, 0}, {50, 50, 10, 0, 1}, {50, 50, 10, 0, 2},
            {8, 40, 9, 0, 0}, {24, 30, 5, 1, 0}};
        for (int[] l : layers) {
            for (int n : new int[] {200, 112, 88, 16, 7}) {
                for (boolean bias : new boolean[] {true, false}) {
                    String name = "dW " + l[0] + "x" + l[1] + " (d=" + l[2] + (l[3] == 1 ? ", output" : "")
                            + (l[4] == 1 ? ", random mask" : l[4] == 2 ? ", all ones" : "") + ") n=" + n
                            + (bias ? " with db" : "");
                    tests.add(DynamicTest.dynamicTest(name, () -> checkGradients(l, n, bias, name)));
                }
            }
        }
        return tests;
    }

    private void checkGradients(int[] l, int n, boolean bias, String name) {
        int m = l[0], k = l[1];
        SplittableRandom r = new SplittableRandom(m * 31L + k * 7L + n);
        float[] mask = l[4] == 0 ? staircase(m, k, l[2], l[3] == 1) : new float[m * k];
        for (int i = 0; i < mask.length && l[4] != 0; i++) mask[i] = l[4] == 2 || r.nextBoolean() ? 1f : 0f;
        float[] dy = new float[m * n], x = new float[k * n], dw = new float[m * k];
        for (int i = 0; i < dy.length; i++) dy[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < dw.length; i++) dw[i] = (float) (r.nextDouble() * 2 - 1);
        float[] fusedW = dw.clone(), seqW = dw.clone(), fusedB = new float[m], seqB = new float[m];
        simd.maskedParameterGradients(m, k, n, new HostStorage(dy), 0, new HostStorage(x), 0, new HostStorage(mask), 0,
                new HostStorage(new float[m * k]), 0, new HostStorage(fusedW), 0, bias ? new HostStorage(fusedB) : null,
                0);
        Storage t = new HostStorage(new float[m * k]);
        simd.denseParameterGradients(m, k, n, new HostStorage(dy), 0, new HostStorage(x), 0, 0f, t, 0,
                bias ? new HostStorage(seqB) : null, 0);
        simd.binary(org.jsbi.backend.BinaryOp.MUL, m * k, t, 0, new HostStorage(mask), 0, t, 0);
        simd.axpy(m * k, 1f, t, 0, new HostStorage(seqW), 0);
        assertArrayEquals(seqW, fusedW, name + ": dW");
        assertArrayEquals(seqB, fusedB, name + ": db");
    }

    private void check(boolean transW, int m, int n, int k, float[] mask, float beta, String name) {
        SplittableRandom r = new SplittableRandom(m * 7919L + n * 31L + k + (transW ? 5 : 0));
        // W is stored out x in as the layer holds it: k x m when transposed (ldw = m), m x k otherwise (ldw = k).
        int ldw = transW ? m : k;
        float[] w = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < c.length; i++) c[i] = (float) (r.nextDouble() * 2 - 1);
        float[] wm = new float[w.length];
        for (int i = 0; i < w.length; i++) wm[i] = w[i] * mask[i];

        float[] masked = c.clone(), premasked = c.clone(), scalar = c.clone();
        simd.maskedGemm(transW, m, n, k, new HostStorage(w), 0, new HostStorage(mask), 0, ldw, new HostStorage(b), 0,
                n, beta, new HostStorage(masked), 0, n);
        simd.gemm(transW, false, m, n, k, 1f, new HostStorage(wm), 0, ldw, new HostStorage(b), 0, n, beta,
                new HostStorage(premasked), 0, n);
        ref.maskedGemm(transW, m, n, k, new HostStorage(w), 0, new HostStorage(mask), 0, ldw, new HostStorage(b), 0,
                n, beta, new HostStorage(scalar), 0, n);
        assertArrayEquals(premasked, masked, name + ": not the bits of the product on W ⊙ M over all of k");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double mag = Math.abs(beta * c[i * n + j]);
                for (int p = 0; p < k; p++) {
                    double wv = transW ? wm[p * ldw + i] : wm[i * ldw + p];
                    mag += Math.abs(wv * b[p * n + j]);
                }
                double tol = 2 * (k + 2) * Math.ulp(1f) / 2 * mag + 1e-30;
                float e = scalar[i * n + j], g = masked[i * n + j];
                if (!(Math.abs(e - g) <= tol)) {
                    assertEquals(e, g, tol, name + ": C[" + i + "][" + j + "] against the scalar reference");
                }
            }
        }
    }
}
