package org.jsbi.posterior;

import java.util.Arrays;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.TapeArena;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.tensor.Tensor;

/**
 * log q(θ | x) and ∂ log q / ∂θ of a fixed number of rows at one observation, both from one recorded pass: what a MAP
 * search needs at each step. The estimator's parameters are constants on its tape
 * ({@link Tape#recordingInputGradients}): the weight gradients that a plain recording tape computes were half of a
 * MAP step's time, and went into the accumulators that the estimator's other tapes share. Every call records the same
 * graph, so its tensors come from one arena. The batch is padded with copies of the first row to the backend's
 * {@link Backend#preferredColumnMultiple}, whose kernels compute each column alike at any width. One thread's.
 */
final class LogDensityGradient {

    /** One evaluation: logQ[i] and gradient[i] (d values) are row i's. */
    record Evaluation(float[] logQ, float[][] gradient) {
    }

    private final ConditionalDensityEstimator estimator;
    private final Backend backend;
    /** The caller's rows, the batch's columns (rows and the padding) and θ's dimension. */
    private final int rows, columns, d;
    private final Tensor theta, x;
    private final float[] packed;
    private final TapeArena arena;

    /** For {@code rows} rows of θ at observation x (finite, of the estimator's x dimension). */
    LogDensityGradient(ConditionalDensityEstimator estimator, float[] x, int rows) {
        this.estimator = estimator;
        this.backend = estimator.backend();
        this.rows = rows;
        int multiple = Math.max(1, backend.preferredColumnMultiple());
        this.columns = (rows + multiple - 1) / multiple * multiple;
        this.d = estimator.thetaDim();
        float[] xb = new float[x.length * columns];
        for (int c = 0; c < x.length; c++) Arrays.fill(xb, c * columns, (c + 1) * columns, x[c]);
        this.x = Tensor.of(backend, x.length, columns, xb);
        this.theta = Tensor.zeros(backend, d, columns);
        this.packed = new float[d * columns];
        this.arena = new TapeArena(backend);
    }

    /** log q and its gradient at each of the rows of θ (each of d values). */
    Evaluation evaluate(float[][] at) {
        if (at.length != rows) throw new IllegalArgumentException("expected " + rows + " rows of θ, got " + at.length);
        for (int j = 0; j < columns; j++) {
            // The padding repeats row 0, an ordinary point (each column is computed alone, so any would do).
            float[] row = at[j < rows ? j : 0];
            for (int c = 0; c < d; c++) packed[c * columns + j] = row[c];
        }
        theta.set(packed);
        Tape tape = Tape.recordingInputGradients(backend, arena);
        Var th = tape.variable(theta);
        Var lp = estimator.logProb(tape, th, tape.constant(x));
        float[] logQ = Arrays.copyOf(lp.value().toArray(), rows);
        tape.backward(tape.sum(lp));
        float[] g = th.grad().toArray();
        float[][] gradient = new float[rows][d];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < d; c++) gradient[i][c] = g[c * columns + i];
        }
        return new Evaluation(logQ, gradient);
    }
}
