package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.util.List;
import org.jsbi.sim.channel.PaperData;
import org.junit.jupiter.api.Test;

/**
 * The pyloric package's simulator regression case (../shared/paper-data/stg/pyloric_test_*.csv: one 31-D parameter
 * set, seed 5340, the 24 summary statistics its double-precision simulator gave with numpy's noise).
 */
class PyloricRegressionTest {

    /** The case's parameters (pyloric units = jsbi's). */
    static float[] parameters() throws Exception {
        List<String> lines = Files.readAllLines(PaperData.stg().resolve("pyloric_test_parameters.csv"));
        String[] v = lines.get(1).split(",");
        assertEquals(PARAMETERS, v.length);
        float[] theta = new float[PARAMETERS];
        for (int i = 0; i < PARAMETERS; i++) theta[i] = Float.parseFloat(v[i]);
        return theta;
    }

    /** The expected statistics, in the pyloric package's order (24 of its 34 columns: through num_spikes). */
    static double[] expected() throws Exception {
        List<String> lines = Files.readAllLines(PaperData.stg().resolve("pyloric_test_expected_stats.csv"));
        String[] names = lines.get(0).split(",");
        String[] v = lines.get(1).split(",");
        double[] e = new double[PyloricFeatures.PYLORIC_PACKAGE_COUNT];
        for (int i = 0; i < e.length; i++) {
            assertEquals(PyloricFeatures.PYLORIC_PACKAGE_NAMES[i], names[i], "column " + i);
            e[i] = Double.parseDouble(v[i]);
        }
        return e;
    }

    /** One scalar run of θ with the given noise; its summary (pyloric package's feature settings) and energies. */
    static PyloricSummary run(float[] theta, PyloricScalar.BlockNoise noise, double[] energy) {
        NeuronEvents[] ev = {new NeuronEvents(), new NeuronEvents(), new NeuronEvents()};
        SavitzkyGolayStream[] f = new SavitzkyGolayStream[NEURONS];
        for (int j = 0; j < NEURONS; j++) f[j] = new SavitzkyGolayStream(new NeuronEventDetector(ev[j]));
        PyloricScalar.simulate(new PyloricScalar.State(), theta, 0, noise, (k, v0, v1, v2) -> {
            if (k < WINDOW_FIRST) return;
            f[0].push(v0);
            f[1].push(v1);
            f[2].push(v2);
        }, energy);
        for (SavitzkyGolayStream s : f) s.finish();
        PyloricFeatures pf = new PyloricFeatures();
        pf.analyze(ev, PyloricFeatureConfig.pyloricPackage());
        return pf.summary();
    }

    /** numpy's RandomState(5340).normal(size=(3, 440000)) as the scalar simulator's block noise. */
    static PyloricScalar.BlockNoise numpyNoise(long seed) {
        org.jsbi.sim.benchmark.NumpyRandomState r = new org.jsbi.sim.benchmark.NumpyRandomState(seed);
        double[] n = new double[NEURONS * SAMPLES];
        for (int i = 0; i < n.length; i++) n[i] = r.nextGaussian();
        return (j, b0, words, xi, xo) -> {
            for (int q = 0; q < PyloricNoise.BLOCK; q++) {
                int step = 4 * b0 + 1 + q;
                xi[xo + q] = step < SAMPLES ? (float) n[j * SAMPLES + step] : 0f;
            }
        };
    }

    @Test
    void numpyStreamIsReproduced() {
        org.jsbi.sim.benchmark.NumpyRandomState r = new org.jsbi.sim.benchmark.NumpyRandomState(5340);
        // numpy 2.4: np.random.RandomState(5340).normal(size=5)
        double[] numpy = {0.20392349, -0.2732201, -0.53495682, -2.35239754, -0.06572057};
        for (double x : numpy) assertEquals(x, r.nextGaussian(), 1e-8);
    }

