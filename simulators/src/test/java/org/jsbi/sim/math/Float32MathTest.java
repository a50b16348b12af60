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

    /**
     * expAffine(v, b, c) = e^(v·b + c) within its stated 3.6 ulp for arguments within ±37.5 (the pyloric gating bound;
     * every 1,021st float of that range as v with b = 1, c = 0, and shifted and scaled arguments), and the lane-wise
     * pass gives the scalar bits, its clamp included.
     */
    @Test
    void expAffineIsWithinItsStatedUlpsAndLaneWiseHasTheScalarBits() {
        double worst = 0;
        float at = 0;
        for (int[] r : new int[][] {{0x80000000, Float.floatToIntBits(-37.5f)}, {0, Float.floatToIntBits(37.5f)}}) {
            for (long bits = r[0] & 0xFFFFFFFFL; bits <= (r[1] & 0xFFFFFFFFL); bits += STRIDE) {
                float x = Float.intBitsToFloat((int) bits);
                double err = Math.abs(Float32Math.expAffine(x, 1f, 0f) - Math.exp(x)) / Math.ulp((float) Math.exp(x));
                if (err > worst) {
                    worst = err;
                    at = x;
                }
            }
        }
        assertTrue(worst <= 3.6, "expAffine: " + worst + " ulp at " + at);
        float[] b = {-0.2f, 0.0701f, (float) (1 / 3.6), -0.3f}, c = {-7f, -1.87f, 9.694445f, 0.5f};
        int n = 4096;
        float[] v = new float[n], out = new float[b.length * n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() * 260 - 130);
        Float32Lanes.expAffine(v, 0, 100f, b, c, out, 0, n, n);
        for (int k = 0; k < b.length; k++) {
            for (int i = 0; i < n; i++) {
                float vc = Math.min(Math.max(v[i], -100f), 100f);
                float expected = Float32Math.expAffine(vc, b[k], c[k]);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[k * n + i]),
                        "term " + k + " at v = " + v[i]);
                double x = Math.fma(vc, b[k], c[k]); // the argument's own float rounding is not exp's error
                assertTrue(Math.abs(expected - Math.exp(x)) <= 3.6 * Math.ulp((float) Math.exp(x)),
                        "term " + k + " at v = " + v[i]);
            }
        }
    }

    /** expSmall is within 1 ulp of the double exp on every float of [−1/32, 1/32], and the lanes give its bits. */
    @Test
    void expSmallIsWithinOneUlpOnItsRangeAndLaneWiseHasTheScalarBits() {
        double worst = 0;
        float at = 0;
        for (int[] r : new int[][] {{0x80000000, Float.floatToIntBits(-1f / 32)}, {0, Float.floatToIntBits(1f / 32)}}) {
            for (long bits = r[0] & 0xFFFFFFFFL; bits <= (r[1] & 0xFFFFFFFFL); bits += 7) {
                float z = Float.intBitsToFloat((int) bits);
                double err = Math.abs(Float32Math.expSmall(z) - Math.exp(z)) / Math.ulp((float) Math.exp(z));
                if (err > worst) {
                    worst = err;
                    at = z;
                }
            }
        }
        assertTrue(worst <= 1.0, "expSmall: " + worst + " ulp at " + at);
        int n = 4096;
        float[] z = new float[n], out = new float[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(13);
        for (int i = 0; i < n; i++) z[i] = (float) (rnd.nextDouble() - 0.5) / 16;
        Float32Lanes.expSmall(z, 0, out, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(Float32Math.expSmall(z[i])), Float.floatToRawIntBits(out[i]),
                    "at " + z[i]);
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
