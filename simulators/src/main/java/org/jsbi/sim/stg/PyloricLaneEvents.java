package org.jsbi.sim.stg;

import static org.jsbi.sim.stg.PyloricModel.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The feature pipeline of {@link PyloricSimd}, lane-wise: each lane's window samples go through the
 * {@link SavitzkyGolay} filter and the {@link NeuronEventDetector} rules into that lane's three {@link NeuronEvents},
 * with the same bits and the same events as {@link SavitzkyGolayStream} → {@link NeuronEventDetector} on one network
 * (the filter's fused multiply-adds in the API's order; the detector's three predicates as vector masks). Only the raw
 * ring (21 rows of lanes per neuron, window slot t at row (first + t) mod 21; the scalar stream stores its ring twice
 * for contiguous windows, which rows of lanes do not need) and three floats per lane and neuron are kept; a lane's
 * events object is touched only when one of its masks is set.
 *
 * <p>The detector's state starts at before = NaN, at = +∞, which makes the spike rule false for the first two filtered
 * samples exactly as the scalar detector's {@code n >= 2} test does, without a branch: at sample 0, +∞ ≥ NaN is false;
 * at sample 1, f[0] ≥ +∞ is false for every finite f[0] (a non-finite one marks the lane diverged anyway).
 */
final class PyloricLaneEvents implements PyloricSimd.LaneSink {

    private static final int W = SavitzkyGolay.WINDOW;

    /** Lanes per row: {@link PyloricSimd#CAP}, a constant for the same reason. */
    private static final int CAP = PyloricSimd.CAP;
    /** ring[((j · W) + slot) · CAP + lane]. */
    private final float[] ring;
    /** before, at, inRun (0/1) per neuron: rows 3j, 3j + 1, 3j + 2. */
    private final float[] det;
    /** events[j · CAP + lane]. */
    final NeuronEvents[] events;
    private int count;
    /** Filtered samples emitted so far (the same for every lane). */
    private int emitted;

    PyloricLaneEvents() {
        ring = new float[NEURONS * 2 * W * CAP];
        det = new float[NEURONS * 3 * CAP];
        events = new NeuronEvents[NEURONS * CAP];
        for (int i = 0; i < events.length; i++) events[i] = new NeuronEvents();
    }

    /** Starts a chunk. */
    void reset() {
        count = 0;
        emitted = 0;
        for (NeuronEvents e : events) e.reset();
        for (int j = 0; j < NEURONS; j++) {
            java.util.Arrays.fill(det, 3 * j * CAP, (3 * j + 1) * CAP, Float.NaN);
            java.util.Arrays.fill(det, (3 * j + 1) * CAP, (3 * j + 2) * CAP, Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(det, (3 * j + 2) * CAP, (3 * j + 3) * CAP, 0f);
        }
    }

    @Override
    public void sample(PyloricSimd.Work w, int k) {
        if (k < WINDOW_FIRST) return;
        push(w);
        if (k == STEPS) finish(w.n);
    }

    /** The window sample now in the state rows (SavitzkyGolayStream.push, lane-wise). */
    private void push(PyloricSimd.Work w) {
        int slot = count % W;
        for (int j = 0; j < NEURONS; j++) {
            int src = (j * PyloricScalar.NSTATE + PyloricScalar.V) * CAP, dst = (j * 2 * W + slot) * CAP;
            for (int o = 0; o < w.n; o += PyloricSimd.L) {
                FloatVector v = FloatVector.fromArray(PyloricSimd.F, w.st, src + o);
                v.intoArray(ring, dst + o);
                v.intoArray(ring, dst + W * CAP + o);
            }
        }
        count++;
        if (count < W) return;
        int first = count % W;
        if (count == W) {
            for (int i = 0; i < SavitzkyGolay.HALF; i++) emit(SavitzkyGolay.HEAD[i], first, w.n);
        }
        emit(SavitzkyGolay.INTERIOR, first, w.n);
    }

    /** The last 10 filtered samples (tail fit) and the end of every lane's events. */
    private void finish(int n) {
        int first = count % W;
        for (int i = 0; i < SavitzkyGolay.HALF; i++) emit(SavitzkyGolay.TAIL[i], first, n);
        for (int j = 0; j < NEURONS; j++) {
            for (int l = 0; l < n; l++) events[j * CAP + l].finish(emitted);
        }
    }

    /**
     * Filtered sample number `emitted` of every neuron and lane from the window at ring slot `first`, and its events:
     * with the weights wt: an interior sample (wt is SavitzkyGolay.INTERIOR) in SavitzkyGolay.applyInterior's order,
     * a head or tail sample in SavitzkyGolay.apply's.
     */
    private void emit(float[] wt, int first, int n) {
        int q = emitted;
        for (int j = 0; j < NEURONS; j++) {
            int r0 = (j * 2 * W + first) * CAP;
            int b = 3 * j * CAP, a = (3 * j + 1) * CAP, in = (3 * j + 2) * CAP;
            for (int o = 0; o < n; o += PyloricSimd.L) {
                FloatVector f;
                if (wt == SavitzkyGolay.INTERIOR) {
                    float[] c = wt;
                    FloatVector s0 = FloatVector.fromArray(PyloricSimd.F, ring, r0 + SavitzkyGolay.HALF * CAP + o)
                            .mul(c[SavitzkyGolay.HALF]);
                    FloatVector s1 = FloatVector.zero(PyloricSimd.F);
                    for (int t = 0; t < SavitzkyGolay.HALF; t += 2) {
                        s0 = FloatVector.fromArray(PyloricSimd.F, ring, r0 + t * CAP + o)
                                .add(FloatVector.fromArray(PyloricSimd.F, ring, r0 + (W - 1 - t) * CAP + o))
                                .fma(FloatVector.broadcast(PyloricSimd.F, c[t]), s0);
                        s1 = FloatVector.fromArray(PyloricSimd.F, ring, r0 + (t + 1) * CAP + o)
                                .add(FloatVector.fromArray(PyloricSimd.F, ring, r0 + (W - 2 - t) * CAP + o))
                                .fma(FloatVector.broadcast(PyloricSimd.F, c[t + 1]), s1);
                    }
                    f = s0.add(s1);
                } else {
                    f = FloatVector.zero(PyloricSimd.F);
                    for (int t = 0; t < W; t++) {
                        f = FloatVector.fromArray(PyloricSimd.F, ring, r0 + t * CAP + o)
                                .fma(FloatVector.broadcast(PyloricSimd.F, wt[t]), f);
                    }
                }
                FloatVector before = FloatVector.fromArray(PyloricSimd.F, det, b + o);
                FloatVector at = FloatVector.fromArray(PyloricSimd.F, det, a + o);
                FloatVector inRun = FloatVector.fromArray(PyloricSimd.F, det, in + o);
                VectorMask<Float> spike = at.compare(VectorOperators.GT, NeuronEventDetector.SPIKE_THRESHOLD_MV)
                        .and(at.compare(VectorOperators.GE, before)).and(f.compare(VectorOperators.LE, at));
                VectorMask<Float> above = f.compare(VectorOperators.GT, NeuronEventDetector.PLATEAU_THRESHOLD_MV);
                VectorMask<Float> was = inRun.compare(VectorOperators.NE, 0f);
                VectorMask<Float> change = above.and(was.not()).or(was.and(above.not()));
                VectorMask<Float> bad = f.test(VectorOperators.IS_FINITE).not();
                VectorMask<Float> any = spike.or(change).or(bad);
                if (any.anyTrue()) {
                    long sp = spike.toLong(), ch = change.toLong(), ab = above.toLong(), bd = bad.toLong();
                    for (int l = 0; l < PyloricSimd.L; l++) {
                        long bit = 1L << l;
                        if (((sp | ch | bd) & bit) == 0) continue;
                        NeuronEvents ev = events[j * CAP + o + l];
                        if ((bd & bit) != 0) ev.markDiverged();
                        if ((sp & bit) != 0) ev.addSpike(q - 1);
                        if ((ch & bit) != 0) {
                            if ((ab & bit) != 0) ev.startRun(q);
                            else ev.endRun(q);
                        }
                    }
                }
                at.intoArray(det, b + o);
                f.intoArray(det, a + o);
                FloatVector.zero(PyloricSimd.F).blend(1f, above).intoArray(det, in + o);
            }
        }
        emitted++;
    }
}
