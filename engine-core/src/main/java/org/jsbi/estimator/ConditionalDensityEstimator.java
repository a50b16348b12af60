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

    /** log q(θ | x) without recording, for evaluation. */
    default float[] logProb(Tensor theta, Tensor x) {
        Tape tape = Tape.noGrad(theta.backend());
        return logProb(tape, tape.constant(theta), tape.constant(x)).value().toArray();
    }
}
