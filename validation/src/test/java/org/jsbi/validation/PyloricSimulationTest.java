package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Backends;
import org.jsbi.dist.BoxUniform;
import org.jsbi.estimator.ZScore;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.flow.MafFile;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.posterior.TruncatedPriorFile;
import org.jsbi.random.Rng;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.sim.stg.PyloricOutcome;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.StoreListener;
import org.jsbi.simulation.StoreMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pyloric store with the real simulator at a tiny budget (16 networks in chunks of 8; ~20 ms of CPU each):
 * a stop requested the way the Ctrl-C hook requests it keeps the finished chunk, and resuming gives the bytes of an
 * uninterrupted run.
 */
class PyloricSimulationTest {

    @TempDir
    Path tmp;

    @Test
    void aShutdownStopKeepsTheFinishedChunkAndResumingGivesTheSameData() throws Exception {
        Path ref = tmp.resolve("reference"), dir = tmp.resolve("interrupted");
        StringWriter refLog = new StringWriter();
        PyloricSimulation.Result full = PyloricSimulation.run(new PyloricSimulation.Settings(ref, 16L, 7L, 8),
                new PrintWriter(refLog, true), 0, null);
        assertTrue(full.run().complete());
        long[] counts = full.outcomeCounts();
        long sum = 0;
        for (long c : counts) sum += c;
        assertEquals(16, sum, "every network has an outcome");
        assertEquals(counts[PyloricOutcome.TRIPHASIC.ordinal()], full.triphasic());
        assertTrue(refLog.toString().contains("outcomes:"), refLog.toString());
        assertTrue(refLog.toString().contains("done: 16 networks on disk"), refLog.toString());

        // Stop the way the shutdown hook does, from another thread, once the first chunk is on disk: the hook
        // interrupts the worker and then waits until the worker releases it.
        List<String> messages = new ArrayList<>();
        AtomicReference<Thread> stopper = new AtomicReference<>();
        StopOnShutdown stop = StopOnShutdown.detached(Thread.currentThread(), messages::add);
        StringWriter log = new StringWriter();
        PyloricSimulation.Result part;
        try (stop) {
            part = PyloricSimulation.run(new PyloricSimulation.Settings(dir, 16L, 7L, 8), new PrintWriter(log, true), 0,
                    new StoreListener() {
                        @Override
                        public void progress(org.jsbi.simulation.StoreProgress p) {
                            if (p.chunksDone() == 1 && stopper.get() == null) {
                                Thread t = new Thread(stop::stop);
                                stopper.set(t);
                                t.start();
                                // wait for the interrupt, so the run stops before the next chunk
                                while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
                            }
                        }
                    });
            assertTrue(stopper.get().isAlive(), "the hook waits until the run has finished");
        }
        assertTrue(Thread.interrupted(), "the run leaves the interrupt status for its caller");
        stopper.get().join(10_000);
        assertFalse(stopper.get().isAlive(), "closing releases the hook");
        assertTrue(stop.triggered());
        assertEquals(1, messages.size());
        assertTrue(part.run().interrupted());
        assertFalse(part.run().complete());
        assertEquals(8, part.onDisk());
        assertNull(part.outcomeCounts());
        assertTrue(log.toString().contains("interrupted: 8 of 16 networks are on disk"), log.toString());
        assertTrue(log.toString().contains("jsbi pyloric simulate --store " + dir + " --n 16 --seed 7 --chunk 8"),
                log.toString());

        // resuming: n, seed and chunk come from the store
        StringWriter log2 = new StringWriter();
        PyloricSimulation.Result rest = PyloricSimulation.run(new PyloricSimulation.Settings(dir, null, null, null),
                new PrintWriter(log2, true), 0, null);
        assertTrue(rest.run().complete());
        assertEquals(8, rest.run().rowsSimulated());
        assertTrue(log2.toString().contains("resuming: 8 of 16 networks already on disk"), log2.toString());
        assertArrayEquals(counts, rest.outcomeCounts());
        for (int c = 0; c < 2; c++) {
            for (String suffix : new String[] {".theta.npy", ".x.npy"}) {
                String name = String.format("chunk-%06d%s", c, suffix);
                assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(dir.resolve(name)), name);
            }
        }

