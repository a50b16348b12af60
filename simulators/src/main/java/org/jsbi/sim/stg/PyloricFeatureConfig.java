package org.jsbi.sim.stg;

/**
 * The settings of the pyloric summary features ({@link PyloricFeatures}) that differ between the paper's code and the
 * later {@code pyloric} package, or that tests need to change; every other constant of the analysis is shared and
 * lives here as a static field.
 *
 * @param windowSamples          samples per neuron in the feature window (the paper: 400,000 = 10 s after a 1-s burn-in
 *                               at dt = 0.025 ms); every {@link NeuronEvents} handed to the analysis must have exactly
 *                               this many, and it must be at least {@link SavitzkyGolay#WINDOW}
 * @param tMaxMs                 the time (ms) by which the spike count is divided to classify a neuron as silent or
 *                               tonic; the paper's code divides by the last time of the FULL 11-s grid,
 *                               439,999 · 0.025 = 10,999.975 ms, not by the window's 10 s
 * @param burstLengthThresholdMs bursts not longer than this (last spike time − first spike time, strict {@code >} to
 *                               keep) are discarded: 50 ms in the paper's code, 40 ms in the {@code pyloric} package
 */
public record PyloricFeatureConfig(int windowSamples, double tMaxMs, double burstLengthThresholdMs) {

    /** The simulator's time step (ms); spike sample p is at time (p − 1) · DT_MS (see {@link NeuronBursts}). */
    public static final double DT_MS = 0.025;
    /** The paper's window: 10 s at dt = 0.025 ms. */
    public static final int PAPER_WINDOW_SAMPLES = 400_000;
    /** The last time of the paper's full 11-s grid, {@code 439_999 * 0.025} in double (10,999.975 ms). */
    public static final double PAPER_T_MAX_MS = 439_999 * DT_MS;
    /** An interspike interval of at least this (ms) starts a new burst ({@code ibi_threshold}). */
    public static final double INTER_BURST_THRESHOLD_MS = 150;
    /** A neuron with at most this many spikes per second (spikes · 1000 / tMax) is silent. */
    public static final double SILENT_RATE_HZ = 1;
    /** A neuron with at least this many spikes per second is tonic. */
    public static final double TONIC_RATE_HZ = 30;
    /** A neuron with ≥ 2 kept bursts is bursting when kept bursts / spikes is at least this. */
    public static final double BURSTING_BURSTS_PER_SPIKE = 0.5;
    /** The plateau feature looks at every this-many filtered samples. */
    public static final int PLATEAU_STRIDE = 10;
    /** A mean plateau (samples) below this is replaced by {@link #PLATEAU_FLOOR_VALUE} samples. */
    public static final int PLATEAU_FLOOR_SAMPLES = 200;
    /** The plateau value (samples) that replaces a mean below {@link #PLATEAU_FLOOR_SAMPLES}: 2.5 ms. */
    public static final int PLATEAU_FLOOR_VALUE = 100;
    /** The network is triphasic when at least this fraction of its periods are ({@code triphasic_thresh}). */
    public static final double TRIPHASIC_FRACTION = 0.9;
    /** A triphasic network is pyloric-like when at least this fraction of its triphasic periods are ordered. */
    public static final double PYLORIC_FRACTION = 0.7;

    public PyloricFeatureConfig {
        if (windowSamples < SavitzkyGolay.WINDOW) {
            throw new IllegalArgumentException("pyloric features: the window must hold at least "
                    + SavitzkyGolay.WINDOW + " samples (the Savitzky-Golay window), got " + windowSamples);
        }
        if (!(tMaxMs > 0) || !Double.isFinite(tMaxMs)) {
            throw new IllegalArgumentException("pyloric features: tMaxMs must be positive and finite, got " + tMaxMs);
        }
        if (!(burstLengthThresholdMs >= 0) || !Double.isFinite(burstLengthThresholdMs)) {
            throw new IllegalArgumentException("pyloric features: the burst length threshold must be finite and"
                    + " non-negative, got " + burstLengthThresholdMs);
        }
    }

    /** The paper's code (IMM 2020, {@code summstats.py}): 400,000 samples, T_MAX 10,999.975 ms, bursts over 50 ms. */
    public static PyloricFeatureConfig paper() {
        return new PyloricFeatureConfig(PAPER_WINDOW_SAMPLES, PAPER_T_MAX_MS, 50);
    }

    /** The {@code pyloric} package ({@code summary_statistics.py}): as {@link #paper()} but bursts over 40 ms. */
    public static PyloricFeatureConfig pyloricPackage() {
        return new PyloricFeatureConfig(PAPER_WINDOW_SAMPLES, PAPER_T_MAX_MS, 40);
    }

    /** This config with another window length (T_MAX is kept: it is a separate setting). */
    public PyloricFeatureConfig withWindowSamples(int samples) {
        return new PyloricFeatureConfig(samples, tMaxMs, burstLengthThresholdMs);
    }

    public PyloricFeatureConfig withTMaxMs(double ms) {
        return new PyloricFeatureConfig(windowSamples, ms, burstLengthThresholdMs);
    }

    public PyloricFeatureConfig withBurstLengthThresholdMs(double ms) {
        return new PyloricFeatureConfig(windowSamples, tMaxMs, ms);
    }
}
