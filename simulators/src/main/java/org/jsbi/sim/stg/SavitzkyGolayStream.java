package org.jsbi.sim.stg;

/**
 * The {@link SavitzkyGolay} filter applied online: raw samples go in one at a time ({@link #push}), filtered samples
 * come out in order to a {@link FilteredSampleSink}, with the same bits as {@link SavitzkyGolay#filter} on the whole
 * trace. Memory is one ring of the last 21 raw samples (stored twice, so that every window is one contiguous slice of
 * the array and {@link SavitzkyGolay#apply} and {@link SavitzkyGolay#applyInterior} run on it unchanged).
 *
 * <p>Timing: nothing comes out for raw samples 0 .. 19; raw sample 20 releases filtered samples 0 .. 9 (head fit,
 * computed while samples 0 .. 20 are all still in the ring) and 10; each later raw sample k releases filtered sample
 * k − 10; {@link #finish()} releases the last 10 from the tail fit and then finishes the sink. A trace needs at least
 * 21 samples. {@link #reset()} starts a new trace (the sink is reset by its owner). Not thread-safe.
 */
public final class SavitzkyGolayStream {

    private static final int W = SavitzkyGolay.WINDOW;

    private final FilteredSampleSink sink;
    // ring[s] == ring[s + W] == the raw sample written at slot s; sample k is at slot k % W.
    private final float[] ring = new float[2 * W];
    private int count;

    public SavitzkyGolayStream(FilteredSampleSink sink) {
        if (sink == null) throw new IllegalArgumentException("Savitzky-Golay stream: the sink is null");
        this.sink = sink;
    }

    public FilteredSampleSink sink() {
        return sink;
    }

    /** Raw samples pushed since the last reset. */
    public int count() {
        return count;
    }

    /** Starts a new trace. */
    public void reset() {
        count = 0;
    }

    /** The next raw sample. */
    public void push(float v) {
        if (count == Integer.MAX_VALUE) {
            throw new IllegalStateException("Savitzky-Golay stream: more than " + Integer.MAX_VALUE + " samples");
        }
        int slot = count % W;
        ring[slot] = v;
        ring[slot + W] = v;
        count++;
        if (count < W) return;
        // The window is raw samples count − 21 .. count − 1, starting at slot count % W.
        int first = count % W;
        if (count == W) {
            for (int i = 0; i < SavitzkyGolay.HALF; i++) {
                sink.accept(SavitzkyGolay.apply(SavitzkyGolay.HEAD[i], ring, first));
            }
        }
        sink.accept(SavitzkyGolay.applyInterior(ring, first));
    }

    /** The end of the trace: emits the last 10 filtered samples (tail fit) and finishes the sink. */
    public void finish() {
        if (count < W) {
            throw new IllegalStateException("Savitzky-Golay stream: a trace needs at least " + W
                    + " samples, got " + count);
        }
        int first = count % W;
        for (int i = 0; i < SavitzkyGolay.HALF; i++) {
            sink.accept(SavitzkyGolay.apply(SavitzkyGolay.TAIL[i], ring, first));
        }
        sink.finish();
    }
}
