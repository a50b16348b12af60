package org.jsbi.sim.stg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.sim.stg.StgTesting.Events;
import org.junit.jupiter.api.Test;

/**
 * Per-neuron bursts, averages, classes and the plateau feature, on hand-built events; each of the paper code's quirks
 * (one-sample-early spike times, strict burst length threshold, the plateau grid and its open-run rule) is pinned.
 * Spike samples are chosen so that p − 1 is a multiple of 40: their times (p − 1)·0.025 are then whole milliseconds,
 * exactly representable, and the expected values below are exact.
 */
class NeuronBurstsTest {

    private static final PyloricFeatureConfig PAPER = PyloricFeatureConfig.paper();

    private static NeuronBursts analyze(Events e, PyloricFeatureConfig cfg) {
        NeuronBursts b = new NeuronBursts();
        b.analyze(e.build(), cfg);
        return b;
    }

    /** {@code count} spikes (no runs) from {@code first}, every {@code every} samples. */
    private static Events spikes(Events e, int first, int count, int every) {
        for (int j = 0; j < count; j++) e.spike(first + j * every);
        return e;
    }

    @Test
    void spikeTimesAreOneSampleEarly() {
        assertEquals(0.0, NeuronBursts.spikeTimeMs(1));
        assertEquals(1.0, NeuronBursts.spikeTimeMs(41));
        // spikes at samples 41, 2041, 2441: times 1, 51, 61 ms (not 1.025, 51.025, 61.025)
        NeuronBursts b = analyze(new Events().spike(41).spike(2041).spike(2441), PAPER);
        assertEquals(1, b.burstCount());
        assertEquals(1.0, b.burstStartMs(0));
        assertEquals(61.0, b.burstEndMs(0));
        assertEquals(41, b.burstFirstSample(0));
        assertEquals(60.0, b.avgBurstLengthMs());
    }

    @Test
    void burstsMustBeStrictlyLongerThanTheThreshold() {
        // spikes at 1001 and 3001: 25 and 75 ms, a burst of exactly 50 ms
        Events exactly50 = new Events().spike(1001).spike(3001);
        assertEquals(0, analyze(exactly50, PAPER).burstCount(), "50 ms is not > 50 ms (paper)");
        assertTrue(Double.isNaN(analyze(exactly50, PAPER).avgBurstLengthMs()));
        NeuronBursts pyl = analyze(exactly50, PyloricFeatureConfig.pyloricPackage());
        assertEquals(1, pyl.burstCount(), "50 ms > 40 ms (pyloric package)");
        assertEquals(50.0, pyl.avgBurstLengthMs());
        // one sample more: 3001 · 0.025 − 25 = 50.025 (to double rounding) > 50
        NeuronBursts longer = analyze(new Events().spike(1001).spike(3002), PAPER);
        assertEquals(1, longer.burstCount());
        assertEquals(50.025, longer.avgBurstLengthMs(), 1e-9);
    }

    @Test
    void anInterspikeIntervalOfAtLeast150MsStartsANewBurst() {
        // burst A: 7 spikes every 400 samples from 1001 (25 .. 85 ms); B starts at 9401 (235 ms): ISI exactly 150 ms
        Events e = spikes(spikes(new Events(), 1001, 7, 400), 9401, 7, 400);
        NeuronBursts b = analyze(e, PAPER);
        assertEquals(2, b.burstCount());
        assertEquals(235.0, b.burstStartMs(1));
        assertEquals(60.0, b.avgBurstLengthMs());
        assertEquals(210.0, b.avgCycleLengthMs());
        // B one sample earlier: ISI 149.975 ms, one burst from 25 to (9400 + 2400 − 1)·0.025 = 294.975 ms
        NeuronBursts one = analyze(spikes(spikes(new Events(), 1001, 7, 400), 9400, 7, 400), PAPER);
        assertEquals(1, one.burstCount());
        assertEquals(294.975 - 25, one.avgBurstLengthMs(), 1e-9);
        assertTrue(Double.isNaN(one.avgCycleLengthMs()));
    }

    @Test
    void averagesRunOverKeptBurstsOnly() {
        // 60 ms at 25 ms, 100 ms at 1025 ms, 40 ms (dropped) at 2025 ms, 60 ms at 3025 ms
        Events e = spikes(new Events(), 1001, 7, 400);
        spikes(e, 41001, 11, 400);
        spikes(e, 81001, 5, 400);
        spikes(e, 121001, 7, 400);
        NeuronBursts b = analyze(e, PAPER);
        assertEquals(3, b.burstCount());
        assertEquals(220.0 / 3, b.avgBurstLengthMs(), 1e-12);
        assertEquals((1000.0 + 2000.0) / 2, b.avgCycleLengthMs());       // starts 25, 1025, 3025
        assertEquals(30, b.spikeCount());
    }

    @Test
    void thePlateauGridStartsOneSampleBeforeTheFirstSpike() {
        // One kept burst: spikes 1001 .. 3401 (60 ms); block [1000, 3400), grid 1000 + 10j.
        // Run [1010, 3001): grid 1000 + 10j holds 1010 .. 3000 (200 points) -> 2000 samples -> 50 ms; a grid at the
        // spike sample itself (1001 + 10j) would hold 1011 .. 2991 (199 points) -> 49.75 ms.
        Events e = spikes(new Events(), 1001, 7, 400).run(1010, 3001);
        assertEquals(50.0, analyze(e, PAPER).plateauMs());
    }

