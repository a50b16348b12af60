package org.jsbi.sim.stg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jsbi.sim.SimTesting;
import org.jsbi.sim.stg.StgTesting.Events;
import org.junit.jupiter.api.Test;

/**
 * The 18 network features on hand-built events and on synthetic voltage traces whose events are known.
 *
 * <p>The networks: PM burst k starts at spike sample 1001 + k·P (P = 40,000 samples = 1000 ms, or 32,000 = 800 ms);
 * spikes every 400 samples (10 ms); PM has 11 spikes (a 100-ms burst), LP 21 (200 ms) starting 8,000 samples
 * (200 ms) after PM, PY 16 (150 ms) starting 20,000 samples (500 ms) after PM. Every spike sample p has p − 1 a
 * multiple of 40, so every time (p − 1)·0.025 is a whole millisecond, exact in double, and so are the differences and
 * the means below (sums of a few whole numbers). PM burst k starts at 25 + 1000k ms.
 */
class PyloricFeaturesTest {

    private static final PyloricFeatureConfig PAPER = PyloricFeatureConfig.paper();
    private static final int PM_FIRST = 1001, LP_DELAY = 8_000, PY_DELAY = 20_000, EVERY = 400;
    private static final int PM_SPIKES = 11, LP_SPIKES = 21, PY_SPIKES = 16;
    private static final double NaN = Double.NaN;

    /** One neuron of a synthetic network: spike samples and raw plateaus, as events and as a raw trace. */
    private static final class Neuron {
        final TreeSet<Integer> spikes = new TreeSet<>();
        final List<int[]> plateaus = new ArrayList<>();

        Neuron burst(int first, int count) {
            for (int j = 0; j < count; j++) spikes.add(first + j * EVERY);
            return this;
        }

        /** A raw plateau at −20 mV on [a, b): above −30 mV after filtering on [a + 2, b − 2). */
        Neuron plateau(int a, int b) {
            plateaus.add(new int[] {a, b});
            return this;
        }

        /** The events the filter and detector find on {@link #raw()} (StgTesting's derivations). */
        NeuronEvents events() {
            Events e = new Events();
            for (int p : spikes) e.narrowSpike(p);
            for (int[] r : plateaus) e.run(r[0] + StgTesting.STEP_IN, r[1] - StgTesting.STEP_IN);
            return e.build();
        }

        float[] raw() {
            float[] v = StgTesting.rest(StgTesting.N);
            for (int[] r : plateaus) StgTesting.plateau(v, r[0], r[1]);
            for (int p : spikes) StgTesting.tent(v, p);
            return v;
        }
    }

    private static Neuron[] neurons() {
        return new Neuron[] {new Neuron(), new Neuron(), new Neuron()};
    }

    /**
     * The base network: period 1000 ms, 10 bursts of each neuron; PY has a plateau from 100 samples before to 1010
     * samples after its first spike, so its filtered run is [p₀ − 98, p₀ + 1008).
     */
    private static Neuron[] baseNetwork() {
        Neuron[] n = neurons();
        for (int k = 0; k < 10; k++) {
            int pm = PM_FIRST + 40_000 * k;
            n[0].burst(pm, PM_SPIKES);
            n[1].burst(pm + LP_DELAY, LP_SPIKES);
            int py = pm + PY_DELAY;
            n[2].burst(py, PY_SPIKES).plateau(py - 100, py + 1010);
        }
        return n;
    }

    private static NeuronEvents[] events(Neuron[] n) {
        return new NeuronEvents[] {n[0].events(), n[1].events(), n[2].events()};
    }

    private static PyloricFeatures analyze(NeuronEvents[] e, PyloricFeatureConfig cfg) {
        PyloricFeatures f = new PyloricFeatures();
        f.analyze(e, cfg);
        return f;
    }

    private static double[] features(PyloricFeatures f) {
        double[] out = new double[PyloricFeatures.COUNT];
        f.features(out, 0);
        return out;
    }

