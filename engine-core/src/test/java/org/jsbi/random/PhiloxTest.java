package org.jsbi.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhiloxTest {

    /** Known-answer vectors of the Random123 distribution (kat_vectors): counter, key → output. */
    @Test
    void matchesRandom123KnownAnswers() {
        int[] out = new int[4];
        Philox.block(0, 0, 0, 0, 0, 0, out, 0);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Philox.block(-1, -1, -1, -1, -1, -1, out, 0);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out, 0);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void streamsDependOnlyOnTheirKey() {
        CounterRandom a = new CounterRandom(42, 7, 1), b = new CounterRandom(42, 7, 1);
        for (int i = 0; i < 100; i++) assertEquals(a.nextDouble(), b.nextDouble());
        CounterRandom c = new CounterRandom(42, 8, 1), d = new CounterRandom(42, 7, 2);
        double x = new CounterRandom(42, 7, 1).nextDouble();
        assertTrue(x != c.nextDouble() && x != d.nextDouble(), "index and stream must change the numbers");
    }

    @Test
    void uniformAndGaussianMoments() {
        int n = 200_000;
        double su = 0, suu = 0, sg = 0, sgg = 0, sg4 = 0;
        for (int i = 0; i < n; i++) {
            CounterRandom r = new CounterRandom(3, i, 0);
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1);
            su += u;
            suu += u * u;
            double g = r.nextGaussian();
            sg += g;
            sgg += g * g;
            sg4 += g * g * g * g;
        }
        assertEquals(0.5, su / n, 0.003);
        assertEquals(1.0 / 12, suu / n - Math.pow(su / n, 2), 0.001);
        assertEquals(0, sg / n, 0.01);
        assertEquals(1, sgg / n, 0.01);
        assertEquals(3, sg4 / n, 0.06);
    }
}
