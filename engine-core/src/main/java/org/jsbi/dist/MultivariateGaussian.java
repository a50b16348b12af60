package org.jsbi.dist;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.jsbi.random.Rng;

/** A Gaussian N(μ, Σ) with full covariance, held through the Cholesky factor L (Σ = L Lᵀ), in double precision. */
public final class MultivariateGaussian implements Prior {

    private static final double LOG_2PI = Math.log(2 * Math.PI);
    // How far Σ_ij and Σ_ji may differ, as a share of √(Σ_ii Σ_jj): rounding noise passes, a typo does not.
    private static final double SYMMETRY_TOLERANCE = 1e-9;

    private final double[] mean;
    private final double[] lower;   // L, row-major d x d
    private final double logNormaliser;

    MultivariateGaussian(double[] mean, double[][] covariance) {
        DMatrixRMaj cov = checkedSymmetric(mean, covariance, "Σ");
        int d = mean.length;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(cov)) {
            throw new IllegalArgumentException("Σ is not positive definite (its Cholesky factorisation failed)");
        }
        DMatrixRMaj l = chol.getT(null);
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) l.set(i, j, 0);
            logDet += 2 * Math.log(l.get(i, i));
        }
        this.mean = mean.clone();
        this.lower = l.data.clone();
        this.logNormaliser = -0.5 * (d * LOG_2PI + logDet);
    }

    /** From a lower-triangular factor L of Σ = L Lᵀ, kept as it is (see {@link #fromCholesky}). */
    private MultivariateGaussian(double[] mean, double[] lower) {
        int d = mean.length;
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += 2 * Math.log(lower[i * d + i]);
        this.mean = mean.clone();
        this.lower = lower;
        this.logNormaliser = -0.5 * (d * LOG_2PI + logDet);
    }

    /**
     * N(μ, L Lᵀ) from the lower-triangular factor that {@link #choleskyFactor} gives: the same distribution to the bit
     * (the same factor, normaliser, draws and densities), which Σ = L Lᵀ factorised again would not be, in the last
     * bits. How a saved posterior's prior is read back ({@link PriorEntries}).
     */
    static MultivariateGaussian fromCholesky(double[] mean, double[][] lower) {
        if (mean == null || lower == null) throw new IllegalArgumentException("μ and L must be given, got null");
        checkMean(mean);
        int d = mean.length;
        if (lower.length != d) {
            throw new IllegalArgumentException("μ has " + d + " values but L has " + lower.length + " rows");
        }
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (lower[i] == null || lower[i].length != d) {
                throw new IllegalArgumentException("L row " + i + " must have " + d + " values");
            }
            for (int j = 0; j < d; j++) {
                double v = lower[i][j];
                if (!Double.isFinite(v) || (j > i && v != 0) || (j == i && !(v > 0))) {
                    throw new IllegalArgumentException("L must be lower triangular with a positive diagonal and finite"
                            + " values; L[" + i + "][" + j + "] = " + v);
                }
                l[i * d + j] = v;
            }
        }
        return new MultivariateGaussian(mean, l);
    }

    /** The lower-triangular factor L of Σ = L Lᵀ, by rows. */
    double[][] choleskyFactor() {
        int d = mean.length;
        double[][] out = new double[d][];
        for (int i = 0; i < d; i++) out[i] = java.util.Arrays.copyOfRange(lower, i * d, (i + 1) * d);
        return out;
    }

    /**
     * The matrix (Σ or P) after μ's and its own checks, symmetrised: (m + mᵀ)/2 removes asymmetry at the rounding
     * level that the check lets through.
     */
    private static DMatrixRMaj checkedSymmetric(double[] mean, double[][] m, String name) {
        if (mean == null || m == null) throw new IllegalArgumentException("μ and " + name + " must be given, got null");
        int d = mean.length;
        checkMean(mean);
        checkSymmetric(m, name, d);
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) out.set(i, j, 0.5 * (m[i][j] + m[j][i]));
        }
        return out;
    }

    /** N(μ, P⁻¹) from a precision matrix P, as the Bernoulli GLM task states its prior. */
    static MultivariateGaussian fromPrecision(double[] mean, double[][] precision) {
        DMatrixRMaj p = checkedSymmetric(mean, precision, "P");
        int d = mean.length;
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        if (!CommonOps_DDRM.invertSPD(p, cov)) {
            throw new IllegalArgumentException("the precision matrix is not positive definite");
        }
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) c[i][j] = 0.5 * (cov.get(i, j) + cov.get(j, i));
        }
        return new MultivariateGaussian(mean, c);
    }

    private static void checkMean(double[] mean) {
        if (mean.length == 0) throw new IllegalArgumentException("a Gaussian prior needs at least one dimension");
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i])) throw new IllegalArgumentException("μ[" + i + "] = " + mean[i] + " is not finite");
        }
    }

    /**
     * Checks that m (named Σ or P in messages) is a finite, symmetric d x d matrix. Every row's shape is checked
     * before any symmetry test, which reads m[j][i] and so needs row j whole; symmetry is judged relative to
     * √(m_ii m_jj), the scale of the entry, so a matrix of tiny variances cannot hide a wrong-signed correlation.
     */
    private static void checkSymmetric(double[][] m, String name, int d) {
        if (m.length != d) {
            throw new IllegalArgumentException("μ has " + d + " values but " + name + " has " + m.length + " rows");
        }
        for (int i = 0; i < d; i++) {
            if (m[i] == null || m[i].length != d) {
                throw new IllegalArgumentException(name + " row " + i + " must have " + d + " values, got "
                        + (m[i] == null ? "null" : m[i].length));
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] = " + m[i][j] + " is not finite");
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double scale = Math.sqrt(Math.abs(m[i][i])) * Math.sqrt(Math.abs(m[j][j]));
                if (Math.abs(m[i][j] - m[j][i]) > SYMMETRY_TOLERANCE * scale) {
                    throw new IllegalArgumentException(name + " is not symmetric: " + name + "[" + i + "][" + j + "] = "
                            + m[i][j] + " but " + name + "[" + j + "][" + i + "] = " + m[j][i] + " (they may differ by"
                            + " at most " + SYMMETRY_TOLERANCE + " √(" + name + "[" + i + "][" + i + "] " + name + "["
                            + j + "][" + j + "]))");
                }
            }
        }
    }

    @Override
    public int dim() {
        return mean.length;
    }

    /** Σ, reassembled from its factor. */
    public double[][] covariance() {
        int d = mean.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) s += lower[i * d + k] * lower[j * d + k];
                c[i][j] = s;
            }
        }
        return c;
    }

    @Override
    public float[][] sample(int n, Rng rng) {
        Priors.checkCount(n);
        int d = mean.length;
        float[][] out = new float[n][d];
        double[] z = new double[d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) z[i] = rng.nextGaussian();
            for (int i = 0; i < d; i++) {
                double v = mean[i];
                for (int k = 0; k <= i; k++) v += lower[i * d + k] * z[k];
                out[s][i] = (float) v;
            }
        }
        return out;
    }

    @Override
    public double logProb(float[] theta) {
        checkParameters(theta);
        int d = mean.length;
        // Solve L y = θ − μ by forward substitution; the quadratic form is |y|².
        double[] y = new double[d];
        double q = 0;
        for (int i = 0; i < d; i++) {
            double r = theta[i] - mean[i];
            for (int k = 0; k < i; k++) r -= lower[i * d + k] * y[k];
            y[i] = r / lower[i * d + i];
            q += y[i] * y[i];
        }
        return logNormaliser - 0.5 * q;
    }

    @Override
    public boolean inSupport(float[] theta) {
        checkParameters(theta);
        return true;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] stddev() {
        int d = mean.length;
        double[] s = new double[d];
        for (int i = 0; i < d; i++) {
            double v = 0;
            for (int k = 0; k <= i; k++) v += lower[i * d + k] * lower[i * d + k];
            s[i] = Math.sqrt(v);
        }
        return s;
    }

    /**
     * The mean and the covariance at full precision: a simulation store takes this as the prior's identity, and two
     * Gaussians of the same mean but other covariances must not pass for one (a store resumed with N(0, 100 I) after
     * N(0, 0.01 I) would mix their draws).
     */
    @Override
    public String describe() {
        return "Gaussian[dim=" + mean.length + ", mean=" + Arrays.toString(mean) + ", covariance="
                + Arrays.deepToString(covariance()) + "]";
    }
}
