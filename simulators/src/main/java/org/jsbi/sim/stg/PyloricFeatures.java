package org.jsbi.sim.stg;

import java.util.Arrays;
import java.util.Objects;

/**
 * The 18 summary features of the pyloric network (models/PAPER.md §5.5–5.6; the paper's {@code summstats.py}
 * {@code PrinzStats}), from the three neurons' {@link NeuronEvents}: 0 = PM (AB/PD), 1 = LP, 2 = PY. Per-neuron
 * bursts, burst lengths and plateaus are {@link NeuronBursts}'; this class adds the network part.
 *
 * <ul>
 *   <li><b>Cycle period</b> T = mean of the differences of PM's kept burst starts; NaN when PM has fewer than 2 kept
 *       bursts ({@link PyloricOutcome#PM_NOT_BURSTING}), and then the network is not triphasic.</li>
 *   <li><b>Periods</b>: [P_i, P_{i+1}) between consecutive PM starts (n − 1 of them for n starts). In each, take every
 *       neuron's kept bursts whose start lies in the period; the period is triphasic when each neuron has exactly one.
 *       The network is triphasic when n ≥ 2 and the fraction of triphasic periods is ≥ 0.9.</li>
 *   <li><b>Burst durations</b> (per neuron: mean kept burst length) and <b>duty cycles</b> (duration / T) are
 *       computed whether or not the network is triphasic (NaN propagates).</li>
 *   <li>When triphasic, over the triphasic periods (one burst of each neuron): ends_to_starts[a,b] = mean(start_b −
 *       end_a), starts_to_starts[a,b] = mean(start_b − start_a); phase gap = ends_to_starts / T, start phase =
 *       starts_to_starts[PM, b] / T. Otherwise these are NaN.</li>
 *   <li><b>pyloric_like</b>: triphasic, and in ≥ 70% of the triphasic periods LP start ≤ PY start, LP end ≤ PY end
 *       and PM end ≤ LP start.</li>
 * </ul>
 *
 * <p>Features, in the paper's order ({@link #FEATURE_NAMES}): [0] T; [1..3] burst durations PM, LP, PY; [4] gap PM
 * end → LP start; [5] gap LP end → PY start; [6] delay PM start → LP start; [7] delay PM start → <b>PY</b> start (the
 * code's {@code starts_to_starts[(0,2)]}; the paper's text says LP→PY); [8..10] duty cycles; [11] phase gap PM–LP;
 * [12] phase gap LP–PY; [13] LP start phase; [14] PY start phase; [15..17] plateau PM, LP, PY. All times in ms.
 * Extras ({@link #EXTRA_NAMES}): pyloric_like (0/1), kept bursts ×3, spikes ×3, and the LP start → PY start delay
 * (which the {@code pyloric} package reports; see {@link #pyloricPackageOrder}).
 *
 * <p><b>Divergence</b>: if any neuron's events are diverged (a non-finite filtered sample, which any NaN or infinite
 * voltage sample produces), every feature and every extra is NaN and the outcome is {@link PyloricOutcome#DIVERGED};
 * this is not an error, since a simulation with extreme parameters may blow up.
 *
 * <p>Means are numpy's pairwise sums ({@link PairwiseSum}), fractions are count / count in double. An instance keeps
 * its scratch arrays and the last result; it is not thread-safe. The static {@link #compute} uses one instance per
 * thread.
 */
public final class PyloricFeatures {

    public static final int NEURONS = 3;
    public static final int PM = 0, LP = 1, PY = 2;

    /** Features per simulation. */
    public static final int COUNT = 18;
    public static final int CYCLE_PERIOD = 0;
    /** Burst duration of neuron n is at BURST_DURATION + n. */
    public static final int BURST_DURATION = 1;
    public static final int ENDS_TO_STARTS_PM_LP = 4;
    public static final int ENDS_TO_STARTS_LP_PY = 5;
    public static final int STARTS_TO_STARTS_PM_LP = 6;
    public static final int STARTS_TO_STARTS_PM_PY = 7;
    /** Duty cycle of neuron n is at DUTY_CYCLE + n. */
    public static final int DUTY_CYCLE = 8;
    public static final int PHASE_GAP_PM_LP = 11;
    public static final int PHASE_GAP_LP_PY = 12;
    public static final int START_PHASE_LP = 13;
    public static final int START_PHASE_PY = 14;
    /** Plateau duration of neuron n is at PLATEAU + n. */
    public static final int PLATEAU = 15;

