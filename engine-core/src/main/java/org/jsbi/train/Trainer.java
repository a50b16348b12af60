package org.jsbi.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.jsbi.autodiff.Parameter;
import org.jsbi.autodiff.Tape;
import org.jsbi.autodiff.TapeArena;
import org.jsbi.autodiff.Var;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.estimator.ConditionalDensityEstimator;
import org.jsbi.estimator.ZScore;
import org.jsbi.optim.Adam;
import org.jsbi.optim.AdamConfig;
import org.jsbi.optim.GradientClipping;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Storage;
import org.jsbi.tensor.Tensor;

/**
 * Maximum-likelihood training of a conditional density estimator, as sbi trains NPE in its first round: a seeded
 * random validation split, z-scoring from the training split, Adam on the mean negative log-likelihood of shuffled
 * full batches, gradient-norm clipping, and early stopping that restores the best weights. The same seed, backend
 * and thread count give the same weights. Interrupting the thread ends training after the current batch and keeps the
 * best weights so far; before the first epoch has finished there are none, and {@link #train} throws a
 * {@link NoEpochFinishedException} instead (an {@link IllegalStateException}; a loss that is NaN or infinite in the
 * first epoch throws an IllegalStateException too). {@code Npe.run} and {@code SequentialNpe} catch it to hand back
 * the simulations and the finished rounds.
 */
public final class Trainer {

    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    /** A batch is split over threads only when every thread gets at least this many columns. */
    static final int MIN_COLUMNS_PER_THREAD = 64;
    /**
     * Split points are multiples of this, the widest SIMD lane count (16 floats in 512 bits), so that only the last
     * part has a partial vector on every width. On two threads a batch of 200 splits 112 + 88: on 16 lanes the part
     * with the partial vector is the shorter one, which its tail (about a tenth of a step: zero-padded copies and
     * scalar remainders) brings level with the other (104 + 96 left the first part 20% behind).
     */
    static final int SPLIT_ALIGN = 16;
    /** Ranges of the optimizer step deferred into the next split step: about a MAF transform's parameters each. */
    static final int UPDATE_RANGES = 5;

    private Trainer() {
    }

    /**
     * One gradient step with the batch's columns split over the threads of {@link Parallel}: each part runs the
     * forward and backward pass on its own tape, the first into the parameters' own gradients and the others into
     * gradients of their own, which are then added to the first in part order. Each part's loss is its share of
     * the batch mean (−Σ log q / b), so the parts' gradients add up to the gradient of the mean. The split points
     * depend only on the batch size and the thread count, so the same seed and thread count give the same weights.
     */
    static final class SplitStep {
        private final Backend be;
        private final ConditionalDensityEstimator est;
        private final List<Parameter> params;
        private final int[] bounds;
        private final EpochOrder order;
        private final int b;
        private final Tensor[] thetaParts, xParts;
        private final List<Map<Parameter, Tensor>> grads = new ArrayList<>();
        private final double[] losses;
        private final TapeArena[] arenas;
        /** The parameters' gradients, each part's (index 0 unused: part 0 writes the parameters'), and sizes. */
        private final Storage[] paramGrads;
        private final Storage[][] partGrads;
        private final int[] lengths;
        private double sumOfSquares;
        /**
         * The overlapped reduction (two parts): part 1's thread, once its own pass is done, adds part 1's gradient of
         * each parameter into part 0's as soon as part 0's backward pass has finished that gradient (gradientDone),
         * while part 0 goes on with the layers below; part 0's thread takes the remaining tensors from the other end
         * when it is done. Each tensor gets the same call as in the whole reduction, and the tensors' squares are
         * added in tensor order afterwards, so the bits are those of one addManyAndSumSquares call after both parts.
         */
        private final Map<Tensor, Integer> gradIndex = new IdentityHashMap<>();
        /** Per parameter, the step whose part-0 gradient is final; the step part 0 last finished (or failed). */
        private final AtomicLongArray ready;
        private volatile long partZeroDone;
        /** The step whose part 1 has finished its own pass; per parameter, the step whose reduction is taken. */
        private volatile long partOneDone;
        private final AtomicLongArray claimed;
        private long generation;
        private final double[] squares;
        private final Storage[][] oneDst;
        private final Storage[][][] oneParts;
        private final int[][] oneLength;
        /**
         * The optimizer step deferred into the next step's parallel region: the parameters in ranges of about equal
         * size (a MAF's transforms, in the order its forward pass reads them), the first updated by part 0's thread
         * and the rest by part 1's, each range claimed by one thread; a thread that reads a parameter whose range is
         * not done yet (Tape.beforeParameter) updates it itself if nobody has claimed it, else waits for its claimant.
         * Every element gets the same Adam arithmetic, so the bits are those of updating all parameters between the
         * steps, which is what {@link #flush} does before anything else reads them.
         */
        private final Adam adam;
        private final Map<Parameter, Integer> paramIndex = new IdentityHashMap<>();
        private final int[] rangeBounds;
        private final int[] rangeOf;
        private final AtomicLongArray rangeClaimed, rangeDone;
        private boolean updatePending;
        private float pendingScale;

