package org.jsbi.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.jsbi.tensor.Storage;
import org.jsbi.testing.Arrays2;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kernel of a candidate backend against the scalar reference, at the awkward sizes of DESIGN.md:
 * 0, 1, lanes-1, lanes, lanes+1, 13, 50, 207, 1021, 4103 (plus one size past the parallel threshold).
 *
 * <p>Tolerances, stated once:
 * <ul>
 *   <li>moves, broadcasts, add/sub/mul/div, max: bit-exact (one correctly rounded operation each);</li>
 *   <li>products and sums of n terms: |cand - ref| ≤ 2 (n + 2) u Σ|terms| + tiny, with u = 2^-24, the classic
 *       forward-error bound of a float32 sum (the reference sums in double or float, the candidate in any order);</li>
 *   <li>transcendental functions: 8 ulps of the reference value (the Vector API's math library is within 1-2 ulps,
 *       composites such as softplus add a few roundings), or 2^-24 absolute near zero;</li>
 *   <li>fused multiply-adds against separate ones: 2 ulps of the larger term.</li>
 * </ul>
 */
public abstract class KernelConformanceSuite {

    private static final double U = 0x1p-24;

    /** The backend under test. */
    protected abstract Backend candidate();

    /** Its lane count (for the lanes-1, lanes, lanes+1 sizes). */
    protected abstract int lanes();

    private final Backend ref = new ScalarBackend();
    private final long seed = TestSeeds.seed(20261125L);

    protected int[] sizes() {
        int l = lanes();
        return IntStream.of(0, 1, l - 1, l, l + 1, 13, 50, 207, 1021, 4103).distinct().toArray();
    }

    private SplittableRandom rng(int salt) {
        return new SplittableRandom(seed * 31 + salt);
    }

    private String ctx(String what) {
        return candidate().name() + " " + what + TestSeeds.replay(seed);
    }

    // ---- gemm -----------------------------------------------------------------------------------------------------

