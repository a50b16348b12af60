package org.jsbi.dist;

/** Factory for the priors users write: {@code Priors.boxUniform(low, high)}, {@code gaussian}, {@code logNormal}, {@code independent}. */
public final class Priors {

    private Priors() {
    }

    /** Independent uniforms on [low_i, high_i]. */
    public static BoxUniform boxUniform(double[] low, double[] high) {
        return new BoxUniform(low, high);
    }

    /** The same interval [low, high] in each of dim dimensions. */
    public static BoxUniform boxUniform(int dim, double low, double high) {
        if (dim < 1) {
            throw new IllegalArgumentException("a box-uniform prior needs at least one dimension, got dim = " + dim);
        }
        double[] lo = new double[dim], hi = new double[dim];
        java.util.Arrays.fill(lo, low);
        java.util.Arrays.fill(hi, high);
        return new BoxUniform(lo, hi);
    }

    /** N(μ, Σ) with a full covariance Σ. */
    public static MultivariateGaussian gaussian(double[] mean, double[][] covariance) {
        return new MultivariateGaussian(mean, covariance);
    }

    /** N(μ, P⁻¹) given the precision P. */
    public static MultivariateGaussian gaussianFromPrecision(double[] mean, double[][] precision) {
        return MultivariateGaussian.fromPrecision(mean, precision);
    }

    /** Independent log-normals: log θ_i ~ N(μ_i, σ_i²). */
    public static LogNormal logNormal(double[] mu, double[] sigma) {
        return new LogNormal(mu, sigma);
    }

    /** The product of independent blocks, in order. */
    public static IndependentPrior independent(Prior... parts) {
        return new IndependentPrior(parts);
    }

    static void checkCount(int n) {
        if (n < 0) throw new IllegalArgumentException("cannot draw a negative number of samples: " + n);
    }
}
