package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.util.List;
import org.jsbi.dist.BoxUniform;
import org.jsbi.random.Rng;
import org.jsbi.sim.channel.PaperData;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;

class PyloricNetworkTest {

    @Test
    void priorMatchesThePapersBounds() throws Exception {
        List<String> lines = Files.readAllLines(PaperData.stg().resolve("prior_bounds_31d.csv"));
        assertEquals(PARAMETERS + 1, lines.size());
        for (int d = 0; d < PARAMETERS; d++) {
            String[] f = lines.get(d + 1).split(",");
            // columns: index, parameter, kind, paper_unit, paper_lower, paper_upper, pyloric_lower, pyloric_upper, ...
            assertEquals(Double.parseDouble(f[6]), PyloricNetwork.LOW[d], 1e-12, "lower bound of " + f[1]);
            assertEquals(Double.parseDouble(f[7]), PyloricNetwork.HIGH[d], 1e-12, "upper bound of " + f[1]);
        }
        BoxUniform prior = PyloricNetwork.prior();
        assertEquals(PARAMETERS, prior.dim());
        assertEquals("AB/PD_Na", PyloricNetwork.PARAMETER_NAMES[0]);
        assertEquals("syn_PY-LP", PyloricNetwork.PARAMETER_NAMES[30]);
    }

