package org.jsbi.estimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * {@link ZScore#outlierNotes}: a dimension whose std a few extreme values dominate is named (5 of 3,000 values a
 * million times the rest made a feature's posterior its prior, silently); Gaussian, uniform, skewed and tied data are
 * not.
 */
class ZScoreOutlierTest {

    private final long seed = TestSeeds.seed(77);

    @Test
    void aFewHugeValuesAreNamedAndOrdinaryDataAreNot() {
        Random rnd = new Random(seed);
        int n = 3_000;
        float[][] x = new float[5][n];
        for (int i = 0; i < n; i++) {
            x[0][i] = (float) rnd.nextGaussian();
            x[1][i] = (float) rnd.nextGaussian();
            x[2][i] = rnd.nextFloat();
            x[3][i] = (float) Math.exp(2 * rnd.nextGaussian());   // a log-normal of σ = 2: ratio about 20
            x[4][i] = rnd.nextInt(10) < 8 ? 0f : rnd.nextInt(3);  // counts, the middle half one value
        }
        for (int i = 0; i < 5; i++) x[1][i * 600] = 1e6f;          // failed simulations returning huge numbers
        List<String> notes = ZScore.fit(x).outlierNotes(x, "x");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("x dimension 1: its standard deviation") && notes.get(0).contains("make"
                + " them NaN"), notes.get(0));
    }
}
