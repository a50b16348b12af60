package org.jsbi.validation;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jsbi.backend.Backend;
import org.jsbi.backend.BackendUnavailableException;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.estimator.ZScore;
import org.jsbi.random.Rng;
import org.jsbi.tensor.Tensor;

/**
 * The classifier two-sample test as sbibm computes it ({@code sbibm.metrics.c2st}; TASKS.md, "C2ST metric as used
 * by sbibm"): label the reference samples X with 0 and the algorithm's samples Y with 1, z-score both with X's mean
 * and unbiased standard deviation, and report the mean test accuracy of an {@link MlpClassifier} over a shuffled
 * k-fold split. 0.5 means the sets are indistinguishable, 1.0 perfectly separable.
 *
 * <p>Deterministic for a given seed and backend: every fold draws from its own seeded generators and the kernels
 * it uses give the same values however they are split over threads, so {@link C2stConfig#parallelFolds()} and the
 * thread count change the time, not the result. As in sklearn's cross-validation, every fold's classifier starts
 * from the same seed.
 *
 * <p>An interrupt of the calling thread (Ctrl-C in the command line) stops the test within a training step of its
 * classifiers, with a {@link C2stInterruptedException} and the interrupt status left set: at 10,000 samples of each
 * set the test takes seconds, which a run that was asked to stop should not spend.
 */
public final class C2st {

    private C2st() {
    }

    /** sbibm's C2ST accuracy of algorithm samples against reference samples, with the default settings. */
    public static double accuracy(float[][] reference, float[][] algorithm) {
        return run(reference, algorithm, C2stConfig.defaults()).accuracy();
    }

    /**
     * {@link #accuracy} on as many samples of each set (the first min(n, m) rows of each), as sbibm scores a
     * posterior: with unequal sets a classifier that always names the larger one scores above 0.5 (1,000 draws
     * against 10,000 reference samples: about 0.91 for any posterior), and 0.5 no longer means indistinguishable.
     */
    public static double accuracyOnEqualCounts(float[][] reference, float[][] algorithm) {
        int n = Math.min(reference.length, algorithm.length);
        return accuracy(java.util.Arrays.copyOf(reference, n), java.util.Arrays.copyOf(algorithm, n));
    }

    /** The test with the given settings on {@link #defaultBackend()}. */
    public static C2stResult run(float[][] reference, float[][] algorithm, C2stConfig config) {
        return run(reference, algorithm, config, defaultBackend());
    }

    /**
     * The test on a given backend.
     *
     * @param reference X, one sample per row (sbibm: the reference posterior samples; z-scoring uses these)
     * @param algorithm Y, one sample per row, of the same dimension
     * @throws IllegalArgumentException if a set is empty, rows differ in length, the sets differ in dimension, a value
     *                                  is NaN or infinite, there are fewer samples than folds, or (when z-scoring)
     *                                  the reference samples are constant in a dimension
     * @throws C2stInterruptedException if the calling thread is interrupted before the test has finished
     */
    public static C2stResult run(float[][] reference, float[][] algorithm, C2stConfig config, Backend backend) {
        long start = System.nanoTime();
        int dim = checkSamples(reference, algorithm, config);
        int nx = reference.length, n = nx + algorithm.length;
        float[][] byDim = new float[dim][n];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            float[] row = i < nx ? reference[i] : algorithm[i - nx];
            for (int d = 0; d < dim; d++) byDim[d][i] = row[d];
            labels[i] = i < nx ? 0f : 1f;
        }
        if (config.zScore()) zScoreWithReference(byDim, nx);

        Rng rng = new Rng(config.seed());
        KFold kfold = new KFold(n, config.folds(), rng);
        long classifierSeed = rng.nextLong();
        double[] accuracies = new double[config.folds()];
        int[] epochs = new int[config.folds()];
        Runnable[] folds = new Runnable[config.folds()];
        Stop stop = new Stop(Thread.currentThread());
        for (int f = 0; f < folds.length; f++) {
            int fold = f;
            folds[f] = () -> {
                int[] train = kfold.train(fold), test = kfold.test(fold);
                MlpClassifier clf = new MlpClassifier(backend, dim, config, new Rng(classifierSeed));
                try {
                    epochs[fold] = clf.fit(columns(backend, byDim, train), select(labels, train),
                            new Rng(classifierSeed).split(), stop::requested);
                } catch (C2stInterruptedException e) {
                    stop.pass();
                    throw e;
                }
                accuracies[fold] = clf.correct(columns(backend, byDim, test), select(labels, test))
                        / (double) test.length;
            };
        }
        runAll(folds, config.parallelFolds(), stop);
        double mean = 0;
        for (double a : accuracies) mean += a;
        return new C2stResult(mean / accuracies.length, accuracies, epochs, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The backend a C2ST runs on: the JVM's selection ({@link Backends#current()}), except that a CUDA selection is
     * passed over for SIMD where SIMD is usable, since the classifier's batches (200 samples, at most a few hundred
     * units wide) are too small to keep a GPU busy.
     */
    public static Backend defaultBackend() {
        Backend chosen = Backends.current();
        if (!chosen.name().equals("cuda")) return chosen;
        try {
            return Backends.byName("simd");
        } catch (BackendUnavailableException e) {
            return chosen;
        }
    }

