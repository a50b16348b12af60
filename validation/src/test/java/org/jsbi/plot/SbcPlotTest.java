package org.jsbi.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.jsbi.diagnostics.Sbc;
import org.junit.jupiter.api.Test;

/** The calibration drawn: rank counts per bin, the band of a calibrated posterior, a panel per parameter. */
class SbcPlotTest {

    @Test
    void ranksFallIntoTheirBinsTiesAtTheirMiddle() {
        // L = 9: rank positions (rank + ties/2 + 0.5) / 10; four bins of width 0.25.
        int[][] ranks = {{0}, {2}, {4}, {4}, {9}}, ties = {{0}, {0}, {0}, {2}, {0}};
        Sbc.Result r = new Sbc.Result(ranks, ties, new int[0], new int[0], 9, 0);
        // 0.05 -> 0, 0.25 -> 1, 0.45 -> 1, 0.55 -> 2, 0.95 -> 3
        assertArrayEquals(new int[] {1, 2, 1, 1}, SbcPlot.rankCounts(r, 0, 4));
    }

    @Test
    void theBandHolds99PercentOfABinomial() {
        // Binomial(200, 1/20): mean 10; its 0.5% and 99.5% quantiles are 3 and 19 (scipy.stats.binom.ppf).
        assertArrayEquals(new double[] {3, 19}, SbcPlot.band(200, 20));
        // Binomial(1000, 1/20): 50 ± 6.9; quantiles 33 and 69.
        assertArrayEquals(new double[] {33, 69}, SbcPlot.band(1000, 20));
        assertEquals(20, SbcPlot.bins(1000));
        assertEquals(4, SbcPlot.bins(20));
    }

    @Test
    void aPanelPerParameterAndOneForTheCoverage() {
        int n = 100;
        int[][] ranks = new int[n][3], ties = new int[n][3];
        int[] hdr = new int[n], hdrTies = new int[n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) ranks[i][d] = (i * 7 + d) % 101;
            hdr[i] = (i * 13) % 101;
        }
        Sbc.Result withDensity = new Sbc.Result(ranks, ties, hdr, hdrTies, 100, 0);
        BufferedImage img = SbcPlot.render(withDensity, new String[] {"a", "b", "c"});
        assertEquals(4 * 250, img.getWidth(), "three rank panels and the coverage");
        Sbc.Result without = new Sbc.Result(ranks, ties, new int[0], new int[0], 100, 0);
        assertEquals(3 * 250, SbcPlot.render(without, new String[] {"a", "b", "c"}).getWidth());
        assertThrows(IllegalArgumentException.class, () -> SbcPlot.render(without, new String[] {"a"}));
    }
}
