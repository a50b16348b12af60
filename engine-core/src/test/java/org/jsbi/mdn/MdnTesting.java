package org.jsbi.mdn;

import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.UnaryOp;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;

/** Shared helpers of the MDN tests: parameter perturbation and a float64 re-implementation of log q. */
final class MdnTesting {

    private MdnTesting() {
    }

    /**
     * Adds N(0, sd²) noise to every parameter, so that tests see unequal weights, non-identity, correlated
     * covariances and x-dependent everything (the custom initialisation makes all of these nearly trivial).
     */
    static void perturb(Mdn mdn, Rng rng, double sd) {
        for (Parameter p : mdn.parameters()) {
            float[] v = p.value().toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (sd * rng.nextGaussian());
            p.value().set(v);
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Current parameter values, as doubles, in {@link Mdn#parameters()} order. */
    static double[][] params64(Mdn mdn) {
        List<Parameter> ps = mdn.parameters();
        double[][] out = new double[ps.size()][];
        for (int i = 0; i < out.length; i++) out[i] = toDouble(ps.get(i).value().toArray());
        return out;
    }

    /** W h + b in float64; w is out x in row-major, h is in x n. */
    private static double[] linear(double[] w, double[] b, double[] h, int in, int n) {
        int out = b.length;
        double[] y = new double[out * n];
        for (int o = 0; o < out; o++) {
            for (int s = 0; s < n; s++) {
                double acc = b[o];
                for (int i = 0; i < in; i++) acc += w[o * in + i] * h[i * n + s];
                y[o * n + s] = acc;
            }
        }
        return y;
    }

    /**
     * log q(θ | x) of each column in float64, written directly from the definition (per column and component: build
     * A_k, e = z − μ_k, log N = −D/2 log 2π + Σ log A_ii − ½‖A e‖², then log Σ_k softmax(logits)_k N_k, minus
     * Σ log std_θ), independently of the tape's row layout tricks. p holds the parameters in {@link Mdn#parameters()}
     * order. theta is D x n, x is xDim x n (row-major).
     */
    static double[] logProb64(Mdn mdn, double[][] p, double[] theta, double[] x, int n) {
        MdnConfig cfg = mdn.config();
        int d = mdn.thetaDim(), xd = mdn.xDim(), k = cfg.components(), layers = cfg.hiddenLayers();
        ZScore xs = mdn.xScore(), ts = mdn.thetaScore();
        UnaryOp act = switch (cfg.activation()) {
            case TANH -> UnaryOp.TANH;
            case RELU -> UnaryOp.RELU;
            case SIGMOID -> UnaryOp.SIGMOID;
            case SOFTPLUS -> UnaryOp.SOFTPLUS;
            case IDENTITY -> null;
        };
        double[] h = new double[xd * n];
        for (int i = 0; i < xd; i++) {
            for (int s = 0; s < n; s++) h[i * n + s] = (x[i * n + s] - xs.mean()[i]) / xs.std()[i];
        }
        int in = xd, q = 0;
        for (int l = 0; l < layers; l++) {
            double[] w = p[q++], b = p[q++];
            h = linear(w, b, h, in, n);
            if (act != null) for (int i = 0; i < h.length; i++) h[i] = act.apply(h[i]);
            in = b.length;
        }
        double[] logits = linear(p[q], p[q + 1], h, in, n);
        double[] mu = linear(p[q + 2], p[q + 3], h, in, n);
        double[] diag = linear(p[q + 4], p[q + 5], h, in, n);
        double[] up = d > 1 ? linear(p[q + 6], p[q + 7], h, in, n) : new double[0];
        double[] out = new double[n];
        double logScale = ts.logScale();
        for (int s = 0; s < n; s++) {
            double[] z = new double[d];
            for (int i = 0; i < d; i++) z[i] = (theta[i * n + s] - ts.mean()[i]) / ts.std()[i];
            double lmax = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) lmax = Math.max(lmax, logits[c * n + s]);
            double lsum = 0;
            for (int c = 0; c < k; c++) lsum += Math.exp(logits[c * n + s] - lmax);
            double norm = lmax + Math.log(lsum);
            double[] terms = new double[k];
            double tmax = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[][] a = new double[d][d];
                double[] e = new double[d];
                for (int i = 0; i < d; i++) {
                    a[i][i] = UnaryOp.SOFTPLUS.apply(diag[(i * k + c) * n + s]) + cfg.epsilon();
                    for (int j = i + 1; j < d; j++) {
                        a[i][j] = up[(org.jsbi.backend.Backend.upperTriangleIndex(i, j, d) * k + c) * n + s];
                    }
                    e[i] = z[i] - mu[(i * k + c) * n + s];
                }
                double quad = 0, logDet = 0;
                for (int i = 0; i < d; i++) {
                    double yi = 0;
                    for (int j = i; j < d; j++) yi += a[i][j] * e[j];
                    quad += yi * yi;
                    logDet += Math.log(a[i][i]);
                }
                terms[c] = logits[c * n + s] - norm - 0.5 * d * Math.log(2 * Math.PI) + logDet - 0.5 * quad;
                tmax = Math.max(tmax, terms[c]);
            }
            double tsum = 0;
            for (double t : terms) tsum += Math.exp(t - tmax);
            out[s] = tmax + Math.log(tsum) - logScale;
        }
        return out;
    }

    /** Mean of −log q over the batch, float64. */
    static double meanNll64(Mdn mdn, double[][] p, double[] theta, double[] x, int n) {
        double s = 0;
        for (double v : logProb64(mdn, p, theta, x, n)) s -= v;
        return s / n;
    }
}
