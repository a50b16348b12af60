package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.Backend;
import org.jsbi.random.Rng;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * C2STs at sbibm's full size in 10 dimensions, where sklearn's stopping rule runs some 450–700 epochs per fold:
 * minutes each on a 2-core machine, so they run only with -Djsbi.slow=true. The timing case prints wall times of
 * folds side by side against folds in sequence; timing assertions do not belong in tests (DESIGN.md).
 */
@Tag("slow")
class C2stSlowTest {

    private final long seed = TestSeeds.seed(17L);

    @Test
    void gaussianLinearReferenceAgainstFreshExactPosteriorSamples() {
        // gaussian_linear's posterior is N(x_o / 2, 0.05 I) (TASKS.md): draw an independent exact sample.
        ReferenceData data = ReferenceData.locate();
        float[] xo = data.observation(ReferenceTask.GAUSSIAN_LINEAR, 1);
        Rng rng = new Rng(seed);
        float[][] fresh = new float[10_000][xo.length];
        for (float[] row : fresh) {
            for (int d = 0; d < xo.length; d++) row[d] = (float) (xo[d] / 2 + Math.sqrt(0.05) * rng.nextGaussian());
        }
        C2stResult r = C2st.run(data.referenceSamples(ReferenceTask.GAUSSIAN_LINEAR, 1), fresh, C2stConfig.defaults());
        System.out.println("C2ST gaussian_linear obs1, reference vs 10,000 fresh exact samples: " + r);
        assertTrue(r.accuracy() <= 0.52, "exact samples should pass: " + r + TestSeeds.replay(seed));
    }

    @Test
    void timings() {
        Backend be = C2st.defaultBackend();
        System.out.println("C2ST timing: " + be.describe());
        C2st.run(C2stTest.gaussian(2_000, 2, 0, new Rng(1)), C2stTest.gaussian(2_000, 2, 0, new Rng(2)),
                C2stConfig.defaults(), be);   // JIT warm-up
        for (int dim : new int[] {2, 10}) {
            float[][] x = C2stTest.gaussian(10_000, dim, 0, new Rng(seed)), y = C2stTest.gaussian(10_000, dim, 0.3,
                    new Rng(seed + 1));
            for (boolean parallel : new boolean[] {true, false}) {
                C2stResult r = C2st.run(x, y, C2stConfig.defaults().withParallelFolds(parallel), be);
                System.out.printf("  %2d-D, N(0,I) vs N(0.3 e1, I), 10,000 each, folds %s: %s%n", dim,
                        parallel ? "side by side" : "in sequence", r);
            }
        }
    }
}
