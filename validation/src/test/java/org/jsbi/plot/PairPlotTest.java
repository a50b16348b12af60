package org.jsbi.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pair plot: its counts are the samples' exactly, and the image puts them where they belong: the 2-D histograms
 * above the diagonal (θ_j across, θ_i up), nothing below it, the marker in red.
 */
class PairPlotTest {

    @Test
    void binsCountEverySampleInsideTheRangeOnce() {
        float[][] s = {{0f}, {0.25f}, {0.2499f}, {1f}, {-0.01f}, {1.01f}, {Float.NaN}, {0.75f}};
        // 4 bins of 0.25 over [0, 1]: the upper end belongs to the last bin; outside and NaN are not counted.
        assertArrayEquals(new int[] {2, 1, 0, 2}, PairPlot.counts(s, 0, 0, 1, 4));
        float[][] pairs = {{0.1f, 0.9f}, {0.1f, 0.8f}, {0.9f, 0.1f}, {2f, 0.5f}};
        PairPlot.Options o = new PairPlot.Options(new String[] {"a", "b"}, new double[] {0, 0}, new double[] {1, 1}, 2,
                100, null);
        assertArrayEquals(new int[][] {{0, 2}, {1, 0}}, PairPlot.counts2d(pairs, 0, 1, o));
    }

    @Test
    void panelsShowTheSamplesWhereTheyLie(@TempDir Path tmp) throws IOException {
        Random r = new Random(3);
        float[][] s = new float[5_000][3];
        for (float[] row : s) {
            row[0] = 0.6f + 0.4f * r.nextFloat();   // θ_1 and θ_2 in the top right corner of the [-1, 1] box
            row[1] = 0.6f + 0.4f * r.nextFloat();
            row[2] = -1f + 2f * r.nextFloat();
        }
        int p = 150;
        PairPlot.Options o = PairPlot.Options.of(new double[] {-1, -1, -1}, new double[] {1, 1, 1});
        Path file = tmp.resolve("pairs.png");
        PairPlot.writePng(s, o, file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(3 * 180, img.getWidth());
        assertEquals(3 * 180, img.getHeight());

        BufferedImage small = PairPlot.render(s, new PairPlot.Options(o.labels(), o.low(), o.high(), 20, p, null));
        assertEquals(3 * p, small.getWidth());
        // Below the diagonal: nothing.
        for (int[] panel : new int[][] {{1, 0}, {2, 0}, {2, 1}}) {
            assertEquals(0, inked(small, panel[0], panel[1], p, 0, 0, p, p), "panel " + panel[0] + "," + panel[1]);
        }
        // Row 0, column 1: θ_2 across, θ_1 up, so the ink is right of the centre and above it, none elsewhere.
        int topRight = inked(small, 0, 1, p, p / 2, 0, p, p / 2);
        assertTrue(topRight > 50, "ink in the top right quarter: " + topRight);
        assertEquals(topRight, inked(small, 0, 1, p, 0, 0, p, p), "ink outside the top right quarter");
        // θ_3 is spread over its whole range: its pairs have ink on both sides of the centre.
        assertTrue(inked(small, 0, 2, p, 0, 0, p / 2, p) > 50 && inked(small, 0, 2, p, p / 2, 0, p, p) > 50);
        // θ_1's histogram: bars from 0.6 (at about 0.8 of the panel's width) to 1, each one bin wide.
        assertEquals(0, inked(small, 0, 0, p, 0, 0, 2 * p / 3, p), "θ_1's bars left of 0.6");
        // The diagonal's histograms are drawn; no red without a marker, red with one.
        for (int i = 0; i < 3; i++) assertTrue(inked(small, i, i, p, 0, 0, p, p) > 100, "histogram " + i);
        assertEquals(0, red(small));
        BufferedImage marked = PairPlot.render(s, o.withMarker(new float[] {0.8f, 0.8f, 0f}));
        assertTrue(red(marked) > 100, "marker lines");
    }

    @Test
    void longLabelsAreCutForThePanels() {
        assertEquals("gbar_Na", PairPlot.shortLabel("gbar_Na"));
        assertEquals("abcdefghijklmnopqrstuvw…", PairPlot.shortLabel("abcdefghijklmnopqrstuvwxyz"));
        assertEquals(24, PairPlot.shortLabel("x".repeat(70)).length());
    }

    @Test
    void badOptionsAreRefusedWithTheProblemNamed() {
        String[] ab = {"a", "b"};
        assertMessage("parameter 2's plot range is [1.0, 1.0]",
                () -> new PairPlot.Options(ab, new double[] {0, 1}, new double[] {1, 1}, 10, 100, null));
        assertMessage("bins must be 2..500, got 1",
                () -> new PairPlot.Options(ab, new double[] {0, 0}, new double[] {1, 1}, 1, 100, null));
        assertMessage("the marker has 3 values for 2 parameters",
                () -> new PairPlot.Options(ab, new double[] {0, 0}, new double[] {1, 1}, 10, 100, new float[3]));
        assertMessage("wider than 6000 pixels", () -> PairPlot.Options.of(new double[101], filled(101, 1)));
        assertEquals(60, PairPlot.Options.of(new double[100], filled(100, 1)).panelPixels(), "100 panels of 60");
        assertEquals(100, PairPlot.MAX_PARAMETERS);
        PairPlot.Options o = PairPlot.Options.of(new double[] {0, 0}, new double[] {1, 1});
        assertMessage("sample 1 has 3 values for 2 parameters",
                () -> PairPlot.render(new float[][] {{0, 0}, {0, 0, 0}}, o));
        assertMessage("no samples to plot", () -> PairPlot.render(new float[0][], o));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Pixels of the histograms' blue (blue well above red) in a window of panel (row, col). */
    private static int inked(BufferedImage img, int row, int col, int p, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = row * p + y0; y < row * p + y1; y++) {
            for (int x = col * p + x0; x < col * p + x1; x++) {
                int rgb = img.getRGB(x, y), red = (rgb >> 16) & 255, blue = rgb & 255;
                if (blue - red > 60) n++;
            }
        }
        return n;
    }

    private static int red(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y), red = (rgb >> 16) & 255, green = (rgb >> 8) & 255, blue = rgb & 255;
                if (red - blue > 100 && red - green > 100) n++;
            }
        }
        return n;
    }
}
