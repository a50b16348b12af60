package org.jsbi.sim.stg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * numpy's summation order, pinned with B = 2⁶⁰ (its ulp is 256, so B + 2 rounds back to B, while sums of small
 * whole numbers stay exact): where a term lands decides whether it is absorbed by B. (numpy 2.4 gives the same
 * values for these arrays.)
 */
class PairwiseSumTest {

    private static final double B = 0x1p60;

    private static double[] twos(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 2);
        return a;
    }

    @Test
    void belowEightTermsLeftToRight() {
        // ((B + 2) + 2) − B = B − B = 0
        assertEquals(0.0, PairwiseSum.sum(new double[] {B, 2, 2, -B}, 0, 4));
    }

    @Test
    void eightInterleavedPartialSums() {
        // n = 16: r₀ = a₀ + a₈ = B − B = 0, r₁..r₇ = 2 + 2 = 4 → 28 (left to right would give 14).
        double[] a = twos(16);
        a[0] = B;
        a[8] = -B;
        assertEquals(28.0, PairwiseSum.sum(a, 0, 16));
        // with an offset, and the remainder after the last full block of 8 added at the end:
        // n = 10 from index 1: r = (B, 2, …, 2) → B (every 2 absorbed), then + (−B) + 2 = 2.
        double[] b = new double[11];
        Arrays.fill(b, 2);
        b[1] = B;
        b[9] = -B;
        assertEquals(2.0, PairwiseSum.sum(b, 1, 10));
        assertEquals(0.2, PairwiseSum.mean(b, 1, 10));
    }

    @Test
    void aboveOneHundredTwentyEightTermsSplitAtAMultipleOfEight() {
        // n = 200 of 1s splits at 96 (= 100 rounded down to a multiple of 8), with B at a₀ of the left half and −B at
        // a₀ of the right. Left: r₀ = B (the 1s absorbed), r₁..r₇ = 12, combined as (B + 12) + 24 + 48, each step
        // below half an ulp (128 above B, 64 just below it): B. Right: −B and 13s, likewise −B (26 and 52 < 64). Sum 0;
        // left to right it would be 103.
        double[] a = new double[200];
        Arrays.fill(a, 1);
        a[0] = B;
        a[96] = -B;
        assertEquals(0.0, PairwiseSum.sum(a, 0, 200));
    }

    @Test
    void meanOfNothingIsNaN() {
        assertTrue(Double.isNaN(PairwiseSum.mean(new double[0], 0, 0)));
    }
}