        SplitStep(Backend be, ConditionalDensityEstimator est, List<Parameter> params, Adam adam, int[] bounds,
                  EpochOrder order) {
            this.be = be;
            this.adam = adam;
            this.est = est;
            this.params = params;
            this.bounds = bounds;
            this.order = order;
            int thetaDim = order.thetaDim(), xDim = order.xDim();
            int parts = bounds.length - 1;
            this.b = bounds[parts];
            thetaParts = new Tensor[parts];
            xParts = new Tensor[parts];
            losses = new double[parts];
            arenas = new TapeArena[parts];
            for (int c = 0; c < parts; c++) {
                int w = bounds[c + 1] - bounds[c];
                thetaParts[c] = Tensor.zeros(be, thetaDim, w);
                xParts[c] = Tensor.zeros(be, xDim, w);
                Map<Parameter, Tensor> g = new IdentityHashMap<>();
                if (c > 0) {
                    for (Parameter p : params) g.put(p, Tensor.zeros(be, p.value().rows(), p.value().cols()));
                }
                grads.add(g);
                arenas[c] = new TapeArena(be);
            }
            paramGrads = new Storage[params.size()];
            partGrads = new Storage[parts][];
            lengths = new int[params.size()];
            for (int i = 0; i < paramGrads.length; i++) {
                paramGrads[i] = params.get(i).grad().storage();
                lengths[i] = params.get(i).size();
            }
            for (int c = 1; c < parts; c++) {
                partGrads[c] = new Storage[params.size()];
                for (int i = 0; i < paramGrads.length; i++) partGrads[c][i] = grads.get(c).get(params.get(i)).storage();
            }
            for (int i = 0; i < paramGrads.length; i++) gradIndex.putIfAbsent(params.get(i).grad(), i);
            ready = new AtomicLongArray(params.size());
            claimed = new AtomicLongArray(params.size());
            squares = new double[params.size()];
            oneDst = new Storage[params.size()][];
            oneParts = new Storage[params.size()][][];
            oneLength = new int[params.size()][];
            for (int i = 0; i < paramGrads.length; i++) {
                oneDst[i] = new Storage[] {paramGrads[i]};
                oneLength[i] = new int[] {lengths[i]};
                oneParts[i] = new Storage[parts][];
                for (int c = 1; c < parts; c++) oneParts[i][c] = new Storage[] {partGrads[c][i]};
            }
            for (int i = 0; i < paramGrads.length; i++) paramIndex.putIfAbsent(params.get(i), i);
            rangeBounds = updateRanges(lengths, UPDATE_RANGES);
            rangeOf = new int[params.size()];
            for (int r = 0; r + 1 < rangeBounds.length; r++) {
                for (int i = rangeBounds[r]; i < rangeBounds[r + 1]; i++) rangeOf[i] = r;
            }
            rangeClaimed = new AtomicLongArray(rangeBounds.length - 1);
            rangeDone = new AtomicLongArray(rangeBounds.length - 1);
        }

