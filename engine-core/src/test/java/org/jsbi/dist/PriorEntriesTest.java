package org.jsbi.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jsbi.io.ModelFile;
import org.jsbi.io.ModelFormatException;
import org.jsbi.random.Rng;
import org.junit.jupiter.api.Test;

/** Priors as model-file entries: read back the same to the bit; damaged entries are format errors, not priors. */
class PriorEntriesTest {

    private static Prior roundTrip(Prior p) {
        ModelFile.Builder b = ModelFile.builder("test");
        PriorEntries.write(p, "prior.", b);
        return PriorEntries.read(b.build(), "prior.");
    }

    @Test
    void aGaussianFromAPrecisionReadsBackToTheBit() {
        Prior p = Priors.gaussianFromPrecision(new double[] {0.3, -1.1, 2.0},
                new double[][] {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}});
        Prior q = roundTrip(p);
        assertEquals(p.describe(), q.describe());
        float[][] a = p.sample(20, new Rng(9)), b = q.sample(20, new Rng(9));
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
            assertEquals(p.logProb(a[i]), q.logProb(a[i]), 0.0);
        }
        Prior box = Priors.independent(Priors.boxUniform(new double[] {0.7}, new double[] {0.7000003}),
                Priors.logNormal(new double[] {0.1}, new double[] {2.5}));
        assertEquals(box.describe(), roundTrip(box).describe());
        assertArrayEquals(box.mean(), roundTrip(box).mean(), 0.0);
    }

    @Test
    void damagedEntriesAreFormatErrors() {
        ModelFile inverted = ModelFile.builder("test").meta("prior.kind", "box_uniform").meta("prior.low", "1.0")
                .meta("prior.high", "0.5").build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> PriorEntries.read(inverted, "prior."));
        assertTrue(e.getMessage().contains("not valid"), e.getMessage());
        ModelFile unknown = ModelFile.builder("test").meta("prior.kind", "student_t").build();
        e = assertThrows(ModelFormatException.class, () -> PriorEntries.read(unknown, "prior."));
        assertTrue(e.getMessage().contains("student_t"), e.getMessage());
        ModelFile text = ModelFile.builder("test").meta("prior.kind", "log_normal").meta("prior.mu", "0.1,x")
                .meta("prior.sigma", "1,1").build();
        e = assertThrows(ModelFormatException.class, () -> PriorEntries.read(text, "prior."));
        assertTrue(e.getMessage().contains("'x' at position 1"), e.getMessage());
        ModelFile upper = ModelFile.builder("test").meta("prior.kind", "gaussian").meta("prior.mean", "0,0")
                .meta("prior.cholesky.0", "1,0.5").meta("prior.cholesky.1", "0.2,1").build();
        assertThrows(ModelFormatException.class, () -> PriorEntries.read(upper, "prior."));
        assertFalse(PriorEntries.canWrite(Priors.independent(Priors.boxUniform(1, 0, 1), new Prior() {
            public int dim() {
                return 1;
            }

            public float[][] sample(int n, Rng rng) {
                return new float[n][1];
            }

            public double logProb(float[] theta) {
                return 0;
            }

            public boolean inSupport(float[] theta) {
                return true;
            }

            public double[] mean() {
                return new double[1];
            }

            public double[] stddev() {
                return new double[] {1};
            }

            public String describe() {
                return "Mine[1]";
            }
        })));
    }
}
