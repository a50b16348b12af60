package org.jsbi.testing;

import java.util.Arrays;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BinaryOp;
import org.jsbi.backend.ReduceOp;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * A stand-in estimator with a known answer: q(θ | x) = N(μ, diag σ²) whatever x (one x value), so its mode is μ and
 * its log-density is exact. {@code thetaStd} is the θ scale it reports as its z-scoring, which sets the size of a
 * posterior's MAP steps.
 */
public final class DiagonalGaussianEstimator implements ConditionalDensityEstimator {

    private final Backend backend;
    private final float[] mu;
    private final float[] sigma;
    private final float thetaStd;

    public DiagonalGaussianEstimator(Backend backend, float[] mu, float[] sigma, float thetaStd) {
        this.backend = backend;
        this.mu = mu.clone();
        this.sigma = sigma.clone();
        this.thetaStd = thetaStd;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int thetaDim() {
        return mu.length;
    }

    @Override
    public int xDim() {
        return 1;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Var logProb(Tape tape, Var theta, Var x) {
        int d = mu.length;
        Var centred = tape.broadcastColumn(BinaryOp.SUB, theta, tape.constant(Tensor.of(backend, d, 1, mu)));
        Var z = tape.broadcastColumn(BinaryOp.DIV, centred, tape.constant(Tensor.of(backend, d, 1, sigma)));
        double logNorm = 0;
        for (float s : sigma) logNorm += Math.log(s) + 0.5 * Math.log(2 * Math.PI);
        return tape.affine(tape.reduceColumns(ReduceOp.SUM, tape.square(z)), -0.5f, (float) -logNorm);
    }

    @Override
    public Tensor sample(int n, float[] x, Rng rng) {
        int d = mu.length;
        float[] out = new float[d * n];
        for (int c = 0; c < d; c++) {
            for (int j = 0; j < n; j++) out[c * n + j] = (float) (mu[c] + sigma[c] * rng.nextGaussian());
        }
        return Tensor.of(backend, d, n, out);
    }

    @Override
    public ZScore thetaScore() {
        float[] std = new float[mu.length];
        Arrays.fill(std, thetaStd);
        return new ZScore(new float[mu.length], std);
    }

    @Override
    public ZScore xScore() {
        return ZScore.identity(1);
    }
}