        /** Parameter index bounds of up to {@code ranges} runs of consecutive parameters of about equal total size. */
        static int[] updateRanges(int[] lengths, int ranges) {
            long total = 0;
            for (int l : lengths) total += l;
            List<Integer> b = new ArrayList<>();
            b.add(0);
            long acc = 0;
            for (int i = 0; i < lengths.length; i++) {
                acc += lengths[i];
                if (i + 1 < lengths.length && acc * ranges >= total * b.size()) b.add(i + 1);
            }
            b.add(lengths.length);
            int[] out = new int[b.size()];
            for (int i = 0; i < out.length; i++) out[i] = b.get(i);
            return out;
        }

        /** The optimizer step with this gradient scale is to be applied before the next step reads the parameters. */
        void deferUpdate(float gradScale) {
            updatePending = true;
            pendingScale = gradScale;
        }

        /** Applies a deferred optimizer step now, on all threads. */
        void flush() {
            if (!updatePending) return;
            updatePending = false;
            adam.beginStep();
            adam.applyStep(pendingScale, true, 0, params.size());
        }

        /** Range r of the deferred update, by this thread if nobody has claimed it, else once its claimant is done. */
        private void updateRange(int r, long gen, float scale) {
            if (rangeClaimed.getAndSet(r, gen) != gen) {
                try {
                    adam.applyStep(scale, true, rangeBounds[r], rangeBounds[r + 1]);
                } finally {
                    rangeDone.set(r, gen);
                }
            } else {
                for (int spins = 0; rangeDone.get(r) != gen; spins++) pause(spins);
            }
        }

        /**
         * Forward and backward on the epoch's pairs from, from + b (in {@link EpochOrder}'s order), the parts'
         * gradients added into the parameters' (which must be zero on entry); returns the batch loss. The squared
         * global norm of the summed gradients is then {@link #sumOfSquares()}, computed in the same pass over them.
         */
        double run(int from) {
            long gen = ++generation;
            int last = bounds.length - 2;
            boolean[] reduced = {false};
            boolean update = updatePending;
            float scale = pendingScale;
            updatePending = false;
            if (update) adam.beginStep();
            Consumer<Parameter> beforeRead = !update ? null : p -> {
                Integer i = paramIndex.get(p);
                if (i != null && rangeDone.get(rangeOf[i]) != gen) updateRange(rangeOf[i], gen, scale);
            };
            int ranges = rangeBounds.length - 1;
            Parallel.forRange(bounds.length - 1, 1, 1, (c0, c1) -> {
                for (int c = c0; c < c1; c++) {
                    if (update) {
                        // Part 0's thread the first range (its forward pass reads it first), part 1's the others
                        // in order; what a thread reads before its range is done it waits for or does itself.
                        if (c == 0) {
                            updateRange(0, gen, scale);
                        } else if (c == 1) {
                            for (int r = 1; r < ranges; r++) updateRange(r, gen, scale);
                        }
                    }
                    if (c == 0) {
                        try {
                            part(0, from, gen, beforeRead);
                        } finally {
                            partZeroDone = gen;
                        }
                        // Part 0's thread helps from the first tensor up, if part 1 has already finished its pass
                        // (never waiting for it: part 1 may be queued to run on this very thread).
                        if (last == 1 && partOneDone == gen) {
                            for (int i = 0; i < paramGrads.length && claimed.getAndSet(i, gen) != gen; i++) {
                                reduceOne(i);
                            }
                        }
                    } else {
                        part(c, from, gen, beforeRead);
                    }
                    // Two parts: the second adds itself in as part 0 finishes each gradient. With more, the middle
                    // parts would have to be waited for too; they are added after all parts, in one call.
                    if (c == 1 && last == 1) {
                        partOneDone = gen;
                        reduceAsPartZeroFinishes(gen);
                        reduced[0] = true;
                    }
                }
            });
            double loss = 0;
            for (double l : losses) loss += l;
            if (reduced[0]) {
                double sq = 0;
                for (double q : squares) sq += q;
                sumOfSquares = sq;
            } else {
                sumOfSquares = be.addManyAndSumSquares(paramGrads, partGrads, lengths);
            }
            return loss;
        }