    /**
     * With the very noise the reference used, jsbi's float32 simulator stays pyloric-like with the same burst counts
     * and cycle period (within 1%); other statistics differ by up to ~7% (LP's burst duration) because float32
     * rounding, like a change of noise, moves LP's noise-sensitive spike times (see
     * {@link #referenceLiesWithinTheSpreadOfJsbisNoise}). A double-precision transcription of the reference loop run
     * with the same numpy noise during development reproduced all 24 values to the package's 3e-3.
     */
    @Test
    void withNumpysNoiseTheFloat32SimulatorReproducesTheReferenceStatistics() throws Exception {
        double[] energy = new double[NEURONS];
        PyloricSummary s = run(parameters(), numpyNoise(5340), energy);
        double[] got = s.pyloricPackageOrder();
        double[] want = expected();
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < want.length; i++) {
            report.append(String.format("%s: %.6g vs %.6g (%.2e)%n", PyloricFeatures.PYLORIC_PACKAGE_NAMES[i], got[i],
                    want[i], Math.abs(got[i] - want[i]) / Math.abs(want[i])));
        }
        System.out.print(report);
        System.out.printf("energies %s%n", java.util.Arrays.toString(energy));
        assertTrue(s.pyloricLike(), report::toString);
        assertEquals(want[0], got[0], 0.01 * want[0], "cycle period");
        for (int k = 18; k < 21; k++) assertEquals(want[k], got[k], 1.0, PyloricFeatures.PYLORIC_PACKAGE_NAMES[k]);
    }

    /**
     * The regression case's statistics come from one noise realisation, and this circuit's LP neuron is sensitive to
     * it (its spike count is 96 with noise off and 186 with the case's noise), so jsbi's own stream cannot reproduce
     * each value: over 32 of jsbi's noise realisations LP's burst duration has an SD of ~12% and the LP→PY gap
     * (24 ms, a small difference of two times) one of ~45%. What must hold: the reference value of every statistic
     * lies within 3 SD of jsbi's mean over realisations, the cycle period's mean is within 5% of it and inside the
     * experimental mean ± 2 SD (1,509 ± 558 ms, models/PAPER.md §5.6), the mean burst counts are within 1, and most
     * realisations are pyloric-like as the reference is.
     */
    @Test
    void referenceLiesWithinTheSpreadOfJsbisNoise() throws Exception {
        float[] theta = parameters();
        int n = 32;
        float[] th = new float[n * PARAMETERS];
        for (int i = 0; i < n; i++) System.arraycopy(theta, 0, th, i * PARAMETERS, PARAMETERS);
        PyloricNetwork sim = PyloricNetwork.withDefaults().withOutputs(PyloricNetwork.Outputs.EXTRAS)
                .withFeatureConfig(PyloricFeatureConfig.pyloricPackage());
        float[] out = new float[n * sim.dataDim()];
        long t0 = System.nanoTime();
        sim.simulate(new org.jsbi.simulation.ParameterBatch(th, n, PARAMETERS, 0), 5340, out);
        System.out.printf("%d networks in %.1f s%n", n, (System.nanoTime() - t0) * 1e-9);
        double[] want = expected();
        double[][] pkg = new double[n][];
        for (int i = 0; i < n; i++) {
            float[] f = new float[PyloricFeatures.COUNT], e = new float[PyloricFeatures.EXTRA_COUNT];
            System.arraycopy(out, i * sim.dataDim(), f, 0, f.length);
            System.arraycopy(out, i * sim.dataDim() + f.length, e, 0, e.length);
            float[] p = new float[PyloricFeatures.PYLORIC_PACKAGE_COUNT];
            PyloricFeatures.pyloricPackageOrder(f, 0, e, 0, p, 0);
            pkg[i] = new double[p.length];
            for (int k = 0; k < p.length; k++) pkg[i][k] = p[k];
        }
        for (int k = 0; k < want.length; k++) {
            double m = 0, m2 = 0;
            int c = 0;
            for (double[] r : pkg) if (Double.isFinite(r[k])) { m += r[k]; m2 += r[k] * r[k]; c++; }
            m /= c;
            double sd = Math.sqrt(Math.max(0, m2 / c - m * m));
            System.out.printf("%-28s mean %10.4f sd %9.4f  expected %10.4f  rel %.3f  z %.2f  (n %d)%n",
                    PyloricFeatures.PYLORIC_PACKAGE_NAMES[k], m, sd, want[k], (m - want[k]) / want[k], (want[k] - m) / sd, c);
            assertTrue(c >= n * 3 / 4, PyloricFeatures.PYLORIC_PACKAGE_NAMES[k] + " defined in only " + c + " of " + n);
            assertTrue(Math.abs(want[k] - m) <= 3 * sd + 1e-9 * Math.abs(want[k]),
                    PyloricFeatures.PYLORIC_PACKAGE_NAMES[k] + ": reference " + want[k] + ", jsbi " + m + " ± " + sd);
            if (k == 0) {
                assertEquals(want[0], m, 0.05 * want[0], "mean cycle period");
                assertTrue(m > 1509 - 2 * 279 && m < 1509 + 2 * 279, "cycle period " + m + " outside 1509 ± 558 ms");
            }
            if (k >= 18 && k < 21) assertEquals(want[k], m, 1.0, "mean " + PyloricFeatures.PYLORIC_PACKAGE_NAMES[k]);
        }
        int pyloric = 0;
        for (int i = 0; i < n; i++) {
            if (out[i * sim.dataDim() + PyloricFeatures.COUNT + PyloricFeatures.EXTRA_PYLORIC_LIKE] == 1f) pyloric++;
        }
        System.out.printf("pyloric-like in %d of %d realisations%n", pyloric, n);
        assertTrue(pyloric >= n * 3 / 4, "pyloric-like in only " + pyloric + " of " + n);
    }
}
