package org.jsbi.sim.stg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-sample event rules, the detector that applies them online, and {@link NeuronEvents}' bookkeeping. */
class NeuronEventDetectorTest {

    private static NeuronEvents detect(float... filtered) {
        NeuronEventDetector d = new NeuronEventDetector();
        for (float f : filtered) d.accept(f);
        d.finish();
        return d.events();
    }

    private static int[] spikes(NeuronEvents e) {
        int[] s = new int[e.spikeCount()];
        for (int i = 0; i < s.length; i++) s[i] = e.spike(i);
        return s;
    }

    private static int[][] runs(NeuronEvents e) {
        int[][] r = new int[e.runCount()][];
        for (int i = 0; i < r.length; i++) r[i] = new int[] {e.runStart(i), e.runEnd(i)};
        return r;
    }

    @Test
    void spikeRule() {
        assertTrue(NeuronEventDetector.isSpike(-20, -5, -20));
        assertFalse(NeuronEventDetector.isSpike(-20, -10, -20), "the threshold is strict: f > -10");
        assertTrue(NeuronEventDetector.isSpike(-20, -9.999f, -20));
        assertTrue(NeuronEventDetector.isSpike(5, 5, 5), "ties on both sides count (>= and <=)");
        assertFalse(NeuronEventDetector.isSpike(6, 5, 0));
        assertFalse(NeuronEventDetector.isSpike(0, 5, 6));
        assertFalse(NeuronEventDetector.isSpike(Float.NaN, 5, 0));
        assertFalse(NeuronEventDetector.isSpike(0, Float.NaN, 0));
        assertFalse(NeuronEventDetector.isSpike(0, 5, Float.NaN));
        assertTrue(NeuronEventDetector.isAbove(-29.999f));
        assertFalse(NeuronEventDetector.isAbove(-30f), "the plateau threshold is strict: f > -30");
        assertFalse(NeuronEventDetector.isAbove(Float.NaN));
    }

    @Test
    void findsLocalMaximaAboveMinusTenInsideTheTrace() {
        //                     0    1    2    3   4    5    6    7    8   9   10
        NeuronEvents e = detect(0, -50, -20, 10, -5, -40, -12, -11, -40, 5, 6);
        // sample 0 (0 mV) is a maximum but has no left neighbour; 3 is a spike; 7 (-11) is below -10; the rising
        // last sample 10 has no right neighbour.
        assertEquals(1, e.spikeCount());
        assertEquals(3, e.spike(0));
        assertEquals(11, e.sampleCount());
    }

    @Test
    void aFlatTopGivesOneSpikePerTiedSample() {
        // The code's rule with >= and <=: every sample of a flat top above -10 is a spike (kept as the code does).
        NeuronEvents e = detect(-50, 0, 5, 5, 5, 0, -50);
        assertEquals(3, e.spikeCount());
        assertEquals(2, e.spike(0));
        assertEquals(4, e.spike(2));
    }

    @Test
    void plateauRunsAreMaximalHalfOpenIntervals() {
        //                     0    1    2    3    4    5    6    7
        NeuronEvents e = detect(-20, -25, -30, -31, -29, 0, -29, -10);
        // above -30: 0, 1 | 4, 5, 6, 7 (the last run is open at the end and closed at N = 8)
        int[][] r = runs(e);
        assertEquals(2, r.length);
        assertEquals(0, r[0][0]);
        assertEquals(2, r[0][1]);
        assertEquals(4, r[1][0]);
        assertEquals(8, r[1][1]);
    }

    @Test
    void nonFiniteSamplesMarkTheNeuronDiverged() {
        assertFalse(detect(-60, -60, -60).isDiverged());
        assertTrue(detect(-60, Float.NaN, -60).isDiverged());
        assertTrue(detect(-60, -60, Float.POSITIVE_INFINITY).isDiverged());
        assertTrue(detect(Float.NEGATIVE_INFINITY, -60, -60).isDiverged());
    }

    @Test
    void resetStartsANewTraceInTheSameArrays() {
        NeuronEventDetector d = new NeuronEventDetector();
        for (int round = 0; round < 3; round++) {
            d.reset();
            for (int k = 0; k < 1000; k++) d.accept(k % 10 == 5 ? 0f : -40f);  // spikes at 5, 15, ..., 995
            d.finish();
            assertEquals(100, d.events().spikeCount());
            assertEquals(995, d.events().spike(99));
            assertEquals(100, d.events().runCount());
            assertFalse(d.events().isDiverged());
        }
    }

    @Test
    void streamAndDetectorOnASyntheticTrace() {
        // Two synthetic spikes (peaks at 100 and 300) on the resting level and a plateau on [500, 900) with a spike at
        // 700 on it: the filtered events are the spikes at the peaks, the spike runs [c − 12, c + 13) and the plateau
        // run [500 + 2, 900 − 2) (StgTesting's derivations).
        float[] raw = StgTesting.rest(1200);
        StgTesting.tent(raw, 100);
        StgTesting.tent(raw, 300);
        StgTesting.plateau(raw, 500, 900);
        StgTesting.tent(raw, 700);
        NeuronEventDetector d = new NeuronEventDetector();
        SavitzkyGolayStream s = new SavitzkyGolayStream(d);
        for (float v : raw) s.push(v);
        s.finish();
        NeuronEvents e = d.events();
        assertEquals(1200, e.sampleCount());
        assertEquals(Arrays.toString(new int[] {100, 300, 700}), Arrays.toString(spikes(e)));
        assertEquals(Arrays.deepToString(new int[][] {{88, 113}, {288, 313}, {502, 898}}),
                Arrays.deepToString(runs(e)));
    }

    @Test
    void eventsRefuseMisuse() {
        NeuronEvents e = new NeuronEvents();
        assertThrows(IllegalArgumentException.class, () -> e.addSpike(0), "a spike needs a sample before it");
        e.addSpike(5);
        assertThrows(IllegalArgumentException.class, () -> e.addSpike(5));
        assertThrows(IllegalStateException.class, () -> e.endRun(3));
        e.startRun(3);
        assertThrows(IllegalStateException.class, () -> e.startRun(4));
        assertThrows(IllegalArgumentException.class, () -> e.endRun(3));
        e.endRun(9);
        assertThrows(IllegalArgumentException.class, () -> e.startRun(8), "runs are in order");
        e.startRun(12);
        e.finish(20);                                    // closes the open run at 20
        assertEquals(20, e.runEnd(1));
        assertThrows(IllegalStateException.class, () -> e.addSpike(15), "finished");
        assertThrows(IllegalStateException.class, () -> e.finish(20));
        e.reset();
        e.addSpike(5);
        assertThrows(IllegalArgumentException.class, () -> e.finish(6), "a spike needs a sample after it");
    }
}
