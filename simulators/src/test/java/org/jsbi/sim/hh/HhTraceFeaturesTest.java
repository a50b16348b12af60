package org.jsbi.sim.hh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.jsbi.sim.hh.HodgkinHuxley.Implementation;
import org.jsbi.simulation.ParameterBatch;
import org.junit.jupiter.api.Test;
import org.jsbi.sim.SimTesting;

/** The feature extractor for stored traces against the simulator's online features, and its edge cases. */
class HhTraceFeaturesTest {

    @Test
    void syntheticWindowsAreTheSimulatorsWindows() {
        HhTraceFeatures.Windows w = HhTraceFeatures.synthetic().windows(HodgkinHuxley.TRACE_LENGTH);
        assertEquals(HhProtocol.REST_FIRST, w.restFirst());
        assertEquals(HhProtocol.REST_LAST + 1, w.restEnd());
        assertEquals(HhProtocol.REST_SD_FIRST, w.restSdFirst());
        assertEquals(HhProtocol.REST_SD_LAST + 1, w.restSdEnd());
        assertEquals(HhProtocol.STIM_FIRST, w.stimFirst());
        assertEquals(HhProtocol.STIM_LAST + 1, w.stimEnd());
    }

    @Test
    void allenWindowsFollowNumpy() {
        // dt 0.02, t_on 205, t_off 1204.98: t < 205 is k < 10250; int(0.9*205/0.02) = 9225, int(205/0.02) = 10250;
        // 205 < k*0.02 < 1204.98 is k = 10251 .. 60248 (60249 * 0.02 = 1204.98 is not below t_off).
        HhTraceFeatures.Windows w = new HhTraceFeatures(0.02, 205.0, 1204.98).windows(72_500);
        System.out.println("Allen windows: " + w);
        assertEquals(new HhTraceFeatures.Windows(0, 10250, 9225, 10250, 10251, 60249), w);
    }

    /**
     * On simulated traces (noise on; ground truth and 12 prior draws, scalar implementation) the extractor gives the
     * simulator's features: the spike count exactly, the others to 1e-5 relative.
     */
    @Test
    void givesTheSimulatorsFeaturesOnSimulatedTraces() {
        int n = 13;
        float[] theta = new float[n * 8];
        System.arraycopy(HodgkinHuxley.groundTruth(), 0, theta, 0, 8);
        System.arraycopy(HhTesting.priorDraws(n - 1, SimTesting.seed()), 0, theta, 8, (n - 1) * 8);
        HodgkinHuxley sim = HodgkinHuxley.withDefaults().withImplementation(Implementation.SCALAR);
        float[] out = new float[n * 7];
        float[] traces = new float[n * HodgkinHuxley.TRACE_LENGTH];
        sim.simulateWithTraces(new ParameterBatch(theta, n, 8, 0), SimTesting.seed(), out, traces);
        HhTraceFeatures fx = HhTraceFeatures.synthetic();
        double worst = 0;
        int spiking = 0;
        for (int i = 0; i < n; i++) {
            float[] simF = Arrays.copyOfRange(out, i * 7, i * 7 + 7);
            if (!Float.isFinite(simF[0])) continue;
            double[] f = fx.features(traces, i * HodgkinHuxley.TRACE_LENGTH, HodgkinHuxley.TRACE_LENGTH);
            assertEquals(simF[0], f[0], 0, "seed " + SimTesting.seed() + ", set " + i + ": spike count");
            if (f[0] > 0) spiking++;
            for (int k = 1; k < 7; k++) {
                double rel = Math.abs(simF[k] - f[k]) / Math.abs(f[k]);
                worst = Math.max(worst, rel);
                assertEquals(f[k], simF[k], 1e-5 * Math.abs(f[k]),
                        "seed " + SimTesting.seed() + ", set " + i + ": " + HodgkinHuxley.FEATURE_NAMES[k]);
            }
        }
        System.out.printf("trace features vs simulator: %d sets (%d spiking), worst relative difference %.2e%n", n,
                spiking, worst);
        assertEquals(true, spiking >= 3, "some sets spike");
    }

