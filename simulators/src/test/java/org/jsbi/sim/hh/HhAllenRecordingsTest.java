package org.jsbi.sim.hh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HH feature code on the ten Allen Cell Types recordings (../shared/paper-data/hh/allen), each with its own
 * stimulus window from allen_cells.csv: the spike count the paper's detector reports equals the spikes visible in the
 * trace, counted here independently, and both equal the counts written out below.
 */
class HhAllenRecordingsTest {

    /**
     * Spikes visible in each recording during the step: cell id → count. Every action potential of these traces
     * peaks at +12 to +30 mV (after the −14 mV correction) and the closest two are 14.7 ms apart, so the count is the
     * number of upward crossings of 0 mV inside the step (the same number crosses −10 mV).
     */
    private static final Map<Long, Integer> VISIBLE_SPIKES = Map.of(
            518290966L, 12,
            509881736L, 25,
            566517779L, 20,
            567399060L, 11,
            569469018L, 12,
            532571720L, 18,
            555060623L, 13,
            534524026L, 25,
            532355382L, 22,
            526950199L, 22);

    /** A crossing less than this long after the previous counted crossing is the same spike (ms). */
    private static final double REFRACTORY_MS = 2.0;

    /**
     * The independent count: upward crossings of 0 mV (V[k − 1] &lt; 0 ≤ V[k], junction-corrected voltage) at times
     * t_k = k · dt with t_on &lt; t_k &lt; t_off, a crossing within {@link #REFRACTORY_MS} of the previous counted one
     * not counted. (The recordings' action potentials peak at +12 to +30 mV and their closest spikes are 14.7 ms
     * apart, so every spike crosses 0 mV once and the rule never fires; it guards against noise at the threshold.)
     */
    static int crossingsOfZero(float[] v, double dt, double tOn, double tOff) {
        int count = 0;
        double last = Double.NEGATIVE_INFINITY;
        for (int k = 1; k < v.length; k++) {
            double t = k * dt;
            if (v[k - 1] < 0f && v[k] >= 0f && t > tOn && t < tOff && t - last >= REFRACTORY_MS) {
                count++;
                last = t;
            }
        }
        return count;
    }

    @Test
    void spikeCountsEqualTheVisibleSpikesOfAllTenCells() {
        long t0 = System.nanoTime();
        List<AllenRecording> cells = AllenRecording.loadAll();
        System.out.printf("Allen recordings loaded in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(10, cells.size(), "ten recordings");
        System.out.println("| order | cell | sweep | t_on–t_off (ms) | spikes | visible | resting mean | resting SD"
                + " | stimulus mean | variance | skewness | kurtosis |");
        System.out.println("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < cells.size(); i++) {
            AllenRecording c = cells.get(i);
            assertEquals(i, c.order(), "notebook order");
            assertEquals(72_500, c.samples(), c + ": samples");
            assertEquals(0.02, c.dtMs(), 0, c + ": dt");
            assertEquals(205.0, c.tOnMs(), 0, c + ": t_on");
            assertEquals(-14f, c.junctionPotentialMv(), 0f, c + ": junction potential");
            float[] v = c.voltageMv();
            double[] f = c.features();
            int visible = crossingsOfZero(v, c.dtMs(), c.tOnMs(), c.tOffMs());
            System.out.printf("| %d | %d | %d | %s–%s | %d | %d | %.4f | %.5f | %.4f | %.4f | %.5f | %.5f |%n", c.order(),
                    c.cellId(), c.sweep(), c.tOnMs(), c.tOffMs(), (int) f[0], visible, f[1], f[2], f[3], f[4], f[5], f[6]);
            int expected = VISIBLE_SPIKES.get(c.cellId());
            assertEquals(expected, visible, c + ": independent count of 0 mV crossings");
            assertEquals(expected, (int) f[0], c + ": the paper's spike detector");
            assertEquals(f[0], c.featureExtractor().compute(v)[0], 0f, c + ": float features");
            // Plausibility: a resting potential below −70 mV after the correction, depolarised by the step.
            assertEquals(true, f[1] < -70 && f[1] > -95, c + ": resting mean " + f[1]);
            assertEquals(true, f[3] > f[1], c + ": the step depolarises");
            assertEquals(true, f[2] > 0 && f[2] < 1, c + ": resting SD " + f[2]);
        }
        System.out.printf("Allen features in %.2f s (load included)%n", (System.nanoTime() - t0) / 1e9);
    }

    /** The resting mean agrees with allen_cells.csv's own check value (mean pre-step voltage, before correction). */
    @Test
    void restingMeanMatchesThePaperDataCheckValue() throws Exception {
        java.nio.file.Path index = org.jsbi.sim.channel.PaperData.hhAllen().resolve("allen_cells.csv");
        List<String> lines = java.nio.file.Files.readAllLines(index);
        int col = List.of(lines.get(0).split(",")).indexOf("mean_V_before_step_mV");
        List<AllenRecording> cells = AllenRecording.loadAll();
        for (int i = 0; i < cells.size(); i++) {
            double check = Double.parseDouble(lines.get(i + 1).split(",")[col]);
            double rest = cells.get(i).features()[1];
            // the check value is numpy's float32 mean of the uncorrected trace
            assertEquals(check - 14, rest, 1e-4, cells.get(i) + ": resting mean");
        }
    }
}
