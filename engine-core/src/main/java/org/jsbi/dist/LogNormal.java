package org.jsbi.dist;

import java.util.Arrays;
import org.jsbi.random.Rng;

/** Independent log-normals: log θ_i ~ N(μ_i, σ_i²); support θ_i > 0. */
public final class LogNormal implements Prior {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    // Draws are floats: within 8σ of μ (all but about 1e-15 of them) exp must stay a positive normal finite float.
    private static final double FLOAT_SIGMAS = 8;
    private static final double LOG_FLOAT_MIN = Math.log(Float.MIN_NORMAL);
    private static final double LOG_FLOAT_MAX = Math.log(Float.MAX_VALUE);

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
            checkFitsFloat(i, mu[i], sigma[i]);
        }
        this.mu = mu.clone();
        this.sigma = sigma.clone();
    }

    /** Refuses parameters whose draws would overflow to +∞ or underflow to 0, both outside the support. */
    private static void checkFitsFloat(int i, double mu, double sigma) {
        double lo = mu - FLOAT_SIGMAS * sigma, hi = mu + FLOAT_SIGMAS * sigma;
        if (!(lo > LOG_FLOAT_MIN && hi < LOG_FLOAT_MAX)) {
            throw new IllegalArgumentException("dimension " + i + ": μ=" + mu + ", σ=" + sigma + " puts draws outside"
                    + " the float range: exp(μ ± 8σ) = [" + Math.exp(lo) + ", " + Math.exp(hi) + "] must lie inside ("
                    + Float.MIN_NORMAL + ", " + Float.MAX_VALUE + "), i.e. μ ± 8σ inside (" + (float) LOG_FLOAT_MIN
                    + ", " + (float) LOG_FLOAT_MAX + "); rescale the parameter or narrow σ");
        }
    }

    /** μ of each dimension: the mean of log θ. */
    public double[] mu() {
        return mu.clone();
    }

    /** σ of each dimension: the standard deviation of log θ. */
    public double[] sigma() {
        return sigma.clone();
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
            for (int i = 0; i < mu.length; i++) out[s][i] = toSupport(Math.exp(mu[i] + sigma[i] * rng.nextGaussian()));
        }
        return out;
    }

    /**
     * The draw as a float inside the support: the constructor keeps 8σ inside the float range, and this catches the
     * draw in about 1e-15 that lies further out rather than return +∞ or 0.
     */
    private static float toSupport(double v) {
        return (float) Math.min(Math.max(v, Float.MIN_VALUE), Float.MAX_VALUE);
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
