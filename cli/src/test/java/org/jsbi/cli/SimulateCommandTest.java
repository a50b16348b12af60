package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jsbi.backend.Backends;
import org.jsbi.cli.NpeCommandTest.Printed;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.io.Npy;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.sim.benchmark.BenchmarkTask;
import org.jsbi.sim.benchmark.BenchmarkTasks;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.StoreConfig;
import org.jsbi.simulation.StoreListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi simulate} then {@code jsbi train --store}: the store holds what the library's store holds for the same
 * model, seed and chunks, an interrupted run resumes, and training on it gives the API's posterior with the model's
 * own prior.
 */
class SimulateCommandTest {

    @Test
    void simulateResumeExportAndTrainOnTheStore(@TempDir Path tmp) throws IOException {
        Path store = tmp.resolve("moons");
        // An interrupt before the first chunk: nothing simulated, exit 130, and the same command resumes.
        String[] args = {"simulate", "--model", "two_moons", "--simulations", "1000", "--chunk", "300", "--seed", "5",
            "--store", store.toString(), "--export-theta", tmp.resolve("t.npy").toString(), "--export-x",
            tmp.resolve("x.npy").toString()};
        Thread.currentThread().interrupt();
        Printed stopped;
        try {
            stopped = NpeCommandTest.printed(args);
        } finally {
            Thread.interrupted();
        }
        assertEquals(NpeCommand.EXIT_INTERRUPTED, stopped.run().code(), stopped.run() + "\n" + stopped.out());
        assertTrue(stopped.out().contains("interrupted: 0 of 1,000 on disk; the same command resumes"), stopped.out());
        Printed done = NpeCommandTest.printed(args);
        assertEquals(0, done.run().code(), done.run() + "\n" + done.out());
        assertTrue(done.out().contains("complete: 1,000 simulations"), done.out());
        assertTrue(done.out().contains("next: jsbi train --store " + store), done.out());

        BenchmarkTask t = BenchmarkTasks.byName("two_moons");
        SimulationStore lib = SimulationStore.create(tmp.resolve("lib"), t.simulator(), t.prior(), 1000,
                StoreConfig.defaults().withSeed(5).withChunkSize(300));
        lib.run(t.simulator(), t.prior(), StoreListener.NONE);
        SimulationSet expected = lib.readAll();
        SimulationSet got = SimulationStore.open(store).readAll();
        assertArrayEquals(expected.theta(), got.theta());
        assertArrayEquals(expected.x(), got.x());
        assertArrayEquals(expected.theta(), Npy.readMatrix(tmp.resolve("t.npy")));
        assertArrayEquals(expected.x(), Npy.readMatrix(tmp.resolve("x.npy")));

        Path post = tmp.resolve("moons.jsbi");
        Printed trained = NpeCommandTest.printed("train", "--store", store.toString(), "--max-epochs", "3",
                "--seed", "2", "--save-posterior", post.toString());
        assertEquals(0, trained.run().code(), trained.run() + "\n" + trained.out());
        assertTrue(trained.out().contains("1,000 simulations (θ 2-D, x 2-D; two_moons store " + store + ")"),
                trained.out());
        DirectPosterior cli = DirectPosterior.load(post, Backends.current());
        assertEquals(t.prior().describe(), cli.prior().describe());
        NpeConfig cfg = NpeConfig.defaults().withTraining(NpeConfig.defaults().training().withMaxEpochs(3)
                .withSeed(2));
        DirectPosterior api = new Npe(cfg).train(expected).posterior(t.prior());
        float[][] probe = {{0.1f, 0.2f}, {-0.5f, 0.3f}};
        float[] xo = {0.05f, -0.1f};
        assertArrayEquals(api.logProb(probe, xo), cli.logProb(probe, xo));
    }

