package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.jsbi.random.Rng;
import org.jsbi.sim.ode.Rk4Reference;
import org.jsbi.sim.ode.Tsit5;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;

class LotkaVolterraTest {

    private static final long SEED = Long.getLong("jsbi.test.seed", 4242L);

    private static String replay() {
        return " [seed " + SEED + "; replay with -Djsbi.test.seed=" + SEED + "]";
    }

    /** Noise-free data u in data order (prey at the 10 times, then predator). */
    private static double[] noiseFree(double[] theta) {
        double[] states = new double[20];
        assertTrue(LotkaVolterra.solve(Tsit5.benchmark(2), new LotkaVolterra.Ode(), theta[0], theta[1], theta[2],
                theta[3], states));
        double[] u = new double[20];
        for (int k = 0; k < 10; k++) {
            u[k] = states[2 * k];
            u[10 + k] = states[2 * k + 1];
        }
        return u;
    }

    private static double logClamped(double u) {
        return Math.log(Math.min(1e4, Math.max(1e-10, u)));
    }

    @Test
    void definitionMatchesTheBenchmark() {
        LotkaVolterra lv = new LotkaVolterra();
        assertEquals("lotka_volterra", lv.name());
        assertSame(lv, lv.simulator());
        assertEquals(4, lv.parameterDim());
        assertEquals(20, lv.dataDim());
        double m = Math.exp(-0.125 + 0.125), s = Math.exp(-3 + 0.125);
        assertArrayEquals(new double[] {m, s, m, s}, lv.prior().mean(), 1e-12);
        assertArrayEquals(new double[] {0, 2.1, 4.2, 6.3, 8.4, 10.5, 12.6, 14.7, 16.8, 18.9}, LotkaVolterra.SAVE_TIMES);
    }

    @Test
    void trueParametersExplainEachObservationWithinLogNormalNoise() {
        StringBuilder table = new StringBuilder();
        double all = 0;
        for (int obs = 1; obs <= 10; obs++) {
            double[] theta = TaskTesting.asDoubles(ReferenceData.trueParameters("lotka_volterra", obs));
            double[] x = TaskTesting.asDoubles(ReferenceData.observation("lotka_volterra", obs));
            double[] u = noiseFree(theta);
            double mean = 0, ss = 0;
            double[] r = new double[20];
            for (int k = 0; k < 20; k++) {
                r[k] = Math.log(x[k]) - logClamped(u[k]);
                mean += r[k] / 20;
            }
            for (int k = 0; k < 20; k++) ss += (r[k] - mean) * (r[k] - mean);
            double sd = Math.sqrt(ss / 19);
            all += mean / 10;
            table.append(String.format("%nobs%-2d mean %+.4f sd %.4f max|r| %.3f", obs, mean, sd,
                    Arrays.stream(r).map(Math::abs).max().orElseThrow()));
            // 20 residuals of sd 0.1: the mean's standard error is 0.022
            assertTrue(Math.abs(mean) < 0.08, "obs" + obs + ": mean log residual " + mean + " " + Arrays.toString(r));
            assertTrue(sd > 0.04 && sd < 0.2, "obs" + obs + ": sd of log residuals " + sd + " " + Arrays.toString(r));
        }
        System.out.println("lotka_volterra log residuals log(x_o) − log(u(θ_true)):" + table);
        assertTrue(Math.abs(all) < 0.03, "mean over all 200 residuals " + all);
    }

    @Test
    void adaptiveSolutionAgreesWithAFineRk4Solve() {
        // RK4 at h = 1e-3 agrees with h = 5e-4 to ~4e-11, so the difference is Tsit5's error. Required: 1e-6·|u| + 1e-7
        // (1e-6 relative where u is not tiny; populations dip to ~6e-3). Over several cycles the global error grows
        // to ~40× the per-step tolerance scale 1e-8 + 1e-8·|u| (obs6), as phase errors accumulate on an orbit.
        double worstRel = 0, worstScaled = 0;
        for (int obs = 1; obs <= 10; obs++) {
            double[] theta = TaskTesting.asDoubles(ReferenceData.trueParameters("lotka_volterra", obs));
            LotkaVolterra.Ode ode = new LotkaVolterra.Ode();
            ode.alpha = theta[0];
            ode.beta = theta[1];
            ode.gamma = theta[2];
            ode.delta = theta[3];
            double[] ref = Rk4Reference.solve(ode, 0, new double[] {30, 1}, 1e-3, LotkaVolterra.SAVE_TIMES);
            double[] u = noiseFree(theta);
            for (int k = 0; k < 10; k++) {
                for (int s = 0; s < 2; s++) {
                    double want = ref[2 * k + s], got = u[s * 10 + k], diff = Math.abs(got - want);
                    String at = "obs" + obs + " t=" + LotkaVolterra.SAVE_TIMES[k] + " species " + s + ": Tsit5 " + got
                            + " vs RK4 " + want;
                    double scaled = diff / (1e-8 + 1e-8 * Math.abs(want));
                    worstScaled = Math.max(worstScaled, scaled);
                    assertTrue(diff < 1e-6 * Math.abs(want) + 1e-7, at);
                    if (Math.abs(want) >= 1e-2) worstRel = Math.max(worstRel, diff / Math.abs(want));
                }
            }
        }
        System.out.printf("lotka_volterra: Tsit5 vs RK4 (h = 1e-3): max relative difference where u >= 1e-2: %.1e;"
                + " max difference / (1e-8 + 1e-8·|u|): %.2f%n", worstRel, worstScaled);
    }

