package org.jsbi.sim.stg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Hand-built inputs for the pyloric feature tests: events of one neuron (spikes and plateau runs, chosen sample by
 * sample) and raw voltage traces made of resting level, narrow triangular spikes and flat plateaus, whose filtered
 * events are known (derived in {@link #tent} and {@link #plateau}).
 */
final class StgTesting {

    /** The paper's window. */
    static final int N = PyloricFeatureConfig.PAPER_WINDOW_SAMPLES;
    /** Resting level of the synthetic traces (mV). */
    static final float REST = -60f;
    /** Level of a synthetic plateau (mV): above −30, below −10. */
    static final float PLATEAU = -20f;
    /** A synthetic spike: peak (mV) and half width (samples): 20 − 4|x| for |x| &lt; 20, so it reaches REST at ±20. */
    static final float PEAK = 20f;
    static final int HALF_WIDTH = 20;
    /**
     * A synthetic spike on the resting level is above −30 mV after filtering on [c − 12, c + 13): raw 20 − 4|x| is
     * −28 at |x| = 12 and −32 at 13; the filter reproduces the linear flank except that its window reaches the foot of
     * the triangle (|x| ≥ 20), where the raw trace is 4(|x| − 20) above the line, weighted by the negative outer
     * weights w₉ = −228/9177 and w₁₀ = −513/9177: f(±12) = −28 + 4(w₉ + 2w₁₀) = −28.55,
     * f(±13) = −32 + 4(w₈ + 2w₉ + 3w₁₀) = −32.86 (w₈ = 27/9177). Its filtered peak is the only local maximum above −10 mV, at c.
     */
    static final int SPIKE_RUN_BEFORE = 12, SPIKE_RUN_AFTER = 13;
    /**
     * A step from REST up to PLATEAU at sample a is above −30 mV after filtering from a + 2 on: f(a + m) = −60 + 40 ·
     * Σ_{k ≥ −m} w_k, with Σ_{k ≥ 0} w_k = 0.5538, + w₁ (972/9177) = 0.6597 → −33.6 at m = 1, + w₂ (927/9177) = 0.7607
     * → −29.57 at m = 2, and higher from there (the outer weights overshoot, to −17.8, never back below −30); a step
     * down at b mirrors it: the last sample above is b − 3.
     */
    static final int STEP_IN = 2;

    private StgTesting() {
    }

    /** The time (ms) the paper's code gives spike sample p: one sample early. */
    static double time(int p) {
        return (p - 1) * 0.025;
    }

    /** Events of one neuron, built by hand: spikes and intervals above −30 mV (merged into maximal runs). */
    static final class Events {
        private final TreeSet<Integer> spikes = new TreeSet<>();
        private final List<int[]> runs = new ArrayList<>();

        /** A spike at p only (no run). */
        Events spike(int p) {
            spikes.add(p);
            return this;
        }

        /** A narrow spike at p with its run [p − 12, p + 13), as a synthetic spike on the resting level has. */
        Events narrowSpike(int p) {
            spike(p);
            return run(Math.max(0, p - SPIKE_RUN_BEFORE), p + SPIKE_RUN_AFTER);
        }

        /** {@code count} narrow spikes from {@code first}, every {@code every} samples. */
        Events burst(int first, int count, int every) {
            for (int j = 0; j < count; j++) narrowSpike(first + j * every);
            return this;
        }

        /** An interval [a, b) above −30 mV. */
        Events run(int a, int b) {
            runs.add(new int[] {a, b});
            return this;
        }

        NeuronEvents build() {
            return build(N);
        }

        NeuronEvents build(int n) {
            NeuronEvents e = new NeuronEvents();
            for (int p : spikes) e.addSpike(p);
            int[][] rs = runs.toArray(new int[0][]);
            Arrays.sort(rs, (x, y) -> Integer.compare(x[0], y[0]));
            int a = -1, b = -1;
            for (int[] r : rs) {
                if (a >= 0 && r[0] <= b) {
                    b = Math.max(b, Math.min(r[1], n));
                    continue;
                }
                if (a >= 0) {
                    e.startRun(a);
                    e.endRun(b);
                }
                a = r[0];
                b = Math.min(r[1], n);
            }
            if (a >= 0) {
                e.startRun(a);
                e.endRun(b);
            }
            e.finish(n);
            return e;
        }
    }

    /** A raw trace at the resting level. */
    static float[] rest(int n) {
        float[] v = new float[n];
        Arrays.fill(v, REST);
        return v;
    }

    /** A synthetic spike peaking at sample c (max with what is there). */
    static void tent(float[] v, int c) {
        for (int x = -HALF_WIDTH + 1; x < HALF_WIDTH; x++) {
            v[c + x] = Math.max(v[c + x], PEAK - 4f * Math.abs(x));
        }
    }

    /** A plateau on [a, b) (max with what is there). */
    static void plateau(float[] v, int a, int b) {
        for (int k = a; k < b; k++) v[k] = Math.max(v[k], PLATEAU);
    }

    static NeuronEvents[] three(Events pm, Events lp, Events py) {
        return new NeuronEvents[] {pm.build(), lp.build(), py.build()};
    }
}
