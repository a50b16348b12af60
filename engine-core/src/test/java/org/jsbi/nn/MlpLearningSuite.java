package org.jsbi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.optim.Adam;
import org.jsbi.optim.AdamConfig;
import org.jsbi.optim.GradientClipping;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * The whole stack learns: an MLP trained with Adam fits sin on [-π, π] to a mean squared error below 1e-3 on a
 * held-out grid, and the same seed gives bit-identical weights twice.
 */
public abstract class MlpLearningSuite {

    protected abstract Backend backend();

    private final long seed = TestSeeds.seed(42L);

    /** Trains and returns the final parameters, flattened, with the test MSE appended. */
    private float[] train(long seed) {
        Backend be = backend();
        Rng rng = new Rng(seed);
        Mlp mlp = new Mlp(be, 1, new int[] {32, 32}, 1, Activation.TANH, rng);
        Adam adam = new Adam(mlp.parameters(), AdamConfig.defaults().withLearningRate(5e-3f));
        int n = 128;
        float[] xs = new float[n], ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) rng.uniform(-Math.PI, Math.PI);
            ys[i] = (float) Math.sin(xs[i]);
        }
        // Batch-major: one feature row, the samples along the columns.
        Tensor x = Tensor.of(be, 1, n, xs), y = Tensor.of(be, 1, n, ys);
        for (int step = 0; step < 1200; step++) {
            adam.zeroGrad();
            Tape tape = Tape.recording(be);
            Var err = tape.sub(mlp.forward(tape, tape.constant(x)), tape.constant(y));
            Var loss = tape.mean(tape.square(err));
            tape.backward(loss);
            GradientClipping.clipNorm(mlp.parameters(), 5.0);
            adam.step();
        }
        int m = 201;
        float[] gx = new float[m];
        for (int i = 0; i < m; i++) gx[i] = (float) (-Math.PI + 2 * Math.PI * i / (m - 1));
        Tape eval = Tape.noGrad(be);
        float[] pred = mlp.forward(eval, eval.constant(Tensor.of(be, 1, m, gx))).value().toArray();
        double mse = 0;
        for (int i = 0; i < m; i++) mse += Math.pow(pred[i] - Math.sin(gx[i]), 2);
        mse /= m;
        List<Parameter> ps = mlp.parameters();
        int total = 0;
        for (Parameter p : ps) total += p.size();
        float[] out = new float[total + 1];
        int o = 0;
        for (Parameter p : ps) {
            float[] v = p.value().toArray();
            System.arraycopy(v, 0, out, o, v.length);
            o += v.length;
        }
        out[total] = (float) mse;
        return out;
    }

    @Test
    void fitsSineAndIsDeterministic() {
        float[] a = train(seed);
        float mse = a[a.length - 1];
        System.out.printf("%s: sin fit test MSE %.3g%n", backend().name(), mse);
        assertTrue(mse < 1e-3, backend().name() + ": test MSE " + mse + " >= 1e-3" + TestSeeds.replay(seed));
        float[] b = train(seed);
        assertArrayEquals(a, b, backend().name() + ": same seed gave different weights" + TestSeeds.replay(seed));
    }
}
