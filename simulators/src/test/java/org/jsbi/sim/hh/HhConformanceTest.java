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

    /**
     * The slow gates' relaxation off its usual path: arguments at and below −0.1 (where the series gives way to exp)
     * and NaN, mixed with series lanes in one vector, give HodgkinHuxleyScalar.slowRelax's bits. Simulations from the
     * prior almost never leave the series (it needs V above +50 mV with a short τ_max, or V far below rest).
     */
    @Test
    void slowGateRelaxationMatchesTheScalarOffTheSeriesPath() {
        HodgkinHuxleySimd.Work w = new HodgkinHuxleySimd.Work(2);
        int cap = w.cap;
        w.n = cap;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[] q0 = new float[4 * cap];
        for (int g = 1; g < 4; g++) {
            for (int l = 0; l < cap; l++) {
                float u = l % 5 == 0 ? (float) (-0.1 - 0.5 * rnd.nextDouble()) : (float) (-0.1 * rnd.nextDouble());
                if (l == 3 * g) u = -0.1f;
                if (l == 3 * g + 1) u = Float.NaN;
                if (l == 3 * g + 2) u = -200f;
                w.tmp[(HodgkinHuxleySimd.RARG + g) * cap + l] = u;
                w.tmp[(HodgkinHuxleySimd.INF + g) * cap + l] = (float) rnd.nextDouble();
                q0[g * cap + l] = (float) rnd.nextDouble();
                w.st[(HodgkinHuxleySimd.SM + g) * cap + l] = q0[g * cap + l];
            }
        }
        HodgkinHuxleySimd.relaxSlowGates(w);
        for (int g = 1; g < 4; g++) {
            for (int l = 0; l < cap; l++) {
                float u = w.tmp[(HodgkinHuxleySimd.RARG + g) * cap + l];
                float inf = w.tmp[(HodgkinHuxleySimd.INF + g) * cap + l];
                float q = q0[g * cap + l];
                float expected = inf + (q - inf) * HodgkinHuxleyScalar.slowRelax(u);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(w.st[(HodgkinHuxleySimd.SM + g) * cap + l]),
                        "gate " + g + ", lane " + l + ", u = " + u);
            }
        }
        assertEquals(Math.exp(-0.1), HodgkinHuxleyScalar.slowRelax(-0.1f), 1e-7);
        assertEquals(Math.exp(-0.0999), HodgkinHuxleyScalar.slowRelax(-0.0999f), 1e-7);
        assertEquals(Math.exp(-1e-6), HodgkinHuxleyScalar.slowRelax(-1e-6f), 1e-7);
    }
}