        /**
         * Adds the parts into part 0's gradients tensor by tensor, from the last parameter down (about the order in
         * which part 0's backward pass finishes them), each when part 0 has finished it or has ended, until it meets
         * a tensor that part 0's thread, working up from the first once its pass is done, has taken.
         */
        private void reduceAsPartZeroFinishes(long gen) {
            for (int i = paramGrads.length - 1; i >= 0; i--) {
                for (int spins = 0; ready.get(i) != gen && partZeroDone != gen; spins++) pause(spins);
                if (claimed.getAndSet(i, gen) == gen) return;
                reduceOne(i);
            }
        }

        /** Tensor i of the reduction, with the same call per tensor as the whole reduction makes. */
        private void reduceOne(int i) {
            squares[i] = be.addManyAndSumSquares(oneDst[i], oneParts[i], oneLength[i]);
        }

        /**
         * One wait of a loop for another thread's progress: spin first (about 20 µs), then yield the processor, which
         * the thread waited for may need where every core is busy (WorkerTeam.backOff).
         */
        private static void pause(int spins) {
            if (spins < 1 << 9) Thread.onSpinWait(); else Thread.yield();
        }

        /** The squared global norm of the last step's gradients. */
        double sumOfSquares() {
            return sumOfSquares;
        }

        private void part(int c, int from, long gen, Consumer<Parameter> beforeRead) {
            order.batch(from + bounds[c], bounds[c + 1] - bounds[c], thetaParts[c], xParts[c]);
            Map<Parameter, Tensor> g = grads.get(c);
            for (Tensor t : g.values()) t.zero();
            Tape tape = Tape.recording(be, c == 0 ? null : g, arenas[c]).beforeParameter(beforeRead);
            Var lp = est.logProb(tape, tape.constant(thetaParts[c]), tape.constant(xParts[c]));
            Var loss = tape.scale(tape.sum(lp), -1f / b);
            if (c == 0) {
                tape.backward(loss, t -> {
                    Integer i = gradIndex.get(t);
                    if (i != null) ready.set(i, gen);
                });
            } else {
                tape.backward(loss);
            }
            losses[c] = loss.item();
        }
    }

    /**
     * The training pairs in an epoch's shuffled order. Where they are small enough ({@link #PERMUTED_COPY_MAX_FLOATS}),
     * the whole epoch is gathered once at its start into a copy, row by row, so that each row's random reads stay
     * within one row of the source (in L1 at 10,000 pairs), and each batch is then a contiguous copy of that; the
     * batches' own gathers make 200 random reads in each of all the rows. At gaussian_linear's 10,000 pairs (session
     * 36) the epoch's gather took 59 µs and its 45 copies 12, against 80–200 µs for 45 gathers alone and more in
     * training; the trainings ran 1.004× faster on one thread and 1.025–1.049× on two. Larger data sets, whose copy
     * would cost memory and whose rows outgrow the caches anyway, gather each batch from the source. Either way a
     * batch holds the same values in the same order.
     */
    static final class EpochOrder {
        /** Up to 4 Mi floats (16 MB) the copy is kept: 1,000,000 pairs of 2-D θ and x take 4 Mi. */
        static final long PERMUTED_COPY_MAX_FLOATS = 1L << 22;

        private final Backend be;
        private final Tensor thetaAll, xAll;
        /** This epoch's order of thetaAll and xAll; null where each batch gathers from them. */
        private final Tensor thetaEpoch, xEpoch;
        private final int n;
        private int[] shuffled;

        EpochOrder(Backend be, Tensor thetaAll, Tensor xAll) {
            this(be, thetaAll, xAll,
                    (long) thetaAll.cols() * (thetaAll.rows() + xAll.rows()) <= PERMUTED_COPY_MAX_FLOATS);
        }

        /** With copy chosen by the caller (tests compare both ways). */
        EpochOrder(Backend be, Tensor thetaAll, Tensor xAll, boolean copy) {
            if (xAll.cols() != thetaAll.cols()) {
                throw new IllegalArgumentException("θ has " + thetaAll.cols() + " pairs and x " + xAll.cols());
            }
            this.be = be;
            this.thetaAll = thetaAll;
            this.xAll = xAll;
            this.n = thetaAll.cols();
            this.thetaEpoch = copy ? Tensor.zeros(be, thetaAll.rows(), n) : null;
            this.xEpoch = copy ? Tensor.zeros(be, xAll.rows(), n) : null;
        }