    private static double[] extras(PyloricFeatures f) {
        double[] out = new double[PyloricFeatures.EXTRA_COUNT];
        f.extras(out, 0);
        return out;
    }

    /**
     * The base network by hand. T: PM starts 25, 1025, …, 9025 → 1000. Durations: PM 10 × 400 samples = 100 ms, LP
     * 20 × 400 = 200, PY 15 × 400 = 150. In each of the 9 periods [25 + 1000k, 1025 + 1000k): PM 25..125, LP 225..425,
     * PY 525..675 (relative +0, +200, +500): one burst each, so all 9 are triphasic; PM end → LP start 100, LP end → PY
     * start 100, PM start → LP start 200, PM start → PY start 500, LP start → PY start 300. Duty cycles 0.1, 0.2, 0.15;
     * phase gaps 0.1, 0.1; start phases 0.2, 0.5. Ordered in every period (200 ≤ 500, 425 ≤ 675, 125 ≤ 225): pyloric.
     *
     * <p>Plateaus (block = 40,000 samples from p₀ − 1, grid every 10): a narrow spike's run [p − 12, p + 13) holds 3
     * grid points (2 for the first spike, whose run starts before the block), so PM and LP have longest 3 → 30
     * samples → mean 30 &lt; 200 → 100 → 2.5 ms. PY's run [p₀ − 98, p₀ + 1008) holds p₀ − 1 + 10j for j = 0..100: 101
     * points → 1010 samples in every block → 1010 · 0.025 = 25.25 ms. (Every block but the last ends inside the next
     * burst's first run, with its count open and not counted.)
     */
    private static final double[] BASE_FEATURES = {
        1000,                   // T
        100, 200, 150,          // burst durations
        100, 100,               // ends to starts PM→LP, LP→PY
        200, 500,               // starts to starts PM→LP, PM→PY
        0.1, 0.2, 0.15,         // duty cycles
        0.1, 0.1,               // phase gaps
        0.2, 0.5,               // start phases LP, PY
        2.5, 2.5, 25.25,        // plateaus
    };
    /** pyloric_like, bursts ×3, spikes ×3 (10 × 11, 10 × 21, 10 × 16), LP → PY start delay. */
    private static final double[] BASE_EXTRAS = {1, 10, 10, 10, 110, 210, 160, 300};

    @Test
    void triphasicPyloricNetwork() {
        PyloricFeatures f = analyze(events(baseNetwork()), PAPER);
        assertEquals(PyloricOutcome.TRIPHASIC, f.outcome());
        assertArrayEquals(BASE_FEATURES, features(f));
        assertArrayEquals(BASE_EXTRAS, extras(f));
        assertTrue(f.pyloricLike());
        // 110 spikes in 10,999.975 ms is 10 Hz; 10 bursts / 110 spikes < 0.5: "non-bursting" by the code's rule.
        for (int n = 0; n < 3; n++) assertEquals(NeuronClass.NON_BURSTING, f.neuron(n).neuronClass());
        assertEquals(25.0, f.neuron(0).burstStartMs(0));
        assertEquals(225.0, f.neuron(1).burstStartMs(0));
        assertEquals(675.0, f.neuron(2).burstEndMs(0));
    }

    @Test
    void syntheticTracesGiveTheDerivedEventsAndFeatures() {
        Neuron[] n = baseNetwork();
        float[][] raw = {n[0].raw(), n[1].raw(), n[2].raw()};
        for (int i = 0; i < 3; i++) {
            NeuronEventDetector d = new NeuronEventDetector();
            SavitzkyGolayStream s = new SavitzkyGolayStream(d);
            for (float v : raw[i]) s.push(v);
            s.finish();
            assertSameEvents(n[i].events(), d.events(), "neuron " + i);
        }
        PyloricSummary sum = PyloricFeatures.fromTraces(raw, PAPER);
        assertEquals(PyloricOutcome.TRIPHASIC, sum.outcome());
        assertArrayEquals(BASE_FEATURES, sum.features());
        assertArrayEquals(BASE_EXTRAS, sum.extras());
        assertTrue(sum.pyloricLike());
        assertEquals(10, sum.burstStartsMs()[2].length);
        assertEquals(525.0, sum.burstStartsMs()[2][0]);
    }

