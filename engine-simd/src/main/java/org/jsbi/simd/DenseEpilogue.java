package org.jsbi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What a dense layer does after its product, in one pass over the output: y = tanh(y + b + addend), b broadcast
 * along each row (one value per output unit), the addend optional. The unfused layer ({@code Backend.denseForward}'s
 * default) makes three passes of its own, a bias add, an addend add and tanh; this computes per element the same
 * operations in the same order, ((y + b) + addend) then tanh, so the values are the same bits.
 *
 * <p>The reference is that default (bias by {@code broadcastColumn}, addend by {@code binary}, tanh by {@code
 * unary}); {@code DenseForwardConformanceTest} holds this to it bit for bit (10 and 50 inputs, every width), {@code
 * SimdAllocationTest} keeps its vectors unboxed, and {@code DenseForwardBench} times the layer (inputs 10 and 50).
 * Each variant is a method of its own with one call site of {@link SimdMath#tanh}, and the compiler directive keeps
 * callers from inlining them ({@link JitDirectives}): the two earlier tries at this fusion (sessions 27 and 30) found
 * no gain, and a first version here with a loop per part of a row pair, three inlined copies of tanh in one method,
 * passed C2's inlining budget and ran boxed (57 KB of garbage and twice the unfused time per 50 x 200 layer).
 */
final class DenseEpilogue {

    private static final int L = SimdConfig.LANES;
    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;
    /** Lane l holds l. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);
    private static final ThreadLocal<float[]> PAD = ThreadLocal.withInitial(() -> new float[L]);

    private DenseEpilogue() {
    }

    /**
     * Rows [r0, r1) of an m x n block at y[yOff] (row stride n): y = tanh(y + b[bOff + r] + addend) with the addend
     * at addend[aOff] (row stride n; null: none).
     */
    static void biasTanh(int n, float[] y, int yOff, float[] b, int bOff, float[] addend, int aOff, int r0, int r1) {
        int r = r0;
        if (n % L == L / 2) {
            // Two rows of half a vector past a whole number (200 = 12.5 x 16) are a whole number of vectors, the
            // middle one half each row's: the bias vector is blended there.
            for (; r + 1 < r1; r += 2) {
                int at = yOff + r * n, ad = aOff + r * n;
                if (addend == null) {
                    pair(n, y, at, b[bOff + r], b[bOff + r + 1]);
                } else {
                    pairWithAddend(n, y, at, b[bOff + r], b[bOff + r + 1], addend, ad);
                }
            }
        }
        for (; r < r1; r++) {
            int at = yOff + r * n;
            int full = n - n % L;
            if (addend == null) {
                row(full, y, at, b[bOff + r]);
            } else {
                rowWithAddend(full, y, at, b[bOff + r], addend, aOff + r * n);
            }
            if (full < n) tail(n - full, y, at + full, b[bOff + r], addend, addend == null ? 0 : aOff + r * n + full);
        }
    }

    /**
     * Two rows of n = (h + 1/2)·L values as 2h + 1 vectors, the bias of the second row from lane n − q·L of vector q
     * on: one loop, so one call site of tanh.
     */
    private static void pair(int n, float[] y, int at, float bi, float bn) {
        FloatVector vi = FloatVector.broadcast(S, bi), vn = FloatVector.broadcast(S, bn);
        int vectors = 2 * (n / L) + 1;
        for (int q = 0, i = at; q < vectors; q++, i += L) {
            FloatVector bias = vi.blend(vn, IOTA.compare(VectorOperators.GE, (float) (n - q * L)));
            SimdMath.tanh(FloatVector.fromArray(S, y, i).add(bias)).intoArray(y, i);
        }
    }

    private static void pairWithAddend(int n, float[] y, int at, float bi, float bn, float[] a, int ad) {
        FloatVector vi = FloatVector.broadcast(S, bi), vn = FloatVector.broadcast(S, bn);
        int vectors = 2 * (n / L) + 1;
        for (int q = 0, i = at, j = ad; q < vectors; q++, i += L, j += L) {
            FloatVector bias = vi.blend(vn, IOTA.compare(VectorOperators.GE, (float) (n - q * L)));
            SimdMath.tanh(FloatVector.fromArray(S, y, i).add(bias).add(FloatVector.fromArray(S, a, j))).intoArray(y, i);
        }
    }

    private static void row(int full, float[] y, int at, float bias) {
        FloatVector v = FloatVector.broadcast(S, bias);
        for (int i = at; i < at + full; i += L) SimdMath.tanh(FloatVector.fromArray(S, y, i).add(v)).intoArray(y, i);
    }

    private static void rowWithAddend(int full, float[] y, int at, float bias, float[] a, int ad) {
        FloatVector v = FloatVector.broadcast(S, bias);
        for (int i = 0; i < full; i += L) {
            SimdMath.tanh(FloatVector.fromArray(S, y, at + i).add(v).add(FloatVector.fromArray(S, a, ad + i)))
                    .intoArray(y, at + i);
        }
    }

    /** The last count &lt; L elements of a row: the sums in scalar code, tanh on a zero-padded vector. */
    private static void tail(int count, float[] y, int at, float bias, float[] a, int ad) {
        float[] pad = PAD.get();
        for (int q = 0; q < count; q++) {
            float s = y[at + q] + bias;
            pad[q] = a == null ? s : s + a[ad + q];
        }
        java.util.Arrays.fill(pad, count, L, 0f);
        SimdMath.tanh(FloatVector.fromArray(S, pad, 0)).intoArray(pad, 0);
        System.arraycopy(pad, 0, y, at, count);
    }
}
