package org.jsbi.sim.hh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.sim.hh.HodgkinHuxley.Implementation;
import org.jsbi.simd.SimdConfig;
import org.junit.jupiter.api.Test;
import org.jsbi.sim.SimTesting;

/** The SIMD simulator against the scalar reference. */
class HhConformanceTest {

    private static final int LANES = SimdConfig.LANES;

    @Test
    void noiseOffEveryFeatureAgreesWithTheScalarReference() {
        long seed = SimTesting.seed();
        int n = 2 * LANES + 3;                         // a partial last vector too
        float[] theta = HhTesting.priorDraws(n, seed);
        float[] scalar = new float[n * 7], simd = new float[n * 7];
        HodgkinHuxley.simulateUnchecked(Implementation.SCALAR, theta, n, 0, seed, false, scalar, null);
        HodgkinHuxley.simulateUnchecked(Implementation.SIMD, theta, n, 0, seed, false, simd, null);
        int identical = 0;
        for (int i = 0; i < n * 7; i++) {
            double tol = 1e-4 * Math.max(1e-3, Math.abs(scalar[i]));
            assertEquals(scalar[i], simd[i], tol, "feature " + i % 7 + " of set " + i / 7 + " (seed " + seed + ")");
            if (Float.floatToIntBits(scalar[i]) == Float.floatToIntBits(simd[i])) identical++;
        }
        System.out.printf("HH SIMD (%d lanes) vs scalar, noise off: %d of %d feature values bit-identical%n", LANES,
                identical, n * 7);
        assertEquals(n * 7, identical, "the SIMD kernel repeats the scalar operations, so it should be bit-identical");
    }

    @Test
    void noiseOnSmallBatchIsBitIdenticalIncludingTraces() {
        long seed = SimTesting.seed() + 1;
        int n = LANES + 1;
        float[] theta = HhTesting.priorDraws(n, seed);
        float[] scalar = new float[n * 7], simd = new float[n * 7];
        float[] ts = new float[n * HodgkinHuxley.TRACE_LENGTH], tv = new float[n * HodgkinHuxley.TRACE_LENGTH];
        HodgkinHuxley.simulateUnchecked(Implementation.SCALAR, theta, n, 5, seed, true, scalar, ts);
        HodgkinHuxley.simulateUnchecked(Implementation.SIMD, theta, n, 5, seed, true, simd, tv);
        for (int i = 0; i < n * 7; i++) {
            assertEquals(scalar[i], simd[i], 0f, "feature " + i % 7 + " of set " + i / 7 + " (seed " + seed + ")");
        }
        for (int i = 0; i < ts.length; i++) {
            assertEquals(ts[i], tv[i], 0f, "trace sample " + i % HodgkinHuxley.TRACE_LENGTH + " of set "
                    + i / HodgkinHuxley.TRACE_LENGTH);
        }
    }

    /**
     * Noise on, a batch over more than one chunk of {@link HodgkinHuxleySimd#GROUPS} vectors with a partial last
     * vector, at a simulation index past 2^32 (the counter's high word): bit-identical features.
     */
    @Test
    void noiseOnBatchSpanningChunksIsBitIdentical() {
        long seed = SimTesting.seed() + 2;
        int n = HodgkinHuxleySimd.GROUPS * LANES + LANES + 3;
        long first = (1L << 32) - 5;
        float[] theta = HhTesting.priorDraws(n, seed);
        float[] scalar = new float[n * 7], simd = new float[n * 7];
        HodgkinHuxley.simulateUnchecked(Implementation.SCALAR, theta, n, first, seed, true, scalar, null);
        HodgkinHuxley.simulateUnchecked(Implementation.SIMD, theta, n, first, seed, true, simd, null);
        for (int i = 0; i < n * 7; i++) {
            assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(simd[i]),
                    "feature " + i % 7 + " of set " + i / 7 + " (seed " + seed + "): " + scalar[i] + " vs " + simd[i]);
        }
    }

    /**
     * 2,000 noisy simulations at the ground truth by each implementation, with different seeds (independent noise):
     * each feature's two samples pass a two-sample KS test at p &gt; 0.01.
     */
    @Test
    void noiseOnFeatureDistributionsAgree() {
        int n = 2000;
        float[] theta = SimTesting.repeat(HodgkinHuxley.groundTruth(), n);
        float[] scalar = new float[n * 7], simd = new float[n * 7];
        long seed = SimTesting.seed();
        HodgkinHuxley.simulateUnchecked(Implementation.SCALAR, theta, n, 0, seed, true, scalar, null);
        HodgkinHuxley.simulateUnchecked(Implementation.SIMD, theta, n, 0, seed + 1000, true, simd, null);
        for (int f = 0; f < 7; f++) {
            double p = SimTesting.ksPValue(SimTesting.column(scalar, 7, f), SimTesting.column(simd, 7, f));
            System.out.printf("HH KS scalar vs SIMD, %s: p = %.3f%n", HodgkinHuxley.FEATURE_NAMES[f], p);
            assertTrue(p > 0.01, HodgkinHuxley.FEATURE_NAMES[f] + ": KS p = " + p + " (seeds " + seed + ", " + (seed + 1000) + ")");
        }
    }
}
