package org.jsbi.sim.glm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jsbi.backend.Parallel;
import org.jsbi.sim.glm.Glm.Implementation;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;
import org.jsbi.sim.SimTesting;

/** The LN/GLM model: the paper's stimulus, prior and observation; closed forms; batching invariance; errors. */
class GlmTest {

    private static final int D = Glm.PARAMETERS;

    @Test
    void paperStimulusMatchesTheRegeneratedFile() throws Exception {
        double[][] rows = GlmTesting.csv(SimTesting.paperData().resolve("glm/regenerated_xo/stimulus_I.csv"));
        float[] stim = Glm.paperStimulus();
        assertEquals(Glm.BINS, rows.length);
        for (int t = 0; t < Glm.BINS; t++) assertEquals((float) rows[t][1], stim[t], 0f, "stimulus bin " + t);
    }

    @Test
    void paperObservationMatchesTheRegeneratedFile() throws Exception {
        Path dir = SimTesting.paperData().resolve("glm/regenerated_xo");
        double[] expected = GlmTesting.csv(dir.resolve("summary_stats.csv"))[0];
        double[] x = Glm.paperObservation();
        System.out.println("GLM paper x_o: " + java.util.Arrays.toString(x));
        assertArrayEquals(expected, x, 1e-12);
        assertEquals(18.0, x[0], 0.0, "the paper's observation has 18 spikes");
        // The file's spikes through the code's formula np.correlate(y, I, 'full')[N-1:N+8] = Σ_t y[t+k]·I[t].
        double[][] spikes = GlmTesting.csv(dir.resolve("spikes.csv"));
        double[][] stim = GlmTesting.csv(dir.resolve("stimulus_I.csv"));
        double[] viaCorrelate = new double[D];
        for (int t = 0; t < Glm.BINS; t++) viaCorrelate[0] += spikes[t][1];
        for (int k = 0; k < Glm.TAPS; k++) {
            for (int t = 0; t + k < Glm.BINS; t++) viaCorrelate[1 + k] += spikes[t + k][1] * stim[t][1];
        }
        assertArrayEquals(expected, viaCorrelate, 1e-12);
    }