    @Test
    void streamingAndWholeTraceGiveIdenticalBits() {
        // The base network with Gaussian noise (SD 3 mV) on every sample, which moves spikes and run edges:
        // whatever the events are, the stream (SavitzkyGolayStream → NeuronEventDetector → compute) and fromTraces
        // must agree to the bit.
        Neuron[] n = baseNetwork();
        Random rng = new Random(SimTesting.seed());
        float[][] raw = {n[0].raw(), n[1].raw(), n[2].raw()};
        for (float[] v : raw) for (int k = 0; k < v.length; k++) v[k] += (float) (3 * rng.nextGaussian());
        NeuronEvents[] streamed = new NeuronEvents[3];
        for (int i = 0; i < 3; i++) {
            NeuronEventDetector d = new NeuronEventDetector();
            SavitzkyGolayStream s = new SavitzkyGolayStream(d);
            for (float v : raw[i]) s.push(v);
            s.finish();
            streamed[i] = d.events();
        }
        float[] out = new float[PyloricFeatures.COUNT + 3];
        float[] ex = new float[PyloricFeatures.EXTRA_COUNT + 2];
        PyloricOutcome o = PyloricFeatures.compute(streamed, PAPER, out, 3, ex, 2);
        PyloricSummary whole = PyloricFeatures.fromTraces(raw, PAPER);
        assertEquals(whole.outcome(), o);
        double[] viaStream = features(analyze(streamed, PAPER));
        assertArrayEquals(whole.features(), viaStream, "seed " + SimTesting.seed());
        for (int i = 0; i < PyloricFeatures.COUNT; i++) assertEquals((float) whole.feature(i), out[3 + i]);
        for (int i = 0; i < PyloricFeatures.EXTRA_COUNT; i++) assertEquals((float) whole.extras()[i], ex[2 + i]);
        System.out.println("noisy base network: " + whole);
    }

    @Test
    void silentPm() {
        Neuron[] n = baseNetwork();
        n[0].spikes.clear();
        PyloricFeatures f = analyze(events(n), PAPER);
        assertEquals(PyloricOutcome.PM_NOT_BURSTING, f.outcome());
        // Only LP's and PY's own durations and plateaus survive; everything divided by T or needing periods is NaN.
        assertArrayEquals(new double[] {NaN, NaN, 200, 150, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN,
            NaN, 2.5, 25.25}, features(f));
        assertArrayEquals(new double[] {0, 0, 10, 10, 0, 210, 160, NaN}, extras(f));
        assertEquals(NeuronClass.SILENT, f.neuron(0).neuronClass());
    }

    @Test
    void tonicPm() {
        // PM spikes every 800 samples (20 ms) from sample 1 to 399,201: 500 spikes, all ISIs < 150 ms, so one burst
        // from 0 to 399,200 · 0.025 = 9980 ms: no cycle period. 500 · 1000 / 10999.975 = 45.5 Hz: tonic.
        // Plateau: one block [0, 399,200); each spike's run holds 3 grid points -> 30 -> floor 2.5 ms.
        Neuron[] n = baseNetwork();
        n[0].spikes.clear();
        for (int j = 0; j < 500; j++) n[0].spikes.add(1 + 800 * j);
        PyloricFeatures f = analyze(events(n), PAPER);
        assertEquals(PyloricOutcome.PM_NOT_BURSTING, f.outcome());
        assertEquals(NeuronClass.TONIC, f.neuron(0).neuronClass());
        assertArrayEquals(new double[] {NaN, 9980, 200, 150, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN,
            2.5, 2.5, 25.25}, features(f));
        assertArrayEquals(new double[] {0, 1, 10, 10, 500, 210, 160, NaN}, extras(f));
    }

