package org.jsbi.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/** The training loop: learning, determinism, early stopping bookkeeping, interruption and bad input. */
class TrainerTest {

    private final Backend be = new ScalarBackend();
    private final long seed = TestSeeds.seed(5L);
    private static final EstimatorFactory SMALL_MAF = (b, td, xd, ts, xs, rng) ->
            new Maf(b, td, xd, ts, xs, MafConfig.defaults().withTransforms(2).withHiddenFeatures(16), rng);

    /** θ | x ~ N(2x + 1, 0.5²) in 1-D, x ~ N(0, 1). */
    private static TrainingData linear(int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] t = new float[n][1], x = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) rng.nextGaussian();
            t[i][0] = (float) (2 * x[i][0] + 1 + 0.5 * rng.nextGaussian());
        }
        return TrainingData.of(t, x);
    }

    /** The dimension-major copy that {@link TrainingData#of} keeps of one side, as {@link #linear} makes it. */
    private static float[][] byDim(TrainingData.Columns columns) {
        return ((TrainingData.ByDim) columns).byDim();
    }

    private static float[] weights(TrainedEstimator te) {
        int total = 0;
        for (Parameter p : te.estimator().parameters()) total += p.size();
        float[] out = new float[total];
        int o = 0;
        for (Parameter p : te.estimator().parameters()) {
            float[] v = p.value().toArray();
            System.arraycopy(v, 0, out, o, v.length);
            o += v.length;
        }
        return out;
    }

    @Test
    void theSplitsTensorsHoldTheChosenPairsWhateverTheLayout() {
        // 3 dimensions fit one pass of the gather; 150 take three passes of 64 and a part (the last of 22).
        for (int dims : new int[] {3, 150}) splitOf(dims);
    }

    private void splitOf(int dims) {
        Rng rng = new Rng(seed);
        int n = 50;
        float[][] byDim = new float[dims][n], rows = new float[n][dims];
        for (float[] row : byDim) for (int i = 0; i < n; i++) row[i] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) for (int d = 0; d < dims; d++) rows[i][d] = byDim[d][i];
        int[] idx = Arrays.copyOfRange(rng.permutation(n), 7, n);
        float[] expected = new float[dims * idx.length];
        for (int d = 0; d < dims; d++) {
            for (int k = 0; k < idx.length; k++) expected[d * idx.length + k] = byDim[d][idx[k]];
        }
        // A dimension-major copy and the caller's rows read in place give the same tensor, row by row.
        for (TrainingData.Columns columns : new TrainingData.Columns[] {new TrainingData.ByDim(byDim),
                new TrainingData.Rows(rows, dims)}) {
            List<float[]> seen = new ArrayList<>();
            Tensor t = Trainer.selectColumns(be, columns, idx, row -> seen.add(row.clone()));
            assertEquals(dims, t.rows());
            assertEquals(idx.length, t.cols());
            assertArrayEquals(expected, t.toArray(), columns.getClass().getSimpleName());
            assertEquals(dims, seen.size());
            for (int d = 0; d < dims; d++) {
                assertArrayEquals(Arrays.copyOfRange(expected, d * idx.length, (d + 1) * idx.length), seen.get(d));
            }
        }
    }

    /**
     * Rows read in place (a SimulationSet's, which it keeps anyway) train to the bits of a copy of them, on one
     * thread and on two, and are refused with the same words.
     */
    @Test
    void rowsReadInPlaceTrainToTheBitsOfACopy() {
        Rng rng = new Rng(seed);
        int n = 700;
        float[][] t = new float[n][3], x = new float[n][2];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) t[i][d] = (float) rng.nextGaussian();
            for (int d = 0; d < 2; d++) x[i][d] = t[i][d] + t[i][d + 1] + 0.3f * (float) rng.nextGaussian();
        }
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(128).withMaxEpochs(2).withSeed(seed);
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                TrainedEstimator copied = Trainer.train(be, SMALL_MAF, TrainingData.of(t, x), cfg,
                        TrainingListener.NONE);
                TrainedEstimator inPlace = Trainer.train(be, SMALL_MAF, TrainingData.readingRows(t, x), cfg,
                        TrainingListener.NONE);
                assertArrayEquals(weights(copied), weights(inPlace), threads + " thread(s)" + TestSeeds.replay(seed));
                assertEquals(copied.history().validationLoss(), inPlace.history().validationLoss());
                assertEquals(copied.estimator().thetaScore(), inPlace.estimator().thetaScore());
                assertEquals(copied.estimator().xScore(), inPlace.estimator().xScore());
            }
        } finally {
            Parallel.setThreads(before);
        }
        x[5][1] = Float.NaN;
        assertEquals(assertThrows(IllegalArgumentException.class, () -> TrainingData.of(t, x)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> TrainingData.readingRows(t, x)).getMessage());
    }

    @Test
    void learnsAndIsDeterministic() {
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(100).withLearningRate(3e-3f).withMaxEpochs(40)
                .withSeed(seed);
        TrainedEstimator a = Trainer.train(be, SMALL_MAF, linear(2000, seed), cfg, TrainingListener.NONE);
        TrainingHistory h = a.history();
        double entropy = 0.5 * Math.log(2 * Math.PI * Math.E * 0.25);
        System.out.printf("trainer: %d epochs, best %d, val NLL %.4f (entropy %.4f), %.1f s%n", h.epochs(),
                h.bestEpoch(), h.bestValidationLoss(), entropy, h.seconds());
        assertTrue(h.bestValidationLoss() < entropy + 0.1, "validation NLL " + h.bestValidationLoss()
                + " should approach the conditional entropy " + entropy + TestSeeds.replay(seed));
        assertEquals(h.epochs(), h.validationLoss().size());
        double min = h.validationLoss().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(min, h.bestValidationLoss(), 0.0, "the kept epoch is the best one");
        TrainedEstimator b = Trainer.train(be, SMALL_MAF, linear(2000, seed), cfg, TrainingListener.NONE);
        assertArrayEquals(weights(a), weights(b), "same seed, same weights" + TestSeeds.replay(seed));
    }

    /**
     * With two threads a batch of 200 is split in two parts (112 + 88 columns) whose gradients are added: the
     * weights after a few steps match one thread's up to float rounding, and the same seed and thread count give
     * the same weights.
     */
    @Test
    void splitBatchMatchesOneThreadAndIsDeterministic() {
        int before = Parallel.threads();
        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(2).withSeed(seed);
        TrainingData data = linear(1000, seed);
        try {
            Parallel.setThreads(1);
            float[] one = weights(Trainer.train(be, SMALL_MAF, data, cfg, TrainingListener.NONE));
            Parallel.setThreads(2);
            float[] two = weights(Trainer.train(be, SMALL_MAF, data, cfg, TrainingListener.NONE));
            float[] again = weights(Trainer.train(be, SMALL_MAF, data, cfg, TrainingListener.NONE));
            assertArrayEquals(two, again, "two threads, same seed: same weights" + TestSeeds.replay(seed));
            double worst = 0;
            for (int i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
            // 8 Adam steps of at most lr = 5e-4 each; the parts' gradients differ from the whole's only by rounding.
            assertTrue(worst < 2e-5, "one vs two threads: largest weight difference " + worst + TestSeeds.replay(seed));
            boolean differs = false;
            for (int i = 0; i < one.length; i++) differs |= one[i] != two[i];
            assertTrue(differs || one.length == 0, "the split path ran (results differ in the last bits)");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void splitStepGivesTheSameWeightsWhenItsPartsRunOneAfterTheOther() {
        // Inside a chunk of another split, the step's parts run on one thread, part 0 first: the second part then
        // reduces every gradient itself (part 0's thread must not wait for it). Same bits as the parallel run.
        int before = Parallel.threads();
        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(2).withSeed(seed);
        TrainingData data = linear(1000, seed);
        try {
            Parallel.setThreads(2);
            float[] parallel = weights(Trainer.train(be, SMALL_MAF, data, cfg, TrainingListener.NONE));
            float[][] nested = new float[1][];
            Parallel.forRange(2, 1, 1, (c0, c1) -> {
                if (c0 == 0) nested[0] = weights(Trainer.train(be, SMALL_MAF, data, cfg, TrainingListener.NONE));
            });
            assertArrayEquals(parallel, nested[0], "parts in turn on one thread" + TestSeeds.replay(seed));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void interruptionOnTwoThreadsAppliesTheDeferredUpdateAndStops() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicInteger epochs = new AtomicInteger();
            TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(1000).withSeed(seed);
            TrainedEstimator te = Trainer.train(be, SMALL_MAF, linear(1000, seed), cfg,
                    (e, t, v, best, since, sec) -> {
                        if (epochs.incrementAndGet() == 2) Thread.currentThread().interrupt();
                    });
            assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
            assertEquals(TrainingHistory.StopReason.INTERRUPTED, te.history().stopReason());
            assertEquals(2, te.history().epochs());
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void anEpochsBatchesAreTheSameFromThePermutedCopyAndFromTheSource() {
        int n = 1_003;
        Rng rng = new Rng(seed);
        float[] t = new float[3 * n], x = new float[2 * n];
        for (int i = 0; i < t.length; i++) t[i] = (float) rng.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        Tensor theta = Tensor.of(be, 3, n, t), xs = Tensor.of(be, 2, n, x);
        Trainer.EpochOrder copied = new Trainer.EpochOrder(be, theta, xs, true);
        Trainer.EpochOrder gathered = new Trainer.EpochOrder(be, theta, xs, false);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = rng.permutation(n);
            copied.begin(order);
            gathered.begin(order);
            for (int from = 0; from + 200 <= n; from += 200) {
                for (int[] part : new int[][] {{0, 112}, {112, 88}, {0, 200}}) {
                    int w = part[1];
                    Tensor ta = Tensor.zeros(be, 3, w);
                    Tensor xa = Tensor.zeros(be, 2, w);
                    Tensor tb = Tensor.zeros(be, 3, w);
                    Tensor xb = Tensor.zeros(be, 2, w);
                    copied.batch(from + part[0], w, ta, xa);
                    gathered.batch(from + part[0], w, tb, xb);
                    assertArrayEquals(tb.toArray(), ta.toArray());
                    assertArrayEquals(xb.toArray(), xa.toArray());
                    // And both are the source's columns in the epoch's order.
                    for (int c = 0; c < w; c++) {
                        assertEquals(t[2 * n + order[from + part[0] + c]], ta.toArray()[2 * w + c]);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> copied.begin(new int[n - 1]));
    }

    @Test
    void updateRangesCoverTheParametersInOrderAndEvenly() {
        int[] lengths = {100, 50, 2500, 50, 2500, 50, 200, 4, 100, 50, 2500, 50, 2500, 50, 200, 4};
        int[] r = Trainer.SplitStep.updateRanges(lengths, 5);
        assertEquals(0, r[0]);
        assertEquals(lengths.length, r[r.length - 1]);
        for (int i = 1; i < r.length; i++) assertTrue(r[i] > r[i - 1], "ranges are not empty: " + Arrays.toString(r));
        assertTrue(r.length - 1 <= 5, Arrays.toString(r));
        assertArrayEquals(new int[] {0, 1}, Trainer.SplitStep.updateRanges(new int[] {7}, 5));
    }

    @Test
    void threadsUsedSaysWhenABatchIsTooSmallToSplit() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            assertEquals(2, Trainer.threadsUsed(be, 200), "a batch of 200 splits 112 + 88");
            assertEquals(2, Trainer.threadsUsed(be, 2 * Trainer.MIN_COLUMNS_PER_THREAD));
            assertEquals(1, Trainer.threadsUsed(be, 2 * Trainer.MIN_COLUMNS_PER_THREAD - 1));
            assertEquals(1, Trainer.threadsUsed(be, 50), "the pyloric example's batch of 50 runs on one thread");
            Parallel.setThreads(1);
            assertEquals(1, Trainer.threadsUsed(be, 200));
            assertThrows(IllegalArgumentException.class, () -> Trainer.threadsUsed(be, 0));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void stopsAfterPatienceRunsOut() {
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(100).withStopAfterEpochs(2).withMaxEpochs(500)
                .withLearningRate(1e-2f).withSeed(seed);
        TrainingHistory h = Trainer.train(be, SMALL_MAF, linear(500, seed), cfg, TrainingListener.NONE).history();
        assertEquals(TrainingHistory.StopReason.CONVERGED, h.stopReason());
        assertEquals(h.bestEpoch() + 2, h.epochs());
    }

    @Test
    void interruptionKeepsTheBestWeightsSoFar() {
        AtomicInteger epochs = new AtomicInteger();
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(100).withMaxEpochs(1000).withSeed(seed);
        TrainedEstimator te = Trainer.train(be, SMALL_MAF, linear(1000, seed), cfg,
                (e, t, v, best, since, sec) -> {
                    if (epochs.incrementAndGet() == 3) Thread.currentThread().interrupt();
                });
        assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        assertEquals(TrainingHistory.StopReason.INTERRUPTED, te.history().stopReason());
        assertEquals(3, te.history().epochs());
    }

    @Test
    void badInputGetsClearErrors() {
        float[][] t = {{1f}, {2f}}, x = {{1f}, {2f}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.of(new float[0][], new float[0][]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingData.of(t, new float[][] {{1f}}));
        assertTrue(e.getMessage().contains("θ has 2 rows but x has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.of(t, new float[][] {{1f}, {Float.NaN}}));
        assertTrue(e.getMessage().contains("simulation 1") && e.getMessage().contains("non-finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.of(new float[][] {{1f}, {2f, 3f}}, x));
        assertTrue(e.getMessage().contains("row 1 has 2 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(be, SMALL_MAF, linear(150, seed),
                TrainingConfig.defaults(), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("fewer than one batch of 200"), e.getMessage());
    }

    /** The smallest budget that a command checks up front is exactly the one train accepts: one fewer is refused. */
    @Test
    void minimumSimulationsIsTheBoundaryTrainEnforces() {
        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(1).withSeed(seed);
        assertEquals(222, Trainer.minimumSimulations(cfg));   // 22 held out, 200 left: one batch
        assertEquals(3, Trainer.minimumSimulations(cfg.withBatchSize(1)));   // z-scoring needs two training rows
        for (int batch : new int[] {1, 7, 50, 200}) {
            TrainingConfig c = cfg.withBatchSize(batch);
            int min = Trainer.minimumSimulations(c);
            assertEquals(1, Trainer.train(be, SMALL_MAF, linear(min, seed), c, TrainingListener.NONE).history().epochs());
            assertThrows(IllegalArgumentException.class,
                    () -> Trainer.train(be, SMALL_MAF, linear(min - 1, seed), c, TrainingListener.NONE), "batch " + batch);
        }
    }

    /**
     * Data in SI units (θ a conductance of about 1e-9 S, x a current of about 1e-8 A) train as the same data in unit
     * units: z-scoring keeps their own spreads. The std was floored at 1e-7, which left z-scored values with a
     * spread of a few hundredths, and the network all but ignored them (posterior ≈ prior, silently).
     */
    @Test
    void tinyButRealSpreadsAreKeptByZScoring() {
        TrainingData unit = linear(1000, seed);
        double thetaScale = 1e-9, xScale = 1e-8;
        float[][] t = new float[1000][1], x = new float[1000][1];
        for (int i = 0; i < 1000; i++) {
            t[i][0] = (float) (byDim(unit.theta())[0][i] * thetaScale);
            x[i][0] = (float) (byDim(unit.x())[0][i] * xScale);
        }
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(100).withLearningRate(3e-3f).withMaxEpochs(3)
                .withSeed(seed);
        TrainedEstimator a = Trainer.train(be, SMALL_MAF, unit, cfg, TrainingListener.NONE);
        TrainedEstimator b = Trainer.train(be, SMALL_MAF, TrainingData.of(t, x), cfg, TrainingListener.NONE);
        assertEquals(a.estimator().xScore().std()[0] * xScale, b.estimator().xScore().std()[0], 1e-4 * xScale);
        assertEquals(a.estimator().thetaScore().std()[0] * thetaScale, b.estimator().thetaScore().std()[0],
                1e-4 * thetaScale);
        // log q in user units differs by −log(θ's scale); the rest is float rounding.
        assertEquals(a.history().bestValidationLoss() + Math.log(thetaScale), b.history().bestValidationLoss(), 1e-3,
                "validation NLL in SI units" + TestSeeds.replay(seed));
    }

    @Test
    void aConstantColumnIsRefusedByName() {
        TrainingData lin = linear(300, seed);
        float[][] t = new float[300][2], x = new float[300][2];
        for (int i = 0; i < 300; i++) {
            t[i][0] = byDim(lin.theta())[0][i];
            t[i][1] = 5f;
            x[i][0] = byDim(lin.x())[0][i];
            x[i][1] = byDim(lin.theta())[0][i];
        }
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(50).withMaxEpochs(1).withSeed(seed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(be, SMALL_MAF, TrainingData.of(t, x), cfg, TrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("θ dimension 1 takes the same value (5.0)")
                && e.getMessage().contains("an interval narrower than that around 5.0 holds this one value"),
                e.getMessage());
        for (float[] row : x) row[1] = 1f;
        for (int i = 0; i < 300; i++) t[i][1] = x[i][0];
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(be, SMALL_MAF, TrainingData.of(t, x), cfg, TrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("x dimension 1 takes the same value (1.0)")
                && e.getMessage().contains("summary statistics"), e.getMessage());
    }

    @Test
    void aDivergingTrainingStopsAtTheFirstNonFiniteLossKeepingTheBestWeights() {
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(50).withMaxEpochs(30).withSeed(seed);
        // Diverging from the start: there is nothing to keep, and the message says what to do.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.train(be, SMALL_MAF,
                linear(300, seed), cfg.withLearningRate(1e30f), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("diverged in epoch 1") && e.getMessage().contains("lower the learning rate"),
                e.getMessage());
        // Diverging after two good epochs (a weight made NaN after epoch 2): stopped in epoch 3, epoch 1 or 2 kept.
        Maf[] built = new Maf[1];
        EstimatorFactory capture = (b, td, xd, ts, xs, rng) -> built[0] = (Maf) SMALL_MAF.build(b, td, xd, ts, xs, rng);
        AtomicInteger epochs = new AtomicInteger();
        TrainedEstimator te = Trainer.train(be, capture, linear(300, seed), cfg, (ep, tl, vl, best, since, sec) -> {
            epochs.set(ep);
            if (ep == 2) {
                Parameter p = built[0].parameters().get(0);
                float[] nan = new float[p.size()];
                Arrays.fill(nan, Float.NaN);
                p.value().set(nan);
            }
        });
        assertEquals(3, epochs.get());
        assertEquals(TrainingHistory.StopReason.DIVERGED, te.history().stopReason());
        assertTrue(te.history().bestEpoch() <= 2);
        for (float w : weights(te)) assertTrue(Float.isFinite(w), "the best epoch's weights are restored");
    }

    @Test
    void configsThatWouldMisbehaveQuietlyAreRefused() {
        TrainingConfig d = TrainingConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> d.withClipMaxNorm(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withClipMaxNorm(Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(be, SMALL_MAF, null, d, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("data"), e.getMessage());
        // A null listener is no listener.
        assertEquals(1, Trainer.train(be, SMALL_MAF, linear(300, seed), d.withBatchSize(50).withMaxEpochs(1)
                .withSeed(seed), null).history().epochs());
    }
}
