package org.jsbi.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The correlation matrices' picture: the upper triangle from one matrix, the lower from the other, in their colours. */
class CorrelationPlotTest {

    private static final double N = Double.NaN;

    @Test
    void pairsFillTheUpperTriangle() {
        double[][] m = CorrelationPlot.fromPairs(3, new int[][] {{0, 2}, {2, 1}}, new double[] {0.5, -0.25});
        assertArrayEquals(new double[] {N, N, 0.5}, m[0]);
        assertArrayEquals(new double[] {N, N, -0.25}, m[1]);
        assertArrayEquals(new double[] {N, N, N}, m[2]);
    }

    @Test
    void theUpperCellIsRedAndTheLowerBlue() {
        // +1 at (row 0, column 1) from the upper matrix, −1 at (row 1, column 0) from the lower; the lower matrix's
        // (0, 1) and the upper's (1, 0) must not be drawn.
        double[][] upper = {{N, 1}, {1, N}}, lower = {{N, -1}, {-1, N}};
        BufferedImage img = CorrelationPlot.render(upper, lower, new String[] {"a", "b"}, "test");
        double[] red = centroid(img, true), blue = centroid(img, false);
        assertTrue(red[2] > 1000 && blue[2] > 1000, "a filled cell of each colour: " + red[2] + ", " + blue[2]);
        assertTrue(red[0] > blue[0] + 20 && red[1] < blue[1] - 20,
                "red right of and above blue: red at " + red[0] + "," + red[1] + ", blue at " + blue[0] + "," + blue[1]);
        // Without values above the diagonal, no red cell.
        BufferedImage noUpper = CorrelationPlot.render(new double[][] {{N, N}, {N, N}}, lower, new String[] {"a", "b"},
                "test");
        assertTrue(centroid(noUpper, true)[2] < 200, "red pixels (the legend's strip only): " + centroid(noUpper,
                true)[2]);
    }

    @Test
    void matricesOfTheWrongSizeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CorrelationPlot.render(
                new double[2][2], new double[3][3], new String[] {"a", "b"}, "t"));
        assertEquals("the lower matrix has 3 rows for 2 parameters", e.getMessage());
    }

    /** Mean x, mean y and count of the strongly red (or blue) pixels. */
    private static double[] centroid(BufferedImage img, boolean red) {
        double sx = 0, sy = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, b = rgb & 255;
                if (red ? r - b > 120 : b - r > 120) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {n == 0 ? 0 : sx / n, n == 0 ? 0 : sy / n, n};
    }
}
