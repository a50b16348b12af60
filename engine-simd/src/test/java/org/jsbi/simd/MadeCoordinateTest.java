package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.flow.Made;
import org.jsbi.nn.Activation;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Made#coordinate}, which MAF sampling runs on each pass (only the hidden units of degree ≤ i, a prefix of
 * each layer), gives bit for bit rows i and D + i of the whole MADE's {@link Made#forward} on the same inputs, on the
 * scalar and the SIMD backend: with and without a context, activations fused into the layer and not, widths with and
 * without a tail, and inputs past i holding anything (they must not matter).
 */
class MadeCoordinateTest {

    @TestFactory
    List<DynamicTest> coordinateIsTheWholeMadesRows() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend be : new Backend[] {new ScalarBackend(), new SimdBackend()}) {
            for (int d : new int[] {1, 2, 3, 5, 10}) {
                for (int xd : new int[] {0, 3}) {
                    for (Activation f : new Activation[] {Activation.TANH, Activation.RELU, Activation.SOFTPLUS}) {
                        for (int n : new int[] {7, 200}) {
                            String name = be.name() + " D=" + d + " x=" + xd + " " + f + " n=" + n;
                            tests.add(DynamicTest.dynamicTest(name, () -> check(be, d, xd, f, n, name)));
                        }
                    }
                }
            }
        }
        return tests;
    }

    private static void check(Backend be, int d, int xd, Activation f, int n, String name) {
        Rng rng = new Rng(d * 31L + xd * 7L + n);
        Made made = new Made(be, "m", d, xd, 20, 2, f, rng);
        float[] z = new float[d * n], c = new float[Math.max(1, xd) * n];
        for (int j = 0; j < z.length; j++) z[j] = (float) rng.nextGaussian();
        for (int j = 0; j < c.length; j++) c[j] = (float) rng.nextGaussian();
        Tape tape = Tape.noGrad(be);
        Tensor zt = Tensor.of(be, d, n, z);
        Var ctx = xd == 0 ? null : tape.constant(Tensor.of(be, xd, n, java.util.Arrays.copyOf(c, xd * n)));
        float[] whole = made.forward(tape, tape.constant(zt), ctx).value().toArray();
        Tensor ctxTerm = made.contextTerm(tape, ctx);
        for (int i = 0; i < d; i++) {
            Var[] st = made.coordinate(tape, i, zt, ctxTerm);
            float[] s = st[0].value().toArray(), t = st[1].value().toArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, i * n, (i + 1) * n), s, name + ": scale of input " + i);
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, (d + i) * n, (d + i + 1) * n), t,
                    name + ": shift of input " + i);
        }
    }
}