    /**
     * Runs the folds one after the other, or side by side: as many workers as {@link Parallel} has threads each
     * take the next fold not yet taken, so a long fold does not hold up a fixed share of the others. Side by side, the
     * caller waits for the others' folds in its own share of the work, not in Parallel's wait: that one parks,
     * which clears the caller's interrupt until every thread is done, so an interrupt then would go unseen.
     */
    static void runAll(Runnable[] folds, boolean parallel, Stop stop) {
        int workers = Math.min(Parallel.threads(), folds.length);
        if (!parallel || workers < 2) {
            for (Runnable fold : folds) fold.run();
            return;
        }
        AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        Parallel.forRange(workers, 1, 1, (from, to) -> {
            for (int f = next.getAndIncrement(); f < folds.length; f = next.getAndIncrement()) {
                try {
                    folds[f].run();
                } finally {
                    finished.incrementAndGet();
                }
            }
            if (Thread.currentThread() != stop.caller()) return;
            while (finished.get() < folds.length) {
                if (stop.caller().isInterrupted()) {
                    stop.pass();   // the other folds end within a step, and Parallel's wait with them
                    return;
                }
                LockSupport.parkNanos(1_000_000L);
            }
        });
    }

    /**
     * Whether the folds should stop: the calling thread is interrupted, or a fold has seen that and passed it on to
     * the others. A fold on another thread cannot rely on the caller's flag alone: while the caller waits for it
     * in {@link Parallel}, its flag is cleared until the wait ends.
     */
    static final class Stop {

        private final Thread caller;
        private volatile boolean passed;

        Stop(Thread caller) {
            this.caller = caller;
        }

        Thread caller() {
            return caller;
        }

        boolean requested() {
            return passed || caller.isInterrupted();
        }

        void pass() {
            passed = true;
        }
    }

    /** (v − mean_X) / std_X per dimension, with X = the first nx columns and its unbiased std (as torch.std). */
    private static void zScoreWithReference(float[][] byDim, int nx) {
        float[][] x = new float[byDim.length][];
        for (int d = 0; d < byDim.length; d++) x[d] = Arrays.copyOf(byDim[d], nx);
        ZScore z = ZScore.fit(x);
        for (int d = 0; d < byDim.length; d++) {
            float m = z.mean()[d], s = z.std()[d];
            float[] row = byDim[d];
            for (int i = 0; i < row.length; i++) row[i] = (row[i] - m) / s;
        }
    }

    /** The given columns of a dim × n host array, as a dim × idx.length tensor. */
    private static Tensor columns(Backend be, float[][] byDim, int[] idx) {
        float[] flat = new float[byDim.length * idx.length];
        for (int d = 0; d < byDim.length; d++) {
            float[] row = byDim[d];
            int off = d * idx.length;
            for (int j = 0; j < idx.length; j++) flat[off + j] = row[idx[j]];
        }
        return Tensor.of(be, byDim.length, idx.length, flat);
    }

    private static float[] select(float[] v, int[] idx) {
        float[] out = new float[idx.length];
        for (int j = 0; j < idx.length; j++) out[j] = v[idx[j]];
        return out;
    }

    /** Checks both sets and returns their common dimension. */
    private static int checkSamples(float[][] reference, float[][] algorithm, C2stConfig config) {
        if (config == null) throw new IllegalArgumentException("C2ST settings must not be null");
        int dx = dimension("reference", reference);
        int dy = dimension("algorithm", algorithm);
        if (dx != dy) {
            throw new IllegalArgumentException("reference samples have " + dx + " dimensions but algorithm samples have "
                    + dy + "; C2ST compares samples of the same space");
        }
        if (config.zScore() && reference.length < 2) {
            throw new IllegalArgumentException("z-scoring needs at least 2 reference samples, got "
                    + reference.length);
        }
        int n = reference.length + algorithm.length;
        if (n < config.folds()) {
            throw new IllegalArgumentException(config.folds() + "-fold C2ST needs at least " + config.folds()
                    + " samples in all, got " + n);
        }
        if (config.zScore()) checkReferenceSpread(reference);
        return dx;
    }

    /**
     * Refuses a reference set that is constant in some dimension. z-scoring divides by the reference's spread there,
     * which is zero: sbibm gets infinities, and {@link ZScore#fit}'s floor on the std would instead blow differences of
     * 1e-6 up into separations of about ten units, so two sets from the same distribution would score near 1.
     */
    private static void checkReferenceSpread(float[][] reference) {
        for (int d = 0; d < reference[0].length; d++) {
            float first = reference[0][d];
            boolean constant = true;
            for (int i = 1; i < reference.length && constant; i++) constant = reference[i][d] == first;
            if (constant) {
                throw new IllegalArgumentException("reference samples have no spread in dimension " + d + " (all "
                        + reference.length + " are " + first + "), so z-scoring with their standard deviation would"
                        + " divide by zero; drop that dimension from both sets, or turn z-scoring off");
            }
        }
    }

    private static int dimension(String name, float[][] samples) {
        if (samples == null) throw new IllegalArgumentException(name + " samples must not be null");
        if (samples.length == 0) throw new IllegalArgumentException(name + " samples are empty");
        if (samples[0] == null || samples[0].length == 0) {
            throw new IllegalArgumentException(name + " sample 0 has no values");
        }
        int dim = samples[0].length;
        for (int i = 0; i < samples.length; i++) {
            float[] row = samples[i];
            if (row == null || row.length != dim) {
                throw new IllegalArgumentException(name + " sample " + i + " has " + (row == null ? "no" : row.length)
                        + " values but sample 0 has " + dim);
            }
            for (int d = 0; d < dim; d++) {
                if (!Float.isFinite(row[d])) {
                    throw new IllegalArgumentException(name + " sample " + i + ", dimension " + d + " is " + row[d]
                            + "; C2ST needs finite values (drop or repair such samples first)");
                }
            }
        }
        return dim;
    }
}
