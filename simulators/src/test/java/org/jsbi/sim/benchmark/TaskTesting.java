package org.jsbi.sim.benchmark;

import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;

/** Helpers for the benchmark-task tests: batches of one θ repeated, and sample moments. */
final class TaskTesting {

    private TaskTesting() {
    }

    /** n simulations at the same θ, numbered 0..n-1; row i at out[i * dataDim]. */
    static double[] asDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    static float[] simulateAt(Simulator sim, float[] theta, int n, long seed) {
        float[] values = new float[n * theta.length];
        for (int i = 0; i < n; i++) System.arraycopy(theta, 0, values, i * theta.length, theta.length);
        float[] out = new float[n * sim.dataDim()];
        sim.simulate(new ParameterBatch(values, n, theta.length, 0), seed, out);
        return out;
    }

    /** Simulations of the given rows, numbered from firstIndex. */
    static float[] simulateRows(Simulator sim, float[][] rows, long firstIndex, long seed) {
        float[] out = new float[rows.length * sim.dataDim()];
        sim.simulate(ParameterBatch.ofRows(rows, firstIndex), seed, out);
        return out;
    }

    /** Column means of an n x d row-major table. */
    static double[] mean(float[] data, int n, int d) {
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) m[k] += data[i * d + k];
        }
        for (int k = 0; k < d; k++) m[k] /= n;
        return m;
    }

    /** Sample covariance (divided by n − 1) of an n x d row-major table. */
    static double[][] covariance(double[] data, int n, int d) {
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) m[k] += data[i * d + k];
        }
        for (int k = 0; k < d; k++) m[k] /= n;
        double[][] c = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double da = data[i * d + a] - m[a];
                for (int b = 0; b < d; b++) c[a][b] += da * (data[i * d + b] - m[b]);
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) c[a][b] /= n - 1;
        }
        return c;
    }

    /** xᵀ A⁻¹ x for a small symmetric positive-definite A, by Cholesky. */
    static double mahalanobis2(double[] x, double[][] a) {
        int d = x.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        double q = 0;
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double r = x[i];
            for (int k = 0; k < i; k++) r -= l[i][k] * y[k];
            y[i] = r / l[i][i];
            q += y[i] * y[i];
        }
        return q;
    }
}