        int thetaDim() {
            return thetaAll.rows();
        }

        int xDim() {
            return xAll.rows();
        }

        /** Starts an epoch: its pair j is source column shuffled[j]. */
        void begin(int[] shuffled) {
            if (shuffled.length != n) {
                throw new IllegalArgumentException("an epoch's order has " + shuffled.length + " entries, for " + n
                        + " pairs");
            }
            this.shuffled = shuffled;
            if (thetaEpoch == null) return;
            be.gatherColumns(shuffled, thetaAll.rows(), thetaAll.storage(), 0, n, thetaEpoch.storage(), 0, n);
            be.gatherColumns(shuffled, xAll.rows(), xAll.storage(), 0, n, xEpoch.storage(), 0, n);
        }

        /** The epoch's pairs from, from + w into theta and x (w columns each). */
        void batch(int from, int w, Tensor theta, Tensor x) {
            if (thetaEpoch != null) {
                be.copy2d(theta.rows(), w, thetaEpoch.storage(), from, n, theta.storage(), 0, w);
                be.copy2d(x.rows(), w, xEpoch.storage(), from, n, x.storage(), 0, w);
                return;
            }
            int[] idx = Arrays.copyOfRange(shuffled, from, from + w);
            be.gatherColumns(idx, theta.rows(), thetaAll.storage(), 0, n, theta.storage(), 0, w);
            be.gatherColumns(idx, x.rows(), xAll.storage(), 0, n, x.storage(), 0, w);
        }
    }

    /** How many of {@code n} simulations {@link #train} holds out for validation: the configured share, at least one. */
    public static int validationCount(int n, TrainingConfig cfg) {
        return (int) Math.max(1, Math.round(n * cfg.validationFraction()));
    }

    /**
     * The fewest simulations {@link #train} accepts with {@code cfg}: enough that what is left after the validation
     * hold-out fills one batch, and has the two samples z-scoring needs. A command checks its budget against this
     * before it simulates anything.
     */
    public static int minimumSimulations(TrainingConfig cfg) {
        int trainRows = Math.max(2, cfg.batchSize());
        int n = trainRows + 1;
        while (n - validationCount(n, cfg) < trainRows) n++;
        return n;
    }

