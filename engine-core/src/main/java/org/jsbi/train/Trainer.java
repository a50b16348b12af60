package org.jsbi.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.optim.Adam;
import org.jsbi.optim.AdamConfig;
import org.jsbi.optim.GradientClipping;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * Maximum-likelihood training of a conditional density estimator, as sbi trains NPE in its first round: a seeded
 * random validation split, z-scoring from the training split, Adam on the mean negative log-likelihood of shuffled
 * full batches, gradient-norm clipping, and early stopping that restores the best weights. The same seed, backend
 * and thread count give the same weights. Interrupting the thread ends training after the current batch and keeps the
 * best weights so far.
 */
public final class Trainer {

    private Trainer() {
    }

    public static TrainedEstimator train(Backend be, EstimatorFactory factory, TrainingData data, TrainingConfig cfg,
                                         TrainingListener listener) {
        long start = System.nanoTime();
        Rng rng = new Rng(cfg.seed());
        int n = data.size();
        int nVal = (int) Math.max(1, Math.round(n * cfg.validationFraction()));
        int nTrain = n - nVal;
        if (nTrain < cfg.batchSize()) {
            throw new IllegalArgumentException("only " + nTrain + " training simulations after holding out " + nVal
                    + " for validation, fewer than one batch of " + cfg.batchSize()
                    + "; simulate more or lower the batch size");
        }
        int[] perm = rng.permutation(n);
        int[] trainIdx = Arrays.copyOfRange(perm, nVal, n), valIdx = Arrays.copyOfRange(perm, 0, nVal);
        float[][] tTrain = TrainingData.select(data.thetaByDim(), trainIdx);
        float[][] xTrain = TrainingData.select(data.xByDim(), trainIdx);
        float[][] tVal = TrainingData.select(data.thetaByDim(), valIdx);
        float[][] xVal = TrainingData.select(data.xByDim(), valIdx);
        ZScore thetaScore = ZScore.fit(tTrain), xScore = ZScore.fit(xTrain);
        ConditionalDensityEstimator est = factory.build(be, data.thetaDim(), data.xDim(), thetaScore, xScore,
                rng.split());

        Tensor thetaAll = Tensor.of(be, data.thetaDim(), nTrain, TrainingData.flatten(tTrain));
        Tensor xAll = Tensor.of(be, data.xDim(), nTrain, TrainingData.flatten(xTrain));
        Tensor thetaV = Tensor.of(be, data.thetaDim(), nVal, TrainingData.flatten(tVal));
        Tensor xV = Tensor.of(be, data.xDim(), nVal, TrainingData.flatten(xVal));
        int b = cfg.batchSize();
        Tensor thetaB = Tensor.zeros(be, data.thetaDim(), b), xB = Tensor.zeros(be, data.xDim(), b);

        List<Parameter> params = est.parameters();
        Adam adam = new Adam(params, AdamConfig.defaults().withLearningRate(cfg.learningRate()));
        List<Tensor> best = snapshot(params);
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, since = 0;
        List<Double> trainLosses = new ArrayList<>(), valLosses = new ArrayList<>();
        TrainingHistory.StopReason reason = TrainingHistory.StopReason.MAX_EPOCHS;
        Rng order = rng.split();
        int batches = nTrain / b;
        epochs:
        for (int epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] shuffled = order.permutation(nTrain);
            double sum = 0;
            for (int k = 0; k < batches; k++) {
                if (Thread.currentThread().isInterrupted()) {
                    reason = TrainingHistory.StopReason.INTERRUPTED;
                    break epochs;
                }
                int[] idx = Arrays.copyOfRange(shuffled, k * b, (k + 1) * b);
                be.gatherColumns(idx, data.thetaDim(), thetaAll.storage(), 0, nTrain, thetaB.storage(), 0, b);
                be.gatherColumns(idx, data.xDim(), xAll.storage(), 0, nTrain, xB.storage(), 0, b);
                adam.zeroGrad();
                Tape tape = Tape.recording(be);
                Var loss = tape.neg(tape.mean(est.logProb(tape, tape.constant(thetaB), tape.constant(xB))));
                tape.backward(loss);
                if (cfg.clipMaxNorm() > 0) GradientClipping.clipNorm(params, cfg.clipMaxNorm());
                adam.step();
                sum += loss.item();
            }
            double trainLoss = sum / batches;
            double valLoss = validationLoss(be, est, thetaV, xV, b);
            trainLosses.add(trainLoss);
            valLosses.add(valLoss);
            if (valLoss < bestLoss) {
                bestLoss = valLoss;
                bestEpoch = epoch;
                since = 0;
                copyInto(params, best);
            } else {
                since++;
            }
            listener.epochEnd(epoch, trainLoss, valLoss, bestLoss, since, (System.nanoTime() - t0) / 1e9);
            if (since >= cfg.stopAfterEpochs()) {
                reason = TrainingHistory.StopReason.CONVERGED;
                break;
            }
        }
        if (bestEpoch == 0) {
            throw new IllegalStateException("training stopped before the first epoch finished (" + reason
                    + "); no weights to keep");
        }
        restore(best, params);
        return new TrainedEstimator(est, new TrainingHistory(trainLosses, valLosses, bestEpoch, reason,
                (System.nanoTime() - start) / 1e9));
    }

    /** Mean NLL over the validation split, in chunks of the batch size, without recording. */
    static double validationLoss(Backend be, ConditionalDensityEstimator est, Tensor theta, Tensor x, int chunk) {
        int n = theta.cols();
        double sum = 0;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            Tensor tc = Tensor.zeros(be, theta.rows(), m), xc = Tensor.zeros(be, x.rows(), m);
            be.copy2d(theta.rows(), m, theta.storage(), from, n, tc.storage(), 0, m);
            be.copy2d(x.rows(), m, x.storage(), from, n, xc.storage(), 0, m);
            for (float lp : est.logProb(tc, xc)) sum -= lp;
        }
        return sum / n;
    }

    private static List<Tensor> snapshot(List<Parameter> params) {
        List<Tensor> copies = new ArrayList<>();
        for (Parameter p : params) copies.add(p.value().copy());
        return copies;
    }

    private static void copyInto(List<Parameter> params, List<Tensor> dst) {
        for (int i = 0; i < params.size(); i++) {
            Tensor v = params.get(i).value();
            v.backend().copy2d(1, v.size(), v.storage(), 0, v.size(), dst.get(i).storage(), 0, v.size());
        }
    }

    private static void restore(List<Tensor> src, List<Parameter> params) {
        for (int i = 0; i < params.size(); i++) {
            Tensor v = params.get(i).value();
            v.backend().copy2d(1, v.size(), src.get(i).storage(), 0, v.size(), v.storage(), 0, v.size());
        }
    }
}
