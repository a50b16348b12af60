package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * The C2ST's behaviour against known answers: a sample against itself, a shifted copy, two Gaussians whose Bayes
 * accuracy is known in closed form, sbibm's own unit test, determinism, and bad input. The C2ST runs with sbibm's
 * settings (seed 1); the data seeds can be replayed with -Djsbi.test.seed.
 */
class C2stTest {

    private final long seed = TestSeeds.seed(7L);

    /** n samples of N(0, I_dim), the first dimension shifted by {@code shift}. */
    static float[][] gaussian(int n, int dim, double shift, Rng rng) {
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            for (int d = 0; d < dim; d++) row[d] = (float) (rng.nextGaussian() + (d == 0 ? shift : 0));
        }
        return out;
    }

    @Test
    void referenceSamplesAgainstTheOtherHalfOfThemselvesAreIndistinguishable() {
        float[][] ref = ReferenceData.locate().referenceSamples(ReferenceTask.TWO_MOONS, 1);
        C2stResult r = C2st.run(Arrays.copyOfRange(ref, 0, 5_000), Arrays.copyOfRange(ref, 5_000, 10_000),
                C2stConfig.defaults());
        System.out.println("C2ST two_moons obs1, first 5,000 vs last 5,000 reference samples: " + r);
        assertTrue(r.accuracy() <= 0.52, "halves of one reference set should look alike: " + r);
    }

    @Test
    void referenceSamplesAgainstACopyShiftedByOneStandardDeviationAreSeparated() {
        float[][] ref = ReferenceData.locate().referenceSamples(ReferenceTask.TWO_MOONS, 1);
        double sd = standardDeviation(ref, 0);
        float[][] shifted = new float[ref.length][];
        for (int i = 0; i < ref.length; i++) {
            shifted[i] = ref[i].clone();
            shifted[i][0] += (float) sd;
        }
        C2stResult r = C2st.run(ref, shifted, C2stConfig.defaults());
        System.out.printf("C2ST two_moons obs1, 10,000 reference samples vs a copy shifted by sd %.4f in θ1: %s%n",
                sd, r);
        assertTrue(r.accuracy() > 0.65, "a one-sd shift should be detected: " + r);
    }

    @Test
    void twoGaussiansReachTheBayesAccuracy() {
        // N(0, 1) against N(Δ, 1), equal sizes: the best classifier thresholds at Δ/2 and is right with
        // probability Φ(Δ/2); for Δ = 1 that is 0.69146.
        Rng rng = new Rng(seed);
        float[][] x = gaussian(10_000, 1, 0, rng), y = gaussian(10_000, 1, 1.0, rng);
        C2stResult r = C2st.run(x, y, C2stConfig.defaults());
        double bayes = 0.691462461;
        System.out.printf("C2ST N(0,1) vs N(1,1), 10,000 each: %s (Bayes accuracy %.4f)%n", r, bayes);
        assertEquals(bayes, r.accuracy(), 0.01, "C2ST of N(0,1) vs N(1,1)" + TestSeeds.replay(seed));
    }

    @Test
    void sameDistributionGivesOneHalf() {
        // sbibm's unit test (tests/metrics/test_c2st.py): two samples of one distribution, 10,000 each: 0.5 ± 0.01.
        Rng rng = new Rng(seed + 1);
        float[][] x = gaussian(10_000, 2, 0, rng), y = gaussian(10_000, 2, 0, rng);
        C2stResult r = C2st.run(x, y, C2stConfig.defaults());
        System.out.println("C2ST N(0,I2) vs N(0,I2), 10,000 each: " + r);
        assertEquals(0.5, r.accuracy(), 0.01, "C2ST of one distribution against itself" + TestSeeds.replay(seed + 1));
    }

    @Test
    void unequalSetsAreScoredOnEqualCounts() {
        // One distribution, 2,000 against 400 draws: on the raw sets a classifier naming the larger set scores about
        // 5/6; on the first 400 of each, about one half.
        Rng rng = new Rng(seed + 2);
        float[][] x = gaussian(2_000, 2, 0, rng), y = gaussian(400, 2, 0, rng);
        double raw = C2st.accuracy(x, y), equal = C2st.accuracyOnEqualCounts(x, y);
        assertTrue(raw > 0.8, "unequal sets: " + raw);
        assertEquals(0.5, equal, 0.05, "equal counts" + TestSeeds.replay(seed + 2));
    }

    @Test
    void deterministicAndIndependentOfFoldParallelism() {
        Rng rng = new Rng(seed + 2);
        float[][] x = gaussian(1_000, 3, 0, rng), y = gaussian(1_000, 3, 0.5, rng);
        C2stConfig cfg = C2stConfig.defaults().withMaxEpochs(15);
        C2stResult parallel = C2st.run(x, y, cfg.withParallelFolds(true));
        C2stResult again = C2st.run(x, y, cfg.withParallelFolds(true));
        C2stResult sequential = C2st.run(x, y, cfg.withParallelFolds(false));
        assertArrayEquals(parallel.foldAccuracies(), again.foldAccuracies(), "same seed, same result");
        assertArrayEquals(parallel.foldAccuracies(), sequential.foldAccuracies(), "parallel folds change nothing");
        assertArrayEquals(parallel.foldEpochs(), sequential.foldEpochs());
        assertEquals(5, parallel.foldAccuracies().length);
        assertEquals(Arrays.stream(parallel.foldAccuracies()).average().orElseThrow(), parallel.accuracy(), 1e-12);
        C2stResult otherSeed = C2st.run(x, y, cfg.withSeed(2));
        assertTrue(!Arrays.equals(parallel.foldAccuracies(), otherSeed.foldAccuracies()), "the seed matters");
    }

    @Test
    void stopsAsSklearnDoes() {
        // With tol larger than any loss, only the first epoch counts as an improvement; sklearn then stops once
        // more than n_iter_no_change (10) epochs in a row have not improved: after epoch 1 + 11 = 12.
        Rng rng = new Rng(seed + 3);
        float[][] x = gaussian(300, 2, 0, rng), y = gaussian(300, 2, 1, rng);
        C2stResult r = C2st.run(x, y, C2stConfig.defaults().withTol(10));
        assertArrayEquals(new int[] {12, 12, 12, 12, 12}, r.foldEpochs());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3}, C2st.run(x, y, C2stConfig.defaults().withMaxEpochs(3)).foldEpochs());
    }

    /**
     * Ctrl-C reaches a C2ST as an interrupt of the thread that runs it: the test stops within a classifier step, folds
     * side by side or one after the other, with an exception that says so, and the interrupt stays set for the caller.
     * The folds here would train for 10,000 epochs each (no tolerance stops them), so only the interrupt ends them
     * soon. It used to be ignored, and every fold trained to the end.
     */
    @Test
    void anInterruptOfTheCallerStopsEveryFoldWithinAStep() throws Exception {
        Rng rng = new Rng(seed + 4);
        float[][] x = gaussian(5_000, 2, 0, rng), y = gaussian(5_000, 2, 1, rng);
        C2stConfig endless = C2stConfig.defaults().withTol(0).withPatience(1_000_000);
        // Side by side three times: which thread's fold sees the interrupt first varies from run to run, and one that
        // stops must stop the other (whose view of the caller's flag is hidden once the caller waits for it).
        for (boolean parallel : new boolean[] {true, true, true, false}) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread worker = new Thread(() -> {
                try {
                    C2st.run(x, y, endless.withParallelFolds(parallel));
                } catch (Throwable e) {
                    thrown.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            worker.start();
            Thread.sleep(300);   // into the folds' training
            long t0 = System.nanoTime();
            worker.interrupt();
            worker.join(60_000);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            assertTrue(seconds < 5, "stopped " + seconds + " s after the interrupt, parallel folds: " + parallel);
            C2stInterruptedException e = assertInstanceOf(C2stInterruptedException.class, thrown.get(),
                    "parallel folds: " + parallel);
            assertTrue(e.getMessage().contains("the C2ST was interrupted in its classifier's epoch"), e.getMessage());
            assertTrue(stillInterrupted.get(), "the interrupt is kept for the caller");
        }
    }

    /**
     * Folds side by side, the caller done with its own and waiting for another thread's: an interrupt then still
     * stops that fold. Parallel's wait parks, which clears the caller's interrupt until the other thread is done, so
     * the caller waits in its own share of the work instead and passes the interrupt on. Synthetic folds: the
     * caller's returns once the other's has begun, the other's runs until it is told to stop (20 s at most).
     */
    @Test
    void anInterruptWhileTheCallerWaitsForAnotherThreadsFoldStopsThatFold() throws Exception {
        int threadsBefore = Parallel.threads();
        Parallel.setThreads(2);
        try {
            CountDownLatch otherBegan = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean toldToStop = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                C2st.Stop stop = new C2st.Stop(Thread.currentThread());
                Runnable fold = () -> {
                    if (Thread.currentThread() == stop.caller()) {
                        try {
                            otherBegan.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return;
                    }
                    otherBegan.countDown();
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (!stop.requested() && System.nanoTime() < deadline) Thread.onSpinWait();
                    toldToStop.set(stop.requested());
                };
                try {
                    C2st.runAll(new Runnable[] {fold, fold}, true, stop);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            caller.start();
            assertTrue(otherBegan.await(20, TimeUnit.SECONDS), "no fold began on another thread");
            Thread.sleep(100);   // the caller's fold has returned: it waits for the other
            long t0 = System.nanoTime();
            caller.interrupt();
            caller.join(30_000);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            assertTrue(toldToStop.get(), "the other thread's fold never learned of the interrupt (" + seconds + " s)");
            assertTrue(seconds < 5, "stopped " + seconds + " s after the interrupt");
            assertEquals(null, thrown.get());
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    /**
     * A reference set constant in one dimension, against one that differs there by 1e-6: z-scoring by a floored std
     * made the difference ten units wide and two sets of the same distribution scored about 0.97; it is refused, and
     * the same sets without z-scoring are still compared.
     */
    @Test
    void aReferenceWithoutSpreadInADimensionIsRefusedWhenZScoring() {
        Rng rng = new Rng(seed);
        float[][] x = gaussian(200, 2, 0, rng), y = gaussian(200, 2, 0, rng);
        for (float[] row : x) row[1] = 1f;
        for (int i = 0; i < y.length; i++) y[i][1] = 1f + 1e-6f * (i % 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> C2st.run(x, y, C2stConfig.defaults().withMaxEpochs(1)));
        assertTrue(e.getMessage().contains("no spread in dimension 1"), e.getMessage());
        double acc = C2st.run(x, y, C2stConfig.defaults().withZScore(false).withMaxEpochs(20)).accuracy();
        assertTrue(acc < 0.65, "without z-scoring a 1e-6 difference is no signal: accuracy " + acc
                + TestSeeds.replay(seed));
    }

    @Test
    void badInputIsRejectedWithTheProblemNamed() {
        float[][] ok = {{0f, 1f}, {1f, 0f}, {2f, 2f}, {3f, 1f}};
        assertMessage("2 dimensions but algorithm samples have 3", ok, new float[][] {{0f, 1f, 2f}, {1f, 1f, 1f}});
        assertMessage("reference samples are empty", new float[0][], ok);
        assertMessage("algorithm samples are empty", ok, new float[0][]);
        assertMessage("algorithm samples must not be null", ok, null);
        assertMessage("algorithm sample 1, dimension 0 is NaN", ok, new float[][] {{0f, 1f}, {Float.NaN, 1f}});
        assertMessage("reference sample 2, dimension 1 is Infinity", new float[][] {{0f, 1f}, {1f, 1f},
            {1f, Float.POSITIVE_INFINITY}}, ok);
        assertMessage("algorithm sample 1 has 1 values but sample 0 has 2", ok, new float[][] {{0f, 1f}, {1f}});
        assertMessage("reference sample 0 has no values", new float[][] {{}}, ok);
        assertMessage("at least 2 reference samples", new float[][] {{0f, 1f}}, ok);
        assertMessage("no spread in dimension 1 (all 3 are 1.0)", new float[][] {{0f, 1f}, {1f, 1f}, {2f, 1f}}, ok);
        assertMessage("needs at least 5 samples", new float[][] {{0f, 1f}, {1f, 1f}}, new float[][] {{0f, 1f}, {1f, 2f}});
        assertThrows(IllegalArgumentException.class, () -> C2stConfig.defaults().withFolds(1));
        assertThrows(IllegalArgumentException.class, () -> C2stConfig.defaults().withHiddenFactor(0));
        assertThrows(IllegalArgumentException.class, () -> C2stConfig.defaults().withTol(Double.NaN));
    }

    private static void assertMessage(String expected, float[][] x, float[][] y) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> C2st.run(x, y, C2stConfig.defaults().withMaxEpochs(1)));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }

    private static double standardDeviation(float[][] rows, int dim) {
        double s = 0, ss = 0;
        for (float[] r : rows) s += r[dim];
        double m = s / rows.length;
        for (float[] r : rows) ss += (r[dim] - m) * (r[dim] - m);
        return Math.sqrt(ss / (rows.length - 1));
    }
}
