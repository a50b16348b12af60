package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;
import static org.junit.jupiter.api.Assertions.*;

import org.jsbi.backend.Parallel;
import org.jsbi.sim.SimTesting;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simd.SimdConfig;
import org.junit.jupiter.api.Test;

/**
 * SIMD against the scalar reference with noise on, at every SIMD width the build tests (surefire runs the
 * *ConformanceTest classes at 128, 256 bits and the machine's width): 2 vectors and 3 rows (a padded vector), features,
 * extras and energies bit-identical; and a network's result does not depend on chunking or thread count.
 */
class PyloricConformanceTest {

    @Test
    void noiseOnSimdEqualsScalarBitForBit() throws Exception {
        int n = 2 * SimdConfig.LANES + 3;
        float[] theta = PyloricTesting.nearRegressionCase(PyloricRegressionTest.parameters(), n, SimTesting.seed() + 1);
        PyloricNetwork simd = PyloricNetwork.withDefaults().withOutputs(PyloricNetwork.Outputs.EXTRAS);
        int d = simd.dataDim();
        float[] a = new float[n * d], b = new float[n * d];
        simd.simulate(new ParameterBatch(theta, n, PARAMETERS, 7), 11, a);
        simd.withImplementation(PyloricNetwork.Implementation.SCALAR)
                .simulate(new ParameterBatch(theta, n, PARAMETERS, 7), 11, b);
        for (int i = 0; i < n * d; i++) {
            assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]),
                    "lanes " + SimdConfig.LANES + ", network " + i / d + ", column " + i % d);
        }
    }

    @Test
    void resultsDoNotDependOnChunkingOrThreads() throws Exception {
        int n = SimdConfig.LANES + 2;
        float[] theta = PyloricTesting.nearRegressionCase(PyloricRegressionTest.parameters(), n, SimTesting.seed() + 2);
        PyloricNetwork sim = PyloricNetwork.withDefaults();
        float[] whole = new float[n * 18];
        sim.simulate(new ParameterBatch(theta, n, PARAMETERS, 100), 5, whole);
        // The last network alone, as row 0 of a batch starting at its global index, on one thread.
        int threads = Parallel.threads();
        float[] alone = new float[18];
        try {
            Parallel.setThreads(1);
            float[] last = java.util.Arrays.copyOfRange(theta, (n - 1) * PARAMETERS, n * PARAMETERS);
            sim.simulate(new ParameterBatch(last, 1, PARAMETERS, 100 + n - 1), 5, alone);
        } finally {
            Parallel.setThreads(threads);
        }
        for (int c = 0; c < 18; c++) {
            assertEquals(Float.floatToIntBits(whole[(n - 1) * 18 + c]), Float.floatToIntBits(alone[c]), "feature " + c);
        }
    }
}
