package org.jsbi.dist;

import java.util.Arrays;
import org.jsbi.random.Rng;

/** Independent uniforms on [low_i, high_i]. */
public final class BoxUniform implements Prior {

    private final double[] low;
    private final double[] high;
    private final double logDensity;

    BoxUniform(double[] low, double[] high) {
        if (low == null || high == null) throw new IllegalArgumentException("box bounds must be given, got null");
        if (low.length == 0) throw new IllegalArgumentException("a box-uniform prior needs at least one dimension");
        if (low.length != high.length) {
            throw new IllegalArgumentException("low has " + low.length + " bounds but high has " + high.length);
        }
        double ld = 0;
        for (int i = 0; i < low.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || !(high[i] > low[i])) {
                throw new IllegalArgumentException("dimension " + i + ": need finite low < high, got [" + low[i] + ", "
                        + high[i] + "]");
            }
            ld -= Math.log(high[i] - low[i]);
        }
        this.low = low.clone();
        this.high = high.clone();
        this.logDensity = ld;
    }

    public double[] low() {
        return low.clone();
    }

    public double[] high() {
        return high.clone();
    }

    @Override
    public int dim() {
        return low.length;
    }

    @Override
    public float[][] sample(int n, Rng rng) {
        Priors.checkCount(n);
        float[][] out = new float[n][low.length];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < low.length; i++) {
                // Rounding to float can land exactly on high; fold it back so every draw is inside the support.
                float v = (float) rng.uniform(low[i], high[i]);
                out[s][i] = v > high[i] ? (float) low[i] : v;
            }
        }
        return out;
    }

    @Override
    public double logProb(float[] theta) {
        checkParameters(theta);
        return inSupport(theta) ? logDensity : Double.NEGATIVE_INFINITY;
    }

    @Override
    public boolean inSupport(float[] theta) {
        checkParameters(theta);
        for (int i = 0; i < low.length; i++) {
            if (theta[i] < low[i] || theta[i] > high[i]) return false;
        }
        return true;
    }

    @Override
    public double[] mean() {
        double[] m = new double[low.length];
        for (int i = 0; i < m.length; i++) m[i] = 0.5 * (low[i] + high[i]);
        return m;
    }

    @Override
    public double[] stddev() {
        double[] s = new double[low.length];
        for (int i = 0; i < s.length; i++) s[i] = (high[i] - low[i]) / Math.sqrt(12.0);
        return s;
    }

    @Override
    public String describe() {
        return "BoxUniform[low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high) + "]";
    }
}