    public static TrainedEstimator train(Backend be, EstimatorFactory factory, TrainingData data, TrainingConfig cfg,
                                         TrainingListener listener) {
        if (be == null || factory == null || data == null || cfg == null) {
            throw new IllegalArgumentException("train needs a backend, an estimator factory, data and a config");
        }
        if (listener == null) listener = TrainingListener.NONE;
        long start = System.nanoTime();
        Rng rng = new Rng(cfg.seed());
        int n = data.size();
        int nVal = validationCount(n, cfg);
        int nTrain = n - nVal;
        if (nTrain < Math.max(2, cfg.batchSize())) {
            throw new IllegalArgumentException("only " + nTrain + " training simulations after holding out " + nVal
                    + " for validation, fewer than " + (cfg.batchSize() < 2 ? "the two z-scoring needs"
                    : "one batch of " + cfg.batchSize()) + "; use at least " + minimumSimulations(cfg)
                    + " simulations or a smaller batch size");
        }
        int[] perm = rng.permutation(n);
        int[] trainIdx = Arrays.copyOfRange(perm, nVal, n), valIdx = Arrays.copyOfRange(perm, 0, nVal);
        perm = null;
        int thetaDim = data.thetaDim(), xDim = data.xDim();
        // Memory: with 10^5–10^6 pairs the data dominate the heap, and the caller usually keeps them (a
        // SimulationSet's rows are read in place: TrainingData.readingRows). Each split goes into its tensors a
        // dimension at a time through one row's buffer, from which the training split's z-scoring statistics are
        // fitted on the way, so that beside the data there are only the tensors and one row (selecting the split
        // whole first held 0.9 of the data more); this method then lets go of the data (a copy made for it alone,
        // TrainingData.of's, can go) and training runs on the tensors. The values, statistics and their order are
        // those of selecting and fitting whole.
        Tensor thetaV = selectColumns(be, data.theta(), valIdx, row -> { });
        Tensor xV = selectColumns(be, data.x(), valIdx, row -> { });
        ZScore.TrainingFit thetaFit = new ZScore.TrainingFit(thetaDim, "θ"), xFit = new ZScore.TrainingFit(xDim, "x");
        Tensor thetaAll = selectColumns(be, data.theta(), trainIdx, thetaFit::add);
        ZScore thetaScore = thetaFit.zScore();
        Tensor xAll = selectColumns(be, data.x(), trainIdx, xFit::add);
        ZScore xScore = xFit.zScore();
        data = null;
        trainIdx = null;
        valIdx = null;
        for (String note : xFit.outlierNotes()) LOG.log(System.Logger.Level.WARNING, note);
        for (String note : thetaFit.outlierNotes()) LOG.log(System.Logger.Level.WARNING, note);
        ConditionalDensityEstimator est = factory.build(be, thetaDim, xDim, thetaScore, xScore, rng.split());

        int b = cfg.batchSize();
        Tensor thetaB = Tensor.zeros(be, thetaDim, b), xB = Tensor.zeros(be, xDim, b);

        List<Parameter> params = est.parameters();
        Storage[] gradStores = new Storage[params.size()];
        int[] gradLengths = new int[params.size()];
        for (int i = 0; i < gradStores.length; i++) {
            gradStores[i] = params.get(i).grad().storage();
            gradLengths[i] = params.get(i).size();
        }
        Adam adam = new Adam(params, AdamConfig.defaults().withLearningRate(cfg.learningRate()));
        List<Tensor> best = snapshot(params);
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, since = 0;
        List<Double> trainLosses = new ArrayList<>(), valLosses = new ArrayList<>();
        TrainingHistory.StopReason reason = TrainingHistory.StopReason.MAX_EPOCHS;
        Rng order = rng.split();
        int batches = nTrain / b;
        int[] bounds = batchSplit(be, b);
        TapeArena arena = new TapeArena(be);   // the step's tensors, reused every step (the graph is the same)
        int valChunk = validationChunk(nVal, b, be.splitsWorkOverHostThreads() ? Parallel.threads() : 1);
        // Indexed by chunk (validationLoss uses the one of each thread's first chunk), kept every epoch.
        TapeArena[] valArenas = new TapeArena[(nVal + valChunk - 1) / valChunk];
        for (int c = 0; c < valArenas.length; c++) valArenas[c] = new TapeArena(be);
        // Unsplit, the chunks are the batch's width and the first runs on this thread after the last step: on the
        // step's own arena, whose tensors that step left in cache (two_moons, one thread: 0.93 -> 0.85 ms).
        if (bounds.length <= 2) valArenas[0] = arena;
        EpochOrder epochOrder = new EpochOrder(be, thetaAll, xAll);
        SplitStep step = bounds.length > 2 ? new SplitStep(be, est, params, adam, bounds, epochOrder) : null;
        adam.zeroGrad();   // once: each step's Adam update leaves them zero for the next
        int[] shuffled = new int[nTrain];   // each epoch's order, written anew (EpochOrder reads it until the next)
        Tensor[][] valChunks = validationChunks(be, thetaV, xV, valChunk);
        thetaV = null;   // the chunks hold the validation pairs from here on
        xV = null;
        epochs:
        for (int epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
            long t0 = System.nanoTime();
            epochOrder.begin(order.permutation(shuffled));
            double sum = 0;
            for (int k = 0; k < batches; k++) {
                if (Thread.currentThread().isInterrupted()) {
                    if (step != null) step.flush();
                    reason = TrainingHistory.StopReason.INTERRUPTED;
                    break epochs;
                }
                if (step != null) {
                    // The optimizer step is applied inside the next step's parallel region (or by flush).
                    sum += step.run(k * b);
                    step.deferUpdate(cfg.clipMaxNorm() > 0
                            ? GradientClipping.scale(step.sumOfSquares(), cfg.clipMaxNorm()) : 1f);
                    continue;
                }
                epochOrder.batch(k * b, b, thetaB, xB);
                Tape tape = Tape.recording(be, null, arena);
                Var loss = tape.neg(tape.mean(est.logProb(tape, tape.constant(thetaB), tape.constant(xB))));
                tape.backward(loss);
                sum += loss.item();
                double sumOfSquares = cfg.clipMaxNorm() > 0 ? be.sumOfSquares(gradStores, gradLengths) : 0;
                // Clipping folded into Adam's step (the same bits as GradientClipping.clipNorm and then step()), which
                // also leaves the gradients zero for the next step, in the same pass.
                adam.stepAndZeroGrad(cfg.clipMaxNorm() > 0
                        ? GradientClipping.scale(sumOfSquares, cfg.clipMaxNorm()) : 1f);
            }
            if (step != null) step.flush();
            double trainLoss = sum / batches;
            double valLoss = validationLoss(est, valChunks, valArenas);
            trainLosses.add(trainLoss);
            valLosses.add(valLoss);
            if (!Double.isFinite(trainLoss) || !Double.isFinite(valLoss)) {
                // NaN never compares below the best, so the loop would run on to its patience and the weights stay
                // NaN: stop here, keeping the best epoch's weights where there is one.
                listener.epochEnd(epoch, trainLoss, valLoss, bestLoss, since + 1, (System.nanoTime() - t0) / 1e9);
                if (bestEpoch == 0) {
                    throw new IllegalStateException("training diverged in epoch 1 (training loss " + trainLoss
                            + ", validation loss " + valLoss + "): lower the learning rate (now " + cfg.learningRate()
                            + ") or check the data's scale");
                }
                reason = TrainingHistory.StopReason.DIVERGED;
                break;
            }
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
            throw new NoEpochFinishedException(reason);
        }
        restore(best, params);
        return new TrainedEstimator(est, new TrainingHistory(trainLosses, valLosses, bestEpoch, reason,
                (System.nanoTime() - start) / 1e9));
    }

