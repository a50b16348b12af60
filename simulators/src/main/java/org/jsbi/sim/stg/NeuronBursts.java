package org.jsbi.sim.stg;

import java.util.Arrays;

/**
 * One neuron's bursts and per-neuron features, from its {@link NeuronEvents}, as the paper's code computes them.
 * Reusable: {@link #analyze} overwrites the previous result and keeps the arrays. Not thread-safe.
 *
 * <p><b>Spike times</b> (ms, double): spike sample p is at {@code (p - 1) * 0.025}. The paper's code takes
 * {@code t[idx]} with idx the index into {@code v[1:-1]}, i.e. p − 1, so every spike time is one sample early. This
 * off-by-one is kept: it moves burst starts and ends alike, so durations and delays do not change, but it decides
 * where the plateau grid starts (below).
 *
 * <p><b>Bursts</b>: an interspike interval s_i − s_{i−1} ≥ 150 ms starts a new burst; a burst runs from its first to
 * its last spike time; bursts whose length is not strictly greater than the config's threshold (50 ms in the paper's
 * code) are dropped. "Kept bursts" below are the rest, in order. Average burst length = mean of the kept lengths (NaN
 * if none); average cycle length = mean of the differences of consecutive kept starts (NaN if fewer than 2). Means are
 * numpy's ({@link PairwiseSum}).
 *
 * <p><b>Plateau</b>, per kept burst k: the block runs from sample i_k = p_first − 1 (the first spike's sample minus
 * one: the off-by-one again, as the code converts the burst start time back to an index) to e_k, exclusive, where
 * e_k = i_{k+1} for all but the last kept burst and e = (sample of the neuron's LAST spike) − 1 for the last one. The
 * grid points i_k, i_k + 10, … &lt; e_k are walked: a point inside a plateau run (f &gt; −30 mV there) adds 1 to the
 * current count; a point outside ends the count (longest = max(longest, current), current = 0). A count still open at
 * the block's end is NOT compared (the code's quirk): a plateau lasting past the block's end does not count. The
 * block's value is longest · 10 samples; the plateau is the mean over kept bursts (NaN if none), replaced by 100 when
 * below 200, times 0.025 ms, so 2.5 ms is the floor. Only grid points are looked at, so two neighbouring grid points
 * in different runs count as consecutive.
 *
 * <p>A diverged neuron gets class {@link NeuronClass#DIVERGED}, no bursts, and NaN features.
 */
public final class NeuronBursts {

    private static final double DT = PyloricFeatureConfig.DT_MS;

    private int spikeCount;
    private int burstCount;
    private double[] startMs = new double[16];
    private double[] endMs = new double[16];
    private int[] firstSample = new int[16];
    private double[] scratch = new double[16];
    private double avgBurstLengthMs;
    private double avgCycleLengthMs;
    private double plateauMs;
    private NeuronClass neuronClass;

    /** Spike sample p's time (ms), with the paper's off-by-one: {@code (p - 1) * 0.025}. */
    public static double spikeTimeMs(int p) {
        return (p - 1) * DT;
    }

    /** Analyses {@code events} (finished) under {@code cfg}. */
    public void analyze(NeuronEvents events, PyloricFeatureConfig cfg) {
        if (!events.isFinished()) throw new IllegalStateException("neuron bursts: the events are not finished");
        spikeCount = events.spikeCount();
        burstCount = 0;
        if (events.isDiverged()) {
            avgBurstLengthMs = avgCycleLengthMs = plateauMs = Double.NaN;
            neuronClass = NeuronClass.DIVERGED;
            return;
        }
        findBursts(events, cfg.burstLengthThresholdMs());
        ensureScratch(burstCount);
        for (int k = 0; k < burstCount; k++) scratch[k] = endMs[k] - startMs[k];
        avgBurstLengthMs = PairwiseSum.mean(scratch, 0, burstCount);
        for (int k = 0; k + 1 < burstCount; k++) scratch[k] = startMs[k + 1] - startMs[k];
        avgCycleLengthMs = burstCount < 2 ? Double.NaN : PairwiseSum.mean(scratch, 0, burstCount - 1);
        neuronClass = classify(cfg.tMaxMs());
        plateauMs = plateau(events);
    }

