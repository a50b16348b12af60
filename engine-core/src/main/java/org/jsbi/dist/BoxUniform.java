package org.jsbi.dist;

import java.util.Arrays;
import org.jsbi.random.Rng;

/** Independent uniforms on [low_i, high_i]. */
public final class BoxUniform implements Prior {

    private final double[] low;
    private final double[] high;
    // The smallest float >= low_i and the largest float <= high_i: draws are floats, so these bound what one can be.
    private final float[] lowFloat;
    private final float[] highFloat;
    private final double logDensity;

    BoxUniform(double[] low, double[] high) {
        if (low == null || high == null) throw new IllegalArgumentException("box bounds must be given, got null");
        if (low.length == 0) throw new IllegalArgumentException("a box-uniform prior needs at least one dimension");
        if (low.length != high.length) {
            throw new IllegalArgumentException("low has " + low.length + " bounds but high has " + high.length);
        }
        double ld = 0;
        this.lowFloat = new float[low.length];
        this.highFloat = new float[low.length];
        for (int i = 0; i < low.length; i++) {
            if (!Double.isFinite(low[i]) || !Double.isFinite(high[i]) || !(high[i] > low[i])) {
                throw new IllegalArgumentException("dimension " + i + ": need finite low < high, got [" + low[i] + ", "
                        + high[i] + "]");
            }
            if (low[i] < -Float.MAX_VALUE || high[i] > Float.MAX_VALUE) {
                throw new IllegalArgumentException("dimension " + i + ": [" + low[i] + ", " + high[i] + "] reaches"
                        + " beyond the float range ±" + Float.MAX_VALUE + " that parameters are drawn in; rescale the"
                        + " parameter");
            }
            lowFloat[i] = floatAtLeast(low[i]);
            highFloat[i] = floatAtMost(high[i]);
            if (lowFloat[i] > highFloat[i]) {
                throw new IllegalArgumentException("dimension " + i + ": [" + low[i] + ", " + high[i] + "] contains no"
                        + " float value, so no parameter drawn as a float can lie in it; widen the interval");
            }
            ld -= Math.log(high[i] - low[i]);
        }
        this.low = low.clone();
        this.high = high.clone();
        this.logDensity = ld;
    }

    /** The smallest float >= x (x within the float range). */
    private static float floatAtLeast(double x) {
        float f = (float) x;
        return f < x ? Math.nextUp(f) : f;
    }

    /** The largest float <= x (x within the float range). */
    private static float floatAtMost(double x) {
        float f = (float) x;
        return f > x ? Math.nextDown(f) : f;
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
                // Rounding to float can cross either bound when it is not itself a float (0.7 rounds to 0.69999999);
                // clamp to the floats inside so every draw is in the support.
                float v = (float) rng.uniform(low[i], high[i]);
                out[s][i] = Math.min(Math.max(v, lowFloat[i]), highFloat[i]);
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
