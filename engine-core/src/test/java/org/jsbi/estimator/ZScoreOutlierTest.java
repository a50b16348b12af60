package org.jsbi.estimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;

/**
 * {@link ZScore#outlierNotes}: a dimension whose std a few extreme values dominate is named (5 of 3,000 values a
 * million times the rest made a feature's posterior its prior, silently); Gaussian, uniform, skewed and tied data are
 * not; {@link ZScore.TrainingFit} gives them a dimension at a time.
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

    /**
     * A training split fitted a dimension at a time (so the trainer need not hold all of it) gives the statistics and
     * notes of fitting it whole, and refuses a constant dimension by name.
     */
    @Test
    void aFitADimensionAtATimeIsTheFitOfTheWhole() {
        Random rnd = new Random(seed);
        int n = 2_000;
        float[][] x = new float[3][n];
        for (int i = 0; i < n; i++) {
            x[0][i] = (float) rnd.nextGaussian();
            x[1][i] = (float) (1e-9 * rnd.nextGaussian());
            x[2][i] = i % 400 == 0 ? 1e7f : rnd.nextFloat();
        }
        ZScore.TrainingFit fit = new ZScore.TrainingFit(3, "x");
        float[] buffer = new float[n];
        for (float[] v : x) {
            System.arraycopy(v, 0, buffer, 0, n);   // one buffer for every dimension, as the trainer fills it
            fit.add(buffer);
        }
        assertEquals(ZScore.fit(x), fit.zScore());
        assertEquals(ZScore.fit(x).outlierNotes(x, "x"), fit.outlierNotes());
        assertEquals(1, fit.outlierNotes().size(), fit.outlierNotes().toString());
        assertThrows(IllegalStateException.class, () -> fit.add(buffer));

        ZScore.TrainingFit constant = new ZScore.TrainingFit(2, "θ");
        constant.add(x[0]);
        float[] fives = new float[n];
        Arrays.fill(fives, 5f);
        constant.add(fives);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, constant::zScore);
        assertTrue(e.getMessage().startsWith("θ dimension 1 takes the same value (5.0) in all 2000 training samples"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ZScore.TrainingFit(2, "x").zScore());
    }
}