    /**
     * The paper's detector marks the sample before a peak (its successor is the peak, which is higher, and the peak's
     * successor is lower), so a spike needs two samples above −10 mV on its way up.
     */
    @Test
    void detectorClipsRefractsAndCountsOnlyInsideTheWindow() {
        // dt 0.1 ms, step 1..9 ms, 101 samples (10 ms); baseline -70 mV.
        HhTraceFeatures fx = new HhTraceFeatures(0.1, 1, 9);
        float[] v = new float[101];
        Arrays.fill(v, -70f);
        peak(v, 5, 20f);         // marked at t 0.4: before t_on, not counted
        peak(v, 20, 20f);        // t 1.9: counted
        peak(v, 24, 20f);        // t 2.3: 0.4 ms after the previous, dropped
        peak(v, 30, 20f);        // t 2.9: 0.6 ms after the dropped one, counted
        v[40] = -5f; v[41] = 20f; v[42] = -70f;            // one sample above -10 before the peak: marked at t 4.0
        v[49] = -12f; v[50] = -11f; v[51] = -70f;          // below the clip level: not a spike
        v[55] = -30f; v[56] = 20f; v[57] = -70f;           // a one-sample spike: nothing above -10 before it, missed
        v[60] = 0f; v[61] = 5f; v[62] = 5f; v[63] = -70f;  // flat top: one peak, marked at the first of the equal pair
        peak(v, 95, 20f);        // t 9.4: after t_off
        assertEquals(4, fx.spikeCount(v, 0, v.length));
        assertEquals(4f, fx.compute(v)[0], 0f);
    }

    private static void peak(float[] v, int k, float top) {
        v[k - 1] = 0f;
        v[k] = top;
        v[k + 1] = 0f;
    }

    @Test
    void momentsOfAKnownTrace() {
        HhTraceFeatures fx = new HhTraceFeatures(1, 10, 20);
        float[] v = new float[25];
        for (int k = 0; k < v.length; k++) v[k] = k < 10 ? -70f + (k % 2) : (k % 3 == 0 ? -40f : -50f);
        double[] f = fx.features(v, 0, v.length);
        // rest: k 0..9 mean -69.5; SD window int(9.0)..int(10) = k 9 only: SD 0; stimulus k 11..19.
        double[] s = new double[9];
        for (int k = 11; k < 20; k++) s[k - 11] = v[k];
        double mu = Arrays.stream(s).average().orElseThrow();
        double m2 = Arrays.stream(s).map(x -> (x - mu) * (x - mu)).average().orElseThrow();
        double m3 = Arrays.stream(s).map(x -> Math.pow(x - mu, 3)).average().orElseThrow();
        double m4 = Arrays.stream(s).map(x -> Math.pow(x - mu, 4)).average().orElseThrow();
        assertEquals(0, f[0]);
        assertEquals(-69.5, f[1], 1e-12);
        assertEquals(0, f[2], 0);
        assertEquals(mu, f[3], 1e-12);
        assertEquals(m2, f[4], 1e-12);
        assertEquals(m3 / Math.pow(m2, 1.5), f[5], 1e-12);
        assertEquals(m4 / (m2 * m2), f[6], 1e-12);
    }

    @Test
    void rejectsBadWindowsAndTraces() {
        assertThrows(IllegalArgumentException.class, () -> new HhTraceFeatures(0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new HhTraceFeatures(0.1, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new HhTraceFeatures(0.1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new HhTraceFeatures(0.1, 1, Double.NaN));
        HhTraceFeatures fx = new HhTraceFeatures(0.1, 1, 9);
        IllegalArgumentException shortTrace = assertThrows(IllegalArgumentException.class,
                () -> fx.compute(new float[80]));
        System.out.println("short trace: " + shortTrace.getMessage());
        float[] v = new float[101];
        v[40] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> fx.compute(v));
        System.out.println("NaN sample: " + nan.getMessage());
        // a t_on shorter than one sample leaves the resting SD window empty
        assertThrows(IllegalArgumentException.class, () -> new HhTraceFeatures(1, 0.5, 9).compute(new float[20]));
    }
}