    @Test
    void badInputIsRefusedWithTheParameterNamed() {
        PyloricNetwork sim = PyloricNetwork.withDefaults();
        float[] theta = PyloricTesting.defaultCircuit(new double[] {1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5});
        float[] out = new float[18];
        float[] bad = theta.clone();
        bad[9] = 5f;                                     // LP CaT: prior [0, 2.5]
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(bad, 1, PARAMETERS, 0), 1, out));
        assertTrue(e.getMessage().contains("LP_CaT"), e.getMessage());
        float[] nan = theta.clone();
        nan[30] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(nan, 1, PARAMETERS, 0), 1, out));
        assertTrue(e.getMessage().contains("syn_PY-LP"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(new float[30], 1, 30, 0), 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(new float[0], 0, PARAMETERS, 0), 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(theta, 1, PARAMETERS, 0), 1, new float[17]));
    }

    /**
     * Noise off, the simulator against a double-precision transcription of the pyloric package's simulator loop
     * (`simulator.pyx`, run once with numpy during development and not kept in the repository): the Prinz default
     * neurons with the synapse values listed in the paper's setups (`setups_prm.csv`, mS) give a silent AB/PD and PY
     * and a tonically firing LP (177 spikes, one 9,949.875-ms "burst"), window energies 27.9067, 11,997.62 and 82.9008;
     * the regression case's circuit bursts with cycle period 897.9675 ms, burst durations 85.9045, 97.15 and
     * 70.05909 ms and energies 10,326.72, 23,557.26, 24,132.00 (pyloric package feature settings). jsbi computes in
     * float32: counts agree exactly, times within 1%, energies within 0.1%.
     */
    @Test
    void noiseOffAgreesWithTheDoublePrecisionReference() throws Exception {
        PyloricNetwork sim = PyloricNetwork.withDefaults().withNoise(false).withOutputs(PyloricNetwork.Outputs.EXTRAS)
                .withFeatureConfig(PyloricFeatureConfig.pyloricPackage())
                .withImplementation(PyloricNetwork.Implementation.SCALAR);
        int d = sim.dataDim();
        float[] theta = new float[2 * PARAMETERS];
        System.arraycopy(PyloricTesting.defaultCircuit(new double[] {7.24e-5, 2.66e-6, 7.42e-6, 1.14e-7, 3.27e-6,
            1.97e-5, 6.88e-5}), 0, theta, 0, PARAMETERS);
        System.arraycopy(PyloricRegressionTest.parameters(), 0, theta, PARAMETERS, PARAMETERS);
        float[] out = new float[2 * d];
        sim.simulate(new ParameterBatch(theta, 2, PARAMETERS, 0), 1, out);
        int spikes = PyloricFeatures.COUNT + PyloricFeatures.EXTRA_NUM_SPIKES;
        int bursts = PyloricFeatures.COUNT + PyloricFeatures.EXTRA_NUM_BURSTS;
        int e = PyloricNetwork.ENERGY_COLUMN;
        // Default circuit.
        assertArrayEquals(new float[] {0, 177, 0}, java.util.Arrays.copyOfRange(out, spikes, spikes + 3));
        assertTrue(Float.isNaN(out[0]), "no cycle period: AB/PD is silent");
        assertEquals(9949.875, out[PyloricFeatures.BURST_DURATION + 1], 0.01 * 9949.875);
        assertEquals(PyloricOutcome.PM_NOT_BURSTING.ordinal(), out[PyloricNetwork.OUTCOME_COLUMN]);
        double[] eDefault = {27.9067, 11997.62, 82.9008};
        for (int j = 0; j < 3; j++) assertEquals(eDefault[j], out[e + j], 1e-3 * eDefault[j], "energy " + j);
        // Regression circuit.
        int o = d;
        assertEquals(897.9675, out[o], 0.01 * 897.9675);
        double[] bd = {85.9045, 97.15, 70.05909};
        for (int j = 0; j < 3; j++) assertEquals(bd[j], out[o + 1 + j], 0.01 * bd[j], "burst duration " + j);
        assertArrayEquals(new float[] {35, 96, 47}, java.util.Arrays.copyOfRange(out, o + spikes, o + spikes + 3));
        assertArrayEquals(new float[] {11, 3, 11}, java.util.Arrays.copyOfRange(out, o + bursts, o + bursts + 3));
        double[] eReg = {10326.72, 23557.26, 24132.00};
        for (int j = 0; j < 3; j++) assertEquals(eReg[j], out[o + e + j], 1e-3 * eReg[j], "energy " + j);
    }

    @Test
    void tracesAreTheSimulatedVoltages() throws Exception {
        PyloricNetwork sim = PyloricNetwork.withDefaults().withNoise(false);
        float[] theta = PyloricRegressionTest.parameters();
        float[][] v = sim.simulateTraces(theta, 1, 0);
        assertEquals(3, v.length);
        assertEquals(SAMPLES, v[0].length);
        assertEquals(V_INIT, v[0][0]);
        PyloricSummary fromTraces = PyloricFeatures.fromTraces(new float[][] {
            java.util.Arrays.copyOfRange(v[0], WINDOW_FIRST, SAMPLES),
            java.util.Arrays.copyOfRange(v[1], WINDOW_FIRST, SAMPLES),
            java.util.Arrays.copyOfRange(v[2], WINDOW_FIRST, SAMPLES)}, PyloricFeatureConfig.paper());
        float[] online = new float[18];
        sim.simulate(new ParameterBatch(theta, 1, PARAMETERS, 0), 1, online);
        for (int c = 0; c < 18; c++) {
            assertEquals(Float.floatToIntBits(online[c]), Float.floatToIntBits((float) fromTraces.feature(c)),
                    "feature " + c + ": online " + online[c] + ", from the trace " + fromTraces.feature(c));
        }
    }

    @Test
    void priorSamplesAreCountedByOutcome() {
        PyloricNetwork sim = PyloricNetwork.withDefaults();
        int n = 16;
        float[][] rows = PyloricNetwork.prior().sample(n, new Rng(3));
        float[] theta = new float[n * PARAMETERS];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, theta, i * PARAMETERS, PARAMETERS);
        float[] out = new float[n * 18];
        sim.simulate(new ParameterBatch(theta, n, PARAMETERS, 0), 2, out);
        long[] counts = sim.outcomeCounts();
        assertEquals(n, java.util.Arrays.stream(counts).sum());
        int triphasic = 0;
        for (int i = 0; i < n; i++) if (Float.isFinite(out[i * 18 + 4])) triphasic++;
        assertEquals(counts[PyloricOutcome.TRIPHASIC.ordinal()], triphasic);
        long[][] classes = sim.neuronClassCounts();
        for (long[] perNeuron : classes) assertEquals(n, java.util.Arrays.stream(perNeuron).sum());
        System.out.println("pyloric outcomes of 16 prior samples: " + java.util.Arrays.toString(counts)
                + ", neuron classes " + java.util.Arrays.deepToString(classes));
    }

    /**
     * The simulator's output bits for a fixed input (the regression circuit and one prior draw, noise on, every extra
     * output), as a CRC32, pinned to {@link PyloricNetwork#REVISION}: simulation stores record the revision and resume
     * only with the same one, so a change of the numerics must come with a new revision. If this fails after an
     * intended change of the numerics, change REVISION (and note it there) and the pin below; if not, the change is a
     * bug. Scalar, so the pin holds on any machine (SIMD equals scalar by the conformance tests).
     */
    @Test
    void outputBitsArePinnedToTheRevision() throws Exception {
        PyloricNetwork sim = PyloricNetwork.withDefaults().withImplementation(PyloricNetwork.Implementation.SCALAR)
                .withOutputs(PyloricNetwork.Outputs.EXTRAS);
        float[] theta = new float[2 * PARAMETERS];
        System.arraycopy(PyloricRegressionTest.parameters(), 0, theta, 0, PARAMETERS);
        System.arraycopy(PyloricNetwork.prior().sample(1, new Rng(20261126))[0], 0, theta, PARAMETERS, PARAMETERS);
        float[] out = new float[2 * sim.dataDim()];
        sim.simulate(new ParameterBatch(theta, 2, PARAMETERS, 0), 7, out);
        long crc = org.jsbi.sim.SimTesting.crc32OfBits(out);
        String pin = PIN_REVISION + ":" + Long.toHexString(PIN_CRC);
        assertEquals(pin, PyloricNetwork.REVISION + ":" + Long.toHexString(crc),
                "the pyloric simulator's output bits or revision changed: see this test's comment; outputs "
                        + java.util.Arrays.toString(out));
    }

    // Revision 3 changed filtered samples by an ulp at most, which moved no event of these two networks. Revision 5
    // (shared divisions, gating V clamped at ±100 mV) changes roundings of every step, so the noisy trajectories move;
    // so does revision 6 (the gating exps' argument and reduction as fused multiply-adds, the slow gates' relaxation
    // exps by a Taylor polynomial, one division per presynaptic neuron for the synapses).
    private static final String PIN_REVISION = "6";
    private static final long PIN_CRC = 0x7cbce474L;
}
