package org.jsbi.dist;

import java.util.Arrays;
import org.jsbi.random.Rng;

/** Independent log-normals: log θ_i ~ N(μ_i, σ_i²); support θ_i > 0. */
public final class LogNormal implements Prior {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final double[] mu;
    private final double[] sigma;

    LogNormal(double[] mu, double[] sigma) {
        if (mu == null || sigma == null) throw new IllegalArgumentException("μ and σ must be given, got null");
        if (mu.length == 0) throw new IllegalArgumentException("a log-normal prior needs at least one dimension");
        if (mu.length != sigma.length) {
            throw new IllegalArgumentException("μ has " + mu.length + " values but σ has " + sigma.length);
        }
        for (int i = 0; i < mu.length; i++) {
            if (!Double.isFinite(mu[i]) || !Double.isFinite(sigma[i]) || !(sigma[i] > 0)) {
                throw new IllegalArgumentException("dimension " + i + ": need finite μ and σ > 0, got μ=" + mu[i]
                        + ", σ=" + sigma[i]);
            }
        }
        this.mu = mu.clone();
        this.sigma = sigma.clone();
    }

    @Override
    public int dim() {
        return mu.length;
    }

    @Override
    public float[][] sample(int n, Rng rng) {
        Priors.checkCount(n);
        float[][] out = new float[n][mu.length];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < mu.length; i++) out[s][i] = (float) Math.exp(mu[i] + sigma[i] * rng.nextGaussian());
        }
        return out;
    }

    @Override
    public double logProb(float[] theta) {
        checkParameters(theta);
        double lp = 0;
        for (int i = 0; i < mu.length; i++) {
            if (!(theta[i] > 0)) return Double.NEGATIVE_INFINITY;
            double lx = Math.log(theta[i]);
            double z = (lx - mu[i]) / sigma[i];
            lp += -0.5 * z * z - Math.log(sigma[i]) - LOG_SQRT_2PI - lx;
        }
        return lp;
    }

    @Override
    public boolean inSupport(float[] theta) {
        checkParameters(theta);
        for (float v : theta) {
            if (!(v > 0)) return false;
        }
        return true;
    }

    @Override
    public double[] mean() {
        double[] m = new double[mu.length];
        for (int i = 0; i < m.length; i++) m[i] = Math.exp(mu[i] + 0.5 * sigma[i] * sigma[i]);
        return m;
    }

    @Override
    public double[] stddev() {
        double[] s = new double[mu.length];
        for (int i = 0; i < s.length; i++) {
            double v = sigma[i] * sigma[i];
            s[i] = Math.sqrt(Math.expm1(v) * Math.exp(2 * mu[i] + v));
        }
        return s;
    }

    @Override
    public String describe() {
        return "LogNormal[mu=" + Arrays.toString(mu) + ", sigma=" + Arrays.toString(sigma) + "]";
    }
}
