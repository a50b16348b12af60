package org.jsbi.sim.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.sim.channel.ChannelOmnimodel.Implementation;
import org.jsbi.simd.SimdConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jsbi.sim.SimTesting;

/** The SIMD simulator against the scalar reference. */
class ChannelConformanceTest {

    private static final int LANES = SimdConfig.LANES;

    @Test
    void noiseOffFeaturesAgreeWithTheScalarReference() {
        long seed = SimTesting.seed();
        int n = LANES + 3;                                  // a partial last vector too
        float[] theta = ChannelTesting.priorDraws(n, seed);
        ChannelKernel k = ChannelTesting.kernel();
        float[] scalar = new float[n * 55], simd = new float[n * 55];
        ChannelOmnimodel.simulateUnchecked(k, Implementation.SCALAR, theta, n, 0, seed, false, scalar);
        ChannelOmnimodel.simulateUnchecked(k, Implementation.SIMD, theta, n, 0, seed, false, simd);
        int identical = 0;
        for (int i = 0; i < n * 55; i++) {
            double tol = 1e-4 * Math.max(1e-3, Math.abs(scalar[i]));
            assertEquals(scalar[i], simd[i], tol, "feature " + i % 55 + " of set " + i / 55 + " (seed " + seed + ")");
            if (Float.floatToIntBits(scalar[i]) == Float.floatToIntBits(simd[i])) identical++;
        }
        System.out.printf("channel SIMD (%d lanes) vs scalar, noise off: %d of %d feature values bit-identical%n",
                LANES, identical, n * 55);
        assertEquals(n * 55, identical, "the SIMD kernel repeats the scalar operations, so it should be bit-identical");
    }

    @Test
    void noiseOnSmallBatchIsBitIdentical() {
        long seed = SimTesting.seed() + 1;
        int n = LANES + 1;
        float[] theta = ChannelTesting.priorDraws(n, seed);
        ChannelKernel k = ChannelTesting.kernel();
        float[] scalar = new float[n * 55], simd = new float[n * 55];
        ChannelOmnimodel.simulateUnchecked(k, Implementation.SCALAR, theta, n, 5, seed, true, scalar);
        ChannelOmnimodel.simulateUnchecked(k, Implementation.SIMD, theta, n, 5, seed, true, simd);
        for (int i = 0; i < n * 55; i++) {
            assertEquals(scalar[i], simd[i], 0f, "feature " + i % 55 + " of set " + i / 55 + " (seed " + seed + ")");
        }
    }

    /**
     * 2,000 noisy simulations of the 3808_im manual fit by each implementation with different seeds (independent
     * noise): each of the 55 features' two samples pass a two-sample KS test. With 55 tests the threshold is
     * Bonferroni-corrected (p &gt; 0.01/55, a 1 % family-wise false-alarm rate); the count of features with p ≤ 0.01
     * (expected about 0.55 for equal distributions) is printed.
     */
    @Test
    @Tag("slow")
    void noiseOnFeatureDistributionsAgree() {
        int n = Integer.getInteger("jsbi.test.channel.ksN", 2000);
        float[] theta = SimTesting.repeat(ManualFits.theta("3808_im.mod"), n);
        ChannelKernel k = ChannelTesting.kernel();
        float[] scalar = new float[n * 55], simd = new float[n * 55];
        long seed = SimTesting.seed();
        long t0 = System.nanoTime();
        ChannelOmnimodel.simulateUnchecked(k, Implementation.SCALAR, theta, n, 0, seed, true, scalar);
        long t1 = System.nanoTime();
        ChannelOmnimodel.simulateUnchecked(k, Implementation.SIMD, theta, n, 0, seed + 1000, true, simd);
        long t2 = System.nanoTime();
        System.out.printf("channel KS: %d simulations, scalar %.1f s, SIMD %.1f s%n", n, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        int below = 0;
        double minP = 1;
        StringBuilder all = new StringBuilder();
        for (int f = 0; f < 55; f++) {
            double p = SimTesting.ksPValue(SimTesting.column(scalar, 55, f), SimTesting.column(simd, 55, f));
            all.append(String.format(" %.3f", p));
            if (p <= 0.01) below++;
            minP = Math.min(minP, p);
            assertTrue(p > 0.01 / 55, "feature " + f + ": KS p = " + p + " (seeds " + seed + ", " + (seed + 1000) + ")");
        }
        System.out.println("channel KS p-values (features 0..54):" + all);
        System.out.printf("channel KS scalar vs SIMD: min p = %.4f, features with p <= 0.01: %d of 55%n", minP, below);
    }
}
