package org.jsbi.estimator;

import org.jsbi.autodiff.Tape;
import org.jsbi.backend.Backend;
import org.jsbi.autodiff.Var;
import org.jsbi.nn.Module;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * A conditional density q(θ | x) trained by maximum likelihood on simulated pairs.
 *
 * <p>Tensors are batch-major: θ is thetaDim x n and x is xDim x n, one column per sample. Values are in the user's
 * units; the estimator owns the z-scoring of θ and x ({@link ZScore}, fixed when it is built from the training split),
 * so a saved estimator is self-contained.
 *
 * <p>jsbi's estimators may be evaluated ({@link #logProb(Tensor, Tensor)}, {@link #sample}) from several threads at
 * once, each with its own {@link Rng}, and give the same values as one call after another; training one, or any other
 * change of its parameters, must not overlap with them, and a recording tape adds into its parameters' shared
 * gradients, so gradients of one estimator are one thread's at a time.
 */
public interface ConditionalDensityEstimator extends Module {

    /** The backend the estimator's weights live on and its kernels run on. */
    Backend backend();

    int thetaDim();

    int xDim();

    /** log q(θ | x) of each column, as a 1 x n row; differentiable with respect to the parameters on a recording tape. */
    Var logProb(Tape tape, Var theta, Var x);

    /** n samples θ ~ q(· | x) for one observation x (length xDim), as thetaDim x n. */
    Tensor sample(int n, float[] x, Rng rng);

    /** The z-scoring of θ. */
    ZScore thetaScore();

    /** The z-scoring of x. */
    ZScore xScore();

    /**
     * log q(θ | x) without recording, for evaluation. A NaN or infinite θ or x is refused (naming where it is): the
     * network would pass it through as a NaN density.
     */
    default float[] logProb(Tensor theta, Tensor x) {
        requireFinite(theta, "θ");
        requireFinite(x, "x");
        Tape tape = Tape.noGrad(theta.backend());
        return logProb(tape, tape.constant(theta), tape.constant(x)).value().toArray();
    }

    /** n samples of d values must fit one array (2^30 samples of 4 dimensions wrapped to an empty one). */
    static void requireOneArray(int n, int d) {
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " samples of " + d + " dimensions are " + (long) n * d + " values,"
                    + " more than one array holds; draw them in batches of at most " + (Integer.MAX_VALUE - 8) / d);
        }
    }

    private static void requireFinite(Tensor t, String what) {
        float[] v = t.toArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(what + " holds " + v[i] + " at dimension " + i / t.cols() + " of sample "
                        + i % t.cols() + "; log q needs finite values");
            }
        }
    }
}