    @Test
    void aRunStillOpenAtTheBlockEndIsNotCounted() {
        // Kept bursts at 1001 and 41001 (7 spikes each): blocks [1000, 41000) and [41000, 43400).
        // Run [11000, 41500): in block 0 the grid is above from 11000 to the block's last point 40990 and the block
        // ends with the count open -> longest 0; block 1 holds 41000 .. 41490 (50 points), then 41500 is below ->
        // 500. Mean (0 + 500) / 2 = 250 >= 200 -> 250 · 0.025 = 6.25 ms.
        Events e = spikes(spikes(new Events(), 1001, 7, 400), 41001, 7, 400).run(11000, 41500);
        assertEquals(6.25, analyze(e, PAPER).plateauMs());
        // A single burst inside one long run: the count never closes -> 0 -> floor 2.5 ms.
        Events inside = spikes(new Events(), 1001, 7, 400).run(500, 10000);
        assertEquals(2.5, analyze(inside, PAPER).plateauMs());
    }

    @Test
    void onlyGridPointsAreLookedAt() {
        // Block [1000, 3400); 30 short runs [1000 + 10j − 2, 1000 + 10j + 3), j = 0..29, each around one grid point,
        // below -30 mV in between: the grid sees 30 consecutive points above -> 300 samples -> 7.5 ms.
        Events e = spikes(new Events(), 1001, 7, 400);
        for (int j = 0; j < 30; j++) e.run(1000 + 10 * j - 2, 1000 + 10 * j + 3);
        assertEquals(7.5, analyze(e, PAPER).plateauMs());
    }

    @Test
    void plateausBelow200SamplesAreSetTo100() {
        // run [998, 1195): grid points 1000 .. 1190 (20) -> 200, not < 200 -> 5 ms
        assertEquals(5.0, analyze(spikes(new Events(), 1001, 7, 400).run(998, 1195), PAPER).plateauMs());
        // run [998, 1185): 19 points -> 190 < 200 -> 100 -> 2.5 ms
        assertEquals(2.5, analyze(spikes(new Events(), 1001, 7, 400).run(998, 1185), PAPER).plateauMs());
        // the mean decides, not each block: blocks of 300 and 0 (two kept bursts) -> 150 -> 2.5 ms
        Events e = spikes(spikes(new Events(), 1001, 7, 400), 41001, 7, 400).run(998, 1295);
        assertEquals(2.5, analyze(e, PAPER).plateauMs());
    }

    @Test
    void noKeptBurstMeansNaN() {
        NeuronBursts b = analyze(new Events().spike(1001).spike(50001), PAPER);
        assertEquals(0, b.burstCount());
        assertTrue(Double.isNaN(b.avgBurstLengthMs()));
        assertTrue(Double.isNaN(b.avgCycleLengthMs()));
        assertTrue(Double.isNaN(b.plateauMs()));
        NeuronBursts silent = analyze(new Events(), PAPER);
        assertEquals(0, silent.spikeCount());
        assertTrue(Double.isNaN(silent.plateauMs()));
        assertEquals(NeuronClass.SILENT, silent.neuronClass());
    }

    @Test
    void classes() {
        // rate = spikes · 1000 / 10999.975: 10 spikes -> 0.909 (silent), 11 -> 1.0000023 (not)
        assertEquals(NeuronClass.SILENT, analyze(spikes(new Events(), 1001, 10, 36000), PAPER).neuronClass());
        assertEquals(NeuronClass.NON_BURSTING, analyze(spikes(new Events(), 1001, 11, 36000), PAPER).neuronClass());
        // 330 spikes -> 30.00007 (tonic); 329 -> 29.909 (one long burst: non-bursting)
        assertEquals(NeuronClass.TONIC, analyze(spikes(new Events(), 1, 330, 1200), PAPER).neuronClass());
        assertEquals(NeuronClass.NON_BURSTING, analyze(spikes(new Events(), 1, 329, 1200), PAPER).neuronClass());
        // 10 kept bursts of 2 spikes 60 ms apart: 10 / 20 = 0.5 -> bursting; a third spike in one: 10 / 21 -> not.
        // (The code's rule: kept bursts / spikes >= 0.5, so a neuron with 3 or more spikes per burst is
        // "non-bursting"; no feature depends on the class.)
        Events two = new Events();
        for (int k = 0; k < 10; k++) two.spike(1001 + 40000 * k).spike(3401 + 40000 * k);
        assertEquals(NeuronClass.BURSTING, analyze(two, PAPER).neuronClass());
        assertEquals(NeuronClass.NON_BURSTING, analyze(two.spike(2001), PAPER).neuronClass());
    }

    @Test
    void divergedNeuron() {
        NeuronEvents e = new NeuronEvents();
        e.addSpike(1001);
        e.markDiverged();
        e.finish(StgTesting.N);
        NeuronBursts b = new NeuronBursts();
        b.analyze(e, PAPER);
        assertEquals(NeuronClass.DIVERGED, b.neuronClass());
        assertEquals(0, b.burstCount());
        assertTrue(Double.isNaN(b.avgBurstLengthMs()));
        assertTrue(Double.isNaN(b.plateauMs()));
        assertThrows(IllegalStateException.class, () -> new NeuronBursts().analyze(new NeuronEvents(), PAPER));
    }
}
