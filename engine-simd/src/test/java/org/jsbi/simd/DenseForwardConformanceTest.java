package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * {@code SimdBackend.denseForward} (on 512 bits, a layer fed by at most 4 inputs in one pass, {@code
 * SimdGemm.shortKDense}; with tanh and more inputs, or below 512 bits, the product and then bias, addend and tanh in
 * one pass, {@code DenseEpilogue}) against the unfused sequence it stands for on the same backend: the product (masked
 * or not), the bias, the addend and the activation in turn, bit for bit. Over 1–4, 5, 10 and 50 inputs, 1 to 51 rows, widths below, at and past a vector, the training batch and its halves, the validation's
 * chunk and one wide enough to be split over threads, with and without mask and addend, and every activation the
 * fused layer allows (SIGMOID and RELU take the unfused path). A conformance test by name, so the 128- and 256-bit
 * surefire executions run it too, where every case takes the unfused path.
 */
class DenseForwardConformanceTest {

    private static final long SEED = TestSeeds.seed(20261127L + 27);
    private final SimdBackend be = new SimdBackend();

    @Test
    void oneDenseForwardIsTheUnfusedSequence() {
        SplittableRandom r = new SplittableRandom(SEED);
        int cases = 0;
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int k : new int[] {1, 2, 3, 4, 5, 10, 50}) {
                    for (int m : new int[] {1, 4, 50, 51}) {
                        for (int n : new int[] {7, 16, 17, 88, 112, 200, 232, 12_000}) {
                            for (UnaryOp f : new UnaryOp[] {null, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU}) {
                                for (int variant = 0; variant < 4; variant++) {
                                    boolean masked = (variant & 1) != 0, added = (variant & 2) != 0;
                                    check(m, n, k, masked, added, f, r);
                                    cases++;
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertEquals(2 * 7 * 4 * 8 * 4 * 4, cases);
    }

    private void check(int m, int n, int k, boolean masked, boolean added, UnaryOp f, SplittableRandom r) {
        Storage w = data(m * k, 2f, r), x = data(k * n, 3f, r), b = data(m, 1f, r);
        Storage addend = added ? data(m * n, 2f, r) : null;
        Storage mask = null;
        if (masked) {
            float[] bits = new float[m * k];
            for (int i = 0; i < bits.length; i++) bits[i] = r.nextInt(3) == 0 ? 0f : 1f;
            mask = new HostStorage(bits);
        }
        // Output buffers offset into larger arrays, with garbage around them: nothing outside y may change.
        int yOff = 5;
        float[] fusedY = garbage(m * n + 9, r), unfusedY = fusedY.clone();
        be.denseForward(m, n, k, w, 0, mask, 0, x, 0, b, 0, addend, 0, f, new HostStorage(fusedY), yOff);
        Storage u = new HostStorage(unfusedY);
        if (mask == null) {
            be.gemm(false, false, m, n, k, 1f, w, 0, k, x, 0, n, 0f, u, yOff, n);
        } else {
            be.maskedGemm(false, m, n, k, w, 0, mask, 0, k, x, 0, n, 0f, u, yOff, n);
        }
        be.broadcastColumn(BinaryOp.ADD, m, n, u, yOff, n, b, 0, u, yOff, n);
        if (addend != null) be.binary(BinaryOp.ADD, m * n, u, yOff, addend, 0, u, yOff);
        if (f != null) be.unary(f, m * n, u, yOff, u, yOff);
        assertArrayEquals(unfusedY, fusedY, "m=" + m + " n=" + n + " k=" + k + (masked ? " masked" : "")
                + (added ? " + addend" : "") + " f=" + f + " threads=" + Parallel.threads());
    }

    private static Storage data(int n, float scale, SplittableRandom r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return new HostStorage(v);
    }

    private static float[] garbage(int n, SplittableRandom r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian() * 100;
        return v;
    }
}