    @Test
    void simulatedNoiseIsLogNormalWithSd01() {
        double[] theta = TaskTesting.asDoubles(ReferenceData.trueParameters("lotka_volterra", 1));
        int reps = 2000;
        float[] rows = new float[reps * 4];
        for (int i = 0; i < reps; i++) for (int d = 0; d < 4; d++) rows[4 * i + d] = (float) theta[d];
        float[] out = new float[reps * 20];
        new LotkaVolterra().simulate(new ParameterBatch(rows, reps, 4, 0), SEED, out);
        double[] u = noiseFree(theta);
        for (int k = 0; k < 20; k++) {
            double mean = 0, ss = 0;
            for (int i = 0; i < reps; i++) mean += (Math.log(out[i * 20 + k]) - logClamped((float) u[k])) / reps;
            for (int i = 0; i < reps; i++) {
                double d = Math.log(out[i * 20 + k]) - logClamped((float) u[k]) - mean;
                ss += d * d;
            }
            double sd = Math.sqrt(ss / (reps - 1));
            assertEquals(0, mean, 5 * 0.1 / Math.sqrt(reps), "component " + k + replay());
            assertEquals(0.1, sd, 5 * 0.1 / Math.sqrt(2.0 * reps), "component " + k + replay());
        }
    }

    @Test
    void resultsDoNotDependOnBatching() {
        LotkaVolterra lv = new LotkaVolterra();
        int n = 29;
        float[] values = ParameterBatch.ofRows(lv.prior().sample(n, new Rng(SEED)), 0).values();
        float[] whole = new float[n * 20];
        lv.simulate(new ParameterBatch(values, n, 4, 77), SEED, whole);
        float[] pieces = new float[n * 20];
        int start = 0;
        for (int size : new int[] {13, 1, 15}) {
            float[] v = Arrays.copyOfRange(values, start * 4, (start + size) * 4);
            float[] o = new float[size * 20];
            lv.simulate(new ParameterBatch(v, size, 4, 77 + start), SEED, o);
            System.arraycopy(o, 0, pieces, start * 20, size * 20);
            start += size;
        }
        assertArrayEquals(whole, pieces, "same simulations in uneven sub-batches" + replay());
        for (float v : whole) assertTrue(v > 0, "prior draws solve and give positive data" + replay());
    }

    @Test
    void aFailedSolveGivesNaNInItsOwnRowOnly() {
        // slow dynamics (small rates) need fewer steps than fast oscillations; a limit between them fails the fast row
        float[] slow = {0.2f, 0.01f, 0.2f, 0.01f}, fast = {2.5f, 0.3f, 2.5f, 0.3f};
        Tsit5 probe = Tsit5.benchmark(2);
        double[] states = new double[20];
        LotkaVolterra.solve(probe, new LotkaVolterra.Ode(), slow[0], slow[1], slow[2], slow[3], states);
        int slowSteps = probe.acceptedSteps() + probe.rejectedSteps();
        LotkaVolterra.solve(probe, new LotkaVolterra.Ode(), fast[0], fast[1], fast[2], fast[3], states);
        int fastSteps = probe.acceptedSteps() + probe.rejectedSteps();
        assertTrue(slowSteps < fastSteps, slowSteps + " vs " + fastSteps);
        float[] values = new float[12];
        System.arraycopy(slow, 0, values, 0, 4);
        System.arraycopy(fast, 0, values, 4, 4);
        System.arraycopy(slow, 0, values, 8, 4);
        float[] limited = new float[60], full = new float[60];
        new LotkaVolterra(slowSteps).simulate(new ParameterBatch(values, 3, 4, 0), SEED, limited);
        new LotkaVolterra().simulate(new ParameterBatch(values, 3, 4, 0), SEED, full);
        for (int k = 0; k < 20; k++) {
            assertTrue(Float.isNaN(limited[20 + k]), "row 1 failed");
            assertEquals(full[k], limited[k], "row 0 intact");
            assertEquals(full[40 + k], limited[40 + k], "row 2 intact");
        }
    }

    @Test
    void badInputIsRefusedWithTheParameterNamed() {
        LotkaVolterra lv = new LotkaVolterra();
        float[] out = new float[40];
        var e = assertThrows(IllegalArgumentException.class,
                () -> lv.simulate(new ParameterBatch(new float[] {0.5f, 0.05f, -1f, 0.05f}, 1, 4, 3), 1, out));
        assertTrue(e.getMessage().contains("γ") && e.getMessage().contains("set 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> lv.simulate(new ParameterBatch(new float[] {0.5f, 0.05f, 1f, 0f}, 1, 4, 0), 1, out));
        assertTrue(e.getMessage().contains("δ"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> lv.simulate(new ParameterBatch(new float[] {0.5f, 0.05f}, 1, 2, 0), 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> lv.simulate(new ParameterBatch(new float[] {0.5f, 0.05f, 1f, Float.POSITIVE_INFINITY}, 1, 4, 0), 1, out));
        assertThrows(IllegalArgumentException.class,
                () -> lv.simulate(new ParameterBatch(new float[] {0.5f, 0.05f, 1f, 0.05f}, 1, 4, 0), 1, new float[19]));
    }
}
