package org.jsbi.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Made's order of the hidden units: nflows' units sorted by degree, the same degrees, ties kept in order. */
class MadeMasksTest {

    @Test
    void hiddenOrderSortsNflowsUnitsByDegree() {
        for (int d : new int[] {1, 2, 3, 5, 10, 31}) {
            for (int width : new int[] {1, 7, 50, 100}) {
                int[] deg = MadeMasks.hiddenDegrees(width, d), order = MadeMasks.hiddenOrder(width, d);
                int[] sorted = MadeMasks.orderedHiddenDegrees(width, d);
                int[] seen = order.clone();
                Arrays.sort(seen);
                for (int i = 0; i < width; i++) assertEquals(i, seen[i], "a permutation");
                for (int i = 0; i < width; i++) assertEquals(deg[order[i]], sorted[i]);
                for (int i = 1; i < width; i++) {
                    assertTrue(sorted[i - 1] <= sorted[i], "non-decreasing degrees");
                    if (sorted[i - 1] == sorted[i]) assertTrue(order[i - 1] < order[i], "ties in nflows' order");
                }
                int[] a = deg.clone(), b = sorted.clone();
                Arrays.sort(a);
                Arrays.sort(b);
                assertArrayEquals(a, b, "the same degrees");
            }
        }
    }

    @Test
    void twoDimensionsKeepNflowsOrder() {
        // D = 2: every hidden unit has degree 1, so nothing moves (and two_moons' weights are as before).
        int[] order = MadeMasks.hiddenOrder(50, 2);
        for (int i = 0; i < 50; i++) assertEquals(i, order[i]);
    }
}
