package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.random.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MAF sampling splits its draws over the host's threads (each part inverts the flow for its own columns): the samples
 * must be the same, bit for bit, on one, two and three threads, on the scalar and the SIMD backend.
 */
class MafSamplingThreadsTest {

    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void samplesAreTheSameOnAnyNumberOfThreads() {
        for (Backend be : new Backend[] {new ScalarBackend(), new SimdBackend()}) {
            for (int d : new int[] {2, 5}) {
                int xd = 3;
                float[] mean = new float[d], sd = new float[d], xm = new float[xd], xsd = new float[xd];
                for (int i = 0; i < d; i++) {
                    mean[i] = 0.3f * i;
                    sd[i] = 1f + 0.1f * i;
                }
                java.util.Arrays.fill(xsd, 2f);
                Maf maf = new Maf(be, d, xd, new ZScore(mean, sd), new ZScore(xm, xsd),
                        MafConfig.defaults().withHiddenFeatures(20).withTransforms(3), new Rng(d));
                float[] xo = {0.5f, -1f, 2f};
                Parallel.setThreads(1);
                float[] one = maf.sample(3500, xo, new Rng(11)).toArray();
                for (int t : new int[] {2, 3}) {
                    Parallel.setThreads(t);
                    assertArrayEquals(one, maf.sample(3500, xo, new Rng(11)).toArray(),
                            be.name() + " D=" + d + " on " + t + " threads");
                }
            }
        }
    }
}
