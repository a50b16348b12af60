package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import org.jsbi.random.Rng;
import org.jsbi.sim.ode.Rk4Reference;
import org.jsbi.sim.ode.Tsit5;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;

class SirTest {

    private static final long SEED = Long.getLong("jsbi.test.seed", 7177L);

    private static String replay() {
        return " [seed " + SEED + "; replay with -Djsbi.test.seed=" + SEED + "]";
    }

    private static double[] infected(double beta, double gamma) {
        double[] states = new double[30];
        assertTrue(Sir.solve(Tsit5.benchmark(3), new Sir.Ode(), beta, gamma, states));
        double[] i = new double[10];
        for (int k = 0; k < 10; k++) i[k] = states[3 * k + 1];
        return i;
    }

    @Test
    void definitionMatchesTheBenchmark() {
        Sir sir = new Sir();
        assertEquals("sir", sir.name());
        assertSame(sir, sir.simulator());
        assertEquals(2, sir.parameterDim());
        assertEquals(10, sir.dataDim());
        assertEquals(2, sir.prior().dim());
        // log-normal means exp(μ + σ²/2)
        assertEquals(0.4 * Math.exp(0.125), sir.prior().mean()[0], 1e-12);
        assertEquals(0.125 * Math.exp(0.02), sir.prior().mean()[1], 1e-12);
        assertArrayEquals(new double[] {0, 17, 34, 51, 68, 85, 102, 119, 136, 153}, Sir.SAVE_TIMES);
    }

    /** min(P(X ≤ x), P(X ≥ x)) for X ~ Binomial(1000, p), from the exact pmf. */
    private static double tailProbability(int x, double p) {
        int n = Sir.TRIALS;
        double[] logFact = new double[n + 1];
        for (int k = 1; k <= n; k++) logFact[k] = logFact[k - 1] + Math.log(k);
        double below = 0, above = 0;
        for (int k = 0; k <= n; k++) {
            double f = p == 0 ? (k == 0 ? 1 : 0)
                    : Math.exp(logFact[n] - logFact[k] - logFact[n - k] + k * Math.log(p) + (n - k) * Math.log1p(-p));
            if (k <= x) below += f;
            if (k >= x) above += f;
        }
        return Math.min(below, above);
    }

    @Test
    void trueParametersExplainEachObservationWithinBinomialNoise() {
        // 100 counts: each must be a plausible Binomial(1000, I(t)/N) draw. Where the variance is large the
        // standardized residual must be under 5; everywhere its exact two-sided tail probability must exceed 1e-4
        // (1% over the 100 counts; z-scores mean little when the expectation is below 1); where the expectation is
        // ~0 (P(x > 0) < 1e-3) the count must be 0.
        double worstZ = 0, worstTail = 1;
        String worstAt = "";
        StringBuilder table = new StringBuilder();
        StringBuilder failures = new StringBuilder();
        for (int obs = 1; obs <= 10; obs++) {
            double[] theta = TaskTesting.asDoubles(ReferenceData.trueParameters("sir", obs));
            double[] x = TaskTesting.asDoubles(ReferenceData.observation("sir", obs));
            double[] infected = infected(theta[0], theta[1]);
            table.append(String.format("%nobs%-2d", obs));
            for (int k = 0; k < 10; k++) {
                String at = "obs" + obs + " t=" + Sir.SAVE_TIMES[k];
                double p = Math.min(1, Math.max(0, infected[k] / Sir.POPULATION));
                double mean = Sir.TRIALS * p, var = Sir.TRIALS * p * (1 - p);
                table.append(String.format(" %4.0f/%-7.2f", x[k], mean));
                assertEquals(Math.rint(x[k]), x[k], "counts are integers");
                double tail = tailProbability((int) x[k], p);
                if (tail < worstTail) {
                    worstTail = tail;
                    worstAt = at + String.format(" (%.0f observed, %.3f expected)", x[k], mean);
                }
                if (tail < 1e-4) failures.append(String.format("%n%s: observed %.0f, expected %.4f, tail %.2e", at, x[k], mean, tail));
                if (mean < 1e-3 && x[k] != 0) failures.append(String.format("%n%s: observed %.0f, expected %.2e", at, x[k], mean));
                if (var > 5) {
                    double z = (x[k] - mean) / Math.sqrt(var);
                    worstZ = Math.max(worstZ, Math.abs(z));
                    if (Math.abs(z) >= 5) failures.append(String.format("%n%s: observed %.0f, expected %.2f, z %.2f", at, x[k], mean, z));
                }
            }
        }
        System.out.printf("sir observed/expected counts at θ_true; max |z| (variance > 5) %.2f, smallest tail probability %.1e at %s:%s%n",
                worstZ, worstTail, worstAt, table);
        assertEquals("", failures.toString());
    }

