package org.jsbi.validation;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.TapeArena;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.nn.Activation;
import org.jsbi.nn.Init;
import org.jsbi.nn.Linear;
import org.jsbi.nn.Mlp;
import org.jsbi.optim.Adam;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * The binary classifier of the C2ST, trained as scikit-learn's {@code MLPClassifier(solver="adam")} trains: two
 * hidden ReLU layers and one logistic output, log-loss plus alpha / (2m) · Σ W² per batch of m, Adam, mini-batches
 * from a fresh shuffle every epoch (the last batch of an epoch holds the remainder), and no validation split:
 * training stops when the epoch's mean training loss has not improved by tol for more than {@code patience}
 * epochs in a row. The final weights are kept, as sklearn keeps them.
 *
 * <p>Two small departures, both from running on jsbi's engine: the loss is computed from the logit as
 * softplus(z) − y·z (sklearn clips the probability at float eps instead), and jsbi's Adam applies eps to the
 * bias-corrected second moment (as PyTorch) where sklearn applies it to the raw one. Neither matters once
 * gradients are larger than 1e-8.
 */
final class MlpClassifier {

    private final Backend be;
    private final Mlp mlp;
    private final C2stConfig config;

    MlpClassifier(Backend be, int dim, C2stConfig config, Rng rng) {
        this.be = be;
        this.config = config;
        int hidden = config.hiddenFactor() * dim;
        this.mlp = new Mlp(be, dim, new int[] {hidden, hidden}, 1, Activation.RELU, rng);
        // Mlp initialises as PyTorch does; re-draw as sklearn does, for a classifier that starts where sbibm's starts.
        for (Linear layer : mlp.layers()) glorot(layer, rng);
    }

    /**
     * sklearn's Glorot-uniform initialisation: weights and biases U(−b, b) with b = sqrt(6 / (fanIn + fanOut)).
     * (sklearn uses 2 instead of 6 only when the hidden activation is logistic, which it is not here; the output
     * layer takes the hidden activation's factor.)
     */
    private static void glorot(Linear layer, Rng rng) {
        double bound = Math.sqrt(6.0 / (layer.in() + layer.out()));
        Init.uniform(layer.weight().value(), -bound, bound, rng);
        Init.uniform(layer.bias().value(), -bound, bound, rng);
    }

    /**
     * Trains on the columns of x (dim × n) with labels y (0 or 1, length n); returns the number of epochs run.
     * The shuffles come from rng. {@code stop} is asked before every step; when it holds, training ends with a
     * {@link C2stInterruptedException}, since a classifier cut short would report a wrong accuracy.
     */
    int fit(Tensor x, float[] y, Rng rng, BooleanSupplier stop) {
        int n = x.cols(), dim = x.rows();
        int b = Math.min(config.batchSize(), n);
        Tensor labels = Tensor.of(be, 1, n, y);
        Batch batch = new Batch(be, dim, b), last = n % b > 0 ? new Batch(be, dim, n % b) : null;
        Adam adam = new Adam(mlp.parameters(), config.adam());
        double best = Double.POSITIVE_INFINITY;
        int stale = 0, epoch = 0;
        while (epoch < config.maxEpochs()) {
            epoch++;
            int[] order = rng.permutation(n);
            double sum = 0;
            for (int start = 0; start < n; start += b) {
                // Every step, not every epoch: a cold JVM's first epochs of 10,000 samples take seconds.
                if (stop.getAsBoolean()) {
                    throw new C2stInterruptedException("the C2ST was interrupted in its classifier's epoch " + epoch
                            + "; it has no accuracy");
                }
                Batch bt = start + b <= n ? batch : last;
                bt.gather(be, Arrays.copyOfRange(order, start, start + bt.size), x, labels);
                sum += step(adam, bt, bt.arena) * bt.size;
            }
            double loss = sum / n;
            // sklearn's rule, word for word: no improvement unless below best - tol; stop when that streak exceeds
            // the patience.
            if (loss > best - config.tol()) stale++; else stale = 0;
            if (loss < best) best = loss;
            if (stale > config.patience()) break;
        }
        return epoch;
    }

    /**
     * One Adam step on one batch of m; returns the batch's loss, mean log-loss + alpha / (2m) · Σ W². The penalty's
     * gradient, alpha / m · W, is added to the weights' gradients directly, as sklearn adds it: one pass over each
     * weight matrix, where the tape would record a square and a sum and run both backward for a closed-form result.
     */
    private double step(Adam adam, Batch bt, TapeArena arena) {
        adam.zeroGrad();
        Tape tape = Tape.recording(be, null, arena);
        Var z = mlp.forward(tape, tape.constant(bt.x));
        // −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z, stable for any z.
        Var logLoss = tape.scale(tape.sum(tape.sub(tape.softplus(z), tape.mul(tape.constant(bt.y), z))),
                1f / bt.size);
        tape.backward(logLoss);
        double squares = 0;
        float decay = config.alpha() / bt.size;
        for (Linear layer : mlp.layers()) {
            Tensor w = layer.weight().value();
            squares += be.dot(w.size(), w.storage(), 0, w.storage(), 0);
            be.axpy(w.size(), decay, w.storage(), 0, layer.weight().grad().storage(), 0);
        }
        adam.step();
        return logLoss.item() + 0.5 * decay * squares;
    }

    /** How many columns of x (dim × n) are classified as their label says: class 1 when the logit is > 0. */
    int correct(Tensor x, float[] y) {
        Tape tape = Tape.noGrad(be);
        float[] logits = mlp.forward(tape, tape.constant(x)).value().toArray();
        int right = 0;
        for (int i = 0; i < logits.length; i++) {
            if ((logits[i] > 0f) == (y[i] == 1f)) right++;
        }
        return right;
    }

    /**
     * Preallocated batch tensors, refilled by a gather every step, and the arena its steps' tapes reuse. Without
     * the arena every step allocated its ~20 node tensors afresh: with the JVM's default young generation (GBs
     * here) each new array lands on cache-cold memory, and a 10-D C2ST took twice as long (see ARCHITECTURE.md, C2ST).
     */
    private static final class Batch {
        final int size;
        final Tensor x;
        final Tensor y;
        final TapeArena arena;

        Batch(Backend be, int dim, int size) {
            this.size = size;
            this.arena = new TapeArena(be);
            this.x = Tensor.zeros(be, dim, size);
            this.y = Tensor.zeros(be, 1, size);
        }

        void gather(Backend be, int[] idx, Tensor allX, Tensor allY) {
            be.gatherColumns(idx, allX.rows(), allX.storage(), 0, allX.cols(), x.storage(), 0, size);
            be.gatherColumns(idx, 1, allY.storage(), 0, allY.cols(), y.storage(), 0, size);
        }
    }
}
