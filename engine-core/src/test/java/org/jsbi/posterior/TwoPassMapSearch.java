package org.jsbi.posterior;

import java.util.Arrays;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.dist.Prior;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.tensor.Tensor;

/**
 * {@link DirectPosterior#map} as it was written before session 39, kept as the oracle of its answer: each step took
 * the gradient at the current points on a plain recording tape (parameter gradients included, then cleared) and log q
 * at the proposals in a separate no-grad pass ({@link DirectPosterior#logProbUncorrected}), ten columns wide. The
 * one-pass search must return the same floats.
 */
public final class TwoPassMapSearch {

    private static final double MAP_STEP_GROWTH = 1.25;
    private static final int MAX_SUPPORT_HALVINGS = 30;

    private TwoPassMapSearch() {
    }

    public static float[] map(DirectPosterior posterior, float[] x, long seed) {
        ConditionalDensityEstimator estimator = posterior.estimator();
        Prior prior = posterior.prior();
        PosteriorConfig config = posterior.config();
        float[][] starts = posterior.sample(config.mapStarts(), x, seed);
        double[] lp = posterior.logProbUncorrected(starts, x);
        Integer[] order = new Integer[starts.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(lp[b], lp[a]));
        int k = Math.min(10, starts.length), d = estimator.thetaDim();
        float[][] cur = new float[k][];
        double[] curLp = new double[k];
        for (int i = 0; i < k; i++) {
            cur[i] = starts[order[i]].clone();
            curLp[i] = lp[order[i]];
        }
        float[] std = estimator.thetaScore().std();
        double[][] m1 = new double[k][d], m2 = new double[k][d];
        double[] scale = new double[k];
        Arrays.fill(scale, 1.0);
        double lr = config.mapLearningRate(), b1 = 0.9, b2 = 0.999;
        for (int step = 1; step <= config.mapSteps(); step++) {
            float[][] grad = gradient(estimator, cur, x);
            float[][] next = new float[k][d];
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < d; c++) {
                    double g = grad[i][c] * std[c];
                    m1[i][c] = b1 * m1[i][c] + (1 - b1) * g;
                    m2[i][c] = b2 * m2[i][c] + (1 - b2) * g * g;
                    double mh = m1[i][c] / (1 - Math.pow(b1, step)), vh = m2[i][c] / (1 - Math.pow(b2, step));
                    next[i][c] = (float) (cur[i][c] + lr * scale[i] * std[c] * mh / (Math.sqrt(vh) + 1e-8));
                }
                next[i] = keepInSupport(prior, cur[i], next[i]);
            }
            double[] nextLp = posterior.logProbUncorrected(next, x);
            for (int i = 0; i < k; i++) {
                if (nextLp[i] >= curLp[i]) {
                    cur[i] = next[i];
                    curLp[i] = nextLp[i];
                    scale[i] = Math.min(1.0, scale[i] * MAP_STEP_GROWTH);
                } else {
                    scale[i] *= 0.5;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (curLp[i] > curLp[best]) best = i;
        }
        return cur[best];
    }

    private static float[] keepInSupport(Prior prior, float[] from, float[] to) {
        if (isFinite(to) && prior.inSupport(to)) return to;
        float[] out = from.clone();
        for (int c = 0; c < out.length; c++) {
            if (!Float.isFinite(to[c])) continue;
            double move = (double) to[c] - from[c];
            for (int h = 0; h <= MAX_SUPPORT_HALVINGS && out[c] == from[c]; h++, move *= 0.5) {
                out[c] = (float) (from[c] + move);
                if (!prior.inSupport(out)) out[c] = from[c];
            }
        }
        return out;
    }

    private static float[][] gradient(ConditionalDensityEstimator estimator, float[][] theta, float[] x) {
        int n = theta.length, d = estimator.thetaDim();
        Backend be = estimator.backend();
        float[] tb = new float[d * n], xb = new float[x.length * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) tb[c * n + i] = theta[i][c];
        }
        for (int c = 0; c < x.length; c++) Arrays.fill(xb, c * n, (c + 1) * n, x[c]);
        Tape tape = Tape.recording(be);
        Var th = tape.variable(Tensor.of(be, d, n, tb));
        Var lp = estimator.logProb(tape, th, tape.constant(Tensor.of(be, x.length, n, xb)));
        tape.backward(tape.sum(lp));
        for (Parameter p : estimator.parameters()) p.zeroGrad();
        float[][] g = new float[n][d];
        Tensor gt = th.grad();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) g[i][c] = gt.get(c, i);
        }
        return g;
    }

    private static boolean isFinite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) return false;
        }
        return true;
    }
}
