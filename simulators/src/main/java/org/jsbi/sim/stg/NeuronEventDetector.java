package org.jsbi.sim.stg;

/**
 * Finds the {@link NeuronEvents} of one neuron online, from its filtered samples in order (usually fed by a
 * {@link SavitzkyGolayStream}). Per filtered sample q (0-based):
 * <ol>
 *   <li>if f[q] is not finite, the neuron is marked diverged ({@link #isFinite});</li>
 *   <li>for q ≥ 2, sample p = q − 1 is a spike when {@link #isSpike}(f[p−1], f[p], f[p+1]) — the paper's
 *       {@code (v[1:-1] > -10) & (diff(v[:-1]) >= 0) & (diff(v[1:]) <= 0)}; p therefore runs over 1 .. N − 2 and the
 *       last sample can never be a spike;</li>
 *   <li>a plateau run starts at q when {@link #isAbove}(f[q]) and f[q − 1] was not (or q = 0), and ends at q when
 *       f[q] is not above and f[q − 1] was; {@link #finish()} ends a run still open at N.</li>
 * </ol>
 * A SIMD simulator evaluates the same three static predicates with vector masks (NaN compares false in both, as
 * here) and calls {@link NeuronEvents#addSpike}, {@link NeuronEvents#startRun}, {@link NeuronEvents#endRun},
 * {@link NeuronEvents#markDiverged} only for the lanes where the mask is set. Not thread-safe.
 */
public final class NeuronEventDetector implements FilteredSampleSink {

    /** A spike's filtered peak must be above this (mV). */
    public static final float SPIKE_THRESHOLD_MV = -10f;
    /** A plateau sample is above this (mV). */
    public static final float PLATEAU_THRESHOLD_MV = -30f;

    private final NeuronEvents events;
    private int n;
    private float before;     // f[n − 2]
    private float at;         // f[n − 1]
    private boolean inRun;

    /** A detector writing into {@code events} (which it resets). */
    public NeuronEventDetector(NeuronEvents events) {
        if (events == null) throw new IllegalArgumentException("neuron event detector: events are null");
        this.events = events;
        events.reset();
    }

    /** A detector with its own events. */
    public NeuronEventDetector() {
        this(new NeuronEvents());
    }

    /**
     * The spike rule at p, from f[p−1], f[p], f[p+1]: f[p] &gt; −10, f[p] ≥ f[p−1], f[p+1] ≤ f[p]. (numpy compares
     * the float32 differences with 0; for finite floats a − b ≥ 0 exactly when a ≥ b, so this is the same.)
     */
    public static boolean isSpike(float before, float at, float after) {
        return at > SPIKE_THRESHOLD_MV && at >= before && after <= at;
    }

    /** The plateau rule: f &gt; −30 mV. */
    public static boolean isAbove(float f) {
        return f > PLATEAU_THRESHOLD_MV;
    }

    /** A sample that does not mark divergence. */
    public static boolean isFinite(float f) {
        return Float.isFinite(f);
    }

    public NeuronEvents events() {
        return events;
    }

    /** Starts a new trace: resets this detector and its events. */
    public void reset() {
        n = 0;
        inRun = false;
        events.reset();
    }

    @Override
    public void accept(float f) {
        if (!isFinite(f)) events.markDiverged();
        if (n >= 2 && isSpike(before, at, f)) events.addSpike(n - 1);
        boolean above = isAbove(f);
        if (above != inRun) {
            if (above) events.startRun(n);
            else events.endRun(n);
            inRun = above;
        }
        before = at;
        at = f;
        n++;
    }

    /** The end of the trace: closes an open run at N and finishes the events. */
    @Override
    public void finish() {
        events.finish(n);
    }
}
