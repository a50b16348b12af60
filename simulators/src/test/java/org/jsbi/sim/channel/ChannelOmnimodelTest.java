package org.jsbi.sim.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;
import org.jsbi.sim.SimTesting;

/** The Omnimodel: the manual-fit M current, an independent float64 reference, features, batching, input errors. */
class ChannelOmnimodelTest {

    private static final String M_CURRENT = "3808_im.mod";

    /**
     * The manual fit of 3808_im (θ ≈ [0.100, −3.505, −35.0, 2005, 0.050, 0, 0.050, 0]: the classic M current) in the
     * activation protocol, noise off: no current at rest, a non-inactivating outward current that grows with the step
     * voltage, activating slowly (τ ≈ 240 ms at −20 mV after tadj), with m∞ half-activated near −35 mV.
     */
    @Test
    void manualFitOfTheMCurrentGivesAnMCurrentLikeResponse() {
        float[] th = ManualFits.theta(M_CURRENT);
        System.out.println("3808_im theta = " + java.util.Arrays.toString(th));
        ChannelOmnimodel model = ChannelTesting.model().withNoise(false);
        float[][] tr = model.traces(th, 1, 0);
        ChannelProtocol act = model.protocols().get(0);
        int n = act.samples();
        int onset = 3997, late = 23950, early = onset + 2000;   // ~100.0, ~599, ~150 ms
        assertEquals(-80f, act.voltage(15, onset - 3), 0f);
        assertEquals(70f, act.voltage(15, onset + 3), 0f);
        float[] end = new float[16];
        for (int k = 0; k < 16; k++) end[k] = tr[0][k * n + late];
        System.out.println("3808_im act: normalised current at the end of each step (-80..+70 mV): "
                + java.util.Arrays.toString(end));
        assertTrue(end[0] < 0.02f, "at -80 mV the M current is nearly closed: " + end[0]);
        for (int k = 3; k < 16; k++) assertTrue(end[k] > end[k - 1], "grows with the step voltage, sweep " + k);
        assertTrue(end[15] > 0.95f, "the largest current is at the end of the +70 mV step: " + end[15]);
        // Slow activation at -20 mV (sweep 6): 50 ms into the step the current is far below its value at 500 ms.
        float i50 = tr[0][6 * n + early] - tr[0][6 * n + onset - 10], i500 = end[6] - tr[0][6 * n + onset - 10];
        System.out.printf("3808_im at -20 mV: I(50 ms)/I(500 ms) above rest = %.3f (analytic about 0.22)%n", i50 / i500);
        assertTrue(i50 / i500 > 0.1 && i50 / i500 < 0.4, "slow activation: " + i50 / i500);
        // Non-inactivating: within the +70 mV step the current never decreases.
        for (int t = onset + 10; t < late; t++) {
            assertTrue(tr[0][15 * n + t] >= tr[0][15 * n + t - 1] - 1e-6f, "no inactivation at sample " + t);
        }
        // Half activation: the +70 step's steady state is m∞(70)·156.7; m∞(-35) = 1/2 by the fit.
        double mInf = 1 / (1 + Math.exp(-th[0] * -35.0 + th[1]));
        assertEquals(0.5, mInf, 0.01);
    }

