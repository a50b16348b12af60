package org.jsbi.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Tape#backward(Var, java.util.function.Consumer)} tells each parameter gradient once, when it is final: the
 * data-parallel trainer starts adding a gradient up at that moment, so a tensor told early would be summed before
 * its last contribution.
 */
class GradientDoneTest {

    private final Backend be = new ScalarBackend();

    @Test
    void eachParameterGradientIsToldOnceWithItsFinalValue() {
        Rng rng = new Rng(5);
        Maf maf = new Maf(be, 3, 2, ZScore.identity(3), ZScore.identity(2),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(12), rng);
        float[] t = new float[3 * 21], xs = new float[2 * 21];
        for (int i = 0; i < t.length; i++) t[i] = (float) rng.nextGaussian();
        for (int i = 0; i < xs.length; i++) xs[i] = (float) rng.nextGaussian();
        Tensor theta = Tensor.of(be, 3, 21, t), x = Tensor.of(be, 2, 21, xs);
        Map<Tensor, float[]> atTell = new IdentityHashMap<>();
        List<Tensor> order = new ArrayList<>();
        Tape tape = Tape.recording(be);
        Var loss = tape.neg(tape.mean(maf.logProb(tape, tape.constant(theta), tape.constant(x))));
        tape.backward(loss, g -> {
            assertTrue(atTell.put(g, g.toArray()) == null, "told twice");
            order.add(g);
        });
        assertEquals(maf.parameters().size(), atTell.size(), "every parameter's gradient is told");
        for (Parameter p : maf.parameters()) {
            assertArrayEquals(p.grad().toArray(), atTell.get(p.grad()), p.name() + ": told before its last term");
        }
        // The last transform's parameters are finished first.
        List<Parameter> ps = maf.parameters();
        assertTrue(order.indexOf(ps.get(ps.size() - 1).grad()) < order.indexOf(ps.get(0).grad()));
    }

    @Test
    void aParameterReadTwiceIsToldAfterItsFirstReader() {
        Parameter w = new Parameter("w", Tensor.of(be, 1, 1, new float[] {2f}));
        Tape tape = Tape.recording(be);
        Var a = tape.param(w), b = tape.param(w);
        Var c = tape.constant(Tensor.of(be, 1, 1, new float[] {3f}));
        // y = (w · 3) · (w · 3) → dy/dw = 2 · 9 · w = 36
        Var y = tape.mul(tape.mul(a, c), tape.mul(b, c));
        float[] told = new float[1];
        int[] times = new int[1];
        tape.backward(y, g -> {
            told[0] = g.toArray()[0];
            times[0]++;
        });
        assertEquals(1, times[0]);
        assertEquals(36f, told[0]);
        assertEquals(36f, w.grad().toArray()[0]);
    }

    /**
     * On a tape arena the answer of which node finishes which gradient is kept from one backward pass to the next
     * while the graph is the same: two graphs taking turns on one arena, whose parameters are first read at other
     * nodes, must each be told at their own graph's points, with final values.
     */
    @Test
    void anArenaWhoseGraphChangesIsToldAtTheNewGraphsPoints() {
        Parameter w = new Parameter("w", Tensor.of(be, 1, 1, new float[] {2f}));
        Parameter v = new Parameter("v", Tensor.of(be, 1, 1, new float[] {-3f}));
        TapeArena arena = new TapeArena(be);
        for (int step = 0; step < 6; step++) {
            boolean first = step % 3 != 2;
            w.zeroGrad();
            v.zeroGrad();
            Tape tape = Tape.recording(be, null, arena);
            Var c = tape.constant(Tensor.of(be, 1, 1, new float[] {1.5f}));
            Var a = tape.param(w), b = tape.param(v);
            // First graph: y = (w·c)·(v·c) + w·v; second: y = (v·c)·(v·c) + w·c, w read last.
            Var y = first ? tape.add(tape.mul(tape.mul(a, c), tape.mul(b, c)), tape.mul(a, b))
                    : tape.add(tape.mul(tape.mul(b, c), tape.mul(b, c)), tape.mul(a, c));
            Map<Tensor, float[]> told = new IdentityHashMap<>();
            tape.backward(y, g -> assertTrue(told.put(g, g.toArray()) == null, "told twice"));
            assertEquals(2, told.size(), "step " + step);
            assertArrayEquals(w.grad().toArray(), told.get(w.grad()), "w, step " + step);
            assertArrayEquals(v.grad().toArray(), told.get(v.grad()), "v, step " + step);
            float dw = first ? 1.5f * 1.5f * -3f + -3f : 1.5f, dv = first ? 1.5f * 1.5f * 2f + 2f : 2 * 1.5f * 1.5f * -3f;
            assertEquals(dw, w.grad().toArray()[0], 1e-6f, "dy/dw, step " + step);
            assertEquals(dv, v.grad().toArray()[0], 1e-6f, "dy/dv, step " + step);
        }
    }
}