    private void findBursts(NeuronEvents events, double minLength) {
        int n = spikeCount;
        if (n == 0) return;
        int first = 0;
        double prev = spikeTimeMs(events.spike(0));
        for (int i = 1; i <= n; i++) {
            double t = i < n ? spikeTimeMs(events.spike(i)) : Double.NaN;
            if (i == n || t - prev >= PyloricFeatureConfig.INTER_BURST_THRESHOLD_MS) {
                double start = spikeTimeMs(events.spike(first));
                if (prev - start > minLength) keep(start, prev, events.spike(first));
                first = i;
            }
            prev = t;
        }
    }

    private void keep(double start, double end, int sample) {
        if (burstCount == startMs.length) {
            int m = 2 * burstCount;
            startMs = Arrays.copyOf(startMs, m);
            endMs = Arrays.copyOf(endMs, m);
            firstSample = Arrays.copyOf(firstSample, m);
        }
        startMs[burstCount] = start;
        endMs[burstCount] = end;
        firstSample[burstCount] = sample;
        burstCount++;
    }

    private void ensureScratch(int n) {
        if (scratch.length < n) scratch = new double[Math.max(n, 2 * scratch.length)];
    }

    private NeuronClass classify(double tMaxMs) {
        double rate = spikeCount * 1000.0 / tMaxMs;
        if (rate <= PyloricFeatureConfig.SILENT_RATE_HZ) return NeuronClass.SILENT;
        if (rate >= PyloricFeatureConfig.TONIC_RATE_HZ) return NeuronClass.TONIC;
        if (burstCount >= 2 && (double) burstCount / spikeCount >= PyloricFeatureConfig.BURSTING_BURSTS_PER_SPIKE) {
            return NeuronClass.BURSTING;
        }
        return NeuronClass.NON_BURSTING;
    }

    private double plateau(NeuronEvents events) {
        if (burstCount == 0) return Double.NaN;
        int lastSpike = events.spike(spikeCount - 1);
        int runs = events.runCount();
        int r = 0;        // the first run that may still contain a grid point; grid points only increase
        for (int k = 0; k < burstCount; k++) {
            int from = firstSample[k] - 1;
            int to = (k + 1 < burstCount ? firstSample[k + 1] : lastSpike) - 1;
            int current = 0;
            int longest = 0;
            for (int g = from; g < to; g += PyloricFeatureConfig.PLATEAU_STRIDE) {
                while (r < runs && events.runEnd(r) <= g) r++;
                if (r < runs && events.runStart(r) <= g) {
                    current++;
                } else {
                    longest = Math.max(longest, current);
                    current = 0;
                }
            }
            // The quirk: a count still open here (current > 0) is not compared with longest.
            scratch[k] = (double) longest * PyloricFeatureConfig.PLATEAU_STRIDE;
        }
        double mean = PairwiseSum.mean(scratch, 0, burstCount);
        if (mean < PyloricFeatureConfig.PLATEAU_FLOOR_SAMPLES) mean = PyloricFeatureConfig.PLATEAU_FLOOR_VALUE;
        return mean * DT;
    }

    /** Spikes in the window. */
    public int spikeCount() {
        return spikeCount;
    }

    /** Kept bursts. */
    public int burstCount() {
        return burstCount;
    }

    /** Kept burst k's start: its first spike's time (ms). */
    public double burstStartMs(int k) {
        checkBurst(k);
        return startMs[k];
    }

    /** Kept burst k's end: its last spike's time (ms). */
    public double burstEndMs(int k) {
        checkBurst(k);
        return endMs[k];
    }

    /** Kept burst k's first spike sample. */
    public int burstFirstSample(int k) {
        checkBurst(k);
        return firstSample[k];
    }

    private void checkBurst(int k) {
        if (k < 0 || k >= burstCount) throw new IndexOutOfBoundsException("burst " + k + " of " + burstCount);
    }

    /** Mean kept burst length (ms); NaN without kept bursts. */
    public double avgBurstLengthMs() {
        return avgBurstLengthMs;
    }

    /** Mean interval between kept burst starts (ms); NaN with fewer than 2. */
    public double avgCycleLengthMs() {
        return avgCycleLengthMs;
    }

    /** The plateau feature (ms): NaN without kept bursts, else at least 2.5. */
    public double plateauMs() {
        return plateauMs;
    }

    public NeuronClass neuronClass() {
        return neuronClass;
    }
}
