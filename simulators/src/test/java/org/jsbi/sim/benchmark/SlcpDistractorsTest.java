package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jsbi.random.Rng;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** slcp_distractors: informative values where the definition puts them, distractors independent of θ and t-mixture distributed. */
class SlcpDistractorsTest {

    private static SlcpDistractors task;

    /** Read once: the definition files hold 86,000 values. */
    private static synchronized SlcpDistractors task() {
        if (task == null) task = new SlcpDistractors();
        return task;
    }

    @Test
    void informativeValuesSitAtThePermutedColumns() {
        // EXTRA-TASKS.md: data_1..data_8 at 1-based columns 23, 34, 24, 68, 43, 22, 17, 91.
        assertArrayEquals(new int[] {22, 33, 23, 67, 42, 21, 16, 90}, task().informativeColumns());
        int[] p = task().permutation();
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) assertEquals(i, sorted[i], "the permutation must hold every index once");
    }

    @Test
    void informativeValuesEqualAnSlcpSimulationWithTheSameNoise() {
        long seed = TestSeeds.seed(41);
        int n = 500;
        float[][] theta = new Slcp().prior().sample(n, new Rng(seed));
        float[] x = TaskTesting.simulateRows(task(), theta, 123, seed);
        float[] slcp = TaskTesting.simulateRows(new Slcp(), theta, 123, seed);
        int[] cols = task().informativeColumns();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 8; k++) {
                assertEquals(slcp[i * 8 + k], x[i * 100 + cols[k]], "simulation " + i + ", data_" + (k + 1) + TestSeeds.replay(seed));
            }
        }
    }

    @Test
    void distractorsDoNotDependOnTheta() {
        long seed = TestSeeds.seed(42);
        int n = 200;
        float[] a = TaskTesting.simulateAt(task(), new float[] {-2f, 1f, 0.5f, 2f, -1f}, n, seed);
        float[] b = TaskTesting.simulateAt(task(), new float[] {2.5f, -0.3f, -1.5f, 0.1f, 2.9f}, n, seed);
        boolean[] informative = new boolean[100];
        for (int c : task().informativeColumns()) informative[c] = true;
        int differing = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 100; k++) {
                if (informative[k]) {
                    if (a[i * 100 + k] != b[i * 100 + k]) differing++;
                } else {
                    assertEquals(a[i * 100 + k], b[i * 100 + k], "distractor column " + k + " of simulation " + i);
                }
            }
        }
        assertEquals(n * 8, differing, "the informative values must follow θ");
    }

    /** The CDF of Student's t with 2 degrees of freedom. */
    private static double t2Cdf(double t) {
        return 0.5 + t / (2 * Math.sqrt(2 + t * t));
    }

    @Test
    void distractorMarginalsFollowTheTMixture() {
        // Each component is loc_c + L_c·t with t multivariate t₂, so value r has the marginal
        // (1/20) Σ_c F₂((x − loc_cr) / √(L_c L_cᵀ)_rr): a Kolmogorov–Smirnov check on a few distractors.
        SlcpDistractors task = task();
        long seed = TestSeeds.seed(43);
        int n = 4000;
        float[] x = TaskTesting.simulateAt(task, new float[] {0f, 0f, 1f, 1f, 0f}, n, seed);
        int[] p = task.permutation();
        double[][] loc = new double[20][];
        double[][] scale = new double[20][];
        for (int c = 0; c < 20; c++) {
            loc[c] = task.location(c);
            double[][] s = task.scaleMatrix(c);
            scale[c] = new double[92];
            for (int r = 0; r < 92; r++) scale[c][r] = Math.sqrt(s[r][r]);
        }
        for (int column : new int[] {0, 1, 50, 99}) {
            int r = p[column] - 8;
            assertTrue(r >= 0, "column " + column + " should be a distractor");
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = x[i * 100 + column];
            Arrays.sort(v);
            double ks = 0;
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int c = 0; c < 20; c++) f += t2Cdf((v[i] - loc[c][r]) / scale[c][r]) / 20;
                ks = Math.max(ks, Math.max(Math.abs(f - (double) i / n), Math.abs(f - (double) (i + 1) / n)));
            }
            // KS critical value at α = 0.001 is 1.95/√n ≈ 0.031.
            assertTrue(ks < 0.031, "column " + column + " (distractor " + r + "): KS distance " + ks + TestSeeds.replay(seed));
        }
    }

    @Test
    void definitionFilesMatchTheDefinition() {
        Path dir = ReferenceData.root().resolve("slcp_distractors_definition");
        for (double[] row : ReferenceData.readCsv(dir.resolve("distractor_df.csv"))) assertEquals(2.0, row[0]);
        for (double[] row : ReferenceData.readCsv(dir.resolve("distractor_mixture_weights.csv"))) assertEquals(0.05, row[0], 1e-8);
        // The first scale entry, as written (np.float64(3.423324718497607)), read through its NumPy repr.
        assertEquals(3.423324718497607 * 3.423324718497607, task().scaleMatrix(0)[0][0], 1e-12);
    }

    @Test
    void aMissingDefinitionFileIsNamed(@TempDir Path dir) throws IOException {
        Path src = ReferenceData.root().resolve("slcp_distractors_definition");
        for (String f : new String[] {"distractor_df.csv", "distractor_mixture_weights.csv", "distractor_loc.csv", "permutation_idx.csv"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        ReferenceDataException e = assertThrows(ReferenceDataException.class, () -> new SlcpDistractors(dir));
        assertTrue(e.getMessage().contains(dir.resolve("distractor_scale_tril.csv").toString()), e.getMessage());
    }
}
