package org.jsbi.nn;

import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * Initialisers. The defaults are PyTorch's for {@code nn.Linear}, so that trained networks are comparable with the
 * peers: weights Kaiming-uniform with a = sqrt(5), which is U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and biases
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
 */
public final class Init {

    private Init() {
    }

    /** PyTorch's default Linear weight init: U(-b, b) with b = sqrt(6 / ((1 + a^2) fanIn)), a = sqrt(5). */
    public static void kaimingUniform(Tensor w, int fanIn, Rng rng) {
        double a = Math.sqrt(5.0);
        double gain = Math.sqrt(2.0 / (1.0 + a * a));
        double bound = fanIn > 0 ? gain * Math.sqrt(3.0 / fanIn) : 0.0;
        uniform(w, -bound, bound, rng);
    }

    /** PyTorch's default Linear bias init: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    public static void linearBias(Tensor b, int fanIn, Rng rng) {
        double bound = fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0;
        uniform(b, -bound, bound, rng);
    }

    public static void uniform(Tensor t, double low, double high, Rng rng) {
        float[] v = new float[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (low == high ? low : rng.uniform(low, high));
        t.set(v);
    }
}