        // other settings on an existing store are refused with the differences named
        StoreMismatchException e = assertThrows(StoreMismatchException.class, () -> PyloricSimulation.run(
                new PyloricSimulation.Settings(dir, 16L, 8L, null), new PrintWriter(new StringWriter()), 0, null));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }

    /**
     * A sequential round's store (8 real networks from the prior truncated to an untrained flow's upper half, as
     * {@code pyloric simulate --proposal} makes it): every θ is inside the region, and resuming it without the
     * proposal is refused with the reason instead of being compared against the plain prior.
     */
    @Test
    void aStoreFromATruncatedPriorHoldsOnlyDrawsInsideItAndResumesOnlyWithTheSameProposal() throws IOException {
        Backend be = Backends.current();
        BoxUniform prior = PyloricNetwork.prior();
        Maf maf = new Maf(be, 31, 18, zScore(prior), ZScore.identity(18),
                MafConfig.defaults().withTransforms(2).withHiddenFeatures(32).withBlocks(1), new Rng(4));
        Path model = tmp.resolve("r1").resolve(PyloricInference.MODEL_FILE);
        Files.createDirectories(model.getParent());
        MafFile.save(maf, model);
        float[] xo = new float[18];
        java.util.Arrays.fill(xo, 0.5f);
        DirectPosterior q = new DirectPosterior(maf, prior, PosteriorConfig.defaults());
        double tau = TruncatedPrior.threshold(q.logProbUncorrected(prior.sample(2_000, new Rng(1)), xo), 0.5);
        Path file = model.resolveSibling(PyloricInference.PROPOSAL_FILE);
        TruncatedPriorFile.write(file, new TruncatedPrior(q, xo, tau, "r1"), model, 0.5, 2_000);

        Path dir = tmp.resolve("round2");
        StringWriter log = new StringWriter();
        PyloricSimulation.Result r = PyloricSimulation.run(new PyloricSimulation.Settings(dir, 8L, 9L, 8, file),
                new PrintWriter(log, true), 0, null);
        assertTrue(r.run().complete(), log.toString());
        assertTrue(log.toString().contains("sequential round (TSNPE)"), log.toString());
        assertTrue(r.resumeCommand().endsWith("--proposal " + file), r.resumeCommand());
        float[][] theta = SimulationStore.open(dir).readAll(org.jsbi.simulation.RowFilter.all()).theta();
        assertEquals(8, theta.length);
        double[] lq = q.logProbUncorrected(theta, xo);
        for (int i = 0; i < theta.length; i++) assertTrue(lq[i] >= tau, "network " + i + " outside the region");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyloricSimulation.run(
                new PyloricSimulation.Settings(dir, null, null, null), new PrintWriter(new StringWriter()), 0, null));
        assertTrue(e.getMessage().contains("resume it with the same --proposal"), e.getMessage());
        PyloricSimulation.Result again = PyloricSimulation.run(new PyloricSimulation.Settings(dir, null, null, null,
                file), new PrintWriter(new StringWriter()), 0, null);
        assertTrue(again.run().complete());
        assertEquals(0, again.run().rowsSimulated(), "nothing left to simulate");
    }

    private static ZScore zScore(BoxUniform prior) {
        float[] m = new float[prior.dim()], sd = new float[prior.dim()];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) prior.mean()[i];
            sd[i] = (float) prior.stddev()[i];
        }
        return new ZScore(m, sd);
    }

    @Test
    void creatingAStoreNeedsN() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyloricSimulation.run(
                new PyloricSimulation.Settings(tmp.resolve("new"), null, null, null), new PrintWriter(new StringWriter()),
                0, null));
        assertTrue(e.getMessage().contains("--n"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PyloricSimulation.Settings(tmp, 0L, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PyloricSimulation.Settings(tmp, 10L, null, 0));
    }

    @Test
    void progressLinesGiveRateEtaAndTheTriphasicShare() throws IOException {
        String s = PyloricSimulation.progressLine(new org.jsbi.simulation.StoreProgress(1024, 100_000, 4, 391, 11, 1024,
                29.0, 35.3, 2804));
        assertEquals("  1,024/100,000 (1.0%)  35.3 networks/s  ETA 46m44s  triphasic 11 (1.07%)", s);
        assertTrue(SimulationStore.MANIFEST.endsWith(".properties"));
    }
}