    /** --at prints one simulation's x exactly: what Simulations.simulate gives for that θ and seed. */
    @Test
    void atPrintsOneSimulationsDataExactly() {
        Printed p = NpeCommandTest.printed("simulate", "--model", "two_moons", "--at", "0.3,-0.2", "--seed", "9");
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        BenchmarkTask t = BenchmarkTasks.byName("two_moons");
        float[] x = org.jsbi.simulation.Simulations.simulate(t.simulator(), new float[][] {{0.3f, -0.2f}}, 9)[0];
        String[] printed = p.out().strip().split("\n");
        String[] cells = printed[printed.length - 1].split(",");
        assertEquals(2, cells.length, p.out());
        for (int i = 0; i < 2; i++) assertEquals(x[i], Float.parseFloat(cells[i]), 0f, p.out());
        // The note on a θ outside the prior goes to stderr: stdout stays x alone, for X=$(jsbi simulate --at ...).
        Printed outside = NpeCommandTest.printed("simulate", "--model", "two_moons", "--at", "3,0");
        assertEquals(0, outside.run().code(), outside.run() + "\n" + outside.out());
        assertTrue(outside.run().err().contains("note: this θ lies outside two_moons's prior"), outside.run().err());
        assertTrue(outside.out().strip().matches("[-0-9.Ee]+,[-0-9.Ee]+"), outside.out());
    }

    @Test
    void badRequestsAreRefusedWithWhatToDo(@TempDir Path tmp) throws IOException {
        Path partial = tmp.resolve("partial");
        BenchmarkTask t = BenchmarkTasks.byName("two_moons");
        SimulationStore.create(partial, t.simulator(), t.prior(), 1000, StoreConfig.defaults().withChunkSize(300));
        String s = tmp.resolve("s").toString(), post = tmp.resolve("p.jsbi").toString();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String[][] cases = {
            {"--export-theta " + tmp.resolve("t.csv") + ": the export is a NumPy .npy file", "simulate", "--model",
                "two_moons", "--simulations", "10", "--store", s, "--export-theta", tmp.resolve("t.csv").toString(),
                "--export-x", tmp.resolve("x.npy").toString()},
            {"--export-theta and --export-x name the same file", "simulate", "--model", "two_moons", "--simulations",
                "10", "--store", s, "--export-theta", tmp.resolve("a.npy").toString(), "--export-x",
                tmp.resolve("a.npy").toString()},
            {"--store " + tmp.resolve("none") + ": no such folder; make the store with jsbi simulate", "train",
                "--store", tmp.resolve("none").toString(), "--save-posterior", post},
            {"--store " + empty + " is not a simulation store", "train", "--store", empty.toString(),
                "--save-posterior", post},
            {"--model: unknown model 'moons'; jsbi simulates gaussian_linear,", "simulate", "--model", "moons",
                "--simulations", "10", "--store", s},
            {"--at has 3 values but two_moons has 2 parameters", "simulate", "--model", "two_moons", "--at", "1,2,3"},
            {"--at simulates one parameter set and prints it: leave out --simulations", "simulate", "--model",
                "two_moons", "--at", "1,2", "--store", s},
            {"give --simulations N and --store DIR", "simulate", "--model", "two_moons", "--store", s},
            {"--simulations must be at least 1, got 0", "simulate", "--model", "two_moons", "--simulations", "0",
                "--store", s},
            {"--export-theta and --export-x go together", "simulate", "--model", "two_moons", "--simulations", "10",
                "--store", s, "--export-x", tmp.resolve("x.npy").toString()},
            {"holds 0 of its 1,000 simulations; finish it first: jsbi simulate --model two_moons --simulations 1000"
                + " --store " + partial + " --seed 0 --chunk 300", "train", "--store", partial.toString(),
                "--save-posterior", post},
            {"--store brings its simulations and prior: leave out --theta", "train", "--store", partial.toString(),
                "--low", "0", "--save-posterior", post},
            {"give the simulations as --store DIR (made by jsbi simulate), or as --theta FILE", "train",
                "--save-posterior", post},
        };
        for (String[] c : cases) {
            Printed p = NpeCommandTest.printed(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, p.run().code(), String.join(" ", c) + "\n" + p.run());
            assertTrue(p.run().err().contains(c[0]), "expected '" + c[0] + "':\n" + p.run());
        }
        // Refused before any simulation: a wrong export name costs nothing, not a whole run.
        assertFalse(Files.exists(Path.of(s)), "the store was begun");
    }
}
