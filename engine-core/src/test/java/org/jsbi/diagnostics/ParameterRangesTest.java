package org.jsbi.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.dist.Priors;
import org.junit.jupiter.api.Test;

/** The analyses' ranges: a box prior's box, else the samples' range widened by 10% at each end. */
class ParameterRangesTest {

    @Test
    void aBoxPriorGivesItsBoxAndAnyOtherTheSamplesWidenedRange() {
        float[][] samples = {{0, 1}, {1, 3}, {0.5f, 2}, {Float.NaN, 2}};
        double[][] box = ParameterRanges.of(Priors.boxUniform(new double[] {-1, -2}, new double[] {1, 2}), samples);
        assertArrayEquals(new double[][] {{-1, -2}, {1, 2}}, box);
        double[][] r = ParameterRanges.of(Priors.gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}),
                samples);
        assertArrayEquals(new double[] {-0.1, 0.8}, r[0], 1e-12);
        assertArrayEquals(new double[] {1.1, 3.2}, r[1], 1e-12);
        // A parameter pinned to one value still gets a range around it.
        double[][] pinned = ParameterRanges.of(Priors.logNormal(new double[] {0}, new double[] {1}),
                new float[][] {{2f}, {2f}});
        assertTrue(pinned[0][0] < 2 && pinned[1][0] > 2, pinned[0][0] + " " + pinned[1][0]);
        // Around the samples, within the box: [0 - 0.1, 1 + 0.1] and [1 - 0.2, 3 + 0.2] cut to [-1, 1] x [-2, 2].
        double[][] around = ParameterRanges.aroundSamples(
                Priors.boxUniform(new double[] {-1, -2}, new double[] {1, 2}), samples);
        assertArrayEquals(new double[] {-0.1, 0.8}, around[0], 1e-12);
        assertArrayEquals(new double[] {1, 2}, around[1], 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterRanges.of(
                Priors.logNormal(new double[] {0}, new double[] {1}), new float[][] {{Float.NaN}}));
        assertTrue(e.getMessage().contains("parameter 1 has no finite sample"), e.getMessage());
    }
}