    @Test
    void lpBurstingTwicePerPeriodIsNotTriphasic() {
        // LP: two 100-ms bursts per period, at +200 and +700 ms (11 spikes from PM + 8000 and PM + 28000; 400 ms
        // apart): every period holds two LP starts, none is triphasic.
        Neuron[] n = baseNetwork();
        n[1].spikes.clear();
        for (int k = 0; k < 10; k++) {
            n[1].burst(PM_FIRST + 40_000 * k + 8_000, 11).burst(PM_FIRST + 40_000 * k + 28_000, 11);
        }
        PyloricFeatures f = analyze(events(n), PAPER);
        assertEquals(PyloricOutcome.NOT_TRIPHASIC, f.outcome());
        assertArrayEquals(new double[] {1000, 100, 100, 150, NaN, NaN, NaN, NaN, 0.1, 0.1, 0.15, NaN, NaN, NaN, NaN,
            2.5, 2.5, 25.25}, features(f));
        assertArrayEquals(new double[] {0, 10, 20, 10, 110, 220, 160, NaN}, extras(f));
    }

    @Test
    void silentLp() {
        Neuron[] n = baseNetwork();
        n[1].spikes.clear();
        PyloricFeatures f = analyze(events(n), PAPER);
        assertEquals(PyloricOutcome.LP_OR_PY_NO_BURSTS, f.outcome());
        assertTrue(Double.isNaN(f.feature(PyloricFeatures.ENDS_TO_STARTS_PM_LP)));
        assertEquals(1000, f.feature(PyloricFeatures.CYCLE_PERIOD));
        assertTrue(Double.isNaN(f.feature(PyloricFeatures.DUTY_CYCLE + 1)));
        assertEquals(0.15, f.feature(PyloricFeatures.DUTY_CYCLE + 2));
    }

    /**
     * Period 800 ms (32,000 samples), 11 PM bursts → 10 periods; LP and PY as in the base network (no plateau), with
     * LP's bursts left out in {@code lpMissing} periods, an extra 60-ms LP burst at +680 ms in {@code lpExtra}
     * periods, and PY moved to +150 ms (before LP) in {@code pySwapped} periods.
     */
    private static Neuron[] fastNetwork(Set<Integer> lpMissing, Set<Integer> lpExtra, Set<Integer> pySwapped) {
        Neuron[] n = neurons();
        for (int k = 0; k < 11; k++) {
            int pm = PM_FIRST + 32_000 * k;
            n[0].burst(pm, PM_SPIKES);
            if (!lpMissing.contains(k)) n[1].burst(pm + LP_DELAY, LP_SPIKES);
            if (lpExtra.contains(k)) n[1].burst(pm + 27_200, 7);
            n[2].burst(pm + (pySwapped.contains(k) ? 6_000 : PY_DELAY), PY_SPIKES);
        }
        return n;
    }

