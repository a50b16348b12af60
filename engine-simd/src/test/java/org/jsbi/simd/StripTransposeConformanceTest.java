package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code SimdGemm.transpose}, which writes Bᵀ in strips of NR columns for the weight-gradient tile, against its
 * definition read element by element: on 16 lanes whole 16 x 16 blocks go through the butterfly of two-table
 * permutations ({@code transpose16}) and the rest through gathers and scalars, so the shapes cover k below, at and
 * past multiples of 16, n with and without a remainder of the lane count, and row strides that leave rows unaligned.
 * The destination starts as garbage, so a value the transpose fails to write shows.
 */
class StripTransposeConformanceTest {

    @TestFactory
    List<DynamicTest> transposeMatchesDefinition() {
        List<DynamicTest> tests = new ArrayList<>();
        int[][] shapes = {{50, 200}, {48, 192}, {16, 16}, {32, 17}, {20, 50}, {64, 200}, {10, 200}, {17, 15},
            {100, 112}, {50, 88}, {31, 33}, {1, 40}};
        for (int[] s : shapes) {
            for (int pad : new int[] {0, 3, 8}) {
                int n = s[0], k = s[1], ldb = k + pad;
                tests.add(DynamicTest.dynamicTest("n=" + n + " k=" + k + " ldb=" + ldb, () -> check(n, k, ldb)));
            }
        }
        return tests;
    }

    private static void check(int n, int k, int ldb) {
        int nr = SimdGemm.NR;
        int ldt = (n + nr - 1) / nr * nr;
        SplittableRandom r = new SplittableRandom(n * 1009L + k * 31L + ldb);
        int bOff = 5;
        float[] b = new float[bOff + n * ldb];
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        float[] t = new float[ldt * k];
        java.util.Arrays.fill(t, Float.NaN);
        SimdGemm.transpose(b, bOff, ldb, n, k, t, ldt, new float[16 * 16]);
        for (int j = 0; j < ldt; j++) {
            for (int p = 0; p < k; p++) {
                float want = j < n ? b[bOff + j * ldb + p] : 0f;
                float got = t[j / nr * k * nr + p * nr + j % nr];
                String at = "element (p, j) = (" + p + ", " + j + ") of Bᵀ";
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), at);
            }
        }
    }
}