    public static final String[] FEATURE_NAMES = {
        "cycle_period",
        "burst_duration_PM", "burst_duration_LP", "burst_duration_PY",
        "ends_to_starts_PM-LP", "ends_to_starts_LP-PY",
        "starts_to_starts_PM-LP", "starts_to_starts_PM-PY",
        "duty_cycle_PM", "duty_cycle_LP", "duty_cycle_PY",
        "phase_gap_PM-LP", "phase_gap_LP-PY",
        "start_phase_LP", "start_phase_PY",
        "plateau_duration_PM", "plateau_duration_LP", "plateau_duration_PY",
    };

    /** Extras per simulation. */
    public static final int EXTRA_COUNT = 8;
    public static final int EXTRA_PYLORIC_LIKE = 0;
    /** Kept bursts of neuron n are at EXTRA_NUM_BURSTS + n. */
    public static final int EXTRA_NUM_BURSTS = 1;
    /** Spikes of neuron n are at EXTRA_NUM_SPIKES + n. */
    public static final int EXTRA_NUM_SPIKES = 4;
    /** mean(start_PY − start_LP) over the triphasic periods (ms); NaN unless triphasic. */
    public static final int EXTRA_STARTS_TO_STARTS_LP_PY = 7;

    public static final String[] EXTRA_NAMES = {
        "pyloric_like",
        "num_bursts_PM", "num_bursts_LP", "num_bursts_PY",
        "num_spikes_PM", "num_spikes_LP", "num_spikes_PY",
        "starts_to_starts_LP-PY",
    };

    /** Values in the {@code pyloric} package's order. */
    public static final int PYLORIC_PACKAGE_COUNT = 24;
    /** The {@code pyloric} package's names (as in shared/paper-data/stg/pyloric_test_expected_stats.csv). */
    public static final String[] PYLORIC_PACKAGE_NAMES = {
        "cycle_period",
        "burst_durations_PM", "burst_durations_LP", "burst_durations_PY",
        "duty_cycles_PM", "duty_cycles_LP", "duty_cycles_PY",
        "start_phases_LP", "start_phases_PY",
        "starts_to_starts_AB/PD-LP", "starts_to_starts_LP-PY",
        "ends_to_starts_AB/PD-LP", "ends_to_starts_LP-PY",
        "phase_gaps_AB/PD-LP", "phase_gaps_LP-PY",
        "plateau_durations_PM", "plateau_durations_LP", "plateau_durations_PY",
        "num_bursts_PM", "num_bursts_LP", "num_bursts_PY",
        "num_spikes_PM", "num_spikes_LP", "num_spikes_PY",
    };

    // For each pyloric-package value: {0 = feature, 1 = extra} and the index there.
    private static final int[][] PYLORIC_PACKAGE_SOURCE = {
        {0, CYCLE_PERIOD},
        {0, BURST_DURATION + PM}, {0, BURST_DURATION + LP}, {0, BURST_DURATION + PY},
        {0, DUTY_CYCLE + PM}, {0, DUTY_CYCLE + LP}, {0, DUTY_CYCLE + PY},
        {0, START_PHASE_LP}, {0, START_PHASE_PY},
        {0, STARTS_TO_STARTS_PM_LP}, {1, EXTRA_STARTS_TO_STARTS_LP_PY},
        {0, ENDS_TO_STARTS_PM_LP}, {0, ENDS_TO_STARTS_LP_PY},
        {0, PHASE_GAP_PM_LP}, {0, PHASE_GAP_LP_PY},
        {0, PLATEAU + PM}, {0, PLATEAU + LP}, {0, PLATEAU + PY},
        {1, EXTRA_NUM_BURSTS + PM}, {1, EXTRA_NUM_BURSTS + LP}, {1, EXTRA_NUM_BURSTS + PY},
        {1, EXTRA_NUM_SPIKES + PM}, {1, EXTRA_NUM_SPIKES + LP}, {1, EXTRA_NUM_SPIKES + PY},
    };

    private static final ThreadLocal<PyloricFeatures> PER_THREAD = ThreadLocal.withInitial(PyloricFeatures::new);

    private final NeuronBursts[] neurons = {new NeuronBursts(), new NeuronBursts(), new NeuronBursts()};
    private final double[] features = new double[COUNT];
    private final double[] extras = new double[EXTRA_COUNT];
    private PyloricOutcome outcome;
    // Per triphasic period: the five differences, in period order.
    private double[] endsToStartsPmLp = new double[16];
    private double[] endsToStartsLpPy = new double[16];
    private double[] startsToStartsPmLp = new double[16];
    private double[] startsToStartsPmPy = new double[16];
    private double[] startsToStartsLpPy = new double[16];