    @TestFactory
    List<DynamicTest> gemm() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : sizes()) {
            shapes.add(new int[] {s, 13, 7});
            shapes.add(new int[] {7, s, 13});
            shapes.add(new int[] {13, 7, s});
        }
        shapes.add(new int[] {50, 207, 50});
        shapes.add(new int[] {100, 1021, 60});   // large enough to split over threads
        shapes.add(new int[] {207, 50, 300});    // k beyond one cache block
        shapes.add(new int[] {50, 52, 10007});   // a weight gradient over a wide batch (split over k on a GPU)
        shapes.add(new int[] {130, 40, 100});    // A taller than one packed block, below the threading threshold
        for (int k = 1; k <= 4; k++) shapes.add(new int[] {4 * k + 5, 16 * k + 17, k});   // k ≤ 4, row by row
        shapes.add(new int[] {50, 207, 2});      // a layer fed by 2-D θ or x
        shapes.add(new int[] {50, 10, 200});     // the weight gradient of a layer fed by 10-D θ or x
        // Below the threading threshold: A taller than the pack buffer holds at this k (blocks of rows), and k
        // longer than one cache block with A short enough to pack whole (blocks of k): an MDN's heads at 10-D.
        shapes.add(new int[] {660, 20, 50});
        shapes.add(new int[] {50, 20, 700});
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                for (float[] ab : new float[][] {{1f, 0f}, {1f, 1f}, {0.7f, 1f}, {-1.3f, 0.5f}}) {
                    String name = "gemm m=" + s[0] + " n=" + s[1] + " k=" + s[2] + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "")
                            + " alpha=" + ab[0] + " beta=" + ab[1];
                    tests.add(DynamicTest.dynamicTest(name, () -> checkGemm(s[0], s[1], s[2], ta, tb, ab[0], ab[1],
                            false, name)));
                }
            }
        }
        for (int[] s : new int[][] {{50, 207, 13}, {13, 1021, 50}, {1, 1, 1}, {0, 5, 3}, {100, 4103, 60},
                {50, 200, 2}, {50, 207, 4}, {660, 20, 50}, {50, 20, 700}}) {
            for (boolean tw : new boolean[] {false, true}) {
                String name = "maskedGemm m=" + s[0] + " n=" + s[1] + " k=" + s[2] + (tw ? " Wᵀ" : "");
                tests.add(DynamicTest.dynamicTest(name, () -> checkGemm(s[0], s[1], s[2], tw, false, 1f, 0.5f, true,
                        name)));
            }
        }
        return tests;
    }

    /** Weight and bias gradients of a dense layer in one call, on the shapes that take each path of each backend. */
    @TestFactory
    List<DynamicTest> denseParameterGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        int l = lanes();
        // m x k layer over n columns: a MADE block, widths on and off the SIMD tile's strips, few rows, k < lanes
        // (2; and from 8 on, where 512-bit SIMD takes a one-vector tile: 10, a whole tile of 8 rows, lanes - 1).
        int[][] shapes = {{50, 50, 200}, {50, 64, 200}, {4, 50, 200}, {50, 2, 200}, {100, 100, 112}, {9, l + 1, 13},
                {130, 40, 100}, {50, 50, 300}, {1, 1, 1}, {50, 10, 200}, {13, 8, 112}, {8, Math.max(l - 1, 1), 13}};
        for (int[] s : shapes) {
            for (float beta : new float[] {0f, 1f}) {
                String name = "denseParameterGradients m=" + s[0] + " k=" + s[1] + " n=" + s[2] + " beta=" + beta;
                tests.add(DynamicTest.dynamicTest(name, () -> checkDenseParameterGradients(s[0], s[1], s[2], beta,
                        name)));
            }
        }
        return tests;
    }

    /**
     * A masked layer's weight gradient added into dW (dW += (dY·Xᵀ) ⊙ M) with its bias gradient: masks random,
     * all ones, and MADE staircases (a unit of degree d sees the units of degree ≤ d, units sorted by degree: whole
     * blocks of zeros that a backend may skip).
     */
    @TestFactory
    List<DynamicTest> maskedParameterGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        int[][] shapes = {{50, 50, 200}, {20, 50, 200}, {50, 10, 200}, {100, 100, 112}, {13, 8, 88}, {50, 50, 7}};
        for (int[] s : shapes) {
            for (int kind = 0; kind < 3; kind++) {
                for (boolean bias : new boolean[] {true, false}) {
                    int kd = kind;
                    String name = "maskedParameterGradients m=" + s[0] + " k=" + s[1] + " n=" + s[2]
                            + (kind == 0 ? " staircase" : kind == 1 ? " random" : " ones") + (bias ? " + db" : "");
                    tests.add(DynamicTest.dynamicTest(name, () -> checkMaskedParameterGradients(s[0], s[1], s[2], kd,
                            bias, name)));
                }
            }
        }
        return tests;
    }

    private void checkMaskedParameterGradients(int m, int k, int n, int kind, boolean bias, String name) {
        SplittableRandom r = rng(m * 131 + k * 17 + n + kind);
        float[] dy = Arrays2.uniform(r, m * n, -1, 1), x = Arrays2.uniform(r, k * n, -1, 1);
        float[] dw = Arrays2.uniform(r, m * k, -1, 1), mask = new float[m * k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                // staircase: degrees 1..5 sorted over the rows and over the columns
                int di = i * 5 / m, dj = j * 5 / k;
                mask[i * k + j] = kind == 2 ? 1f : kind == 1 ? (r.nextBoolean() ? 1f : 0f) : (di >= dj ? 1f : 0f);
            }
        }
        float[][] expected = maskedGradients(ref, m, k, n, dy, x, mask, dw, bias);
        float[][] actual = maskedGradients(candidate(), m, k, n, dy, x, mask, dw, bias);
        for (int i = 0; i < m; i++) {
            if (bias) {
                double mag = 0;
                for (int p = 0; p < n; p++) mag += Math.abs(dy[i * n + p]);
                assertTrue(Math.abs(expected[1][i] - actual[1][i]) <= 2 * (n + 2) * U * mag + 1e-30,
                        ctx(name) + ": db[" + i + "] = " + actual[1][i] + ", reference " + expected[1][i]);
            }
            for (int j = 0; j < k; j++) {
                float e = expected[0][i * k + j], g = actual[0][i * k + j];
                if (mask[i * k + j] == 0f) {
                    assertEquals(dw[i * k + j], g, ctx(name) + ": dW[" + i + "][" + j + "] changed under a zero of the mask");
                    continue;
                }
                double mw = Math.abs(dw[i * k + j]);
                for (int p = 0; p < n; p++) mw += Math.abs(dy[i * n + p] * x[j * n + p]);
                double tw = 2 * (n + 2) * U * mw + 1e-30;
                if (!(Math.abs(e - g) <= tw)) {
                    fail(ctx(name) + ": dW[" + i + "][" + j + "] = " + g + ", reference " + e + ", tolerance " + tw);
                }
            }
        }
    }

    private static float[][] maskedGradients(Backend be, int m, int k, int n, float[] dy, float[] x, float[] mask,
                                             float[] dw, boolean bias) {
        Storage dws = Arrays2.store(be, dw), dbs = bias ? Arrays2.store(be, new float[m]) : null;
        be.maskedParameterGradients(m, k, n, Arrays2.store(be, dy), 0, Arrays2.store(be, x), 0,
                Arrays2.store(be, mask), 0, Arrays2.store(be, new float[m * k]), 0, dws, 0, dbs, 0);
        return new float[][] {Arrays2.fetch(be, dws), bias ? Arrays2.fetch(be, dbs) : new float[0]};
    }

    // ---- non-finite inputs under the zeros of a mask -----------------------------------------------------------------

    /**
     * NaN and infinities in the input of a masked product, in the whole blocks of a MADE's staircase mask that a
     * backend may skip. The reference is IEEE arithmetic on W ⊙ M, where 0 · NaN and 0 · ∞ are NaN. Every output that
     * meets a non-finite value through an unmasked term is that non-finite value's on every backend: a NaN input or
     * weight never vanishes where it counts. An output that meets one only through the mask's zeros may be NaN, as in
     * the reference, or the finite sum of its unmasked terms, as where a backend skips an all-zero block of the mask
     * (SIMD: checking the input's finiteness first cost 3.5% of a MAF training, docs/ARCHITECTURE.md, "Backends").
     * The forward product (W ⊙ M)·X, the input gradient (W ⊙ M)ᵀ·dY, and the weight gradient dW += (dY·Xᵀ) ⊙ M with
     * the value in X or in dY.
     */
    @TestFactory
    List<DynamicTest> maskedProductsOfNonFiniteInputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean tw : new boolean[] {false, true}) {
            for (float beta : new float[] {0f, 1f}) {
                String name = "maskedGemm" + (tw ? " Wᵀ" : "") + " beta=" + beta + " with NaN and ±∞ in B";
                tests.add(DynamicTest.dynamicTest(name, () -> checkMaskedGemmNonFinite(tw, beta, name)));
            }
        }
        for (boolean inX : new boolean[] {true, false}) {
            for (boolean bias : new boolean[] {true, false}) {
                String name = "maskedParameterGradients with NaN and ∞ in " + (inX ? "X" : "dY") + (bias ? " + db" : "");
                tests.add(DynamicTest.dynamicTest(name, () -> checkMaskedGradientsNonFinite(inX, bias, name)));
            }
        }
        return tests;
    }

    /** A MADE's mask, out x in, degrees 1..5 sorted over the rows and over the columns: 1 where deg(out) ≥ deg(in). */
    private static float[] staircase(int out, int in) {
        float[] mask = new float[out * in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) mask[i * in + j] = i * 5 / out >= j * 5 / in ? 1f : 0f;
        }
        return mask;
    }

    private void checkMaskedGemmNonFinite(boolean tw, float beta, String name) {
        int m = 50, n = 200, k = 50;
        SplittableRandom r = rng(4099 + (tw ? 1 : 0));
        // W as a layer holds it, out x in: m x k, or k x m where transposed (the input gradient).
        int ldw = tw ? m : k;
        float[] mask = tw ? staircase(k, m) : staircase(m, k);
        float[] w = Arrays2.uniform(r, m * k, -1, 1), b = Arrays2.uniform(r, k * n, -1, 1);
        float[] c = Arrays2.uniform(r, m * n, -1, 1);
        // Rows 0 and k-1 of B: the first input of a layer (which few input-gradient rows see) and the last (which few
        // forward rows see); so most rows of C meet each value only through zeros of W ⊙ M.
        b[3] = Float.NaN;
        b[(k - 1) * n + 7] = Float.NaN;
        b[n + 11] = Float.POSITIVE_INFINITY;
        b[(k - 2) * n + 13] = Float.NEGATIVE_INFINITY;
        // And a NaN weight under a zero of the mask (the first output's weight from the last input): 0 · NaN too.
        int nanRow = tw ? m - 1 : 0;
        w[tw ? m - 1 : k - 1] = Float.NaN;
        assertEquals(0f, mask[tw ? m - 1 : k - 1]);
        float[] expected = run(ref, m, n, k, tw, false, 1f, beta, true, w, ldw, b, n, c, n, mask);
        float[] actual = run(candidate(), m, n, k, tw, false, 1f, beta, true, w, ldw, b, n, c, n, mask);
        for (int i = 0; i < m; i++) {
            assertTrue(Float.isNaN(expected[i * n + 3]) && Float.isNaN(expected[i * n + 7]),
                    "the reference: a NaN input reaches every output of its column");
            assertTrue(Float.isNaN(expected[nanRow * n + i]), "the reference: a NaN weight under the mask, its row");
            for (int j = 0; j < n; j++) {
                float e = expected[i * n + j], g = actual[i * n + j];
                // The sum of the unmasked terms alone, and whether one of them is not finite.
                double mag = Math.abs(beta * c[i * n + j]), unmasked = beta * c[i * n + j];
                boolean direct = false;
                for (int p = 0; p < k; p++) {
                    int wi = tw ? p * ldw + i : i * ldw + p;
                    if (mask[wi] == 0f) continue;
                    double term = (double) w[wi] * b[p * n + j];
                    direct |= !Double.isFinite(term);
                    mag += Math.abs(term);
                    unmasked += term;
                }
                if (direct) {
                    assertEquals(e, g, ctx(name) + ": C[" + i + "][" + j + "] meets a non-finite value unmasked");
                    continue;
                }
                double tol = 2 * (k + 2) * U * mag + 1e-30;
                if (!Float.isFinite(e) && Float.isNaN(g)) continue;   // NaN from a masked-out term, as the reference
                if (!(Math.abs(unmasked - g) <= tol) || Float.isFinite(e) && !(Math.abs(e - g) <= tol)) {
                    fail(ctx(name) + ": C[" + i + "][" + j + "] = " + g + ", reference " + e + ", its unmasked terms "
                            + unmasked + ", tolerance " + tol);
                }
            }
        }
    }

    private void checkMaskedGradientsNonFinite(boolean inX, boolean bias, String name) {
        int m = 50, k = 50, n = 200;
        SplittableRandom r = rng(8111 + (inX ? 1 : 0));
        float[] dy = Arrays2.uniform(r, m * n, -1, 1), x = Arrays2.uniform(r, k * n, -1, 1);
        float[] dw = Arrays2.uniform(r, m * k, -1, 1), mask = staircase(m, k);
        // X's last row (an input that few outputs see: dW's last column is mostly under zeros of M), or dY's first
        // row (an output that sees few inputs: dW's first row likewise).
        if (inX) {
            x[(k - 1) * n + 5] = Float.NaN;
            x[(k - 2) * n + 9] = Float.POSITIVE_INFINITY;
        } else {
            dy[5] = Float.NaN;
            dy[n + 9] = Float.NEGATIVE_INFINITY;
        }
        float[][] expected = maskedGradients(ref, m, k, n, dy, x, mask, dw, bias);
        float[][] actual = maskedGradients(candidate(), m, k, n, dy, x, mask, dw, bias);
        for (int i = 0; i < m; i++) {
            if (bias) assertSameOrClose(expected[1][i], actual[1][i], n, ctx(name) + ": db[" + i + "]");
            for (int j = 0; j < k; j++) {
                float e = expected[0][i * k + j], g = actual[0][i * k + j];
                if (mask[i * k + j] == 0f && !Float.isFinite(e) && !Float.isNaN(g)) {
                    // Under a zero of M: NaN as the reference, or dW as it was, where the block was skipped.
                    assertEquals(dw[i * k + j], g, ctx(name) + ": dW[" + i + "][" + j + "] under a zero of M");
                    continue;
                }
                assertSameOrClose(e, g, n, ctx(name) + ": dW[" + i + "][" + j + "]"
                        + (mask[i * k + j] == 0f ? " (under a zero of M)" : ""));
            }
        }
        assertTrue(Float.isNaN(expected[0][k - 1]) && mask[k - 1] == 0f,
                "the reference: a NaN input reaches dW under a zero of the mask");
        // Where M is 1, a non-finite input reaches dW on every backend.
        boolean reached = false;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) reached |= mask[i * k + j] == 1f && !Float.isFinite(actual[0][i * k + j]);
        }
        assertTrue(reached, ctx(name) + ": no unmasked gradient met the non-finite input");
    }

    /** Non-finite: the same value (NaN, +∞ or −∞); finite: within a sum of n terms of magnitude about 1 (loose). */
    private static void assertSameOrClose(float expected, float actual, int n, String what) {
        if (!Float.isFinite(expected)) {
            assertEquals(expected, actual, what);
        } else {
            assertEquals(expected, actual, 2 * (n + 2) * U * n + 1e-30, what);
        }
    }

    private void checkDenseParameterGradients(int m, int k, int n, float beta, String name) {
        SplittableRandom r = rng(m * 7919 + k * 31 + n + 17);
        float[] dy = Arrays2.uniform(r, m * n, -1, 1), x = Arrays2.uniform(r, k * n, -1, 1);
        float[] dw = Arrays2.uniform(r, m * k, -1, 1);
        float[][] expected = parameterGradients(ref, m, k, n, beta, dy, x, dw);
        float[][] actual = parameterGradients(candidate(), m, k, n, beta, dy, x, dw);
        // Without a bias (db null) the weight gradient is the same, bit for bit.
        Storage dws = Arrays2.store(candidate(), dw);
        candidate().denseParameterGradients(m, k, n, Arrays2.store(candidate(), dy), 0, Arrays2.store(candidate(), x),
                0, beta, dws, 0, null, 0);
        float[] noBias = Arrays2.fetch(candidate(), dws);
        for (int i = 0; i < m * k; i++) {
            assertEquals(actual[0][i], noBias[i], ctx(name) + ": dW[" + i + "] without a bias gradient");
        }
        for (int i = 0; i < m; i++) {
            double mag = 0;
            for (int p = 0; p < n; p++) mag += Math.abs(dy[i * n + p]);
            double tol = 2 * (n + 2) * U * mag + 1e-30;
            assertTrue(Math.abs(expected[1][i] - actual[1][i]) <= tol,
                    ctx(name) + ": db[" + i + "] = " + actual[1][i] + ", reference " + expected[1][i]);
            for (int j = 0; j < k; j++) {
                double mw = beta == 0f ? 0 : Math.abs(dw[i * k + j]);
                for (int p = 0; p < n; p++) mw += Math.abs(dy[i * n + p] * x[j * n + p]);
                double tw = 2 * (n + 2) * U * mw + 1e-30;
                float e = expected[0][i * k + j], g = actual[0][i * k + j];
                if (!(Math.abs(e - g) <= tw)) {
                    fail(ctx(name) + ": dW[" + i + "][" + j + "] = " + g + ", reference " + e + ", tolerance " + tw);
                }
            }
        }
    }

    private static float[][] parameterGradients(Backend be, int m, int k, int n, float beta, float[] dy, float[] x,
                                                float[] dw) {
        Storage dys = Arrays2.store(be, dy), xs = Arrays2.store(be, x), dws = Arrays2.store(be, dw);
        Storage dbs = Arrays2.store(be, new float[m]);
        be.denseParameterGradients(m, k, n, dys, 0, xs, 0, beta, dws, 0, dbs, 0);
        return new float[][] {Arrays2.fetch(be, dws), Arrays2.fetch(be, dbs)};
    }

    private void checkGemm(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta, boolean masked,
                           String name) {
        SplittableRandom r = rng(m * 7919 + n * 31 + k);
        // Padded leading dimensions catch kernels that assume ld == cols.
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 5;
        int aRows = ta ? k : m, bRows = tb ? n : k;
        float[] a = Arrays2.uniform(r, Math.max(1, aRows * lda), -1, 1);
        float[] b = Arrays2.uniform(r, Math.max(1, bRows * ldb), -1, 1);
        float[] c = Arrays2.uniform(r, Math.max(1, m * ldc), -1, 1);
        float[] mask = new float[a.length];
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextBoolean() ? 1f : 0f;
        if (beta == 0f && c.length > 0) c[0] = Float.NaN;   // beta = 0 must ignore C, even NaN
        float[] expected = run(ref, m, n, k, ta, tb, alpha, beta, masked, a, lda, b, ldb, c, ldc, mask);
        float[] actual = run(candidate(), m, n, k, ta, tb, alpha, beta, masked, a, lda, b, ldb, c, ldc, mask);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * lda + i] : a[i * lda + p];
                    double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    mag += Math.abs(av * bv);
                }
                double tol = 2 * (k + 2) * U * (Math.abs(alpha) * mag + (beta == 0f ? 0 : Math.abs(beta * c[i * ldc + j]))) + 1e-30;
                float e = expected[i * ldc + j], g = actual[i * ldc + j];
                if (!(Math.abs(e - g) <= tol)) {
                    fail(ctx(name) + ": C[" + i + "][" + j + "] = " + g + ", reference " + e + ", tolerance " + tol);
                }
            }
            // Padding between rows must be untouched.
            for (int j = n; j < ldc && i * ldc + j < c.length; j++) {
                assertEquals(c[i * ldc + j], actual[i * ldc + j], ctx(name) + ": wrote into C's row padding");
            }
        }
    }

    private static float[] run(Backend be, int m, int n, int k, boolean ta, boolean tb, float alpha, float beta,
                               boolean masked, float[] a, int lda, float[] b, int ldb, float[] c, int ldc, float[] mask) {
        Storage as = Arrays2.store(be, a), bs = Arrays2.store(be, b), cs = Arrays2.store(be, c);
        if (masked) {
            be.maskedGemm(ta, m, n, k, as, 0, Arrays2.store(be, mask), 0, lda, bs, 0, ldb, beta, cs, 0, ldc);
        } else {
            be.gemm(ta, tb, m, n, k, alpha, as, 0, lda, bs, 0, ldb, beta, cs, 0, ldc);
        }
        return Arrays2.fetch(be, cs);
    }

    // ---- elementwise ----------------------------------------------------------------------------------------------

    private double[] domain(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT -> new double[] {1e-3, 50};
            case EXP -> new double[] {-80, 80};
            default -> new double[] {-20, 20};
        };
    }

    @TestFactory
    List<DynamicTest> unary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : withLarge()) {
                tests.add(DynamicTest.dynamicTest(op + " n=" + n, () -> {
                    SplittableRandom r = rng(op.ordinal() * 100 + n);
                    double[] d = domain(op);
                    float[] x = Arrays2.uniform(r, n + 3, d[0], d[1]);
                    float[] dy = Arrays2.uniform(r, n + 3, -1, 1);
                    float[] dx0 = Arrays2.uniform(r, n + 3, -1, 1);
                    // Forward at offset 1 into offset 2: offsets must be honoured.
                    float[] ye = new float[n + 3], yg = new float[n + 3];
                    ref.unary(op, n, Arrays2.host(x), 1, Arrays2.host(ye), 2);
                    Storage ys = Arrays2.store(candidate(), yg);
                    candidate().unary(op, n, Arrays2.store(candidate(), x), 1, ys, 2);
                    yg = Arrays2.fetch(candidate(), ys);
                    assertClose(ye, yg, 8, op + " forward n=" + n);
                    float[] dxe = dx0.clone();
                    ref.unaryBackward(op, n, Arrays2.host(x), 1, Arrays2.host(ye), 2, Arrays2.host(dy), 0,
                            Arrays2.host(dxe), 1);
                    Storage dxs = Arrays2.store(candidate(), dx0);
                    candidate().unaryBackward(op, n, Arrays2.store(candidate(), x), 1, Arrays2.store(candidate(), ye), 2,
                            Arrays2.store(candidate(), dy), 0, dxs, 1);
                    assertAccumulated(dxe, Arrays2.fetch(candidate(), dxs), dx0, 8, op + " backward n=" + n);
                }));
            }
        }
        return tests;
    }

    @Test
    void unarySpecialValues() {
        float[] x = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 100f, -100f, 1e-30f,
                -1e-30f, 88.7f, -103f, 1f, -1f, 0.5f, 30f, -30f, 15f};
        for (UnaryOp op : UnaryOp.values()) {
            float[] ye = new float[x.length];
            ref.unary(op, x.length, Arrays2.host(x), 0, Arrays2.host(ye), 0);
            Storage ys = candidate().allocate(x.length);
            candidate().unary(op, x.length, Arrays2.store(candidate(), x), 0, ys, 0);
            assertClose(ye, Arrays2.fetch(candidate(), ys), 8, op + " at special values");
        }
    }

    @TestFactory
    List<DynamicTest> binaryAndAffine() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : withLarge()) {
            tests.add(DynamicTest.dynamicTest("binary/axpy/affine/fill/dot n=" + n, () -> {
                SplittableRandom r = rng(n);
                float[] a = Arrays2.uniform(r, n + 2, -3, 3), b = Arrays2.uniform(r, n + 2, 0.5, 3);
                for (BinaryOp op : BinaryOp.values()) {
                    float[] ce = new float[n + 2], cg;
                    ref.binary(op, n, Arrays2.host(a), 1, Arrays2.host(b), 2, Arrays2.host(ce), 0);
                    Storage cs = candidate().allocate(n + 2);
                    candidate().binary(op, n, Arrays2.store(candidate(), a), 1, Arrays2.store(candidate(), b), 2, cs, 0);
                    cg = Arrays2.fetch(candidate(), cs);
                    assertClose(ce, cg, 0, op + " n=" + n);
                }
                float[] ye = b.clone();
                ref.axpy(n, -0.37f, Arrays2.host(a), 1, Arrays2.host(ye), 0);
                Storage ys = Arrays2.store(candidate(), b);
                candidate().axpy(n, -0.37f, Arrays2.store(candidate(), a), 1, ys, 0);
                assertFma(ye, Arrays2.fetch(candidate(), ys), b, a, "axpy n=" + n);
                float[] ae = new float[n + 2];
                ref.affine(n, 1.7f, -0.3f, Arrays2.host(a), 0, Arrays2.host(ae), 1);
                Storage as = candidate().allocate(n + 2);
                candidate().affine(n, 1.7f, -0.3f, Arrays2.store(candidate(), a), 0, as, 1);
                float[] betas = new float[n + 2];
                java.util.Arrays.fill(betas, -0.3f);
                // alpha x + beta may be fused: 2 ulps of the larger term, not of a result that cancels.
                assertAccumulated(ae, Arrays2.fetch(candidate(), as), betas, 2, "affine n=" + n);
                Storage fs = Arrays2.store(candidate(), a);
                candidate().fill(n, 2.5f, fs, 1);
                float[] fe = a.clone();
                ref.fill(n, 2.5f, Arrays2.host(fe), 1);
                assertClose(fe, Arrays2.fetch(candidate(), fs), 0, "fill n=" + n);
                double de = ref.dot(n, Arrays2.host(a), 1, Arrays2.host(b), 0);
                double dg = candidate().dot(n, Arrays2.store(candidate(), a), 1, Arrays2.store(candidate(), b), 0);
                double mag = 0;
                for (int i = 0; i < n; i++) mag += Math.abs((double) a[i + 1] * b[i]);
                assertEquals(de, dg, 2 * (n + 2) * U * mag + 1e-30, ctx("dot n=" + n));
            }));
        }
        return tests;
    }

    // ---- broadcasts and reductions over matrices ----------------------------------------------------------------

    private List<int[]> matrixShapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : sizes()) {
            shapes.add(new int[] {s, 13});
            shapes.add(new int[] {13, s});
        }
        shapes.add(new int[] {1, 1});
        shapes.add(new int[] {50, 4103});
        shapes.add(new int[] {10, 100_003});
        return shapes;
    }

    @TestFactory
    List<DynamicTest> broadcasts() {
        List<DynamicTest> tests = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int[] s : matrixShapes()) shapes.add(new int[] {s[0], s[1], 0});
        // Contiguous rows too (lda = ldc = cols), as a layer's bias add has them: a training batch of 200, its
        // two-thread part of 88 and 8 columns, an odd number of rows among them (SIMD backends may take such rows
        // in pairs).
        for (int[] s : new int[][] {{5, 200}, {50, 200}, {6, 88}, {3, 8}, {13, 21}}) {
            shapes.add(new int[] {s[0], s[1], 1});
        }
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1];
            boolean contiguous = s[2] == 1;
            String name = "broadcast " + rows + "x" + cols + (contiguous ? " contiguous" : "");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                SplittableRandom r = rng(rows * 10007 + cols);
                int lda = contiguous ? cols : cols + 1, ldc = contiguous ? cols : cols + 2;
                float[] a = Arrays2.uniform(r, rows * lda + 1, -2, 2);
                float[] vc = Arrays2.uniform(r, rows + 1, 0.5, 2), vr = Arrays2.uniform(r, cols + 1, 0.5, 2);
                for (BinaryOp op : BinaryOp.values()) {
                    for (boolean column : new boolean[] {true, false}) {
                        float[] v = column ? vc : vr;
                        float[] ce = new float[rows * ldc + 1];
                        Storage cs = candidate().allocate(ce.length);
                        if (column) {
                            ref.broadcastColumn(op, rows, cols, Arrays2.host(a), 1, lda, Arrays2.host(v), 1,
                                    Arrays2.host(ce), 0, ldc);
                            candidate().broadcastColumn(op, rows, cols, Arrays2.store(candidate(), a), 1, lda,
                                    Arrays2.store(candidate(), v), 1, cs, 0, ldc);
                        } else {
                            ref.broadcastRow(op, rows, cols, Arrays2.host(a), 1, lda, Arrays2.host(v), 1,
                                    Arrays2.host(ce), 0, ldc);
                            candidate().broadcastRow(op, rows, cols, Arrays2.store(candidate(), a), 1, lda,
                                    Arrays2.store(candidate(), v), 1, cs, 0, ldc);
                        }
                        assertClose(ce, Arrays2.fetch(candidate(), cs), 0,
                                (column ? "broadcastColumn " : "broadcastRow ") + op + " " + rows + "x" + cols);
                    }
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> reductions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : matrixShapes()) {
            int rows = s[0], cols = s[1];
            for (ReduceOp op : ReduceOp.values()) {
                tests.add(DynamicTest.dynamicTest("reduce " + op + " " + rows + "x" + cols,
                        () -> checkReduce(op, rows, cols)));
            }
        }
        return tests;
    }

    private void checkReduce(ReduceOp op, int rows, int cols) {
        SplittableRandom r = rng(op.ordinal() * 7 + rows * 10007 + cols);
        int lda = cols + 3;
        float[] a = Arrays2.uniform(r, rows * lda + 2, -4, 4);
        String what = op + " " + rows + "x" + cols;
        // Rows
        float[] oe = new float[rows + 1];
        ref.reduceRows(op, rows, cols, Arrays2.host(a), 2, lda, Arrays2.host(oe), 1);
        Storage os = candidate().allocate(rows + 1);
        candidate().reduceRows(op, rows, cols, Arrays2.store(candidate(), a), 2, lda, os, 1);
        assertReduced(oe, Arrays2.fetch(candidate(), os), op, cols, 4, "reduceRows " + what);
        // Columns
        float[] ce = new float[cols + 1];
        ref.reduceColumns(op, rows, cols, Arrays2.host(a), 2, lda, Arrays2.host(ce), 1);
        Storage cs = candidate().allocate(cols + 1);
        candidate().reduceColumns(op, rows, cols, Arrays2.store(candidate(), a), 2, lda, cs, 1);
        assertReduced(ce, Arrays2.fetch(candidate(), cs), op, rows, 4, "reduceColumns " + what);
        // All (contiguous run of rows * cols)
        int n = rows * cols;
        float[] ae = new float[1];
        ref.reduceAll(op, n, Arrays2.host(a), 2, Arrays2.host(ae), 0);
        Storage as = candidate().allocate(1);
        candidate().reduceAll(op, n, Arrays2.store(candidate(), a), 2, as, 0);
        assertReduced(ae, Arrays2.fetch(candidate(), as), op, n, 4, "reduceAll " + what);
        // Backward rules
        float[] dyr = Arrays2.uniform(r, rows + 1, -1, 1), dyc = Arrays2.uniform(r, cols + 1, -1, 1);
        float[] dx0 = Arrays2.uniform(r, rows * lda + 2, -1, 1);
        float[] dxe = dx0.clone();
        ref.reduceRowsBackward(op, rows, cols, Arrays2.host(a), 2, lda, Arrays2.host(oe), 1, Arrays2.host(dyr), 1,
                Arrays2.host(dxe), 2, lda);
        Storage dxs = Arrays2.store(candidate(), dx0);
        candidate().reduceRowsBackward(op, rows, cols, Arrays2.store(candidate(), a), 2, lda,
                Arrays2.store(candidate(), oe), 1, Arrays2.store(candidate(), dyr), 1, dxs, 2, lda);
        assertAccumulated(dxe, Arrays2.fetch(candidate(), dxs), dx0, 8, "reduceRowsBackward " + what);
        dxe = dx0.clone();
        ref.reduceColumnsBackward(op, rows, cols, Arrays2.host(a), 2, lda, Arrays2.host(ce), 1, Arrays2.host(dyc), 1,
                Arrays2.host(dxe), 2, lda);
        dxs = Arrays2.store(candidate(), dx0);
        candidate().reduceColumnsBackward(op, rows, cols, Arrays2.store(candidate(), a), 2, lda,
                Arrays2.store(candidate(), ce), 1, Arrays2.store(candidate(), dyc), 1, dxs, 2, lda);
        assertAccumulated(dxe, Arrays2.fetch(candidate(), dxs), dx0, 8, "reduceColumnsBackward " + what);
    }

    @Test
    void logsumexpOfInfinities() {
        float ninf = Float.NEGATIVE_INFINITY;
        float[] a = {ninf, ninf, ninf, 1f, ninf, 2f, Float.POSITIVE_INFINITY, 0f, Float.NaN, 3f};
        for (int[] s : new int[][] {{5, 2}, {2, 5}}) {
            float[] ce = new float[s[1]], re = new float[s[0]];
            ref.reduceColumns(ReduceOp.LOGSUMEXP, s[0], s[1], Arrays2.host(a), 0, s[1], Arrays2.host(ce), 0);
            ref.reduceRows(ReduceOp.LOGSUMEXP, s[0], s[1], Arrays2.host(a), 0, s[1], Arrays2.host(re), 0);
            Storage cs = candidate().allocate(s[1]), rs = candidate().allocate(s[0]);
            candidate().reduceColumns(ReduceOp.LOGSUMEXP, s[0], s[1], Arrays2.store(candidate(), a), 0, s[1], cs, 0);
            candidate().reduceRows(ReduceOp.LOGSUMEXP, s[0], s[1], Arrays2.store(candidate(), a), 0, s[1], rs, 0);
            assertClose(ce, Arrays2.fetch(candidate(), cs), 8, "logsumexp columns with infinities");
            assertClose(re, Arrays2.fetch(candidate(), rs), 8, "logsumexp rows with infinities");
        }
    }

    // ---- data movement and optimizer ------------------------------------------------------------------------------

    @TestFactory
    List<DynamicTest> movement() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : matrixShapes()) {
            int rows = s[0], cols = s[1];
            tests.add(DynamicTest.dynamicTest("copy/gather/scatter " + rows + "x" + cols, () -> {
                SplittableRandom r = rng(rows * 31 + cols);
                float[] a = Arrays2.uniform(r, rows * cols + 1, -1, 1);
                float[] de = new float[rows * (cols + 2) + 1];
                ref.copy2d(rows, cols, Arrays2.host(a), 1, cols, Arrays2.host(de), 1, cols + 2);
                Storage ds = candidate().allocate(de.length);
                candidate().copy2d(rows, cols, Arrays2.store(candidate(), a), 1, cols, ds, 1, cols + 2);
                assertClose(de, Arrays2.fetch(candidate(), ds), 0, "copy2d");
                if (rows > 0) {
                    int[] ri = r.ints(rows + 2, 0, rows).toArray();
                    float[] ge = new float[ri.length * cols];
                    ref.gatherRows(ri, cols, Arrays2.host(a), 1, cols, Arrays2.host(ge), 0, cols);
                    Storage gs = candidate().allocate(ge.length);
                    candidate().gatherRows(ri, cols, Arrays2.store(candidate(), a), 1, cols, gs, 0, cols);
                    assertClose(ge, Arrays2.fetch(candidate(), gs), 0, "gatherRows");
                    float[] se = a.clone();
                    ref.scatterAddRows(ri, cols, Arrays2.host(ge), 0, cols, Arrays2.host(se), 1, cols);
                    Storage ss = Arrays2.store(candidate(), a);
                    candidate().scatterAddRows(ri, cols, Arrays2.store(candidate(), ge), 0, cols, ss, 1, cols);
                    assertClose(se, Arrays2.fetch(candidate(), ss), 0, "scatterAddRows");
                }
                if (cols > 0) {
                    int[] ci = r.ints(cols + 3, 0, cols).toArray();
                    float[] ge = new float[rows * ci.length];
                    ref.gatherColumns(ci, rows, Arrays2.host(a), 1, cols, Arrays2.host(ge), 0, ci.length);
                    Storage gs = candidate().allocate(ge.length);
                    candidate().gatherColumns(ci, rows, Arrays2.store(candidate(), a), 1, cols, gs, 0, ci.length);
                    assertClose(ge, Arrays2.fetch(candidate(), gs), 0, "gatherColumns");
                    float[] se = a.clone();
                    ref.scatterAddColumns(ci, rows, Arrays2.host(ge), 0, ci.length, Arrays2.host(se), 1, cols);
                    Storage ss = Arrays2.store(candidate(), a);
                    candidate().scatterAddColumns(ci, rows, Arrays2.store(candidate(), ge), 0, ci.length, ss, 1, cols);
                    assertClose(se, Arrays2.fetch(candidate(), ss), 0, "scatterAddColumns");
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> adam() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : withLarge()) {
            tests.add(DynamicTest.dynamicTest("adamStep n=" + n, () -> {
                SplittableRandom r = rng(n * 3 + 1);
                float[] p = Arrays2.uniform(r, n, -1, 1), g = Arrays2.uniform(r, n, -1, 1);
                float[] m = Arrays2.uniform(r, n, -0.1, 0.1), v = Arrays2.uniform(r, n, 0, 0.01);
                float[][] e = {p.clone(), m.clone(), v.clone()};
                ref.adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, Arrays2.host(e[0]), 0, Arrays2.host(g), 0,
                        Arrays2.host(e[1]), 0, Arrays2.host(e[2]), 0);
                Storage ps = Arrays2.store(candidate(), p), ms = Arrays2.store(candidate(), m);
                Storage vs = Arrays2.store(candidate(), v);
                candidate().adamStep(n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, ps, 0,
                        Arrays2.store(candidate(), g), 0, ms, 0, vs, 0);
                assertClose(e[1], Arrays2.fetch(candidate(), ms), 2, "adam m");
                assertClose(e[2], Arrays2.fetch(candidate(), vs), 4, "adam v");
                // The step itself is lr-sized; compare it with 8 ulps of the parameter.
                assertClose(e[0], Arrays2.fetch(candidate(), ps), 8, "adam param");
            }));
        }
        return tests;
    }

    /**
     * The multi-tensor kernels of a training step (clipping's global norm and scale, zeroing, Adam) against the
     * single-tensor reference kernels on each tensor: tensors of every conformance size at once, 0 included.
     */
    @TestFactory
    List<DynamicTest> severalTensorsAtOnce() {
        int[] sizes = withLarge();
        SplittableRandom r = rng(7919);
        float[][] xs = new float[sizes.length][];
        for (int t = 0; t < sizes.length; t++) xs[t] = Arrays2.uniform(r, sizes[t], -1, 1);
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("sumOfSquares over " + sizes.length + " tensors", () -> {
            double e = 0;
            int longest = 0;
            for (float[] x : xs) {
                e += ref.dot(x.length, Arrays2.host(x), 0, Arrays2.host(x), 0);
                longest = Math.max(longest, x.length);
            }
            double got = candidate().sumOfSquares(stores(xs), sizes);
            // Each tensor's sum as a float32 sum of its terms may be (the candidate's dot), all terms positive.
            assertEquals(e, got, 2 * (longest + 2) * U * e + 1e-30, ctx("sumOfSquares"));
        }));
        tests.add(DynamicTest.dynamicTest("scaleMany and zeroMany over " + sizes.length + " tensors", () -> {
            Storage[] st = stores(xs);
            candidate().scaleMany(-0.37f, st, sizes);
            for (int t = 0; t < xs.length; t++) {
                float[] e = new float[xs[t].length];
                ref.affine(e.length, -0.37f, 0f, Arrays2.host(xs[t]), 0, Arrays2.host(e), 0);
                assertClose(e, Arrays2.fetch(candidate(), st[t]), 0, "scaleMany tensor " + t);
            }
            candidate().zeroMany(st, sizes);
            for (int t = 0; t < xs.length; t++) {
                assertClose(new float[xs[t].length], Arrays2.fetch(candidate(), st[t]), 0, "zeroMany tensor " + t);
            }
        }));
        tests.add(DynamicTest.dynamicTest("adamStepMany over " + sizes.length + " tensors", () -> {
            int k = sizes.length;
            float[][] p = new float[k][], g = new float[k][], m = new float[k][], v = new float[k][];
            Storage[] ps = new Storage[k], gs = new Storage[k], ms = new Storage[k], vs = new Storage[k];
            for (int t = 0; t < k; t++) {
                int n = sizes[t];
                p[t] = Arrays2.uniform(r, n, -1, 1);
                g[t] = Arrays2.uniform(r, n, -1, 1);
                m[t] = Arrays2.uniform(r, n, -0.1, 0.1);
                v[t] = Arrays2.uniform(r, n, 0, 0.01);
                ps[t] = Arrays2.store(candidate(), p[t]);
                gs[t] = Arrays2.store(candidate(), g[t]);
                ms[t] = Arrays2.store(candidate(), m[t]);
                vs[t] = Arrays2.store(candidate(), v[t]);
            }
            candidate().adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, ps, gs, ms, vs, sizes);
            for (int t = 0; t < k; t++) {
                float[][] e = {p[t].clone(), m[t].clone(), v[t].clone()};
                ref.adamStep(sizes[t], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, Arrays2.host(e[0]), 0,
                        Arrays2.host(g[t]), 0, Arrays2.host(e[1]), 0, Arrays2.host(e[2]), 0);
                assertClose(e[1], Arrays2.fetch(candidate(), ms[t]), 2, "adamStepMany m, tensor " + t);
                assertClose(e[2], Arrays2.fetch(candidate(), vs[t]), 4, "adamStepMany v, tensor " + t);
                assertClose(e[0], Arrays2.fetch(candidate(), ps[t]), 8, "adamStepMany param, tensor " + t);
            }
        }));
        tests.add(DynamicTest.dynamicTest("addManyAndSumSquares is axpy and sumOfSquares, bit for bit", () -> {
            // Three parts (the first unused, as in the trainer's bookkeeping), on this backend's own kernels.
            int k = sizes.length;
            float[][] d = new float[k][], p1 = new float[k][], p2 = new float[k][];
            for (int t = 0; t < k; t++) {
                d[t] = Arrays2.uniform(r, sizes[t], -1, 1);
                p1[t] = Arrays2.uniform(r, sizes[t], -1, 1);
                p2[t] = Arrays2.uniform(r, sizes[t], -1, 1);
            }
            Storage[] expected = stores(d), got = stores(d), s1 = stores(p1), s2 = stores(p2);
            for (Storage[] part : new Storage[][] {s1, s2}) {
                for (int t = 0; t < k; t++) candidate().axpy(sizes[t], 1f, part[t], 0, expected[t], 0);
            }
            double e = candidate().sumOfSquares(expected, sizes);
            double g = candidate().addManyAndSumSquares(got, new Storage[][] {null, s1, s2}, sizes);
            assertEquals(e, g, 0.0, ctx("addManyAndSumSquares: sum of squares"));
            for (int t = 0; t < k; t++) {
                assertClose(Arrays2.fetch(candidate(), expected[t]), Arrays2.fetch(candidate(), got[t]), 0,
                        "addManyAndSumSquares tensor " + t);
                assertClose(p1[t], Arrays2.fetch(candidate(), s1[t]), 0, "addManyAndSumSquares left part 1, tensor " + t);
            }
        }));
        tests.add(DynamicTest.dynamicTest("adamStepMany with a gradient scale (and zeroing) is scaleMany, the step and zeroMany", () -> {
            int k = sizes.length;
            float[][] p = new float[k][], g = new float[k][], m = new float[k][], v = new float[k][];
            for (int t = 0; t < k; t++) {
                p[t] = Arrays2.uniform(r, sizes[t], -1, 1);
                g[t] = Arrays2.uniform(r, sizes[t], -1, 1);
                m[t] = Arrays2.uniform(r, sizes[t], -0.1, 0.1);
                v[t] = Arrays2.uniform(r, sizes[t], 0, 0.01);
            }
            for (float scale : new float[] {0.3117f, 1f}) {
                boolean zero = scale == 1f;   // both flags tried, on the two scales
                Storage[] pe = stores(p), ge = stores(g), me = stores(m), ve = stores(v);
                Storage[] pg = stores(p), gg = stores(g), mg = stores(m), vg = stores(v);
                if (scale != 1f) candidate().scaleMany(scale, ge, sizes);
                candidate().adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, pe, ge, me, ve, sizes);
                candidate().adamStepMany(1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, scale, zero, pg, gg, mg, vg,
                        sizes);
                for (int t = 0; t < k; t++) {
                    String what = "scale " + scale + ", tensor " + t;
                    if (zero) {
                        assertClose(new float[sizes[t]], Arrays2.fetch(candidate(), gg[t]), 0, "zeroed grads, " + what);
                    }
                    assertClose(Arrays2.fetch(candidate(), pe[t]), Arrays2.fetch(candidate(), pg[t]), 0, "param, " + what);
                    assertClose(Arrays2.fetch(candidate(), me[t]), Arrays2.fetch(candidate(), mg[t]), 0, "m, " + what);
                    assertClose(Arrays2.fetch(candidate(), ve[t]), Arrays2.fetch(candidate(), vg[t]), 0, "v, " + what);
                }
            }
        }));
        return tests;
    }

    private Storage[] stores(float[][] xs) {
        Storage[] st = new Storage[xs.length];
        for (int t = 0; t < xs.length; t++) st[t] = Arrays2.store(candidate(), xs[t]);
        return st;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private int[] withLarge() {
        return IntStream.concat(IntStream.of(sizes()), IntStream.of(100_003)).toArray();
    }

    private void assertClose(float[] expected, float[] actual, int ulps, String what) {
        assertEquals(expected.length, actual.length, ctx(what) + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], g = actual[i];
            if (Float.isNaN(e) && Float.isNaN(g)) continue;
            if (e == g) continue;
            double tol = ulps * (double) Math.ulp(e);
            if (ulps > 0) tol = Math.max(tol, Float.MIN_NORMAL);  // results that underflow may flush to zero
            if (!(Math.abs((double) e - g) <= tol)) {
                fail(ctx(what) + ": [" + i + "] = " + g + ", reference " + e + " (" + ulps + " ulps allowed)");
            }
        }
    }

    /** For kernels that add to an output: the tolerance is in ulps of the larger of the old value and the update. */
    private void assertAccumulated(float[] expected, float[] actual, float[] initial, int ulps, String what) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], g = actual[i];
            if (e == g || Float.isNaN(e) && Float.isNaN(g)) continue;
            double scale = Math.max(Math.abs(initial[i]), Math.abs((double) e - initial[i]));
            double tol = ulps * (double) Math.ulp((float) scale) + Float.MIN_NORMAL;
            if (!(Math.abs((double) e - g) <= tol)) {
                fail(ctx(what) + ": [" + i + "] = " + g + ", reference " + e + ", tolerance " + tol);
            }
        }
    }

    private void assertFma(float[] expected, float[] actual, float[] y, float[] x, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 2 * Math.max(Math.ulp(expected[i]), Math.ulp(y[i]));
            if (!(Math.abs((double) expected[i] - actual[i]) <= tol)) {
                fail(ctx(what) + ": [" + i + "] = " + actual[i] + ", reference " + expected[i]);
            }
        }
    }

    private void assertReduced(float[] expected, float[] actual, ReduceOp op, int n, int ulps, String what) {
        if (op == ReduceOp.MAX) {
            assertClose(expected, actual, 0, what);
            return;
        }
        // Sums of values in [-4, 4]: the float32 sum bound with Σ|x| ≤ 4n; logsumexp adds a few ulps.
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], g = actual[i];
            if (e == g || Float.isNaN(e) && Float.isNaN(g)) continue;
            double tol = op == ReduceOp.SUM ? 2 * (n + 2) * U * 4.0 * n + 1e-30
                    : ulps * (double) Math.ulp(e) + 2 * (n + 2) * U;
            if (!(Math.abs((double) e - g) <= tol)) {
                fail(ctx(what) + ": [" + i + "] = " + g + ", reference " + e + ", tolerance " + tol);
            }
        }
    }
}