    @Test
    void adaptiveSolutionAgreesWithAFineRk4Solve() {
        // RK4 at h = 2e-3 agrees with h = 1e-3 to ~1e-13, so the difference is Tsit5's error. Required: 1e-6 relative
        // where I ≥ 1, and within 10× the tolerance scale 1e-8 + 1e-8·|I| everywhere (I falls to ~0.003 by t = 153,
        // where the absolute tolerance dominates).
        double worstRel = 0, worstScaled = 0;
        for (int obs = 1; obs <= 10; obs++) {
            double[] theta = TaskTesting.asDoubles(ReferenceData.trueParameters("sir", obs));
            Sir.Ode ode = new Sir.Ode();
            ode.beta = theta[0];
            ode.gamma = theta[1];
            double[] ref = Rk4Reference.solve(ode, 0, new double[] {Sir.POPULATION - 1, 1, 0}, 2e-3, Sir.SAVE_TIMES);
            double[] got = infected(theta[0], theta[1]);
            for (int k = 0; k < 10; k++) {
                double iRef = ref[3 * k + 1], diff = Math.abs(got[k] - iRef);
                String at = "obs" + obs + " t=" + Sir.SAVE_TIMES[k] + ": Tsit5 " + got[k] + " vs RK4 " + iRef;
                double scaled = diff / (1e-8 + 1e-8 * Math.abs(iRef));
                worstScaled = Math.max(worstScaled, scaled);
                assertTrue(scaled < 10, at);
                if (Math.abs(iRef) >= 1) {
                    worstRel = Math.max(worstRel, diff / Math.abs(iRef));
                    assertTrue(diff < 1e-6 * Math.abs(iRef), at);
                }
            }
        }
        System.out.printf("sir: Tsit5 vs RK4 (h = 2e-3): max relative difference in I where I >= 1: %.1e;"
                + " max difference / (1e-8 + 1e-8·|I|): %.2f%n", worstRel, worstScaled);
    }

    @Test
    void simulatedCountsAverageToTheExpectedCounts() {
        // the whole pipeline (solve, float32 rounding, clamp, binomial) at obs1's θ_true, 4000 replicates
        double[] theta = TaskTesting.asDoubles(ReferenceData.trueParameters("sir", 1));
        int reps = 4000;
        float[] rows = new float[reps * 2];
        for (int i = 0; i < reps; i++) {
            rows[2 * i] = (float) theta[0];
            rows[2 * i + 1] = (float) theta[1];
        }
        float[] out = new float[reps * 10];
        new Sir().simulate(new ParameterBatch(rows, reps, 2, 0), SEED, out);
        double[] infected = infected(theta[0], theta[1]);
        for (int k = 0; k < 10; k++) {
            double p = infected[k] / Sir.POPULATION, mean = 1000 * p;
            double sum = 0;
            for (int i = 0; i < reps; i++) sum += out[i * 10 + k];
            double se = Math.sqrt(1000 * p * (1 - p) / reps);
            assertEquals(mean, sum / reps, 5 * se + 1e-9, "t=" + Sir.SAVE_TIMES[k] + replay());
        }
    }