    /**
     * The 18 features of {@code three} into {@code out[offset ..]} (as floats), with this thread's reusable analyser;
     * returns the outcome.
     */
    public static PyloricOutcome compute(NeuronEvents[] three, PyloricFeatureConfig cfg, float[] out, int offset) {
        PyloricFeatures f = PER_THREAD.get();
        PyloricOutcome o = f.analyze(three, cfg);
        f.features(out, offset);
        return o;
    }

    /** As {@link #compute(NeuronEvents[], PyloricFeatureConfig, float[], int)}, also writing the 8 extras. */
    public static PyloricOutcome compute(NeuronEvents[] three, PyloricFeatureConfig cfg, float[] out, int offset,
                                         float[] extrasOut, int extrasOffset) {
        PyloricFeatures f = PER_THREAD.get();
        PyloricOutcome o = f.analyze(three, cfg);
        f.features(out, offset);
        f.extras(extrasOut, extrasOffset);
        return o;
    }

    /**
     * Filters (Savitzky–Golay, head and tail fits included), detects and analyses three whole traces, each of
     * {@code cfg.windowSamples()} raw samples (mV, every 0.025 ms). Non-finite samples give NaN features with
     * outcome {@link PyloricOutcome#DIVERGED}, not an exception.
     */
    public static PyloricSummary fromTraces(float[][] v3, PyloricFeatureConfig cfg) {
        Objects.requireNonNull(cfg, "pyloric features: config is null");
        if (v3 == null || v3.length != NEURONS) {
            throw new IllegalArgumentException("pyloric features: need " + NEURONS + " traces (PM, LP, PY), got "
                    + (v3 == null ? "null" : v3.length));
        }
        int n = cfg.windowSamples();
        for (int i = 0; i < NEURONS; i++) {
            if (v3[i] == null || v3[i].length != n) {
                throw new IllegalArgumentException("pyloric features: trace " + i + " has "
                        + (v3[i] == null ? "no" : v3[i].length) + " samples; the config's window is " + n);
            }
        }
        float[] filtered = new float[n];
        NeuronEvents[] events = new NeuronEvents[NEURONS];
        for (int i = 0; i < NEURONS; i++) {
            SavitzkyGolay.filter(v3[i], filtered);
            NeuronEventDetector d = new NeuronEventDetector();
            for (int q = 0; q < n; q++) d.accept(filtered[q]);
            d.finish();
            events[i] = d.events();
        }
        PyloricFeatures f = new PyloricFeatures();
        f.analyze(events, cfg);
        return f.summary();
    }

    /**
     * Maps the 18 features and 8 extras to the 24 values of the {@code pyloric} package's order
     * ({@link #PYLORIC_PACKAGE_NAMES}): cycle period, burst durations ×3, duty cycles ×3, start phases LP, PY,
     * starts to starts PM–LP and LP–PY, ends to starts PM–LP and LP–PY, phase gaps ×2, plateaus ×3, kept bursts ×3, spikes ×3.
     */
    public static void pyloricPackageOrder(double[] features, int featuresOffset, double[] extras, int extrasOffset,
                                           double[] out, int outOffset) {
        Objects.checkFromIndexSize(featuresOffset, COUNT, features.length);
        Objects.checkFromIndexSize(extrasOffset, EXTRA_COUNT, extras.length);
        Objects.checkFromIndexSize(outOffset, PYLORIC_PACKAGE_COUNT, out.length);
        for (int i = 0; i < PYLORIC_PACKAGE_COUNT; i++) {
            int[] s = PYLORIC_PACKAGE_SOURCE[i];
            out[outOffset + i] = s[0] == 0 ? features[featuresOffset + s[1]] : extras[extrasOffset + s[1]];
        }
    }

    /** {@link #pyloricPackageOrder(double[], int, double[], int, double[], int)} for floats. */
    public static void pyloricPackageOrder(float[] features, int featuresOffset, float[] extras, int extrasOffset,
                                           float[] out, int outOffset) {
        Objects.checkFromIndexSize(featuresOffset, COUNT, features.length);
        Objects.checkFromIndexSize(extrasOffset, EXTRA_COUNT, extras.length);
        Objects.checkFromIndexSize(outOffset, PYLORIC_PACKAGE_COUNT, out.length);
        for (int i = 0; i < PYLORIC_PACKAGE_COUNT; i++) {
            int[] s = PYLORIC_PACKAGE_SOURCE[i];
            out[outOffset + i] = s[0] == 0 ? features[featuresOffset + s[1]] : extras[extrasOffset + s[1]];
        }
    }

