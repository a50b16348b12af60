package org.jsbi.mdn;

import java.util.Arrays;

/**
 * A mixture of K full-covariance Gaussians in D dimensions, in float64: what a {@link Mdn} predicts for one x, in the
 * user's units of θ, for its moments and density without sampling ({@link Mdn#mixture}).
 *
 * @param weights     K mixture weights (≥ 0, summing to 1)
 * @param means       K means, each of length D
 * @param covariances K symmetric positive-definite D x D covariance matrices
 */
public record GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    public GaussianMixture {
        if (weights == null || means == null || covariances == null) {
            throw new IllegalArgumentException("mixture weights, means and covariances must not be null");
        }
        int k = weights.length;
        if (k < 1) throw new IllegalArgumentException("a mixture needs at least one component");
        if (means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("mixture has " + k + " weights but " + means.length + " means and "
                    + covariances.length + " covariances");
        }
        int d = means[0].length;
        if (d < 1) throw new IllegalArgumentException("mixture components need dimension >= 1");
        double sum = 0;
        double[] w = weights.clone();
        double[][] mu = new double[k][];
        double[][][] cov = new double[k][][];
        for (int c = 0; c < k; c++) {
            if (!(w[c] >= 0) || !Double.isFinite(w[c])) {
                throw new IllegalArgumentException("mixture weight " + c + " is not a finite number >= 0: " + w[c]);
            }
            sum += w[c];
            if (means[c].length != d) {
                throw new IllegalArgumentException("mean " + c + " has length " + means[c].length + ", expected " + d);
            }
            mu[c] = means[c].clone();
            for (int i = 0; i < d; i++) {
                if (!Double.isFinite(mu[c][i])) {
                    throw new IllegalArgumentException("mean " + c + " has a non-finite entry at " + i + ": " + mu[c][i]);
                }
            }
            if (covariances[c].length != d) {
                throw new IllegalArgumentException("covariance " + c + " has " + covariances[c].length
                        + " rows, expected " + d);
            }
            cov[c] = new double[d][];
            for (int i = 0; i < d; i++) {
                if (covariances[c][i].length != d) {
                    throw new IllegalArgumentException("covariance " + c + " row " + i + " has length "
                            + covariances[c][i].length + ", expected " + d);
                }
                cov[c][i] = covariances[c][i].clone();
            }
            cholesky(cov[c], c); // throws if not symmetric positive definite
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("mixture weights must sum to 1, they sum to " + sum);
        }
        weights = w;
        means = mu;
        covariances = cov;
    }

    public int dim() {
        return means[0].length;
    }

    public int components() {
        return weights.length;
    }

    /** log p(θ) = log Σ_k w_k N(θ; μ_k, Σ_k), via the Cholesky factor of each Σ_k and a log-sum-exp over k. */
    public double logDensity(double[] theta) {
        int d = dim();
        if (theta.length != d) {
            throw new IllegalArgumentException("θ has length " + theta.length + ", the mixture has dimension " + d);
        }
        int k = components();
        double[] terms = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double[][] l = cholesky(covariances[c], c);
            // Forward substitution L v = θ − μ; log N = −D/2 log 2π − Σ log L_ii − ½ ‖v‖².
            double[] v = new double[d];
            double quad = 0, logDet = 0;
            for (int i = 0; i < d; i++) {
                double s = theta[i] - means[c][i];
                for (int j = 0; j < i; j++) s -= l[i][j] * v[j];
                v[i] = s / l[i][i];
                quad += v[i] * v[i];
                logDet += Math.log(l[i][i]);
            }
            terms[c] = Math.log(weights[c]) - 0.5 * d * LOG_2PI - logDet - 0.5 * quad;
            max = Math.max(max, terms[c]);
        }
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (double t : terms) s += Math.exp(t - max);
        return max + Math.log(s);
    }

    /** The mixture's mean Σ_k w_k μ_k. */
    public double[] mean() {
        int d = dim();
        double[] m = new double[d];
        for (int c = 0; c < components(); c++) {
            for (int i = 0; i < d; i++) m[i] += weights[c] * means[c][i];
        }
        return m;
    }

    /** The mixture's covariance Σ_k w_k (Σ_k + μ_k μ_kᵀ) − m mᵀ. */
    public double[][] covariance() {
        int d = dim();
        double[] m = mean();
        double[][] cov = new double[d][d];
        for (int c = 0; c < components(); c++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i][j] += weights[c] * (covariances[c][i][j] + (means[c][i] - m[i]) * (means[c][j] - m[j]));
                }
            }
        }
        return cov;
    }

    /** The precision matrices Σ_k⁻¹, from the Cholesky factors. */
    public double[][][] precisions() {
        int d = dim();
        double[][][] out = new double[components()][][];
        for (int c = 0; c < components(); c++) {
            double[][] l = cholesky(covariances[c], c);
            // L⁻¹ (lower triangular), then Σ⁻¹ = L⁻ᵀ L⁻¹.
            double[][] li = new double[d][d];
            for (int col = 0; col < d; col++) {
                for (int i = col; i < d; i++) {
                    double s = i == col ? 1 : 0;
                    for (int j = col; j < i; j++) s -= l[i][j] * li[j][col];
                    li[i][col] = s / l[i][i];
                }
            }
            double[][] p = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int r = Math.max(i, j); r < d; r++) s += li[r][i] * li[r][j];
                    p[i][j] = s;
                }
            }
            out[c] = p;
        }
        return out;
    }

    /** Lower Cholesky factor of a symmetric positive-definite matrix; component names the matrix in errors. */
    static double[][] cholesky(double[][] a, int component) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double aij = a[i][j], aji = a[j][i];
                if (!Double.isFinite(aij) || Math.abs(aij - aji) > 1e-9 * Math.max(1, Math.abs(aij) + Math.abs(aji))) {
                    throw new IllegalArgumentException("covariance " + component + " is not a finite symmetric matrix"
                            + " at (" + i + ", " + j + "): " + aij + " vs " + aji);
                }
                double s = aij;
                for (int r = 0; r < j; r++) s -= l[i][r] * l[j][r];
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("covariance " + component
                                + " is not positive definite (pivot " + i + " is " + s + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianMixture g && Arrays.equals(weights, g.weights)
                && Arrays.deepEquals(means, g.means) && Arrays.deepEquals(covariances, g.covariances);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(weights) + Arrays.deepHashCode(means)) + Arrays.deepHashCode(covariances);
    }

    @Override
    public String toString() {
        return "GaussianMixture[K=" + components() + ", D=" + dim() + ", weights=" + Arrays.toString(weights) + "]";
    }
}
