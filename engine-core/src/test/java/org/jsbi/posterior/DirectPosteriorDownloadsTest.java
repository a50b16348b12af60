package org.jsbi.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.dist.Priors;
import org.jsbi.tensor.Storage;
import org.jsbi.testing.DiagonalGaussianEstimator;
import org.junit.jupiter.api.Test;

/**
 * Sampling reads each pass of draws back in one download, not one per value ({@code Tensor.get}): on a GPU a download
 * is a device round trip, and a pass is at least 1,000 draws.
 */
class DirectPosteriorDownloadsTest {

    /** The scalar backend, counting its downloads. */
    private static final class CountingBackend extends ScalarBackend {
        final AtomicInteger downloads = new AtomicInteger();

        @Override
        public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
            downloads.incrementAndGet();
            super.download(src, srcOff, dst, dstOff, n);
        }
    }

    @Test
    void samplingAndTheAcceptanceRateDownloadEachPassOnce() {
        CountingBackend be = new CountingBackend();
        DirectPosterior p = new DirectPosterior(new DiagonalGaussianEstimator(be, new float[] {0.5f, 0.5f},
                new float[] {0.2f, 0.2f}, 1f), Priors.boxUniform(2, 0, 1), PosteriorConfig.defaults());
        float[] x = {0f};
        assertEquals(100, p.sample(100, x, 1).length);
        assertEquals(1, be.downloads.get(), "downloads for one pass of 1,000 draws");
        be.downloads.set(0);
        double rate = p.acceptanceRate(x);
        assertTrue(rate > 0.9, "acceptance " + rate);
        assertEquals(1, be.downloads.get(), "downloads for the acceptance rate's 10,000 draws");
    }
}
