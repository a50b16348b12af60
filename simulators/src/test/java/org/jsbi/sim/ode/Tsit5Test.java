package org.jsbi.sim.ode;

import static org.jsbi.sim.ode.Tsit5.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Tsit5Test {

    // ---- the tableau: the published digits must satisfy the order conditions ----

    private static final double[] C = {0, C2, C3, C4, C5, 1, 1};
    private static final double[] B = {B1, B2, B3, B4, B5, B6, 0};
    private static final double[] E = {E1, E2, E3, E4, E5, E6, E7};
    private static final double[][] A = {
            {},
            {A21},
            {A31, A32},
            {A41, A42, A43},
            {A51, A52, A53, A54},
            {A61, A62, A63, A64, A65},
            {B1, B2, B3, B4, B5, B6}};

    private static double[] times(double[][] a, double[] v) {
        double[] r = new double[7];
        for (int i = 0; i < 7; i++) for (int j = 0; j < a[i].length; j++) r[i] += a[i][j] * v[j];
        return r;
    }

    private static double[] mul(double[] u, double[] v) {
        double[] r = new double[7];
        for (int i = 0; i < 7; i++) r[i] = u[i] * v[i];
        return r;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < 7; i++) s += u[i] * v[i];
        return s;
    }

    /**
     * Residuals of the order conditions for weights w over the tableau, scaled to the end of a step of length θ
     * (θ = 1 for the step's own weights): one per rooted tree up to the given order (1, 1, 2, 4, 9 trees).
     */
    private static double[] orderResiduals(double[] w, double th, int order) {
        double[] one = {1, 1, 1, 1, 1, 1, 1};
        double[] c = C, c2 = mul(c, c), c3 = mul(c2, c), c4 = mul(c3, c);
        double[] ac = times(A, c), ac2 = times(A, c2), aac = times(A, ac);
        double[][] lhs = {
                {dot(w, one)},
                {dot(w, c)},
                {dot(w, c2), dot(w, ac)},
                {dot(w, c3), dot(w, mul(c, ac)), dot(w, ac2), dot(w, aac)},
                {dot(w, c4), dot(w, mul(c2, ac)), dot(w, mul(c, ac2)), dot(w, mul(c, aac)), dot(w, mul(ac, ac)),
                        dot(w, times(A, c3)), dot(w, times(A, mul(c, ac))), dot(w, times(A, ac2)), dot(w, times(A, aac))}};
        // 1/γ(tree), times θ^order for the continuous extension
        double[][] rhs = {{1}, {1 / 2.0}, {1 / 3.0, 1 / 6.0}, {1 / 4.0, 1 / 8.0, 1 / 12.0, 1 / 24.0},
                {1 / 5.0, 1 / 10.0, 1 / 15.0, 1 / 30.0, 1 / 20.0, 1 / 20.0, 1 / 40.0, 1 / 60.0, 1 / 120.0}};
        double[] r = new double[17];
        int n = 0;
        for (int q = 0; q < order; q++) {
            for (int t = 0; t < lhs[q].length; t++) r[n++] = lhs[q][t] - rhs[q][t] * Math.pow(th, q + 1);
        }
        return Arrays.copyOf(r, n);
    }

    private static double maxAbs(double[] r) {
        double m = 0;
        for (double v : r) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Test
    void fifthOrderWeightsSatisfyAllSeventeenConditions() {
        assertTrue(maxAbs(orderResiduals(B, 1, 5)) < 2e-15, Arrays.toString(orderResiduals(B, 1, 5)));
    }

    @Test
    void embeddedWeightsAreFourthOrderButNotFifth() {
        double[] bHat = new double[7];
        for (int i = 0; i < 7; i++) bHat[i] = B[i] - E[i];
        double[] r = orderResiduals(bHat, 1, 5);
        assertTrue(maxAbs(Arrays.copyOf(r, 8)) < 2e-15, Arrays.toString(r));
        // otherwise the error estimate would vanish at 5th order and control nothing
        assertTrue(maxAbs(Arrays.copyOfRange(r, 8, 17)) > 1e-4, Arrays.toString(r));
    }

    @Test
    void denseOutputIsAFourthOrderContinuousExtensionThatEndsOnTheStep() {
        double[] w = new double[7];
        for (double th : new double[] {0.0, 0.13, 0.5, 0.77, 1.0}) {
            denseWeights(th, w);
            assertTrue(maxAbs(orderResiduals(w, th, 4)) < 1e-14, "θ=" + th + " " + Arrays.toString(orderResiduals(w, th, 4)));
        }
        denseWeights(1.0, w);
        for (int i = 0; i < 7; i++) assertEquals(B[i], w[i], 4e-15, "b_" + (i + 1) + "(1)");
    }

    // ---- closed-form problems ----

    private static final double[] DECAY_TIMES = {0, 0.37, 1, 2.5, 4, 7.25, 10};

    /** Max error of y' = −λy, y(0) = 2 at DECAY_TIMES, in units of the benchmark's 1e-8 + 1e-8·|y|. */
    private static double decayError(Tsit5 s, double lambda) {
        double[] out = new double[DECAY_TIMES.length];
        assertTrue(s.solve((t, y, d) -> d[0] = -lambda * y[0], 0, new double[] {2}, DECAY_TIMES, out));
        double worst = 0;
        for (int k = 0; k < DECAY_TIMES.length; k++) {
            double exact = 2 * Math.exp(-lambda * DECAY_TIMES[k]);
            worst = Math.max(worst, Math.abs(out[k] - exact) / (1e-8 + 1e-8 * exact));
        }
        return worst;
    }

    @Test
    void exponentialDecayMatchesClosedFormAtToleranceLevel() {
        Tsit5 s = Tsit5.benchmark(1);
        double err = decayError(s, 0.7);
        // the global error stays within the per-step tolerance scale (measured: 0.1 of it; 1e-9 absolute)
        assertTrue(err < 1, "error / tolerance scale = " + err);
        assertTrue(s.acceptedSteps() > 10 && s.acceptedSteps() < 300, "steps " + s.acceptedSteps());
    }

    private static double oscillatorError(Tsit5 s, double omega, double[] times) {
        double[] out = new double[2 * times.length];
        assertTrue(s.solve((t, y, d) -> {
            d[0] = y[1];
            d[1] = -omega * omega * y[0];
        }, 0, new double[] {1, 0}, times, out));
        double worst = 0;
        for (int k = 0; k < times.length; k++) {
            worst = Math.max(worst, Math.abs(out[2 * k] - Math.cos(omega * times[k])));
            worst = Math.max(worst, Math.abs(out[2 * k + 1] + omega * Math.sin(omega * times[k])) / omega);
        }
        return worst;
    }

    private static double[] grid(double step, int n) {
        double[] t = new double[n];
        for (int k = 0; k < n; k++) t[k] = k * step;
        return t;
    }

    @Test
    void harmonicOscillatorMatchesClosedFormIncludingBetweenSteps() {
        // ω = 2 over 20 time units (≈ 6.4 periods), saved every 0.05 so most save times fall inside steps
        Tsit5 s = Tsit5.benchmark(2);
        double err = oscillatorError(s, 2.0, grid(0.05, 401));
        assertTrue(err < 1e-6, "max abs error " + err);
        assertTrue(s.acceptedSteps() < 401, "the save times must not force the steps: " + s.acceptedSteps());
    }

    @Test
    void errorFallsInProportionToTheTolerance() {
        // Error-per-step control of a 5(4) pair with local extrapolation gives a global error ∝ tol, with
        // steps ∝ tol^(-1/5); a wrong coefficient shows as a flatter error slope or far more steps.
        double[] tols = {1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10};
        double[] logErr = new double[tols.length], logTol = new double[tols.length];
        int[] steps = new int[tols.length];
        for (int i = 0; i < tols.length; i++) {
            Tsit5 s = new Tsit5(2, tols[i], tols[i], DEFAULT_MAX_STEPS);
            logErr[i] = Math.log10(oscillatorError(s, 2.0, grid(0.25, 81)));
            logTol[i] = Math.log10(tols[i]);
            steps[i] = s.acceptedSteps();
        }
        double mx = 0, my = 0;
        for (int i = 0; i < tols.length; i++) {
            mx += logTol[i] / tols.length;
            my += logErr[i] / tols.length;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < tols.length; i++) {
            sxy += (logTol[i] - mx) * (logErr[i] - my);
            sxx += (logTol[i] - mx) * (logTol[i] - mx);
        }
        double slope = sxy / sxx;
        String msg = "log10 errors " + Arrays.toString(logErr) + ", steps " + Arrays.toString(steps) + ", slope " + slope;
        assertTrue(slope > 0.85 && slope < 1.3, msg);
        for (int i = 0; i < tols.length; i++) assertTrue(logErr[i] < logTol[i] + 1.5, msg);
        double stepRatio = (double) steps[tols.length - 1] / steps[1];   // tol 1e-10 vs 1e-5: 10^(5/5) = 10
        assertTrue(stepRatio > 6 && stepRatio < 16, msg);
    }

    // ---- failure and reuse ----

    @Test
    void stepLimitFailsWithNaNAndTheSolverStaysUsable() {
        Tsit5 s = new Tsit5(2, 1e-8, 1e-8, 20);
        double[] out = new double[2 * 81];
        Arrays.fill(out, 7.0);
        boolean ok = s.solve((t, y, d) -> {
            d[0] = y[1];
            d[1] = -4 * y[0];
        }, 0, new double[] {1, 0}, grid(0.25, 81), out);
        assertFalse(ok);
        assertEquals(20, s.acceptedSteps() + s.rejectedSteps());
        for (double v : out) assertTrue(Double.isNaN(v), "every output is NaN after a failure");

        Tsit5 big = new Tsit5(1, 1e-8, 1e-8, 1000);
        assertTrue(decayError(big, 0.7) < 1, "a failure leaves no state behind");
    }

    @Test
    void blowUpFailsInsteadOfReturningGarbage() {
        // y' = y², y(0) = 1: y = 1/(1 − t) blows up at t = 1
        Tsit5 s = Tsit5.benchmark(1);
        double[] out = new double[3];
        assertFalse(s.solve((t, y, d) -> d[0] = y[0] * y[0], 0, new double[] {1}, new double[] {0.5, 0.9, 2.0}, out));
        for (double v : out) assertTrue(Double.isNaN(v));
        // a right-hand side that turns NaN mid-way fails too
        assertFalse(s.solve((t, y, d) -> d[0] = t < 1 ? 1 : Double.NaN, 0, new double[] {0}, new double[] {2.0}, out));
        assertTrue(Double.isNaN(out[0]));
    }

    @Test
    void saveTimeAtTheStartIsTheInitialState() {
        Tsit5 s = Tsit5.benchmark(1);
        double[] out = new double[2];
        assertTrue(s.solve((t, y, d) -> d[0] = 1, 0, new double[] {3}, new double[] {0, 0}, out));
        assertArrayEquals(new double[] {3, 3}, out);
        assertEquals(0, s.evaluations(), "nothing to integrate");
    }

    @Test
    void badArgumentsAreRefused() {
        OdeFunction f = (t, y, d) -> d[0] = 0;
        Tsit5 s = Tsit5.benchmark(1);
        double[] out = new double[4];
        assertThrows(IllegalArgumentException.class, () -> s.solve(f, 0, new double[2], new double[] {1}, out));
        assertThrows(IllegalArgumentException.class, () -> s.solve(f, 0, new double[1], new double[] {2, 1}, out));
        assertThrows(IllegalArgumentException.class, () -> s.solve(f, 1, new double[1], new double[] {0.5}, out));
        assertThrows(IllegalArgumentException.class, () -> s.solve(f, 0, new double[1], new double[] {}, out));
        assertThrows(IllegalArgumentException.class, () -> s.solve(f, 0, new double[1], new double[] {1, 2}, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new Tsit5(0, 1e-8, 1e-8, 10));
        assertThrows(IllegalArgumentException.class, () -> new Tsit5(1, 0, 1e-8, 10));
        assertThrows(IllegalArgumentException.class, () -> new Tsit5(1, 1e-8, Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> new Tsit5(1, 1e-8, 1e-8, 0));
    }

    @Test
    void solvesAllocateNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        Tsit5 s = Tsit5.benchmark(2);
        OdeFunction f = (t, y, d) -> {
            d[0] = y[1];
            d[1] = -4 * y[0];
        };
        double[] y0 = {1, 0}, times = grid(0.5, 21), out = new double[42];
        for (int i = 0; i < 20; i++) s.solve(f, 0, y0, times, out);
        threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 200; i++) s.solve(f, 0, y0, times, out);
        long bytes = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(bytes < 1024, "200 solves allocated " + bytes + " bytes");
    }
}
