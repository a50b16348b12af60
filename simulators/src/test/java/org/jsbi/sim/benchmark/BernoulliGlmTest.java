package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.dist.MultivariateGaussian;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** bernoulli_glm and bernoulli_glm_raw: the computed stimulus, design and prior against the files; E[Xᵀy]; the observations. */
class BernoulliGlmTest {

    private static final int P = 10, T = 100;

    private static double[][] file(String name) {
        return ReferenceData.readCsv(ReferenceData.file(BernoulliGlm.NAME, name));
    }

    @Test
    void stimulusIsNumpysRandomState42BitForBit() {
        float[] s = BernoulliGlm.stimulus();
        double[][] f = file("stimulus_I.csv");
        assertEquals(T, f.length);
        for (int t = 0; t < T; t++) assertEquals((float) f[t][0], s[t], 0f, "I_" + t);
    }

    @Test
    void designMatrixEqualsTheFile() {
        double[][] x = BernoulliGlm.designMatrix(), f = file("design_matrix.csv");
        assertEquals(T, f.length);
        for (int t = 0; t < T; t++) {
            for (int j = 0; j < P; j++) assertEquals((float) f[t][j], (float) x[t][j], 0f, "X[" + t + "][" + j + "]");
        }
    }

    @Test
    void priorPrecisionEqualsTheFileAndTheCovarianceInvertsIt() {
        double[][] p = BernoulliGlm.priorPrecision(), f = file("prior_precision_matrix.csv");
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) assertEquals(f[i][j], p[i][j], 1e-12, "P[" + i + "][" + j + "]");
        }
        double[][] c = ((MultivariateGaussian) new BernoulliGlm().prior()).covariance();
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                double s = 0;
                for (int k = 0; k < P; k++) s += c[i][k] * p[k][j];
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-9, "(ΣP)[" + i + "][" + j + "]");
            }
        }
        assertEquals(2.0, c[0][0], 1e-12, "the offset's prior variance is 1/0.5");
    }

    /** p_t = σ(X_t·θ). */
    private static double[] rates(float[] theta) {
        double[][] x = BernoulliGlm.designMatrix();
        double[] p = new double[T];
        for (int t = 0; t < T; t++) {
            double psi = 0;
            for (int j = 0; j < P; j++) psi += x[t][j] * theta[j];
            p[t] = 1 / (1 + Math.exp(-psi));
        }
        return p;
    }

    /** Cov(Xᵀy) = Xᵀ diag(p(1−p)) X. */
    private static double[][] summaryCovariance(double[] p) {
        double[][] x = BernoulliGlm.designMatrix();
        double[][] c = new double[P][P];
        for (int t = 0; t < T; t++) {
            double w = p[t] * (1 - p[t]);
            for (int a = 0; a < P; a++) {
                for (int b = 0; b < P; b++) c[a][b] += x[t][a] * w * x[t][b];
            }
        }
        return c;
    }

    @Test
    void summaryMeanIsXTransposeSigmoidOfXTheta() {
        float[] theta = ReferenceData.trueParameters(BernoulliGlm.NAME, 1);
        long seed = TestSeeds.seed(91);
        int n = 20_000;
        float[] s = TaskTesting.simulateAt(new BernoulliGlm(), theta, n, seed);
        double[] p = rates(theta);
        double[][] x = BernoulliGlm.designMatrix(), cov = summaryCovariance(p);
        double[] m = TaskTesting.mean(s, n, P);
        for (int j = 0; j < P; j++) {
            double expected = 0;
            for (int t = 0; t < T; t++) expected += x[t][j] * p[t];
            assertEquals(expected, m[j], 5 * Math.sqrt(cov[j][j] / n), "E[(Xᵀy)_" + j + "]" + TestSeeds.replay(seed));
        }
        for (int i = 0; i < n; i++) assertEquals(Math.rint(s[i * P]), s[i * P], 0f, "the spike count is an integer");
    }

    @Test
    void rawSpikeTrainIsTheOneBehindTheSummary() {
        float[] theta = ReferenceData.trueParameters(BernoulliGlm.NAME, 3);
        long seed = TestSeeds.seed(92);
        int n = 20_000;
        float[] y = TaskTesting.simulateAt(new BernoulliGlmRaw(), theta, n, seed);
        float[] s = TaskTesting.simulateAt(new BernoulliGlm(), theta, n, seed);
        double[][] x = BernoulliGlm.designMatrix();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < P; j++) {
                double sum = 0;
                for (int t = 0; t < T; t++) {
                    float v = y[i * T + t];
                    assertTrue(v == 0f || v == 1f, "raw data are 0/1");
                    sum += x[t][j] * v;
                }
                assertEquals((float) sum, s[i * P + j], 0f, "simulation " + i + ": Xᵀy vs the summary" + TestSeeds.replay(seed));
            }
        }
        double[] p = rates(theta), m = TaskTesting.mean(y, n, T);
        for (int t = 0; t < T; t++) {
            assertEquals(p[t], m[t], 5 * Math.sqrt(p[t] * (1 - p[t]) / n) + 1e-9, "P(y_" + t + " = 1)" + TestSeeds.replay(seed));
        }
    }

    @Test
    void referenceObservationsAreTheSummaryOfTheirRawDataAndLikelyUnderTheirTheta() {
        double[][] x = BernoulliGlm.designMatrix();
        double total = 0;
        for (int k = 1; k <= 10; k++) {
            float[] raw = ReferenceData.readRow(ReferenceData.file(BernoulliGlm.NAME, "obs" + k, "observation_raw.csv"));
            float[] xo = ReferenceData.observation(BernoulliGlm.NAME, k);
            float[] theta = ReferenceData.trueParameters(BernoulliGlm.NAME, k);
            assertEquals(T, raw.length);
            double[] d = new double[P];
            double[] p = rates(theta);
            for (int j = 0; j < P; j++) {
                double sum = 0;
                for (int t = 0; t < T; t++) sum += x[t][j] * raw[t];
                assertEquals(xo[j], sum, 1e-4, "obs" + k + ": (Xᵀy_raw)_" + j);
                double mean = 0;
                for (int t = 0; t < T; t++) mean += x[t][j] * p[t];
                d[j] = xo[j] - mean;
            }
            double chi2 = TaskTesting.mahalanobis2(d, summaryCovariance(p));
            // Approximately χ²₁₀ (the summary is a sum of 100 Bernoullis): P(> 35) ≈ 1e-4.
            assertTrue(chi2 < 35, "obs" + k + ": χ² = " + chi2);
            total += chi2;
        }
        assertTrue(total > 50 && total < 160, "total χ² = " + total);
    }
}