    /**
     * The float32 kernel against an independent float64 transcription of the paper's expeuler2 (noise off), for the
     * M current and two prior draws, on every protocol: traces agree to 2e-4 (absolute, traces are ≤ 1); the 55
     * features agree with a float64 least-squares fit of those reference traces on [basis, 1] (EJML) within what the
     * float32 trace error allows: the basis is orthonormal, so a coefficient moves by at most ‖Δtrace‖₂ ≤ √L·max|Δ|
     * (with 50 % margin, plus 1e-5 relative for the float rounding of the feature).
     */
    @Test
    void kernelMatchesAFloat64ReferenceOfThePapersCode() {
        ChannelOmnimodel model = ChannelTesting.model().withNoise(false);
        float[] draws = ChannelTesting.priorDraws(2, SimTesting.seed());
        float[][] thetas = {ManualFits.theta(M_CURRENT), java.util.Arrays.copyOfRange(draws, 0, 8),
            java.util.Arrays.copyOfRange(draws, 8, 16)};
        PcaBasis basis = model.basis();
        for (float[] th : thetas) {
            float[][] tr = model.traces(th, 1, 0);
            float[] feat = new float[55];
            model.withImplementation(ChannelOmnimodel.Implementation.SCALAR)
                    .simulate(new ParameterBatch(th, 1, 8, 0), 1, feat);
            for (int p = 0; p < 5; p++) {
                ChannelProtocol cp = model.protocols().get(p);
                double[] ref = ChannelTesting.referenceTrace(cp, th);
                double worst = 0;
                for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i] - tr[p][i]));
                assertTrue(worst < 2e-4, cp.name() + ": trace differs from the float64 reference by " + worst);
                double[] coef = lstsq(basis, p, ref);
                for (int j = 0; j < 11; j++) {
                    double tol = 1.5 * Math.sqrt(ref.length) * worst + 1e-5 * Math.max(1, Math.abs(coef[j]));
                    assertEquals(coef[j], feat[p * 11 + j], tol, cp.name() + " feature " + j + " for theta "
                            + java.util.Arrays.toString(th));
                }
                System.out.printf("channel %s: max |trace - float64| = %.2e; features %s%n", cp.name(), worst,
                        java.util.Arrays.toString(java.util.Arrays.copyOfRange(feat, p * 11, p * 11 + 11)));
            }
        }
    }

    /** numpy's lstsq([pcs, 1], I) in double through the normal equations. */
    private static double[] lstsq(PcaBasis basis, int p, double[] y) {
        int len = basis.length(p);
        DMatrixRMaj a = new DMatrixRMaj(len, 11);
        for (int k = 0; k < 10; k++) {
            float[] u = basis.component(p, k);
            for (int i = 0; i < len; i++) a.set(i, k, u[i]);
        }
        for (int i = 0; i < len; i++) a.set(i, 10, 1);
        DMatrixRMaj ata = new DMatrixRMaj(11, 11), aty = new DMatrixRMaj(11, 1), x = new DMatrixRMaj(11, 1);
        CommonOps_DDRM.multTransA(a, a, ata);
        CommonOps_DDRM.multTransA(a, new DMatrixRMaj(len, 1, true, y), aty);
        assertTrue(CommonOps_DDRM.solve(ata, aty, x));
        return x.data;
    }

    /** A simulation's features depend on (seed, its index, θ) only: one batch or two give the same numbers. */
    @Test
    void batchingDoesNotChangeResults() {
        ChannelOmnimodel model = ChannelTesting.model();
        int n = 3;
        float[] th = ChannelTesting.priorDraws(n, SimTesting.seed() + 3);
        float[] whole = new float[n * 55], parts = new float[n * 55];
        model.simulate(new ParameterBatch(th, n, 8, 10), 9, whole);
        float[] p0 = new float[55], p1 = new float[2 * 55];
        model.simulate(new ParameterBatch(java.util.Arrays.copyOf(th, 8), 1, 8, 10), 9, p0);
        model.simulate(new ParameterBatch(java.util.Arrays.copyOfRange(th, 8, 24), 2, 8, 11), 9, p1);
        System.arraycopy(p0, 0, parts, 0, 55);
        System.arraycopy(p1, 0, parts, 55, 110);
        assertArrayEquals(whole, parts);
        float[] other = new float[n * 55];
        model.simulate(new ParameterBatch(th, n, 8, 10), 10, other);
        assertTrue(!java.util.Arrays.equals(whole, other), "another seed gives other noise");
    }

    @Test
    void badInputGivesClearErrors() {
        ChannelOmnimodel model = ChannelTesting.model();
        float[] ok = ManualFits.theta(M_CURRENT);
        float[] out = new float[55];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.simulate(new ParameterBatch(new float[7], 1, 7, 0), 1, out));
        assertTrue(e.getMessage().contains("8 parameters"), e.getMessage());
        float[] nan = ok.clone();
        nan[2] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> model.simulate(new ParameterBatch(nan, 1, 8, 0), 1, out));
        assertTrue(e.getMessage().contains("parameter 2"), e.getMessage());
        float[] neg = ok.clone();
        neg[3] = -1f;
        e = assertThrows(IllegalArgumentException.class, () -> model.simulate(new ParameterBatch(neg, 1, 8, 0), 1, out));
        assertTrue(e.getMessage().contains("theta_4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.simulate(new ParameterBatch(new float[0], 0, 8, 0), 1, out));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.simulate(new ParameterBatch(ok, 1, 8, 0), 1, new float[54]));
        assertTrue(e.getMessage().contains("55"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.simulate(new ParameterBatch(ok, 1, 8, 0), 1, null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }
}
