package org.jsbi.sim.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jsbi.dist.Prior;
import org.jsbi.random.Rng;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.Simulator;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every benchmark task must do: the registry, dimensions, prior moments, batching invariance, bad input. */
class BenchmarkTasksTest {

    /** dim θ and dim x of each task, from TASKS.md and EXTRA-TASKS.md. */
    private static final Map<String, int[]> DIMS = Map.of(
            "gaussian_linear", new int[] {10, 10},
            "gaussian_linear_uniform", new int[] {10, 10},
            "slcp", new int[] {5, 8},
            "slcp_distractors", new int[] {5, 100},
            "bernoulli_glm", new int[] {10, 10},
            "bernoulli_glm_raw", new int[] {10, 100},
            "gaussian_mixture", new int[] {2, 2},
            "two_moons", new int[] {2, 2},
            "sir", new int[] {2, 10},
            "lotka_volterra", new int[] {4, 20});

    static List<String> names() {
        return BenchmarkTasks.names();
    }

    @Test
    void registryListsTheTasksInTheBenchmarksOrder() {
        assertEquals(List.of("gaussian_linear", "gaussian_linear_uniform", "slcp", "slcp_distractors", "bernoulli_glm",
                "bernoulli_glm_raw", "gaussian_mixture", "two_moons", "sir", "lotka_volterra"), BenchmarkTasks.names());
        assertEquals(BenchmarkTasks.names().size(), BenchmarkTasks.all().size());
        assertSame(BenchmarkTasks.byName("two_moons"), BenchmarkTasks.byName(" Two-Moons "));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchmarkTasks.byName("tw0_moons"));
        assertTrue(e.getMessage().contains("tw0_moons"), e.getMessage());
        for (String n : BenchmarkTasks.names()) assertTrue(e.getMessage().contains(n), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchmarkTasks.byName(null));
    }

    /** Every task's prior can be written into a posterior file (jsbi npe --save-posterior) and reads back the same. */
    @ParameterizedTest
    @MethodSource("names")
    void thePriorRoundTripsThroughAModelFile(String name) {
        Prior prior = BenchmarkTasks.byName(name).prior();
        assertTrue(org.jsbi.dist.PriorEntries.canWrite(prior), prior.describe());
        org.jsbi.io.ModelFile.Builder b = org.jsbi.io.ModelFile.builder("test");
        org.jsbi.dist.PriorEntries.write(prior, "prior.", b);
        Prior back = org.jsbi.dist.PriorEntries.read(b.build(), "prior.");
        assertEquals(prior.describe(), back.describe());
        float[][] theta = prior.sample(50, new Rng(3));
        for (float[] t : theta) assertEquals(prior.logProb(t), back.logProb(t), 0.0, "the same density, to the bit");
        float[][] again = back.sample(50, new Rng(3));
        for (int i = 0; i < theta.length; i++) assertArrayEquals(theta[i], again[i], "the same draws");
    }

    @ParameterizedTest
    @MethodSource("names")
    void dimensionsAndNames(String name) {
        BenchmarkTask task = BenchmarkTasks.byName(name);
        int[] dims = DIMS.get(name);
        assertEquals(name, task.name());
        assertEquals(name, task.simulator().name());
        assertEquals(dims[0], task.parameterDim());
        assertEquals(dims[0], task.prior().dim());
        assertEquals(dims[0], task.simulator().parameterDim());
        assertEquals(dims[1], task.dataDim());
        assertEquals(dims[1], task.simulator().dataDim());
    }

    @ParameterizedTest
    @MethodSource("names")
    void priorSamplesHaveThePriorsMoments(String name) {
        Prior prior = BenchmarkTasks.byName(name).prior();
        long seed = TestSeeds.seed(11);
        int n = 20_000, d = prior.dim();
        float[][] s = prior.sample(n, new Rng(seed));
        double[] mean = prior.mean(), sd = prior.stddev();
        for (int k = 0; k < d; k++) {
            double m = 0, q = 0;
            for (float[] row : s) m += row[k];
            m /= n;
            for (float[] row : s) q += (row[k] - m) * (row[k] - m);
            double sampleSd = Math.sqrt(q / (n - 1));
            // 5 standard errors for the mean; the sd of a sample sd is about sd/√(2n) (0.5% here), so 3% is wide.
            assertEquals(mean[k], m, 5 * sd[k] / Math.sqrt(n), name + " mean of θ" + (k + 1) + TestSeeds.replay(seed));
            assertEquals(sd[k], sampleSd, 0.03 * sd[k], name + " sd of θ" + (k + 1) + TestSeeds.replay(seed));
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void resultsDoNotDependOnBatching(String name) {
        BenchmarkTask task = BenchmarkTasks.byName(name);
        Simulator sim = task.simulator();
        long seed = TestSeeds.seed(2024);
        int n = 1000, xd = sim.dataDim();
        float[][] theta = task.prior().sample(n, new Rng(seed));
        float[] whole = TaskTesting.simulateRows(sim, theta, 0, seed);

        float[] pieces = new float[n * xd];
        int[] sizes = {1, 6, 250, 3, 397, 343};
        int first = 0;
        for (int size : sizes) {
            float[][] rows = Arrays.copyOfRange(theta, first, first + size);
            float[] part = TaskTesting.simulateRows(sim, rows, first, seed);
            System.arraycopy(part, 0, pieces, first * xd, size * xd);
            first += size;
        }
        assertEquals(n, first);
        assertArrayEquals(whole, pieces, name + ": sub-batches must reproduce one batch exactly" + TestSeeds.replay(seed));
        for (float v : whole) assertTrue(Float.isFinite(v), name + " gave a non-finite value" + TestSeeds.replay(seed));

        // And the seed matters: another seed gives other noise.
        float[] other = TaskTesting.simulateRows(sim, theta, 0, seed + 1);
        assertFalse(Arrays.equals(whole, other), name + ": the seed must change the noise");
    }

    @ParameterizedTest
    @MethodSource("names")
    void badInputIsRefusedWithAClearMessage(String name) {
        Simulator sim = BenchmarkTasks.byName(name).simulator();
        int d = sim.parameterDim();
        float[] out = new float[4 * sim.dataDim()];

        ParameterBatch wrongDim = new ParameterBatch(new float[4 * (d + 1)], 4, d + 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(wrongDim, 1, out));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(Integer.toString(d)), e.getMessage());

        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] values = new float[4 * d];
            values[2 * d + d - 1] = bad;
            ParameterBatch batch = new ParameterBatch(values, 4, d, 10);
            e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(batch, 1, out));
            assertTrue(e.getMessage().contains("parameter " + (d - 1)) && e.getMessage().contains("set 12")
                    && e.getMessage().contains(Float.toString(bad)), e.getMessage());
        }

        ParameterBatch ok = new ParameterBatch(new float[4 * d], 4, d, 0);
        e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(ok, 1, new float[4 * sim.dataDim() - 1]));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("output"), e.getMessage());

        ParameterBatch empty = new ParameterBatch(new float[0], 0, d, 0);
        e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(empty, 1, out));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("empty"), e.getMessage());
    }
}
