package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.testing.TestSeeds;
import org.jsbi.train.EstimatorFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CI-sized end-to-end check: NPE with 2,000 simulations on two_moons and gaussian_linear, scored by C2ST against
 * the reference posteriors of observations 1 and 2 (2,000 samples a side).
 *
 * <p>Thresholds: at 1,000 simulations the benchmark's NPE-MAF scores 0.872 (two_moons) and 0.694
 * (gaussian_linear); at 2,000 a working estimator does better, while a broken one (wrong density, wrong conditioning,
 * samples from the prior) scores above 0.95 on both. The bounds sit between, with room for run-to-run spread.
 */
class NpeSmokeTest {

    /**
     * Samples per side of the C2ST: 2,000 rather than the benchmark's 10,000, because sklearn's stopping rule runs
     * ~500 epochs at 10-D and the full-size test takes minutes there. Same-distribution sets of this size score
     * 0.5 ± 0.02, well inside the bounds.
     */
    static final int SAMPLES = 2_000;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"two_moons, maf, 0.90", "two_moons, mdn, 0.92", "gaussian_linear, maf, 0.80", "gaussian_linear, mdn, 0.80"})
    void smallNpeRunIsCloseToTheReference(String taskName, String estimator, double bound) {
        long seed = TestSeeds.seed(2_000);
        BenchmarkTask task = BenchmarkTasks.byName(taskName);
        ReferenceData reference = ReferenceData.locate();
        ReferenceTask refTask = ReferenceTask.byId(taskName);
        NpeConfig cfg = NpeConfig.defaults()
                .withEstimator(estimator.equals("maf") ? EstimatorFactory.maf() : EstimatorFactory.mdn())
                .withTraining(NpeConfig.defaults().training().withSeed(seed));
        NpeResult r = new Npe(cfg).run(task.simulator(), task.prior(), 2_000, seed);
        DirectPosterior posterior = r.posterior(task.prior());
        for (int k = 1; k <= 2; k++) {
            float[] xo = reference.observation(refTask, k);
            float[][] samples = posterior.sample(SAMPLES, xo, seed + k);
            float[][] ref = java.util.Arrays.copyOf(reference.referenceSamples(refTask, k), SAMPLES);
            double c2st = C2st.accuracy(ref, samples);
            String msg = String.format(Locale.ROOT, "%s %s 2k obs %d: C2ST %.3f (bound %.2f; %d epochs, %.1f s)%s",
                    taskName, estimator, k, c2st, bound, r.trained().history().epochs(), r.trainingSeconds(),
                    TestSeeds.replay(seed));
            System.out.println(msg);
            assertTrue(c2st < bound, msg);
        }
    }
}
