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
}