    @Test
    void triphasicNeedsNinetyPercentOfPeriods() {
        // Period 3 holds two LP bursts (the extra one 680..740 ms: 280 ms after LP's end at 400, 260 before the next
        // at 1000): 9 of 10 periods are triphasic, 0.9 >= 0.9. The delays average over those 9 and are the base
        // network's; T = 800, so duty cycles 100/800, LP (11·200 + 60)/12, 150/800, phases 100/800, 100/800,
        // 200/800, 500/800.
        PyloricFeatures f = analyze(events(fastNetwork(Set.of(), Set.of(3), Set.of())), PAPER);
        assertEquals(PyloricOutcome.TRIPHASIC, f.outcome());
        double lp = (11 * 200.0 + 60) / 12;
        assertArrayEquals(new double[] {800, 100, lp, 150, 100, 100, 200, 500, 0.125, lp / 800, 0.1875, 0.125,
            0.125, 0.25, 0.625, 2.5, 2.5, 2.5}, features(f), 1e-12);
        assertArrayEquals(new double[] {1, 11, 12, 11, 121, 11 * 21 + 7, 11 * 16, 300}, extras(f));
        // LP missing in periods 3 and 6: 8 of 10 -> not triphasic.
        PyloricFeatures g = analyze(events(fastNetwork(Set.of(3, 6), Set.of(), Set.of())), PAPER);
        assertEquals(PyloricOutcome.NOT_TRIPHASIC, g.outcome());
        assertEquals(800, g.feature(PyloricFeatures.CYCLE_PERIOD));
        assertTrue(Double.isNaN(g.feature(PyloricFeatures.ENDS_TO_STARTS_PM_LP)));
        assertEquals(0.0, g.extra(PyloricFeatures.EXTRA_PYLORIC_LIKE));
    }

    @Test
    void pyloricLikeNeedsSeventyPercentOfOrderedPeriods() {
        // PY at +150 ms (150..300) in periods 1, 4, 7: LP start 200 > PY start 150 there. 7 of 10 ordered -> 0.7
        // >= 0.7: pyloric-like. Means over the 10 triphasic periods: LP end → PY start
        // (7·100 + 3·(150 − 400)) / 10 = −5, PM start → PY start (7·500 + 3·150) / 10 = 395, LP start → PY start (7·300 + 3·(−50)) / 10 = 195.
        PyloricFeatures f = analyze(events(fastNetwork(Set.of(), Set.of(), Set.of(1, 4, 7))), PAPER);
        assertEquals(PyloricOutcome.TRIPHASIC, f.outcome());
        assertTrue(f.pyloricLike());
        assertEquals(-5.0, f.feature(PyloricFeatures.ENDS_TO_STARTS_LP_PY));
        assertEquals(395.0, f.feature(PyloricFeatures.STARTS_TO_STARTS_PM_PY));
        assertEquals(195.0, f.extra(PyloricFeatures.EXTRA_STARTS_TO_STARTS_LP_PY));
        assertEquals(-5.0 / 800, f.feature(PyloricFeatures.PHASE_GAP_LP_PY));
        assertEquals(395.0 / 800, f.feature(PyloricFeatures.START_PHASE_PY));
        // One more (period 9): 6 of 10 -> triphasic but not pyloric-like.
        PyloricFeatures g = analyze(events(fastNetwork(Set.of(), Set.of(), Set.of(1, 4, 7, 9))), PAPER);
        assertEquals(PyloricOutcome.TRIPHASIC, g.outcome());
        assertFalse(g.pyloricLike());
        assertEquals(0.0, g.extra(PyloricFeatures.EXTRA_PYLORIC_LIKE));
    }

    @Test
    void theBurstLengthThresholdIsAConfigSetting() {
        // PM bursts of 10 spikes every 200 samples: 9 · 200 = 1800 samples = 45 ms, dropped under the paper's 50 ms,
        // kept under the pyloric package's 40 ms.
        Neuron[] n = baseNetwork();
        n[0].spikes.clear();
        for (int k = 0; k < 10; k++) {
            for (int j = 0; j < 10; j++) n[0].spikes.add(PM_FIRST + 40_000 * k + 200 * j);
        }
        assertEquals(PyloricOutcome.PM_NOT_BURSTING, analyze(events(n), PAPER).outcome());
        PyloricFeatures f = analyze(events(n), PyloricFeatureConfig.pyloricPackage());
        assertEquals(PyloricOutcome.TRIPHASIC, f.outcome());
        assertEquals(45.0, f.feature(PyloricFeatures.BURST_DURATION));
        assertEquals(225.0 - 70.0, f.feature(PyloricFeatures.ENDS_TO_STARTS_PM_LP));   // PM ends at 25 + 45 = 70
    }