    /** The most floats selectColumns buffers (4 MB, so they stay well below a copy): 11 dimensions of 90,000 pairs. */
    private static final long GATHER_FLOATS = 1_000_000;

    /**
     * The pairs idx of one side as a dim x idx.length tensor, gathered a few dimensions at a time into row buffers,
     * each handed to eachRow (in dimension order; they are reused for the next few) before it is uploaded: row d of
     * the tensor holds dimension d of pairs idx[0], idx[1], ..., without a whole copy of them on the way.
     */

    static Tensor selectColumns(Backend be, TrainingData.Columns columns, int[] idx, Consumer<float[]> eachRow) {
        int m = idx.length, dims = columns.dim();
        Tensor t = Tensor.zeros(be, dims, m);
        // Several dimensions a pass, in at most GATHER_FLOATS of buffers: one dimension a pass visited every row once
        // per dimension, in random order (100,000 pairs of 1,601-D x, on a shared machine: 5.9-6.7 s one at a time,
        // 2.2-4.7 s eleven at a time, 3.2-8.9 s for the dimension-major copy this replaced).
        int block = (int) Math.max(1, Math.min(64, GATHER_FLOATS / Math.max(m, 1)));
        float[][] rows = new float[Math.min(block, dims)][m];
        for (int d0 = 0; d0 < dims; d0 += rows.length) {
            float[][] part = d0 + rows.length <= dims ? rows : java.util.Arrays.copyOf(rows, dims - d0);
            columns.gather(d0, idx, part);
            for (int j = 0; j < part.length; j++) {
                eachRow.accept(part[j]);
                be.upload(part[j], 0, t.storage(), (d0 + j) * m, m);
            }
        }
        return t;
    }

    /** The column ranges a batch of b is split into, one per thread: [bounds[c], bounds[c + 1]). */
    private static int[] batchSplit(Backend be, int b) {
        return be.splitsWorkOverHostThreads() ? Parallel.chunkBounds(b, MIN_COLUMNS_PER_THREAD, SPLIT_ALIGN)
                : new int[] {0, b};
    }

