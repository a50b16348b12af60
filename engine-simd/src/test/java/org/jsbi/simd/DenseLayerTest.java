package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.backend.UnaryOp;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * {@code Tape.dense} against the same layers built from separate ops, on the scalar and the SIMD backend: forward
 * values, every parameter's gradient and the input's gradient must be bit-identical. The graph is a small MADE-like
 * stack with everything the fusion changes: an addend that is itself a fused layer (MADE's context term), a chain
 * of fused layers (so an input gradient is written by its first contribution, beta = 0, not added to zeros), a
 * fan-out (a hidden layer read by two layers: the second contribution adds), a masked and an unmasked layer, an
 * identity output, and a leaf input whose gradient already exists. Column counts 13 and 200 cover the vector tails
 * and the training batch; activations TANH, SIGMOID and RELU (the fused ones).
 */
class DenseLayerTest {

    private static final long SEED = TestSeeds.seed(424242L);

    @Test
    void denseIsBitIdenticalToTheUnfusedOps() {
        for (Backend be : new Backend[] {new ScalarBackend(), new SimdBackend()}) {
            for (UnaryOp f : new UnaryOp[] {UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU}) {
                for (int n : new int[] {13, 200}) {
                    Net net = new Net(be, 5, 3, 9, n, new SplittableRandom(SEED + n));
                    Result unfused = net.run(f, false);
                    Result fused = net.run(f, true);
                    String what = be.name() + " " + f + " n=" + n + ": ";
                    assertArrayEquals(unfused.values, fused.values, what + "values");
                    for (int i = 0; i < unfused.grads.size(); i++) {
                        assertArrayEquals(unfused.grads.get(i), fused.grads.get(i), what + "gradient " + i);
                    }
                }
            }
        }
    }

    @Test
    void badShapesAndUnfusedActivationsAreRefused() {
        Backend be = new ScalarBackend();
        Tape t = Tape.recording(be);
        Var w = t.variable(Tensor.zeros(be, 4, 3)), x = t.variable(Tensor.zeros(be, 3, 5));
        Var b = t.variable(Tensor.zeros(be, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> t.dense(w, null, t.variable(Tensor.zeros(be, 2, 5)), b, null,
                UnaryOp.TANH));
        assertThrows(IllegalArgumentException.class, () -> t.dense(w, Tensor.zeros(be, 3, 4), x, b, null, null));
        assertThrows(IllegalArgumentException.class, () -> t.dense(w, null, x, t.variable(Tensor.zeros(be, 4, 2)),
                null, null));
        assertThrows(IllegalArgumentException.class, () -> t.dense(w, null, x, b, t.variable(Tensor.zeros(be, 4, 4)),
                null));
        assertThrows(IllegalArgumentException.class, () -> t.dense(w, null, x, b, null, UnaryOp.SOFTPLUS));
    }

    private record Result(float[] values, List<float[]> grads) {
    }

    /** in (d x n) and ctx (c x n) through context, initial (masked, + context), block (masked), a fan-out and output. */
    private static final class Net {
        final Backend be;
        final int d, c, h, n;
        final Parameter wc, bc, w0, b0, w1, b1, w2, b2, wo, bo;
        final Tensor m0, m1, mo, in, ctx, seedOut, seedFan;

        Net(Backend be, int d, int c, int h, int n, SplittableRandom rnd) {
            this.be = be;
            this.d = d;
            this.c = c;
            this.h = h;
            this.n = n;
            wc = param(be, "wc", h, c, rnd);
            bc = param(be, "bc", h, 1, rnd);
            w0 = param(be, "w0", h, d, rnd);
            b0 = param(be, "b0", h, 1, rnd);
            w1 = param(be, "w1", h, h, rnd);
            b1 = param(be, "b1", h, 1, rnd);
            w2 = param(be, "w2", h, h, rnd);
            b2 = param(be, "b2", h, 1, rnd);
            wo = param(be, "wo", 2 * d, h, rnd);
            bo = param(be, "bo", 2 * d, 1, rnd);
            m0 = mask(be, h, d, rnd);
            m1 = mask(be, h, h, rnd);
            mo = mask(be, 2 * d, h, rnd);
            in = random(be, d, n, rnd);
            ctx = random(be, c, n, rnd);
            seedOut = random(be, 2 * d, n, rnd);
            seedFan = random(be, h, n, rnd);
        }

        Result run(UnaryOp f, boolean fused) {
            Parameter[] ps = {wc, bc, w0, b0, w1, b1, w2, b2, wo, bo};
            for (Parameter p : ps) p.zeroGrad();
            Tape t = Tape.recording(be);
            Var x = t.variable(in);   // a leaf: its gradient exists before any contribution
            Var cx = t.constant(ctx);
            Var cTerm = layer(t, fused, wc, null, cx, null, f);
            Var h0 = layer(t, fused, w0, m0, x, cTerm, f);
            Var h1 = layer(t, fused, w1, m1, h0, null, f);
            Var fan = layer(t, fused, w2, null, h0, null, f);          // h0 read twice
            Var out = layer(t, fused, wo, mo, h1, null, null);
            Var loss = t.add(t.sum(t.mul(out, t.constant(seedOut))), t.sum(t.mul(fan, t.constant(seedFan))));
            t.backward(loss);
            List<float[]> grads = new ArrayList<>();
            for (Parameter p : ps) grads.add(p.grad().toArray());
            grads.add(x.grad().toArray());
            float[] o = out.value().toArray(), fv = fan.value().toArray();
            float[] values = new float[o.length + fv.length];
            System.arraycopy(o, 0, values, 0, o.length);
            System.arraycopy(fv, 0, values, o.length, fv.length);
            return new Result(values, grads);
        }

        private Var layer(Tape t, boolean fused, Parameter w, Tensor mask, Var x, Var addend, UnaryOp f) {
            if (fused) return t.dense(t.param(w), mask, x, t.param(bOf(w)), addend, f);
            Var y = mask == null ? t.matmul(t.param(w), x) : t.maskedMatmul(t.param(w), mask, x);
            y = t.broadcastColumn(BinaryOp.ADD, y, t.param(bOf(w)));
            if (addend != null) y = t.add(y, addend);
            return f == null ? y : t.unary(f, y);
        }

        private Parameter bOf(Parameter w) {
            if (w == wc) return bc;
            if (w == w0) return b0;
            if (w == w1) return b1;
            if (w == w2) return b2;
            return bo;
        }

        private static Parameter param(Backend be, String name, int r, int c, SplittableRandom rnd) {
            return new Parameter(name, random(be, r, c, rnd));
        }

        private static Tensor random(Backend be, int r, int c, SplittableRandom rnd) {
            float[] a = new float[r * c];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
            return Tensor.of(be, r, c, a);
        }

        private static Tensor mask(Backend be, int r, int c, SplittableRandom rnd) {
            float[] a = new float[r * c];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextBoolean() ? 1f : 0f;
            return Tensor.of(be, r, c, a);
        }
    }
}
