package org.jsbi.sim.stg;

import java.util.Arrays;

/**
 * What the pyloric features need to know about one neuron's filtered trace f[0 .. N−1], kept instead of the trace:
 * the spike samples, the plateau runs, and whether the trace diverged. Arrays grow by doubling and are kept across
 * {@link #reset()}, so a reused object does not allocate per event.
 *
 * <ul>
 *   <li><b>Spikes</b>: samples p, 1 ≤ p ≤ N − 2, with f[p] &gt; −10 mV, f[p] ≥ f[p−1] and f[p+1] ≤ f[p]
 *       ({@link NeuronEventDetector#isSpike}); strictly increasing. The spike TIME is not t(p) but (p − 1) · dt (the
 *       paper's code indexes its time grid with the index into {@code v[1:-1]}); see {@link NeuronBursts}.</li>
 *   <li><b>Plateau runs</b>: the maximal intervals [a, b) of samples with f &gt; −30 mV
 *       ({@link NeuronEventDetector#isAbove}), in order and disjoint.</li>
 *   <li><b>Diverged</b>: some filtered sample was not finite (a NaN or infinite raw sample always makes one); all the
 *       features of the simulation are then NaN.</li>
 * </ul>
 *
 * <p>Writers ({@link NeuronEventDetector}, or a SIMD simulator for the lanes where something happened) call
 * {@link #addSpike}, {@link #startRun}, {@link #endRun}, {@link #markDiverged} in sample order and {@link #finish} at
 * the end; misuse (out of order, finished twice) is an {@link IllegalStateException} or
 * {@link IllegalArgumentException}, since it is a bug in the writer. Not thread-safe.
 */
public final class NeuronEvents {

    private int[] spikes = new int[16];
    private int spikeCount;
    private int[] runStarts = new int[16];
    private int[] runEnds = new int[16];
    private int runCount;
    private boolean runOpen;
    private boolean diverged;
    private int samples = -1;

    /** Empties the events for a new trace (keeps the arrays). */
    public void reset() {
        spikeCount = 0;
        runCount = 0;
        runOpen = false;
        diverged = false;
        samples = -1;
    }

    /** A spike at filtered sample {@code p} (≥ 1, after the previous spike). */
    public void addSpike(int p) {
        checkOpen();
        if (p < 1 || (spikeCount > 0 && p <= spikes[spikeCount - 1])) {
            throw new IllegalArgumentException("neuron events: spike sample " + p + " must be at least 1 and after the"
                    + " previous spike" + (spikeCount > 0 ? " (" + spikes[spikeCount - 1] + ")" : ""));
        }
        if (spikeCount == spikes.length) spikes = Arrays.copyOf(spikes, 2 * spikeCount);
        spikes[spikeCount++] = p;
    }

    /** A plateau run starts at sample {@code a} (f[a] &gt; −30 mV, f[a−1] not). */
    public void startRun(int a) {
        checkOpen();
        if (runOpen) throw new IllegalStateException("neuron events: a run starts at " + a + " while one is open");
        if (a < 0 || (runCount > 0 && a < runEnds[runCount - 1])) {
            throw new IllegalArgumentException("neuron events: run start " + a + " must be at least 0 and not before"
                    + " the previous run's end");
        }
        if (runCount == runStarts.length) {
            runStarts = Arrays.copyOf(runStarts, 2 * runCount);
            runEnds = Arrays.copyOf(runEnds, 2 * runCount);
        }
        runStarts[runCount] = a;
        runOpen = true;
    }

    /** The open run ends at sample {@code b} (exclusive: f[b] is the first sample not above −30 mV). */
    public void endRun(int b) {
        checkOpen();
        if (!runOpen) throw new IllegalStateException("neuron events: a run ends at " + b + " but none is open");
        if (b <= runStarts[runCount]) {
            throw new IllegalArgumentException("neuron events: run end " + b + " must be after its start "
                    + runStarts[runCount]);
        }
        runEnds[runCount++] = b;
        runOpen = false;
    }

    /** Some filtered sample of this neuron was not finite. */
    public void markDiverged() {
        checkOpen();
        diverged = true;
    }

    /**
     * The trace ended after {@code n} filtered samples: an open run ends at n. Spikes must lie in 1 .. n − 2 and runs
     * in 0 .. n.
     */
    public void finish(int n) {
        checkOpen();
        if (runOpen) endRun(n);
        if (spikeCount > 0 && spikes[spikeCount - 1] > n - 2) {
            throw new IllegalArgumentException("neuron events: spike at sample " + spikes[spikeCount - 1]
                    + " in a trace of " + n + " samples (a spike needs a sample after it)");
        }
        if (runCount > 0 && runEnds[runCount - 1] > n) {
            throw new IllegalArgumentException("neuron events: a run ends at " + runEnds[runCount - 1]
                    + ", after the trace's " + n + " samples");
        }
        samples = n;
    }

    private void checkOpen() {
        if (samples >= 0) throw new IllegalStateException("neuron events: already finished; reset() first");
    }

    public boolean isFinished() {
        return samples >= 0;
    }

    /** Filtered samples in the trace (−1 until finished). */
    public int sampleCount() {
        return samples;
    }

    public boolean isDiverged() {
        return diverged;
    }

    public int spikeCount() {
        return spikeCount;
    }

    /** Sample of spike i (0-based, in order). */
    public int spike(int i) {
        if (i < 0 || i >= spikeCount) throw new IndexOutOfBoundsException("spike " + i + " of " + spikeCount);
        return spikes[i];
    }

    /** Completed runs (an open run counts once {@link #finish} has closed it). */
    public int runCount() {
        return runCount;
    }

    public int runStart(int i) {
        if (i < 0 || i >= runCount) throw new IndexOutOfBoundsException("run " + i + " of " + runCount);
        return runStarts[i];
    }

    public int runEnd(int i) {
        if (i < 0 || i >= runCount) throw new IndexOutOfBoundsException("run " + i + " of " + runCount);
        return runEnds[i];
    }

    @Override
    public String toString() {
        return "NeuronEvents[" + spikeCount + " spikes, " + runCount + " runs, samples " + samples
                + (diverged ? ", diverged" : "") + "]";
    }
}
