package org.jsbi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A {@link MaskedLinear} whose mask is all ones runs as an unmasked layer (MADE's hidden blocks at D = 2): its values
 * and gradients must be the bits of the explicitly masked layer, fused (with an activation and an addend) and not. A
 * mask with zeros still masks: those weights neither act nor get a gradient.
 */
class MaskedLinearTest {

    private final Backend be = new ScalarBackend();

    @Test
    void allOnesMaskGivesTheMaskedLayersBits() {
        int in = 6, out = 5, n = 13;
        float[] ones = new float[out * in];
        Arrays.fill(ones, 1f);
        MaskedLinear layer = new MaskedLinear(be, "l", Tensor.of(be, out, in, ones), new Rng(3));
        SplittableRandom r = new SplittableRandom(5);
        float[] xs = new float[in * n], adds = new float[out * n];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        for (int i = 0; i < adds.length; i++) adds[i] = (float) r.nextGaussian();
        for (Activation f : new Activation[] {Activation.TANH, Activation.IDENTITY}) {
            for (boolean withAddend : new boolean[] {false, true}) {
                float[][] fast = run(layer, xs, withAddend ? adds : null, f, n, false);
                float[][] masked = run(layer, xs, withAddend ? adds : null, f, n, true);
                for (int i = 0; i < fast.length; i++) {
                    assertArrayEquals(masked[i], fast[i], f + (withAddend ? " with addend" : "") + ", output " + i);
                }
            }
        }
    }

    @Test
    void zerosInTheMaskStillMask() {
        float[] mask = {1f, 0f, 1f, 1f, 1f, 0f};   // 2 x 3
        MaskedLinear layer = new MaskedLinear(be, "l", Tensor.of(be, 2, 3, mask), new Rng(4));
        Tape t = Tape.recording(be);
        Var x = t.variable(Tensor.of(be, 3, 4, new float[] {1, 2, 3, 4, -1, -2, -3, -4, 5, 6, 7, 8}));
        Var y = layer.forward(t, x, null, Activation.TANH);
        layer.weight().zeroGrad();
        t.backward(t.sum(y));
        float[] g = layer.weight().grad().toArray();
        assertEquals(0f, g[1], 0f, "a masked weight gets no gradient");
        assertEquals(0f, g[5], 0f, "a masked weight gets no gradient");
        // Changing a masked weight changes nothing.
        Tape plain = Tape.noGrad(be);
        float[] before = layer.forward(plain, plain.constant(x.value())).value().toArray();
        float[] w = layer.weight().value().toArray();
        w[1] += 10f;
        layer.weight().value().set(w);
        float[] after = layer.forward(plain, plain.constant(x.value())).value().toArray();
        assertArrayEquals(before, after);
    }

    /** Output, weight, bias and input gradients of sum(layer(x) [+ addend]) through the layer or built by hand. */
    private float[][] run(MaskedLinear layer, float[] xs, float[] adds, Activation f, int n, boolean byHand) {
        int in = layer.weight().value().cols(), out = layer.weight().value().rows();
        layer.weight().zeroGrad();
        layer.bias().zeroGrad();
        Tape t = Tape.recording(be);
        Var x = t.variable(Tensor.of(be, in, n, xs.clone()));
        Var a = adds == null ? null : t.variable(Tensor.of(be, out, n, adds.clone()));
        Var y;
        if (byHand) {
            Var pre = t.broadcastColumn(BinaryOp.ADD, t.maskedMatmul(t.param(layer.weight()), layer.mask(), x),
                    t.param(layer.bias()));
            if (a != null) pre = t.add(pre, a);
            y = f.apply(t, pre);
        } else {
            y = layer.forward(t, x, a, f);
        }
        t.backward(t.sum(t.mul(y, y)));
        return new float[][] {y.value().toArray(), layer.weight().grad().toArray(), layer.bias().grad().toArray(),
            x.grad().toArray(), a == null ? new float[0] : a.grad().toArray()};
    }
}
