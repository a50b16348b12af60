package org.jsbi.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jsbi.random.Rng;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The GPU Hodgkin–Huxley simulator against the scalar reference: the same features bit for bit, with noise and
 * without, for the ground truth and prior draws, whatever the batch split; the 4-feature variant is the prefix; the
 * input checks are the model's.
 */
@Tag("gpu")
class CudaHodgkinHuxleyTest {

    private static CudaDevice device;

    @BeforeAll
    static void gpu() {
        device = CudaTesting.backendOrSkip().device();
    }

    /** The ground truth and 255 prior draws, 8 values each. */
    private static float[] thetas(int n) {
        float[] gt = HodgkinHuxley.groundTruth();
        float[] v = new float[n * 8];
        System.arraycopy(gt, 0, v, 0, 8);
        float[][] draws = HodgkinHuxley.prior().sample(n - 1, new Rng(17));
        for (int i = 1; i < n; i++) System.arraycopy(draws[i - 1], 0, v, i * 8, 8);
        return v;
    }

    private static float[] run(org.jsbi.simulation.Simulator sim, float[] theta, int n, long first, long seed) {
        float[] out = new float[n * sim.dataDim()];
        sim.simulate(new ParameterBatch(theta, n, 8, first), seed, out);
        return out;
    }

    @Test
    void featuresEqualTheScalarReferenceBitForBit() {
        int n = 256;
        float[] theta = thetas(n);
        for (boolean noise : new boolean[] {false, true}) {
            HodgkinHuxley scalar = HodgkinHuxley.withDefaults().withNoise(noise)
                    .withImplementation(HodgkinHuxley.Implementation.SCALAR);
            CudaHodgkinHuxley gpu = new CudaHodgkinHuxley(scalar, device);
            float[] ref = run(scalar, theta, n, 1000, 42);
            float[] got = run(gpu, theta, n, 1000, 42);
            assertArrayEquals(ref, got, "HH features on the GPU, noise " + (noise ? "on" : "off"));
            assertEquals(scalar.divergedCount(), gpu.divergedCount(), "diverged simulations");
            System.out.printf("GPU HH, noise %s: ground truth %s%n", noise ? "on" : "off",
                    java.util.Arrays.toString(java.util.Arrays.copyOf(got, 7)));
        }
    }

    @Test
    void aSimulationsResultDoesNotDependOnItsBatch() {
        int n = 40;
        float[] theta = thetas(n);
        CudaHodgkinHuxley gpu = new CudaHodgkinHuxley(HodgkinHuxley.withDefaults(), device);
        float[] whole = run(gpu, theta, n, 0, 7);
        float[] tail = run(gpu, java.util.Arrays.copyOfRange(theta, 13 * 8, n * 8), n - 13, 13, 7);
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 13 * 7, n * 7), tail);
    }

    @Test
    void fourFeaturesAreThePrefixAndBadInputIsRefused() {
        int n = 8;
        float[] theta = thetas(n);
        HodgkinHuxley seven = HodgkinHuxley.withDefaults();
        float[] all = run(new CudaHodgkinHuxley(seven, device), theta, n, 0, 3);
        float[] four = run(new CudaHodgkinHuxley(seven.withFeatures(HodgkinHuxley.Features.FOUR), device), theta, n,
                0, 3);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(all, i * 7, i * 7 + 4),
                    java.util.Arrays.copyOfRange(four, i * 4, i * 4 + 4));
        }
        theta[4] = 10f;   // tau_max below its prior's support
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(new CudaHodgkinHuxley(seven, device), theta, n, 0, 3));
        assertEquals(true, e.getMessage().contains("tau_max"), e.getMessage());
    }
}