    @Test
    void priorAndGroundTruthMatchThePaperFiles() throws Exception {
        double[][] prec = GlmTesting.csv(SimTesting.paperData().resolve("glm/prior_precision_matrix.csv"));
        double[][] cov = Glm.prior().covariance();
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                double s = 0;
                for (int k = 0; k < D; k++) s += cov[i][k] * prec[k][j];
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-9, "Σ·P at (" + i + "," + j + ")");
            }
        }
        assertArrayEquals(new double[D], Glm.prior().mean(), 0.0);
        double[] gt = GlmTesting.csv(SimTesting.paperData().resolve("glm/ground_truth_params.csv"))[0];
        float[] ours = Glm.groundTruth();
        for (int d = 0; d < D; d++) assertEquals((float) gt[d], ours[d], 0f, Glm.PARAMETER_NAMES[d]);
    }

    /** Noise off returns the closed-form expectations E[x | θ] (float64 reference), for both implementations. */
    @Test
    void noiseOffEqualsTheClosedFormExpectation() {
        int n = 5;
        float[] theta = GlmTesting.priorDraws(n, SimTesting.seed());
        System.arraycopy(Glm.groundTruth(), 0, theta, 0, D);
        float[] stim = Glm.paperStimulus();
        for (Implementation impl : Implementation.values()) {
            float[] out = new float[n * D];
            Glm.withDefaults().withImplementation(impl).withNoise(false)
                    .simulate(new ParameterBatch(theta, n, D, 0), 1, out);
            for (int i = 0; i < n; i++) {
                float[] th = java.util.Arrays.copyOfRange(theta, i * D, i * D + D);
                double[] mean = GlmTesting.expectedFeatures(th, stim)[0];
                double scale = 0;
                for (double m : mean) scale = Math.max(scale, Math.abs(m));
                for (int f = 0; f < D; f++) {
                    assertEquals(mean[f], out[i * D + f], 1e-5 * scale + 1e-6, impl + " " + Glm.FEATURE_NAMES[f] + " of set " + i);
                }
            }
        }
    }

    /**
     * 20,000 noisy simulations at the ground truth (and at a prior draw): the sample mean of every feature is within
     * 4 standard errors of the closed form E[x] (the spike count's is Σ_t σ(b0 + h·v_t)); the spike count's sample
     * variance is within 5% of Σ_t p_t(1 − p_t) (its relative standard error here is about 1%).
     */
    @Test
    void noisySimulationStatisticsMatchTheClosedForm() {
        int n = 20_000;
        float[] stim = Glm.paperStimulus();
        float[][] thetas = {Glm.groundTruth(), java.util.Arrays.copyOf(GlmTesting.priorDraws(1, 7), D)};
        for (float[] th : thetas) {
            float[] out = new float[n * D];
            Glm.withDefaults().simulate(new ParameterBatch(SimTesting.repeat(th, n), n, D, 0), SimTesting.seed(), out);
            double[][] cf = GlmTesting.expectedFeatures(th, stim);
            for (int f = 0; f < D; f++) {
                double s = 0, ss = 0;
                for (int i = 0; i < n; i++) s += out[i * D + f];
                double mean = s / n;
                for (int i = 0; i < n; i++) ss += (out[i * D + f] - mean) * (out[i * D + f] - mean);
                double var = ss / (n - 1);
                double se = Math.sqrt(cf[1][f] / n);
                if (f == 0) {
                    System.out.printf("GLM spike count: mean %.4f vs closed form %.4f (SE %.4f); var %.4f vs %.4f%n",
                            mean, cf[0][0], se, var, cf[1][0]);
                    assertEquals(cf[1][0], var, 0.05 * cf[1][0], "spike-count variance");
                }
                assertEquals(cf[0][f], mean, 4 * se, Glm.FEATURE_NAMES[f] + " mean (seed " + SimTesting.seed() + ")");
            }
        }
    }

    /** A simulation's result depends on (seed, index, θ) only: not on batch size, split, thread count. */
    @Test
    void resultsDoNotDependOnBatchingOrThreads() {
        int n = 61;
        long seed = SimTesting.seed();
        float[] theta = GlmTesting.priorDraws(n, seed);
        int before = Parallel.threads();
        try {
            for (Implementation impl : Implementation.values()) {
                Glm sim = Glm.withDefaults().withImplementation(impl);
                Parallel.setThreads(1);
                float[] whole = new float[n * D];
                sim.simulate(new ParameterBatch(theta, n, D, 100), seed, whole);
                Parallel.setThreads(2);
                float[] whole2 = new float[n * D];
                sim.simulate(new ParameterBatch(theta, n, D, 100), seed, whole2);
                assertArrayEquals(whole, whole2, impl + ": 1 vs 2 threads");
                float[] parts = new float[n * D];
                int[] cuts = {0, 1, 14, 40, n};
                for (int c = 0; c + 1 < cuts.length; c++) {
                    int a = cuts[c], b = cuts[c + 1];
                    float[] th = java.util.Arrays.copyOfRange(theta, a * D, b * D);
                    float[] o = new float[(b - a) * D];
                    sim.simulate(new ParameterBatch(th, b - a, D, 100 + a), seed, o);
                    System.arraycopy(o, 0, parts, a * D, o.length);
                }
                assertArrayEquals(whole, parts, impl + ": one batch vs four");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void spikesAreCountsAndSumsAreConsistent() {
        int n = 200;
        float[] out = new float[n * D];
        Glm.withDefaults().simulate(new ParameterBatch(GlmTesting.priorDraws(n, 3), n, D, 0), 5, out);
        float[] stim = Glm.paperStimulus();
        double maxAbs = 0;
        for (float s : stim) maxAbs = Math.max(maxAbs, Math.abs(s));
        for (int i = 0; i < n; i++) {
            float c = out[i * D];
            assertTrue(c >= 0 && c <= Glm.BINS && c == Math.rint(c), "spike count " + c);
            for (int k = 0; k < Glm.TAPS; k++) assertTrue(Math.abs(out[i * D + 1 + k]) <= c * maxAbs + 1e-4);
        }
    }

    @Test
    void badInputIsRejectedNamingTheProblem() {
        Glm sim = Glm.withDefaults();
        float[] out = new float[10 * D];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(new float[9], 1, 9, 0), 1, out));
        assertTrue(e.getMessage().contains("10 parameters"), e.getMessage());
        float[] th = Glm.groundTruth();
        th[3] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(new ParameterBatch(th, 1, D, 0), 1, out));
        assertTrue(e.getMessage().contains("h3"), e.getMessage());
        th[3] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> sim.simulate(new ParameterBatch(th, 1, D, 0), 1, out));
        e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(new ParameterBatch(new float[0], 0, D, 0), 1, out));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sim.simulate(null, 1, out));
        e = assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new ParameterBatch(Glm.groundTruth(), 1, D, 0), 1, new float[3]));
        assertTrue(e.getMessage().contains("output"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sim.withStimulus(new float[99]));
        float[] bad = new float[Glm.BINS];
        bad[7] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> sim.withStimulus(bad));
        assertTrue(e.getMessage().contains("bin 7"), e.getMessage());
    }
}
