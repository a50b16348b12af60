package org.jsbi.estimator;

import org.jsbi.backend.Backend;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * A conditional density with a known answer: θ | x ~ N(Ax + b, Σ) in 3-D with x ~ N(0, I), the density-estimator
 * issue's conditional-fit check. It makes training pairs and measures a trained estimator against the truth: the mean
 * test negative log-likelihood against the true conditional entropy, and, for one observation, the samples' mean and
 * covariance against Ax + b and Σ. The slow test {@code SimdConditionalFitTest} and the bench harness's {@code
 * ConditionalFitReport} (the same check over many seeds) share it.
 */
public final class LinearGaussianConditional {

    /** Dimension of θ and of x. */
    public static final int DIM = 3;

    private static final double[][] A = {{1.0, 0.5, 0.0}, {-0.3, 0.8, 0.2}, {0.0, 0.4, -1.2}};
    private static final double[] B = {0.5, -1.0, 2.0};
    /** Σ = L Lᵀ. */
    private static final double[][] L = {{0.5, 0, 0}, {0.2, 0.4, 0}, {-0.1, 0.15, 0.3}};

    private LinearGaussianConditional() {
    }

    /** n pairs from rng: {θ, x}, each n x 3 (one pair per row, as {@code TrainingData.of} takes them). */
    public static float[][][] pairs(int n, Rng rng) {
        if (n < 0) throw new IllegalArgumentException("LinearGaussianConditional: " + n + " pairs asked for; need n >= 0");
        float[][] theta = new float[n][DIM], x = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            double[] xi = new double[DIM], e = new double[DIM];
            for (int d = 0; d < DIM; d++) xi[d] = rng.nextGaussian();
            for (int d = 0; d < DIM; d++) e[d] = rng.nextGaussian();
            for (int r = 0; r < DIM; r++) {
                double m = B[r], noise = 0;
                for (int c = 0; c < DIM; c++) {
                    m += A[r][c] * xi[c];
                    noise += L[r][c] * e[c];
                }
                theta[i][r] = (float) (m + noise);
                x[i][r] = (float) xi[r];
            }
        }
        return new float[][][] {theta, x};
    }

    /** The true conditional mean Ax + b. */
    public static double[] mean(float[] x) {
        double[] mu = new double[DIM];
        for (int r = 0; r < DIM; r++) {
            mu[r] = B[r];
            for (int c = 0; c < DIM; c++) mu[r] += A[r][c] * x[c];
        }
        return mu;
    }

    /** The true conditional covariance Σ (the same for every x). */
    public static double[][] covariance() {
        double[][] s = new double[DIM][DIM];
        for (int r = 0; r < DIM; r++) {
            for (int c = 0; c < DIM; c++) {
                for (int k = 0; k < DIM; k++) s[r][c] += L[r][k] * L[c][k];
            }
        }
        return s;
    }

    /** log N(θ; Ax + b, Σ), through z = L⁻¹ (θ − Ax − b) by forward substitution. */
    public static double logDensity(float[] theta, float[] x) {
        double[] mu = mean(x), z = new double[DIM];
        double q = 0, logDiag = 0;
        for (int r = 0; r < DIM; r++) {
            double v = theta[r] - mu[r];
            for (int c = 0; c < r; c++) v -= L[r][c] * z[c];
            z[r] = v / L[r][r];
            q += z[r] * z[r];
            logDiag += Math.log(L[r][r]);
        }
        return -0.5 * q - logDiag - 0.5 * DIM * Math.log(2 * Math.PI);
    }

    /** The true conditional entropy ½ (3 log(2πe) + log det Σ), the least mean NLL any estimator can reach. */
    public static double entropy() {
        double logDet = 0;
        for (int d = 0; d < DIM; d++) logDet += 2 * Math.log(L[d][d]);
        return 0.5 * (DIM * Math.log(2 * Math.PI * Math.E) + logDet);
    }

    /**
     * How a trained estimator matches the truth.
     *
     * @param testNll       mean negative log-likelihood of the test pairs
     * @param trueTestNll   the true density's mean NLL of the same pairs: testNll − trueTestNll estimates the KL
     *                      divergence from the truth without the test set's own noise (about 0.017 nats for 5,000
     *                      pairs), which testNll − entropy carries
     * @param entropy       the true conditional entropy
     * @param sampleMean    the samples' mean at the observation
     * @param trueMean      Ax + b at the observation
     * @param sampleCov     the samples' covariance
     * @param trueCov       Σ
     * @param meanError     ‖m̂ − μ‖ / ‖μ‖
     * @param worstMeanSd   max over dimensions of |m̂ᵢ − μᵢ| / √Σᵢᵢ
     * @param covError      ‖Σ̂ − Σ‖_F / ‖Σ‖_F
     * @param worstCovEntry max over entries of |Σ̂ᵢⱼ − Σᵢⱼ| / √(ΣᵢᵢΣⱼⱼ)
     */
    public record Fit(double testNll, double trueTestNll, double entropy, double[] sampleMean, double[] trueMean,
                      double[][] sampleCov, double[][] trueCov, double meanError, double worstMeanSd,
                      double covError, double worstCovEntry) {
    }

    /**
     * Measures est: the mean NLL of testPairs fresh pairs from testRng, and n samples at x from sampleRng.
     */
    public static Fit measure(Backend be, ConditionalDensityEstimator est, int testPairs, Rng testRng, float[] x,
                              int n, Rng sampleRng) {
        if (testPairs < 1 || n < 2) {
            throw new IllegalArgumentException("LinearGaussianConditional: need at least 1 test pair and 2 samples (a "
                    + "covariance), got " + testPairs + " and " + n);
        }
        if (x.length != DIM) {
            throw new IllegalArgumentException("LinearGaussianConditional: x has " + x.length + " values, expected "
                    + DIM);
        }
        float[][][] test = pairs(testPairs, testRng);
        float[] tf = new float[DIM * testPairs], xf = new float[DIM * testPairs];
        for (int i = 0; i < testPairs; i++) {
            for (int d = 0; d < DIM; d++) {
                tf[d * testPairs + i] = test[0][i][d];
                xf[d * testPairs + i] = test[1][i][d];
            }
        }
        double nll = 0;
        for (float v : est.logProb(Tensor.of(be, DIM, testPairs, tf), Tensor.of(be, DIM, testPairs, xf))) nll -= v;
        nll /= testPairs;
        double trueNll = 0;
        for (int i = 0; i < testPairs; i++) trueNll -= logDensity(test[0][i], test[1][i]);
        trueNll /= testPairs;

        float[] s = est.sample(n, x, sampleRng).toArray();
        double[] m = new double[DIM];
        for (int d = 0; d < DIM; d++) {
            for (int i = 0; i < n; i++) m[d] += s[d * n + i];
            m[d] /= n;
        }
        double[][] cov = new double[DIM][DIM];
        for (int r = 0; r < DIM; r++) {
            for (int c = 0; c < DIM; c++) {
                for (int i = 0; i < n; i++) cov[r][c] += (s[r * n + i] - m[r]) * (s[c * n + i] - m[c]);
                cov[r][c] /= n - 1;
            }
        }
        double[] mu = mean(x);
        double[][] sigma = covariance();
        double dm = 0, nm = 0, dc = 0, nc = 0, worstMean = 0, worstCov = 0;
        for (int r = 0; r < DIM; r++) {
            dm += (m[r] - mu[r]) * (m[r] - mu[r]);
            nm += mu[r] * mu[r];
            worstMean = Math.max(worstMean, Math.abs(m[r] - mu[r]) / Math.sqrt(sigma[r][r]));
            for (int c = 0; c < DIM; c++) {
                dc += (cov[r][c] - sigma[r][c]) * (cov[r][c] - sigma[r][c]);
                nc += sigma[r][c] * sigma[r][c];
                worstCov = Math.max(worstCov, Math.abs(cov[r][c] - sigma[r][c]) / Math.sqrt(sigma[r][r] * sigma[c][c]));
            }
        }
        return new Fit(nll, trueNll, entropy(), m, mu, cov, sigma, Math.sqrt(dm / nm), worstMean, Math.sqrt(dc / nc),
                worstCov);
    }
}
