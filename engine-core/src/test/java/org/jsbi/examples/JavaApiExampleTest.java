package org.jsbi.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.inference.NpeResult;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.Simulations;
import org.jsbi.simulation.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using jsbi from Java", run: a user's own simulator, NPE, posterior samples, and the posterior saved
 * and loaded back. The code between the markers is the README's, with a smaller budget and fewer epochs here so that
 * the test stays short on the scalar backend; keep the two in step.
 */
class JavaApiExampleTest {

    /** A toy model: x = (θ₁ + θ₂, θ₁ − θ₂) plus Gaussian noise of sd 0.1, one noise stream per simulation. */
    static final class ToyModel implements Simulator {
        public String name() {
            return "toy";
        }

        public int parameterDim() {
            return 2;
        }

        public int dataDim() {
            return 2;
        }

        public void simulate(ParameterBatch batch, long seed, float[] out) {
            for (int i = 0; i < batch.count(); i++) {
                // Keyed by the simulation's global index: the data do not depend on batching or threads.
                CounterRandom noise = new CounterRandom(seed, batch.firstIndex() + i, 0);
                float a = batch.get(i, 0), b = batch.get(i, 1);
                out[2 * i] = (float) (a + b + 0.1 * noise.nextGaussian());
                out[2 * i + 1] = (float) (a - b + 0.1 * noise.nextGaussian());
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRunsAndItsPosteriorIsRight() throws IOException {
        Path file = dir.resolve("toy-posterior.jsbi");
        // ---- README begins (there: 10_000 simulations and NpeConfig.defaults())
        Prior prior = Priors.boxUniform(2, -1, 1);
        SimulationSet data = Simulations.run(new ToyModel(), prior, 3_000, 1);
        NpeResult npe = new Npe(NpeConfig.defaults()
                .withTraining(NpeConfig.defaults().training().withMaxEpochs(60))).train(data);
        DirectPosterior posterior = npe.posterior(prior);
        float[] xo = {0.5f, 0.1f};
        float[][] samples = posterior.sample(10_000, xo, 2);
        posterior.save(file);
        DirectPosterior again = DirectPosterior.load(file);
        // ---- README ends

        // θ = ((x₁ + x₂)/2, (x₁ − x₂)/2) ± 0.1/√2: (0.3, 0.2), sd 0.071 in each.
        double[] mean = new double[2], sd = new double[2];
        for (float[] s : samples) for (int d = 0; d < 2; d++) mean[d] += s[d] / samples.length;
        for (float[] s : samples) for (int d = 0; d < 2; d++) sd[d] += (s[d] - mean[d]) * (s[d] - mean[d]);
        for (int d = 0; d < 2; d++) sd[d] = Math.sqrt(sd[d] / (samples.length - 1));
        assertEquals(0.3, mean[0], 0.03);
        assertEquals(0.2, mean[1], 0.03);
        assertEquals(0.0707, sd[0], 0.02);
        assertEquals(0.0707, sd[1], 0.02);
        float[][] reloaded = again.sample(10_000, xo, 2);
        for (int i = 0; i < samples.length; i += 997) assertArrayEquals(samples[i], reloaded[i]);
    }
}