    /** Analyses three neurons' finished events (PM, LP, PY; each of {@code cfg.windowSamples()} samples). */
    public PyloricOutcome analyze(NeuronEvents[] three, PyloricFeatureConfig cfg) {
        Objects.requireNonNull(cfg, "pyloric features: config is null");
        if (three == null || three.length != NEURONS) {
            throw new IllegalArgumentException("pyloric features: need the events of " + NEURONS
                    + " neurons (PM, LP, PY), got " + (three == null ? "null" : three.length));
        }
        for (int i = 0; i < NEURONS; i++) {
            NeuronEvents e = three[i];
            if (e == null || !e.isFinished()) {
                throw new IllegalArgumentException("pyloric features: the events of neuron " + i + " are "
                        + (e == null ? "null" : "not finished"));
            }
            if (e.sampleCount() != cfg.windowSamples()) {
                throw new IllegalArgumentException("pyloric features: neuron " + i + " has " + e.sampleCount()
                        + " samples; the config's window is " + cfg.windowSamples());
            }
        }
        Arrays.fill(features, Double.NaN);
        Arrays.fill(extras, Double.NaN);
        boolean diverged = false;
        for (int i = 0; i < NEURONS; i++) {
            neurons[i].analyze(three[i], cfg);
            diverged |= three[i].isDiverged();
        }
        if (diverged) return outcome = PyloricOutcome.DIVERGED;

        NeuronBursts pm = neurons[PM];
        double period = pm.avgCycleLengthMs();   // = mean(diff(PM's kept starts)), NaN below 2 bursts
        features[CYCLE_PERIOD] = period;
        for (int i = 0; i < NEURONS; i++) {
            NeuronBursts b = neurons[i];
            features[BURST_DURATION + i] = b.avgBurstLengthMs();
            features[DUTY_CYCLE + i] = b.avgBurstLengthMs() / period;
            features[PLATEAU + i] = b.plateauMs();
            extras[EXTRA_NUM_BURSTS + i] = b.burstCount();
            extras[EXTRA_NUM_SPIKES + i] = b.spikeCount();
        }
        extras[EXTRA_PYLORIC_LIKE] = 0;
        if (pm.burstCount() < 2) return outcome = PyloricOutcome.PM_NOT_BURSTING;

        int periods = pm.burstCount() - 1;
        ensureCapacity(periods);
        NeuronBursts lp = neurons[LP], py = neurons[PY];
        int lpNext = 0, pyNext = 0;    // first burst of LP (PY) not before the current period's start
        int triphasic = 0, ordered = 0;
        for (int i = 0; i < periods; i++) {
            double from = pm.burstStartMs(i), to = pm.burstStartMs(i + 1);
            while (lpNext < lp.burstCount() && lp.burstStartMs(lpNext) < from) lpNext++;
            while (pyNext < py.burstCount() && py.burstStartMs(pyNext) < from) pyNext++;
            int lpEnd = lpNext, pyEnd = pyNext;
            while (lpEnd < lp.burstCount() && lp.burstStartMs(lpEnd) < to) lpEnd++;
            while (pyEnd < py.burstCount() && py.burstStartMs(pyEnd) < to) pyEnd++;
            if (lpEnd - lpNext == 1 && pyEnd - pyNext == 1) {
                double pmStart = pm.burstStartMs(i), pmEnd = pm.burstEndMs(i);
                double lpStart = lp.burstStartMs(lpNext), lpStop = lp.burstEndMs(lpNext);
                double pyStart = py.burstStartMs(pyNext), pyStop = py.burstEndMs(pyNext);
                endsToStartsPmLp[triphasic] = lpStart - pmEnd;
                endsToStartsLpPy[triphasic] = pyStart - lpStop;
                startsToStartsPmLp[triphasic] = lpStart - pmStart;
                startsToStartsPmPy[triphasic] = pyStart - pmStart;
                startsToStartsLpPy[triphasic] = pyStart - lpStart;
                triphasic++;
                if (lpStart <= pyStart && lpStop <= pyStop && pmEnd <= lpStart) ordered++;
            }
            lpNext = lpEnd;
            pyNext = pyEnd;
        }
        if (!((double) triphasic / periods >= PyloricFeatureConfig.TRIPHASIC_FRACTION)) {
            return outcome = lp.burstCount() == 0 || py.burstCount() == 0
                    ? PyloricOutcome.LP_OR_PY_NO_BURSTS : PyloricOutcome.NOT_TRIPHASIC;
        }
        features[ENDS_TO_STARTS_PM_LP] = PairwiseSum.mean(endsToStartsPmLp, 0, triphasic);
        features[ENDS_TO_STARTS_LP_PY] = PairwiseSum.mean(endsToStartsLpPy, 0, triphasic);
        features[STARTS_TO_STARTS_PM_LP] = PairwiseSum.mean(startsToStartsPmLp, 0, triphasic);
        features[STARTS_TO_STARTS_PM_PY] = PairwiseSum.mean(startsToStartsPmPy, 0, triphasic);
        extras[EXTRA_STARTS_TO_STARTS_LP_PY] = PairwiseSum.mean(startsToStartsLpPy, 0, triphasic);
        features[PHASE_GAP_PM_LP] = features[ENDS_TO_STARTS_PM_LP] / period;
        features[PHASE_GAP_LP_PY] = features[ENDS_TO_STARTS_LP_PY] / period;
        features[START_PHASE_LP] = features[STARTS_TO_STARTS_PM_LP] / period;
        features[START_PHASE_PY] = features[STARTS_TO_STARTS_PM_PY] / period;
        boolean pyloric = (double) ordered / triphasic >= PyloricFeatureConfig.PYLORIC_FRACTION;
        extras[EXTRA_PYLORIC_LIKE] = pyloric ? 1 : 0;
        return outcome = PyloricOutcome.TRIPHASIC;
    }