    private static float[] priorBatch(Sir sir, int n) {
        float[][] theta = sir.prior().sample(n, new Rng(SEED));
        return ParameterBatch.ofRows(theta, 0).values();
    }

    @Test
    void resultsDoNotDependOnBatching() {
        Sir sir = new Sir();
        int n = 37;
        float[] values = priorBatch(sir, n);
        float[] whole = new float[n * 10];
        sir.simulate(new ParameterBatch(values, n, 2, 1000), SEED, whole);
        float[] pieces = new float[n * 10];
        int[] sizes = {1, 10, 26};
        int start = 0;
        for (int size : sizes) {
            float[] v = new float[size * 2];
            System.arraycopy(values, start * 2, v, 0, size * 2);
            float[] o = new float[size * 10];
            sir.simulate(new ParameterBatch(v, size, 2, 1000 + start), SEED, o);
            System.arraycopy(o, 0, pieces, start * 10, size * 10);
            start += size;
        }
        assertArrayEquals(whole, pieces, "same simulations in uneven sub-batches" + replay());
        float[] otherSeed = new float[n * 10];
        sir.simulate(new ParameterBatch(values, n, 2, 1000), SEED + 1, otherSeed);
        assertFalse(java.util.Arrays.equals(whole, otherSeed), "another seed gives other noise");
    }

    @Test
    void aFailedSolveGivesNaNInItsOwnRowOnly() {
        // a slow epidemic (β < γ: I just decays) needs few steps, a fast one many; a limit between them fails only
        // the second
        Tsit5 probe = Tsit5.benchmark(3);
        double[] states = new double[30];
        Sir.solve(probe, new Sir.Ode(), 0.05f, 0.2f, states);
        int slow = probe.acceptedSteps() + probe.rejectedSteps();
        Sir.solve(probe, new Sir.Ode(), 0.9f, 0.1f, states);
        int fast = probe.acceptedSteps() + probe.rejectedSteps();
        assertTrue(slow < fast, slow + " vs " + fast);
        float[] values = {0.05f, 0.2f, 0.9f, 0.1f, 0.05f, 0.2f};
        float[] limited = new float[30], full = new float[30];
        new Sir(slow).simulate(new ParameterBatch(values, 3, 2, 5), SEED, limited);
        new Sir().simulate(new ParameterBatch(values, 3, 2, 5), SEED, full);
        for (int k = 0; k < 10; k++) {
            assertTrue(Float.isNaN(limited[10 + k]), "row 1 failed");
            assertEquals(full[k], limited[k], "row 0 intact");
            assertEquals(full[20 + k], limited[20 + k], "row 2 intact");
        }
    }

    @Test
    void badInputIsRefusedWithTheParameterNamed() {
        Sir sir = new Sir();
        float[] out = new float[20];
        var e = assertThrows(IllegalArgumentException.class,
                () -> sir.simulate(new ParameterBatch(new float[] {0.4f, 0.1f, 0.4f, -0.1f}, 2, 2, 0), 1, out));
        assertTrue(e.getMessage().contains("γ") && e.getMessage().contains("set 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sir.simulate(new ParameterBatch(new float[] {0f, 0.1f}, 1, 2, 0), 1, out));
        assertTrue(e.getMessage().contains("β"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> sir.simulate(new ParameterBatch(new float[] {0.4f, 0.1f, 0.3f}, 1, 3, 0), 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> sir.simulate(new ParameterBatch(new float[] {Float.NaN, 0.1f}, 1, 2, 0), 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> sir.simulate(new ParameterBatch(new float[] {0.4f, 0.1f, 0.4f, 0.1f}, 2, 2, 0), 1, new float[19]));
        float[] untouched = new float[20];
        assertThrows(IllegalArgumentException.class,
                () -> sir.simulate(new ParameterBatch(new float[] {0.4f, 0.1f, 0.4f, -0.1f}, 2, 2, 0), 1, untouched));
        assertArrayEquals(new float[20], untouched, "a refused batch writes nothing");
    }
}