    @Test
    void aDivergedNeuronMakesEverythingNaN() {
        Neuron[] n = baseNetwork();
        NeuronEvents[] e = events(n);
        NeuronEvents lp = new NeuronEvents();
        lp.addSpike(9001);
        lp.markDiverged();
        lp.finish(StgTesting.N);
        e[1] = lp;
        PyloricFeatures f = analyze(e, PAPER);
        assertEquals(PyloricOutcome.DIVERGED, f.outcome());
        for (double v : features(f)) assertTrue(Double.isNaN(v));
        for (double v : extras(f)) assertTrue(Double.isNaN(v));
        assertEquals(NeuronClass.DIVERGED, f.neuron(1).neuronClass());
        assertEquals(NeuronClass.NON_BURSTING, f.neuron(0).neuronClass());

        float[][] raw = {n[0].raw(), n[1].raw(), n[2].raw()};
        raw[2][123_456] = Float.NaN;
        PyloricSummary s = PyloricFeatures.fromTraces(raw, PAPER);
        assertEquals(PyloricOutcome.DIVERGED, s.outcome());
        for (double v : s.features()) assertTrue(Double.isNaN(v));
        assertEquals(NeuronClass.DIVERGED, s.classes()[2]);
    }

    @Test
    void pyloricPackageOrder() {
        PyloricFeatures f = analyze(events(baseNetwork()), PAPER);
        double[] out = new double[PyloricFeatures.PYLORIC_PACKAGE_COUNT];
        PyloricFeatures.pyloricPackageOrder(features(f), 0, extras(f), 0, out, 0);
        assertArrayEquals(new double[] {
            1000, 100, 200, 150,        // cycle period, burst durations
            0.1, 0.2, 0.15,             // duty cycles
            0.2, 0.5,                   // start phases LP, PY
            200, 300,                   // starts to starts PM-LP, LP-PY
            100, 100,                   // ends to starts PM-LP, LP-PY
            0.1, 0.1,                   // phase gaps
            2.5, 2.5, 25.25,            // plateaus
            10, 10, 10, 110, 210, 160,  // bursts, spikes
        }, out);
        assertArrayEquals(out, f.summary().pyloricPackageOrder());
        float[] fo = new float[PyloricFeatures.PYLORIC_PACKAGE_COUNT];
        float[] ff = new float[PyloricFeatures.COUNT];
        float[] fe = new float[PyloricFeatures.EXTRA_COUNT];
        f.features(ff, 0);
        f.extras(fe, 0);
        PyloricFeatures.pyloricPackageOrder(ff, 0, fe, 0, fo, 0);
        for (int i = 0; i < out.length; i++) assertEquals((float) out[i], fo[i]);
    }

    @Test
    void pyloricPackageNamesAreTheExpectedStatsFilesFirstColumns() throws IOException {
        Path csv = SimTesting.paperData().resolve("stg").resolve("pyloric_test_expected_stats.csv");
        String[] header = Files.readAllLines(csv).get(0).split(",");
        assertArrayEquals(PyloricFeatures.PYLORIC_PACKAGE_NAMES, Arrays.copyOf(header, 24));
    }