    private void ensureCapacity(int n) {
        if (endsToStartsPmLp.length >= n) return;
        int m = Math.max(n, 2 * endsToStartsPmLp.length);
        endsToStartsPmLp = new double[m];
        endsToStartsLpPy = new double[m];
        startsToStartsPmLp = new double[m];
        startsToStartsPmPy = new double[m];
        startsToStartsLpPy = new double[m];
    }

    private void checkAnalyzed() {
        if (outcome == null) throw new IllegalStateException("pyloric features: nothing analysed yet");
    }

    /** The last analysis's outcome. */
    public PyloricOutcome outcome() {
        checkAnalyzed();
        return outcome;
    }

    /** Feature i of the last analysis (double). */
    public double feature(int i) {
        checkAnalyzed();
        return features[Objects.checkIndex(i, COUNT)];
    }

    /** Extra i of the last analysis (double). */
    public double extra(int i) {
        checkAnalyzed();
        return extras[Objects.checkIndex(i, EXTRA_COUNT)];
    }

    public boolean pyloricLike() {
        checkAnalyzed();
        return extras[EXTRA_PYLORIC_LIKE] == 1.0;
    }

    /** Neuron n's bursts and per-neuron features from the last analysis (live: overwritten by the next one). */
    public NeuronBursts neuron(int n) {
        checkAnalyzed();
        return neurons[Objects.checkIndex(n, NEURONS)];
    }

    /** The 18 features of the last analysis into {@code out[offset ..]}, rounded to float. */
    public void features(float[] out, int offset) {
        checkAnalyzed();
        Objects.checkFromIndexSize(offset, COUNT, out.length);
        for (int i = 0; i < COUNT; i++) out[offset + i] = (float) features[i];
    }

    /** The 18 features of the last analysis into {@code out[offset ..]}. */
    public void features(double[] out, int offset) {
        checkAnalyzed();
        Objects.checkFromIndexSize(offset, COUNT, out.length);
        System.arraycopy(features, 0, out, offset, COUNT);
    }

    /** The 8 extras of the last analysis into {@code out[offset ..]}, as floats. */
    public void extras(float[] out, int offset) {
        checkAnalyzed();
        Objects.checkFromIndexSize(offset, EXTRA_COUNT, out.length);
        for (int i = 0; i < EXTRA_COUNT; i++) out[offset + i] = (float) extras[i];
    }

    /** The 8 extras of the last analysis into {@code out[offset ..]}. */
    public void extras(double[] out, int offset) {
        checkAnalyzed();
        Objects.checkFromIndexSize(offset, EXTRA_COUNT, out.length);
        System.arraycopy(extras, 0, out, offset, EXTRA_COUNT);
    }

    /** A snapshot of the last analysis. */
    public PyloricSummary summary() {
        checkAnalyzed();
        NeuronClass[] classes = new NeuronClass[NEURONS];
        double[][] starts = new double[NEURONS][];
        double[][] ends = new double[NEURONS][];
        for (int n = 0; n < NEURONS; n++) {
            NeuronBursts b = neurons[n];
            classes[n] = b.neuronClass();
            starts[n] = new double[b.burstCount()];
            ends[n] = new double[b.burstCount()];
            for (int k = 0; k < b.burstCount(); k++) {
                starts[n][k] = b.burstStartMs(k);
                ends[n][k] = b.burstEndMs(k);
            }
        }
        return new PyloricSummary(features.clone(), extras.clone(), outcome, classes, starts, ends);
    }
}
