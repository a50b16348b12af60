package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ReduceOp;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * {@code Tape.affineFlow} on the SIMD backend (its fused kernels, {@code AffineFlowKernels}) against the same MAF
 * transform built from the primitives: the output, the log-determinant and every gradient bit for bit, over widths
 * below, at and past a vector, the training batch and wide enough to be split over threads, 1 to 10 rows, with and without a previous log-determinant,
 * with only one of the two outputs used, and with u's gradient already holding a contribution or not wanted at all.
 * The whole-model effect is pinned by TrainingBitPinTest (the MAF's trained weights did not change). A conformance
 * test by name, so the 128- and 256-bit surefire executions run it too: there the last partial vector goes through
 * zero-padded copies instead of masked loads.
 */
class AffineFlowConformanceTest {

    private static final long SEED = TestSeeds.seed(20261127L);
    private final Backend be = new SimdBackend();

    @Test
    void fusedTransformIsBitIdenticalToThePrimitives() {
        SplittableRandom r = new SplittableRandom(SEED);
        int cases = 0;
        for (int d : new int[] {1, 2, 3, 10}) {
            // 9,001 columns: split over threads (several blocks of columns) where more than one runs.
            for (int n : new int[] {1, 7, 16, 200, 203, 9001}) {
                for (int variant = 0; variant < 6; variant++) {
                    Case c = new Case(d, n, variant, r);
                    Result fused = c.run(true), composed = c.run(false);
                    String what = "d=" + d + " n=" + n + " variant " + variant + ": ";
                    assertArrayEquals(composed.out, fused.out, what + "output");
                    assertArrayEquals(composed.logDet, fused.logDet, what + "log-determinant");
                    assertArrayEquals(composed.dParams, fused.dParams, what + "parameters' gradient");
                    assertArrayEquals(composed.dU, fused.dU, what + "u's gradient");
                    assertArrayEquals(composed.dLogDetIn, fused.dLogDetIn, what + "previous log-determinant's gradient");
                    cases++;
                }
            }
        }
        assertTrue(cases == 144);
    }

    @Test
    void badShapesAndNonPermutationsAreRefused() {
        Tape t = Tape.recording(be);
        Var p = t.variable(Tensor.zeros(be, 4, 5)), u = t.variable(Tensor.zeros(be, 2, 5));
        assertThrows(IllegalArgumentException.class,
                () -> t.affineFlow(t.variable(Tensor.zeros(be, 3, 5)), u, 1e-3f, new int[] {0, 1}, null));
        assertThrows(IllegalArgumentException.class,
                () -> t.affineFlow(t.variable(Tensor.zeros(be, 4, 6)), u, 1e-3f, new int[] {0, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> t.affineFlow(p, u, 1e-3f, new int[] {0, 0}, null));
        assertThrows(IllegalArgumentException.class, () -> t.affineFlow(p, u, 1e-3f, new int[] {0}, null));
        assertThrows(IllegalArgumentException.class, () -> t.affineFlow(p, u, 1e-3f, new int[] {1, 2}, null));
        assertThrows(IllegalArgumentException.class,
                () -> t.affineFlow(p, u, 1e-3f, new int[] {1, 0}, t.variable(Tensor.zeros(be, 1, 4))));
        // Over 64 rows the check keeps its bits in an array: a repeat in the second word is refused, a permutation
        // passes.
        Var p70 = t.variable(Tensor.zeros(be, 140, 5)), u70 = t.variable(Tensor.zeros(be, 70, 5));
        int[] perm70 = new int[70];
        for (int i = 0; i < 70; i++) perm70[i] = 69 - i;
        t.affineFlow(p70, u70, 1e-3f, perm70, null);
        perm70[0] = 66;
        assertThrows(IllegalArgumentException.class, () -> t.affineFlow(p70, u70, 1e-3f, perm70, null));
        Tape scalar = Tape.recording(new org.jsbi.backend.ScalarBackend());
        Var sp = scalar.variable(Tensor.zeros(scalar.backend(), 4, 5));
        Var su = scalar.variable(Tensor.zeros(scalar.backend(), 2, 5));
        assertThrows(IllegalStateException.class, () -> scalar.affineFlow(sp, su, 1e-3f, new int[] {1, 0}, null));
    }

    private record Result(float[] out, float[] logDet, float[] dParams, float[] dU, float[] dLogDetIn) {
    }

    /**
     * Variants: 0 both outputs, no previous log-determinant; 1 both, with one; 2 the output alone; 3 the
     * log-determinant alone, with a previous one; 4 u needs no gradient; 5 u also feeds a term of its own (its
     * gradient holds a contribution when the transform's rule adds to it).
     */
    private final class Case {
        final int d, n, variant;
        final int[] perm;
        final float[] params, u, logDetIn, wOut, wLogDet, wU;

        Case(int d, int n, int variant, SplittableRandom r) {
            this.d = d;
            this.n = n;
            this.variant = variant;
            perm = new int[d];
            for (int i = 0; i < d; i++) perm[i] = i;
            for (int i = d - 1; i > 0; i--) {
                int j = r.nextInt(i + 1), tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            // Unconstrained scales over softplus's whole useful range, some large enough that scale is x itself.
            params = uniform(r, 2 * d * n, -6, 6);
            u = uniform(r, d * n, -3, 3);
            logDetIn = uniform(r, n, -5, 5);
            wOut = uniform(r, d * n, -1, 1);
            wLogDet = uniform(r, n, -1, 1);
            wU = uniform(r, d * n, -1, 1);
        }

        Result run(boolean fused) {
            Tape t = Tape.recording(be);
            Var p = t.variable(Tensor.of(be, 2 * d, n, params));
            Var x = variant == 4 ? t.constant(Tensor.of(be, d, n, u)) : t.variable(Tensor.of(be, d, n, u));
            Var prev = variant == 1 || variant == 3 ? t.variable(Tensor.of(be, 1, n, logDetIn)) : null;
            Var[] y = fused ? t.affineFlow(p, x, MafConfig.SCALE_FLOOR, perm, prev)
                    : Maf.affineTransformFromPrimitives(t, p, x, MafConfig.SCALE_FLOOR, perm, prev);
            Var loss = null;
            if (variant != 3) loss = weighted(t, y[0], wOut, d);
            if (variant != 2) loss = add(t, loss, weighted(t, y[1], wLogDet, 1));
            if (variant == 5) loss = add(t, loss, weighted(t, x, wU, d));
            t.backward(loss);
            if (variant == 4) assertNull(x.grad(), "a constant u gets no gradient");
            return new Result(y[0].value().toArray(), y[1].value().toArray(), p.grad().toArray(),
                    x.grad() == null ? new float[0] : x.grad().toArray(),
                    prev == null ? new float[0] : prev.grad().toArray());
        }

        private Var weighted(Tape t, Var v, float[] w, int rows) {
            return t.reduceAll(ReduceOp.SUM, t.mul(v, t.constant(Tensor.of(be, rows, n, w))));
        }

        private Var add(Tape t, Var a, Var b) {
            return a == null ? b : t.add(a, b);
        }
    }

    private static float[] uniform(SplittableRandom r, int size, double lo, double hi) {
        float[] a = new float[size];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(lo, hi);
        return a;
    }
}
