package org.jsbi.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jsbi.validation.HarnessRow;
import org.junit.jupiter.api.Test;

/** The validation results drawn: a panel per task, four to a row, jsbi's points higher where its C2ST is higher. */
class C2stPlotTest {

    @Test
    void aPanelPerTaskAndThePointsWhereTheC2stPuts() {
        List<HarnessRow> rows = new ArrayList<>();
        String[] tasks = {"two_moons", "slcp", "sir", "gaussian_linear", "bernoulli_glm"};
        for (String t : tasks) {
            for (int b : new int[] {1_000, 10_000}) {
                for (int k = 1; k <= 3; k++) rows.add(row(t, "maf", b, k, b == 1_000 ? 0.95 : 0.55));
            }
        }
        BufferedImage img = C2stPlot.render(rows);
        assertEquals(4 * 300, img.getWidth(), "four panels across");
        assertEquals(2 * 300 + 40, img.getHeight(), "two rows of panels under the legend");
        // In the first panel, the MAF's blue: its point at 1,000 simulations (C2ST 0.95) lies above and left of its
        // point at 10,000 (0.55), so the blue pixels' upper-left and lower-right quarters both hold some.
        int upperLeft = blue(img, 0, 40, 150, 190), lowerRight = blue(img, 150, 190, 300, 340);
        assertTrue(upperLeft > 20 && lowerRight > 20, "blue at 0.95 and 1,000: " + upperLeft + "; at 0.55 and 10,000: "
                + lowerRight);
        assertEquals(0, blue(img, 0, 190, 120, 340), "nothing low on the left: no C2ST of 0.55 at 1,000");
        assertThrows(IllegalArgumentException.class, () -> C2stPlot.render(List.of()));
    }

    private static HarnessRow row(String task, String est, int budget, int k, double c2st) {
        return new HarnessRow(task, est, budget, k, c2st, 0.1, 1, 1, 0, 50, 0.1, 1, 0.1, 1);
    }

    /** Pixels of the MAF's blue (31, 119, 180, give or take anti-aliasing) in [x0, x1) × [y0, y1). */
    private static int blue(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (Math.abs(r - 31) < 25 && Math.abs(g - 119) < 25 && Math.abs(b - 180) < 25) n++;
            }
        }
        return n;
    }
}
