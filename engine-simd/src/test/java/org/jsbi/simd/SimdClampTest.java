package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link SimdMath#clamp} replaces {@code x.max(lo).min(hi)} in tanh and exp on the promise that it gives the same
 * bits for every input when lo &lt; 0 &lt; hi, and {@link SimdMath#relu} replaces {@code x.max(0f)}: checked on NaN,
 * infinities, signed zeros, subnormals, the bounds and their float neighbours, and random floats of every magnitude.
 */
class SimdClampTest {

    private static final VectorSpecies<Float> S = SimdConfig.FLOAT;

    @Test
    void clampAndReluEqualMaxAndMinBitForBit() {
        float[][] bounds = {{-9.1f, 9.1f}, {-110f, 100f}, {-Float.MIN_VALUE, Float.MIN_VALUE}};
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00001),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
        SplittableRandom rng = new SplittableRandom(7);
        int n = 64 * S.length();
        for (float[] b : bounds) {
            float lo = b[0], hi = b[1];
            float[] x = new float[n];
            int i = 0;
            for (float v : special) x[i++] = v;
            for (float v : new float[] {lo, hi}) {
                x[i++] = v;
                x[i++] = Math.nextUp(v);
                x[i++] = Math.nextDown(v);
            }
            while (i < n) x[i++] = Float.intBitsToFloat(rng.nextInt());   // every exponent, NaNs included
            for (int j = 0; j < n; j += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, j);
                float[] want = v.max(lo).min(hi).toArray();
                float[] got = SimdMath.clamp(v, lo, hi).toArray();
                float[] wantRelu = v.max(0f).toArray();
                float[] gotRelu = SimdMath.relu(v).toArray();
                for (int l = 0; l < want.length; l++) {
                    assertEquals(Float.floatToRawIntBits(want[l]), Float.floatToRawIntBits(got[l]),
                            "clamp(" + x[j + l] + ", " + lo + ", " + hi + ")");
                    assertEquals(Float.floatToRawIntBits(wantRelu[l]), Float.floatToRawIntBits(gotRelu[l]),
                            "relu(" + x[j + l] + ")");
                }
            }
        }
    }
}