    /**
     * How many threads a training step with this backend and batch size runs on (at the current
     * {@link Parallel#threads()}): 1 where the backend does not split work over host threads or where the batch is
     * too small to give each thread {@value #MIN_COLUMNS_PER_THREAD} columns (a batch of 50 on two threads), for
     * reports that say what the training used.
     */
    public static int threadsUsed(Backend be, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        return batchSplit(be, batchSize).length - 1;
    }

    /**
     * Validation columns per chunk: the batch size on one thread; on more, the pairs split evenly over the threads
     * (in multiples of {@link #SPLIT_ALIGN}), since chunks of a batch each left threads unevenly loaded (1,000 pairs
     * in 5 chunks of 200: one thread ran 3, the other waited), each thread's share in as many chunks of at most
     * {@link #VALIDATION_CHUNK_MAX} columns as every other thread's. Each column's log-density is computed the same way
     * whatever the chunk, and the sum runs in column order, so the loss is the same.
     */
    static int validationChunk(int n, int batch, int threads) {
        if (threads <= 1 || n <= batch) return batch;
        int per = (n + threads - 1) / threads;
        int chunks = threads * ((per + VALIDATION_CHUNK_MAX - 1) / VALIDATION_CHUNK_MAX);
        int chunk = (n + chunks - 1) / chunks;
        return (chunk + SPLIT_ALIGN - 1) / SPLIT_ALIGN * SPLIT_ALIGN;
    }

    /**
     * Largest validation chunk on several threads: 1,000 pairs on two threads in chunks of 256 took 0.79–0.83 ms an
     * epoch against 0.91–0.93 in two chunks of 512 (a 512-column pass outgrows the caches), MAF two_moons.
     */
    static final int VALIDATION_CHUNK_MAX = 256;

    /**
     * Mean −log q over the validation pairs, in chunks of {@code chunk} columns, chunk c evaluated on arenas[c] (one
     * per chunk, kept across epochs: freshly allocated tensors every epoch were cache-cold, see TapeArena).
     */
    static double validationLoss(Backend be, ConditionalDensityEstimator est, Tensor theta, Tensor x, int chunk,
                                 TapeArena[] arenas) {
        return validationLoss(est, validationChunks(be, theta, x, chunk), arenas);
    }

    /** The validation pairs cut into chunks of {@code chunk} columns once, {θ chunks, x chunks}, for every epoch. */
    static Tensor[][] validationChunks(Backend be, Tensor theta, Tensor x, int chunk) {
        int n = theta.cols();
        int chunks = (n + chunk - 1) / chunk;
        Tensor[][] out = new Tensor[2][chunks];
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk, m = Math.min(chunk, n - from);
            out[0][c] = Tensor.zeros(be, theta.rows(), m);
            out[1][c] = Tensor.zeros(be, x.rows(), m);
            be.copy2d(theta.rows(), m, theta.storage(), from, n, out[0][c].storage(), 0, m);
            be.copy2d(x.rows(), m, x.storage(), from, n, out[1][c].storage(), 0, m);
        }
        return out;
    }

    /** Mean −log q over the pairs of chunks ({@link #validationChunks}), chunk c evaluated on arenas[c]. */
    static double validationLoss(ConditionalDensityEstimator est, Tensor[][] chunks, TapeArena[] arenas) {
        int count = chunks[0].length;
        Backend be = chunks[0][0].backend();
        float[][] lps = new float[count][];
        // Chunks may run on several threads; their values are summed below in chunk order, as on one thread. A
        // thread runs its chunks one after another on the arena of its first: each chunk after the first finds the
        // tensors in cache (on one thread, a two_moons epoch's 1,000 validation pairs in 5 chunks: 1.18 -> 0.93 ms).
        Parallel.RangeBody body = (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                Tape tape = Tape.noGrad(be, arenas[c0]);
                lps[c] = est.logProb(tape, tape.constant(chunks[0][c]), tape.constant(chunks[1][c])).value().toArray();
            }
        };
        if (be.splitsWorkOverHostThreads()) {
            Parallel.forRange(count, 1, 1, body);
        } else {
            body.run(0, count);
        }
        double sum = 0;
        int n = 0;
        for (float[] lp : lps) {
            for (float v : lp) sum -= v;
            n += lp.length;
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
