package org.jsbi.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.backend.Backends;
import org.jsbi.dist.Priors;
import org.jsbi.testing.DiagonalGaussianEstimator;
import org.junit.jupiter.api.Test;

/**
 * The acceptance rates a posterior caches per observation stay bounded: a posterior kept for the life of a process and
 * asked about one observation after another (amortized NPE on a stream of data) kept an entry for each, without end
 * (20,000 observations: 2.5 MB, about 126 bytes each for 2-D data).
 */
class DirectPosteriorCacheTest {

    @Test
    void manyObservationsKeepABoundedCacheAndTheSameRates() {
        // Half the mass of N(0.5, 1²) in each coordinate leaks out of the unit square, so rates are not all 1.
        DirectPosterior p = new DirectPosterior(new DiagonalGaussianEstimator(Backends.current(),
                new float[] {0.5f, 0.5f}, new float[] {1f, 1f}, 1f), Priors.boxUniform(2, 0, 1),
                PosteriorConfig.defaults().withLeakageSamples(100));
        double first = p.acceptanceRate(new float[] {0f});
        int n = DirectPosterior.MAX_CACHED_RATES + 500;
        for (int i = 1; i <= n; i++) {
            p.acceptanceRate(new float[] {i});
            assertTrue(p.cachedRates() <= DirectPosterior.MAX_CACHED_RATES,
                    p.cachedRates() + " rates cached after " + (i + 1) + " observations");
        }
        // x = 0 left the cache when it was cleared; its rate, estimated again, is the same number.
        assertEquals(first, p.acceptanceRate(new float[] {0f}), 0.0);
        assertTrue(first < 1, "a rate below 1, so that a recomputation could differ: " + first);
    }
}
