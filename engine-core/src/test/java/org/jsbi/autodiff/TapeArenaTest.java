package org.jsbi.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Tapes on an arena reuse its tensors step after step and compute exactly what fresh tapes compute. */
class TapeArenaTest {

    private Backend be = new ScalarBackend();

    private static float[] grads(Maf maf) {
        int n = 0;
        for (Parameter p : maf.parameters()) n += p.size();
        float[] out = new float[n];
        int o = 0;
        for (Parameter p : maf.parameters()) {
            float[] g = p.grad().toArray();
            System.arraycopy(g, 0, out, o, g.length);
            o += g.length;
        }
        return out;
    }

    private float[] step(Maf maf, Tensor theta, Tensor x, TapeArena arena) {
        for (Parameter p : maf.parameters()) p.grad().zero();
        Tape tape = arena == null ? Tape.recording(be) : Tape.recording(be, null, arena);
        Var loss = tape.neg(tape.mean(maf.logProb(tape, tape.constant(theta), tape.constant(x))));
        tape.backward(loss);
        return grads(maf);
    }

    @Test
    void sameGradientsAsFreshTapesAndNoNewTensorsAfterTheFirstStep() {
        Rng rng = new Rng(3);
        Maf maf = new Maf(be, 3, 2, ZScore.identity(3), ZScore.identity(2),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(12), rng);
        float[] t = new float[3 * 37], xs = new float[2 * 37];
        for (int i = 0; i < t.length; i++) t[i] = (float) rng.nextGaussian();
        for (int i = 0; i < xs.length; i++) xs[i] = (float) rng.nextGaussian();
        Tensor theta = Tensor.of(be, 3, 37, t), x = Tensor.of(be, 2, 37, xs);
        float[] fresh = step(maf, theta, x, null);
        TapeArena arena = new TapeArena(be);
        assertArrayEquals(fresh, step(maf, theta, x, arena));
        int held = arena.size();
        Tensor first = arena.take(1, 1, false);
        for (int k = 0; k < 3; k++) assertArrayEquals(fresh, step(maf, theta, x, arena), "step " + k);
        assertEquals(held + 1, arena.size(), "the same tensors serve every step");
        // And the same Vars: a node of one step's tape is the same object as the next step's.
        Tape t1 = Tape.recording(be, null, arena);
        Var v1 = maf.logProb(t1, t1.constant(theta), t1.constant(x));
        Tape t2 = Tape.recording(be, null, arena);
        assertSame(v1, maf.logProb(t2, t2.constant(theta), t2.constant(x)));
        arena.rewind();
        for (int i = 0; i < held; i++) arena.take(0, 0, false);
        assertSame(first, arena.take(1, 1, false));
    }

    /**
     * A backend that zeroes scratch in batches (as the GPU does) gets every gradient tensor zeroed when the tape starts
     * instead of when it is handed out: the gradients must be the same bits, also when the graph changes between
     * steps (a wider batch, then the first one again).
     */
    @Test
    void batchedZeroingGivesTheSameGradients() {
        Rng rng = new Rng(4);
        float[] t = new float[3 * 37], xs = new float[2 * 37], t2 = new float[3 * 41], x2 = new float[2 * 41];
        for (float[] a : new float[][] {t, xs, t2, x2}) {
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        }
        float[][] expected = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            be = pass == 0 ? new ScalarBackend() : new ScalarBackend() {
                @Override
                public boolean zeroesScratchInBatches() {
                    return true;
                }
            };
            Maf maf = new Maf(be, 3, 2, ZScore.identity(3), ZScore.identity(2),
                    MafConfig.defaults().withTransforms(2).withHiddenFeatures(12), new Rng(5));
            Tensor theta = Tensor.of(be, 3, 37, t), x = Tensor.of(be, 2, 37, xs);
            Tensor theta2 = Tensor.of(be, 3, 41, t2), xw = Tensor.of(be, 2, 41, x2);
            TapeArena arena = new TapeArena(be);
            step(maf, theta, x, arena);
            step(maf, theta, x, arena);
            float[] wide = step(maf, theta2, xw, arena);
            float[] again = step(maf, theta, x, arena);
            if (pass == 0) {
                expected = new float[][] {wide, again};
            } else {
                assertArrayEquals(expected[0], wide, "after a change of shape");
                assertArrayEquals(expected[1], again, "after changing back");
            }
        }
    }
    /**
     * Evaluation passes of different sizes on one arena (as MAF sampling's passes): a pooled tensor takes a new shape
     * as a view of its storage where it fits, so a pass no bigger than an earlier one allocates nothing, and the
     * values are those of a fresh tape, zeroed tensors included.
     */
    @Test
    void passesOfOtherShapesReuseStorageThatFits() {
        long[] allocated = {0};
        Backend be = new ScalarBackend() {
            @Override
            public org.jsbi.tensor.Storage allocate(int length) {
                allocated[0] += length;
                return super.allocate(length);
            }
        };
        TapeArena arena = new TapeArena(be);
        Rng rng = new Rng(5);
        int[][] shapes = {{6, 40}, {3, 40}, {6, 17}, {2, 5}, {6, 40}};
        int after = -1;
        for (int[] sh : shapes) {
            float[] a = new float[sh[0] * sh[1]], b = new float[sh[0] * sh[1]];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
                b[i] = (float) rng.nextGaussian();
            }
            Tape fresh = Tape.noGrad(be), pooled = Tape.noGrad(be, arena);
            float[] want = evaluate(fresh, Tensor.of(be, sh[0], sh[1], a), Tensor.of(be, sh[0], sh[1], b));
            Tensor ta = Tensor.of(be, sh[0], sh[1], a), tb = Tensor.of(be, sh[0], sh[1], b);
            long before = allocated[0];
            float[] got = evaluate(pooled, ta, tb);
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, sh[0] + " x " + sh[1]);
            // After the first (largest) pass, the pooled tape allocates only evaluate's own constant of zeros.
            if (after >= 0) {
                org.junit.jupiter.api.Assertions.assertEquals(sh[0] * sh[1], allocated[0] - before,
                        sh[0] + " x " + sh[1] + ": floats allocated besides the constant");
            }
            after = 1;
        }
    }

    private static float[] evaluate(Tape t, Tensor a, Tensor b) {
        Var x = t.constant(a), y = t.constant(b);
        // zeros (a zeroed tensor), products, a reduction and elementwise ops of the passes' shapes
        Var z = t.add(t.mul(t.tanh(x), y), t.constant(Tensor.zeros(a.backend(), a.rows(), a.cols())));
        Var r = t.reduceColumns(org.jsbi.backend.ReduceOp.SUM, t.square(z));
        return t.add(t.sliceRows(z, 0, 1), t.scale(r, 0.5f)).value().toArray();
    }
}