    @Test
    void names() {
        assertEquals(PyloricFeatures.COUNT, PyloricFeatures.FEATURE_NAMES.length);
        assertEquals(PyloricFeatures.EXTRA_COUNT, PyloricFeatures.EXTRA_NAMES.length);
        assertEquals(PyloricFeatures.PYLORIC_PACKAGE_COUNT, PyloricFeatures.PYLORIC_PACKAGE_NAMES.length);
        assertEquals(18, new TreeSet<>(List.of(PyloricFeatures.FEATURE_NAMES)).size());
        assertEquals("starts_to_starts_PM-PY", PyloricFeatures.FEATURE_NAMES[PyloricFeatures.STARTS_TO_STARTS_PM_PY]);
        assertEquals("plateau_duration_PY", PyloricFeatures.FEATURE_NAMES[PyloricFeatures.PLATEAU + 2]);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        NeuronEvents[] e = events(baseNetwork());
        PyloricFeatures f = new PyloricFeatures();
        assertThrows(IllegalStateException.class, f::outcome);
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> f.analyze(Arrays.copyOf(e, 2), PAPER));
        assertTrue(two.getMessage().contains("3 neurons"), two.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> f.analyze(e, PAPER.withWindowSamples(1000)));
        assertTrue(window.getMessage().contains("window"), window.getMessage());
        NeuronEvents open = new NeuronEvents();
        assertThrows(IllegalArgumentException.class, () -> f.analyze(new NeuronEvents[] {e[0], open, e[2]}, PAPER));
        assertThrows(IllegalArgumentException.class, () -> f.analyze(new NeuronEvents[] {e[0], null, e[2]}, PAPER));
        float[] ok = StgTesting.rest(StgTesting.N);
        assertThrows(IllegalArgumentException.class,
                () -> PyloricFeatures.fromTraces(new float[][] {ok, ok, new float[10]}, PAPER));
        assertThrows(IllegalArgumentException.class, () -> PyloricFeatures.fromTraces(new float[][] {ok, ok}, PAPER));
        assertThrows(IllegalArgumentException.class, () -> new PyloricFeatureConfig(20, 1000, 50));
        assertThrows(IllegalArgumentException.class, () -> new PyloricFeatureConfig(400, 0, 50));
        assertThrows(IllegalArgumentException.class, () -> new PyloricFeatureConfig(400, 1000, Double.NaN));
        assertThrows(IndexOutOfBoundsException.class,
                () -> PyloricFeatures.compute(e, PAPER, new float[PyloricFeatures.COUNT], 1));
    }

    @Test
    void shortWindowsWorkForTests() {
        // A 2-s window with T_MAX as configured: PM bursts at 25 and 1025 ms only -> one period.
        Neuron[] n = neurons();
        for (int k = 0; k < 2; k++) {
            int pm = PM_FIRST + 40_000 * k;
            n[0].burst(pm, PM_SPIKES);
            n[1].burst(pm + LP_DELAY, LP_SPIKES);
            n[2].burst(pm + PY_DELAY, PY_SPIKES);
        }
        int len = 80_000;
        NeuronEvents[] e = new NeuronEvents[3];
        for (int i = 0; i < 3; i++) {
            Events ev = new Events();
            for (int p : n[i].spikes) ev.narrowSpike(p);
            e[i] = ev.build(len);
        }
        PyloricFeatures f = analyze(e, PAPER.withWindowSamples(len).withTMaxMs(2000));
        assertEquals(PyloricOutcome.TRIPHASIC, f.outcome());
        assertEquals(1000.0, f.feature(PyloricFeatures.CYCLE_PERIOD));
        // 11 spikes per 2000 ms is 5.5 Hz (not silent); 2 bursts / 22 spikes < 0.5: non-bursting
        assertEquals(NeuronClass.NON_BURSTING, f.neuron(0).neuronClass());
    }

    private static void assertSameEvents(NeuronEvents expected, NeuronEvents actual, String what) {
        assertEquals(expected.sampleCount(), actual.sampleCount(), what);
        assertEquals(expected.isDiverged(), actual.isDiverged(), what);
        int[] es = new int[expected.spikeCount()], as = new int[actual.spikeCount()];
        for (int i = 0; i < es.length; i++) es[i] = expected.spike(i);
        for (int i = 0; i < as.length; i++) as[i] = actual.spike(i);
        assertArrayEquals(es, as, what + " spikes");
        assertEquals(expected.runCount(), actual.runCount(), what + " runs");
        for (int i = 0; i < expected.runCount(); i++) {
            assertEquals(expected.runStart(i), actual.runStart(i), what + " run " + i);
            assertEquals(expected.runEnd(i), actual.runEnd(i), what + " run " + i);
        }
    }
}
