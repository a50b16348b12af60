package org.jsbi.sim.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simulators' float32 elementary functions: accuracy against double precision, and the lane-wise copies' bits. */
class Float32MathTest {

    /** Every 1,021st float of [−86, 88] (about 2 million), both signs. */
    private static final int STRIDE = 1021;

    @Test
    void expIsWithinItsStatedUlpsAndClampsOutsideItsRange() {
        double worst = 0;
        float at = 0;
        for (int[] r : new int[][] {{0x80000000, Float.floatToIntBits(-86f)}, {0, Float.floatToIntBits(88f)}}) {
            for (long b = r[0] & 0xFFFFFFFFL; b <= (r[1] & 0xFFFFFFFFL); b += STRIDE) {
                float x = Float.intBitsToFloat((int) b);
                double ref = Math.exp(x);
                double err = Math.abs(Float32Math.exp(x) - ref) / Math.ulp((float) ref);
                if (err > worst) {
                    worst = err;
                    at = x;
                }
            }
        }
        assertTrue(worst <= 2.5, "exp: " + worst + " ulp at " + at);
        assertEquals(Float32Math.exp(-86f), Float32Math.exp(-1000f));
        assertEquals(Float32Math.exp(88f), Float32Math.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(Float32Math.exp(Float.NaN)));
    }

    @Test
    void laneWiseExpHasTheScalarBits() {
        int n = 4096;
        float[] x = new float[n], out = new float[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 200 - 100);
        x[0] = Float.NaN;
        x[1] = -1e30f;
        x[2] = 1e30f;
        Float32Lanes.exp(x, 0, out, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(Float32Math.exp(x[i])), Float.floatToIntBits(out[i]), "exp(" + x[i] + ")");
        }
    }

    @Test
    void efunVariantsAgreeWithTheQuotient() {
        for (float z = -30f; z <= 30f; z += 0.013f) {
            double ref = Math.abs(z) < 1e-9 ? 1.0 : z / Math.expm1(z);
            float direct = Float32Math.efun(z);
            assertEquals(ref, direct, 4e-6 * ref, "efun(" + z + ")");
            assertEquals(direct, Float32Math.efun(z, Float32Math.exp(z)));
            assertEquals(ref, Float32Math.efunOfInverse(z, Float32Math.exp(-z)), 4e-6 * ref, "efunOfInverse(" + z + ")");
        }
    }
}
