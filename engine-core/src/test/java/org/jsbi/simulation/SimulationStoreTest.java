package org.jsbi.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.io.Npy;
import org.jsbi.random.CounterRandom;
import org.jsbi.testing.InterruptingPrior;
import org.jsbi.testing.TestSeeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationStoreTest {

    static final int N = 600;
    static final int CHUNK = 64; // 10 chunks, the last of 24 rows
    static final long SEED = TestSeeds.seed(11);

    /**
     * x = (2θ₀ + ε₀, 2θ₁ + ε₁, θ₀θ₁) with ε ~ N(0, 0.1²) keyed by the global simulation index; the last feature is NaN
     * when θ₀ < −0.6 (a stand-in for an undefined feature).
     */
    static class Doubler implements Simulator {
        final AtomicInteger batches = new AtomicInteger();

        public String name() {
            return "doubler";
        }

        public int parameterDim() {
            return 2;
        }

        public int dataDim() {
            return 3;
        }

        public void simulate(ParameterBatch batch, long seed, float[] out) {
            batch.check(this);
            batches.incrementAndGet();
            for (int i = 0; i < batch.count(); i++) {
                float[] x = expected(batch.row(i), seed, batch.firstIndex() + i);
                System.arraycopy(x, 0, out, i * 3, 3);
            }
        }

        static float[] expected(float[] theta, long seed, long index) {
            CounterRandom r = new CounterRandom(seed, index, 0);
            return new float[] {2 * theta[0] + (float) (0.1 * r.nextGaussian()), 2 * theta[1] + (float) (0.1 * r.nextGaussian()),
                    theta[0] < -0.6f ? Float.NaN : theta[0] * theta[1]};
        }
    }

    @TempDir
    Path tmp;

    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restore() {
        Thread.interrupted();
        Parallel.setThreads(threadsBefore);
    }

    static Prior prior() {
        return Priors.boxUniform(2, -1, 1);
    }

    static StoreConfig config() {
        return StoreConfig.defaults().withChunkSize(CHUNK).withSeed(SEED);
    }

    private SimulationStore create(Path dir) throws IOException {
        return SimulationStore.create(dir, new Doubler(), prior(), N, config());
    }

    @TempDir
    static Path shared;
    private static Path reference;

    /** A complete store, simulated once without interruption; tests only read it (see {@link #copyOfReference}). */
    static synchronized Path reference() throws IOException {
        if (reference == null) {
            Path dir = shared.resolve("reference");
            SimulationStore s = SimulationStore.create(dir, new Doubler(), prior(), N, config());
            SimulationStore.RunResult r = s.run(new Doubler(), prior(), StoreListener.NONE);
            assertTrue(r.complete());
            reference = dir;
        }
        return reference;
    }

    /** A copy of the reference store to damage. */
    private Path copyOfReference(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> s = Files.list(reference())) {
            for (Path p : s.toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
        return dir;
    }

    /** The bytes of every chunk file, by name. */
    static Map<String, byte[]> chunkFiles(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("chunk-")) m.put(name, Files.readAllBytes(p));
            }
        }
        return m;
    }

    static void assertSameChunks(Path expected, Path actual) throws IOException {
        Map<String, byte[]> a = chunkFiles(expected), b = chunkFiles(actual);
        assertEquals(a.keySet(), b.keySet(), "the same files");
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name + " differs" + TestSeeds.replay(SEED));
        }
    }

    static List<String> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    @Test
    void createAndRunStoresNSimulationsKeyedByTheirGlobalIndex() throws IOException {
        Path dir = tmp.resolve("store");
        SimulationStore store = create(dir);
        assertEquals(10, store.chunkCount());
        assertEquals(0, store.completedRows());
        List<StoreProgress> seen = new ArrayList<>();
        SimulationStore.RunResult r = store.run(new Doubler(), prior(), seen::add);

        assertTrue(r.complete());
        assertFalse(r.interrupted());
        assertEquals(10, r.chunksSimulated());
        assertEquals(N, r.rowsSimulated());
        assertEquals(N, store.completedRows());
        assertEquals(11, seen.size(), "one report at the start and one per chunk");
        StoreProgress last = seen.get(10);
        assertEquals(N, last.done());
        assertEquals(1.0, last.fraction());
        assertEquals(0.0, last.etaSeconds());
        assertTrue(last.rowsPerSecond() > 0);
        assertEquals(store.goodRows(), last.good());
        assertEquals(0, seen.get(0).done());
        assertTrue(Double.isNaN(seen.get(0).etaSeconds()));
        for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i).done() > seen.get(i - 1).done());

        SimulationSet all = store.readAll(RowFilter.all());
        assertEquals(N, all.size());
        for (int i = 0; i < N; i++) {
            assertArrayEquals(Doubler.expected(all.theta()[i], SEED, i), all.x()[i], 0f, "simulation " + i
                    + " was not simulated with its global index" + TestSeeds.replay(SEED));
            for (float t : all.theta()[i]) assertTrue(t >= -1 && t < 1);
        }
        assertEquals(30, chunkFiles(dir).size());
        assertEquals(List.of(), temporaryFiles(dir));
        assertEquals(new Npy.Header(Npy.DType.FLOAT32, new long[] {24, 3}),
                Npy.readHeader(dir.resolve("chunk-000009.x.npy")), "the last chunk holds what is left");

        // running a complete store again does nothing
        SimulationStore.RunResult again = SimulationStore.open(dir).run(new Doubler(), prior(), StoreListener.NONE);
        assertTrue(again.complete());
        assertEquals(0, again.chunksSimulated());
    }

    /** An interrupt while a truncated prior draws a chunk's θ is an interrupted run, the chunk left for the resume. */
    @Test
    void anInterruptWhileATruncatedPriorDrawsAChunkEndsTheRunLikeOneBetweenChunks() throws IOException {
        Prior truncated = SimulationsTest.everywhere(InterruptingPrior.onSample(prior(), 1));
        // chunks of 10,000 rows take three blocks of base draws: the interrupt comes in the middle of the first chunk
        StoreConfig cfg = config().withChunkSize(10_000);
        SimulationStore store = SimulationStore.create(tmp.resolve("truncated"), new Doubler(), truncated, 20_000, cfg);
        SimulationStore.RunResult r = store.run(new Doubler(), truncated, StoreListener.NONE);
        assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        assertTrue(r.interrupted());
        assertEquals(0, r.chunksSimulated(), "the chunk whose θ were being drawn is not simulated");
        assertEquals(0, store.completedRows());
    }

    /**
     * A simulator that stops on an interrupt by throwing (with an InterruptedException as the cause, the interrupt
     * status cleared) made run throw and lose the interrupt: it is an interrupted run, the chunk left for the resume,
     * which then gives the bytes of an uninterrupted run.
     */
    @Test
    void aSimulatorThatThrowsOnAnInterruptEndsTheRunLikeOneBetweenChunks() throws IOException {
        Path dir = tmp.resolve("throws-on-interrupt");
        Doubler stops = new Doubler() {
            @Override
            public void simulate(ParameterBatch batch, long seed, float[] out) {
                if (batch.firstIndex() >= 2 * CHUNK) throw new IllegalStateException("stopped", new InterruptedException());
                super.simulate(batch, seed, out);
            }
        };
        SimulationStore store = create(dir);
        SimulationStore.RunResult r = store.run(stops, prior(), StoreListener.NONE);
        assertTrue(Thread.interrupted(), "the interrupt status is set for the caller");
        assertTrue(r.interrupted());
        assertEquals(2, r.chunksSimulated());
        assertTrue(temporaryFiles(dir).isEmpty());
        assertTrue(SimulationStore.open(dir).run(new Doubler(), prior(), StoreListener.NONE).complete());
        assertSameChunks(reference(), dir);
    }

    /** A simulator that leaves part of its output unwritten wrote zeros into the store as data. */
    @Test
    void aSimulatorThatLeavesOutputUnwrittenCommitsNothing() throws IOException {
        Path dir = tmp.resolve("short");
        Doubler writesTwo = new Doubler() {
            @Override
            public void simulate(ParameterBatch batch, long seed, float[] out) {
                for (int i = 0; i < batch.count() * 2; i++) out[i] = 1;
            }
        };
        SimulationStore store = create(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.run(writesTwo, prior(), StoreListener.NONE));
        assertTrue(e.getMessage().contains("unwritten"), e.getMessage());
        assertEquals(0, SimulationStore.open(dir).completedRows());
    }

    @Test
    void interruptedThenResumedGivesTheSameBytesAsAnUninterruptedRun() throws IOException {
        Path ref = reference();
        Path dir = tmp.resolve("interrupted");
        Parallel.setThreads(2);
        SimulationStore store = create(dir);
        // interrupt the running thread after the third chunk is on disk, as Ctrl-C handling would
        SimulationStore.RunResult r = store.run(new Doubler(), prior(), p -> {
            if (p.chunksDone() == 3) Thread.currentThread().interrupt();
        });
        assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        assertTrue(r.interrupted());
        assertFalse(r.complete());
        assertEquals(3, r.chunksSimulated());
        assertEquals(3 * CHUNK, store.completedRows());
        assertEquals(9, chunkFiles(dir).size());
        assertThrows(IllegalStateException.class, store::readAll, "an incomplete store is not read whole");

        // a second interruption, on another thread count, after two more chunks
        Parallel.setThreads(1);
        SimulationStore again = SimulationStore.create(dir, new Doubler(), prior(), N, config());
        assertEquals(3, again.completedChunks());
        r = again.run(new Doubler(), prior(), p -> {
            if (p.doneThisRun() == 2 * CHUNK) Thread.currentThread().interrupt();
        });
        assertTrue(Thread.interrupted());
        assertEquals(2, r.chunksSimulated());
        assertEquals(5 * CHUNK, r.completedRows());

        // an interrupt that is pending when the run starts stops it before any chunk
        Thread.currentThread().interrupt();
        r = again.run(new Doubler(), prior(), StoreListener.NONE);
        assertTrue(Thread.interrupted());
        assertTrue(r.interrupted());
        assertEquals(0, r.chunksSimulated());

        Parallel.setThreads(threadsBefore);
        Doubler sim = new Doubler();
        r = SimulationStore.open(dir).run(sim, prior(), StoreListener.NONE);
        assertTrue(r.complete());
        assertEquals(5, r.chunksSimulated(), "only the missing chunks are simulated");
        assertEquals(N - 5 * CHUNK, r.rowsSimulated());
        assertSameChunks(ref, dir);
        assertEquals(SimulationStore.open(ref).readAll(RowFilter.all()).theta().length, N);
        assertArrayEquals(SimulationStore.open(ref).readAll().x(), SimulationStore.open(dir).readAll().x());
    }

    @Test
    void interruptFromAnotherThreadAtAnyMomentLosesNothing() throws Exception {
        Path ref = reference();
        Path dir = tmp.resolve("async");
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
        Doubler slow = new Doubler() {
            @Override
            public void simulate(ParameterBatch batch, long seed, float[] out) {
                started.countDown();
                super.simulate(batch, seed, out);
                long until = System.nanoTime() + 1_000_000; // 1 ms of busy work per batch
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
        };
        SimulationStore store = create(dir);
        SimulationStore.RunResult[] result = new SimulationStore.RunResult[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = store.run(slow, prior(), StoreListener.NONE);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        started.await();                      // a few batches in: the interrupt lands while simulating or writing
        Thread.sleep(System.nanoTime() % 3);
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive());
        if (failure[0] != null) throw new AssertionError("the interrupted run failed", failure[0]);
        assertEquals(List.of(), temporaryFiles(dir), "a commit is never cut short by an interrupt");
        SimulationStore reopened = SimulationStore.open(dir);
        assertEquals(Map.of(), reopened.damagedChunks());
        assertEquals(result[0].completedRows(), reopened.completedRows());
        assertTrue(result[0].chunksSimulated() >= 2 && (result[0].interrupted() || result[0].complete()),
                result[0].toString());
        reopened.run(new Doubler(), prior(), StoreListener.NONE);
        assertSameChunks(ref, dir);
    }

    @Test
    void damagedChunksAndLeftoversOfACrashAreDetectedAndRedone() throws IOException {
        Path ref = reference();
        Path dir = copyOfReference("crashed");
        // the states a kill or power cut can leave, and damage afterwards:
        Path truncated = dir.resolve("chunk-000002.theta.npy");
        byte[] b = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(b, b.length - 10));        // cut short
        Path flipped = dir.resolve("chunk-000005.x.npy");
        b = Files.readAllBytes(flipped);
        b[200] ^= 0x10;
        Files.write(flipped, b);                                                    // one bit changed
        Files.delete(dir.resolve("chunk-000006.done"));                             // killed before its marker
        Files.delete(dir.resolve("chunk-000007.done"));
        Files.delete(dir.resolve("chunk-000007.x.npy"));
        Files.writeString(dir.resolve("chunk-000007.x.npy.tmp"), "half a file");   // killed while writing
        Files.writeString(dir.resolve("chunk-000008.done"), "rows=banana\n");      // a damaged marker
        Files.delete(dir.resolve("chunk-000009.theta.npy"));                       // a lost file (last chunk)

        SimulationStore reopened = SimulationStore.open(dir);
        Map<Integer, String> damaged = reopened.damagedChunks();
        assertEquals(List.of(2, 5, 8, 9), new ArrayList<>(damaged.keySet()));
        assertTrue(damaged.get(2).contains("chunk-000002.theta.npy does not match its checksum"), damaged.get(2));
        assertTrue(damaged.get(5).contains("chunk-000005.x.npy does not match its checksum"), damaged.get(5));
        assertTrue(damaged.get(8).contains("chunk-000008.done is unreadable"), damaged.get(8));
        assertTrue(damaged.get(9).contains("chunk-000009.theta.npy is missing"), damaged.get(9));
        assertEquals(4, reopened.completedChunks(), "damaged chunks never count");
        assertThrows(IllegalStateException.class, () -> reopened.export(tmp.resolve("t.npy"), tmp.resolve("x.npy")));

        Map<Integer, String> reported = new TreeMap<>();
        SimulationStore.RunResult r = reopened.run(new Doubler(), prior(), new StoreListener() {
            @Override
            public void progress(StoreProgress p) {
            }

            @Override
            public void damagedChunk(int chunk, String reason) {
                reported.put(chunk, reason);
            }
        });
        assertEquals(damaged, reported, "each damaged chunk is reported");
        assertTrue(r.complete());
        assertEquals(6, r.chunksSimulated());
        assertEquals(4, r.damagedChunks());
        assertEquals(4, r.leftoversRemoved(), "the .tmp file and the three files of chunks 6 and 7 without markers");
        assertEquals(List.of(), temporaryFiles(dir));
        assertSameChunks(ref, dir);
        assertEquals(Map.of(), SimulationStore.open(dir).damagedChunks());
    }

    @Test
    void aChunkChangedAfterOpeningIsNeverRead() throws IOException {
        SimulationStore store = SimulationStore.open(copyOfReference("changed"));
        Path x = store.directory().resolve("chunk-000004.x.npy");
        byte[] b = Files.readAllBytes(x);
        b[b.length - 1] ^= 1;
        Files.write(x, b);
        SimulationStoreException e = assertThrows(SimulationStoreException.class, store::readAll);
        assertTrue(e.getMessage().contains("chunk 4 changed after it was checked"), e.getMessage());
        assertTrue(e.getMessage().contains("run the store again"), e.getMessage());
    }

    /**
     * A store records its simulator's revision and resumes only with the same one, saying what to do otherwise; a store
     * whose manifest predates revisions (no simulatorRevision line) resumes with any.
     */
    @Test
    void aStoreResumesOnlyWithTheRevisionOfItsSimulator() throws IOException {
        Path dir = tmp.resolve("revisions");
        Simulator revised = new Doubler() {
            @Override
            public String revision() {
                return "2";
            }
        };
        SimulationStore store = SimulationStore.create(dir, new Doubler(), prior(), N, config());
        assertEquals("1", store.manifest().revision());
        assertTrue(Files.readString(dir.resolve("manifest.properties")).contains("\nsimulatorRevision=1\n"));
        StoreMismatchException e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.create(dir, revised, prior(), N, config()));
        assertEquals(List.of("simulator revision: 1 in the store, 2 requested"), e.differences());
        assertTrue(e.getMessage().contains("numerics changed") && e.getMessage().contains("another seed"),
                e.getMessage());
        e = assertThrows(StoreMismatchException.class, () -> store.run(revised, prior(), StoreListener.NONE));
        assertEquals(List.of("simulator revision: 1 in the store, 2 given"), e.differences());
        assertTrue(e.getMessage().contains("finish it with the jsbi that began it"), e.getMessage());

        // A manifest written before revisions were recorded: nothing to check against, so it resumes.
        Path manifest = dir.resolve("manifest.properties");
        Files.writeString(manifest, Files.readString(manifest).replace("simulatorRevision=1\n", ""));
        SimulationStore old = SimulationStore.create(dir, revised, prior(), N, config());
        assertEquals("", old.manifest().revision());
        assertTrue(old.run(revised, prior(), StoreListener.NONE).complete());
    }

    /**
     * A store whose simulator reported no configuration records that (an empty line) and is not finished by one that
     * reports some; a manifest without the line predates the check and resumes with any.
     */
    @Test
    void aStoreBegunWithoutAConfigurationIsNotFinishedWithOne() throws IOException {
        Path dir = tmp.resolve("configurations");
        Simulator configured = new Doubler() {
            @Override
            public String configuration() {
                return "gain=3";
            }
        };
        SimulationStore store = SimulationStore.create(dir, new Doubler(), prior(), N, config());
        assertEquals("", store.manifest().configuration());
        Path manifest = dir.resolve("manifest.properties");
        assertTrue(Files.readString(manifest).contains("\nsimulatorConfiguration=\n"));
        StoreMismatchException e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.create(dir, configured, prior(), N, config()));
        assertEquals(List.of("simulator configuration: (none) in the store, gain=3 requested"), e.differences());
        e = assertThrows(StoreMismatchException.class, () -> store.run(configured, prior(), StoreListener.NONE));
        assertEquals(List.of("simulator configuration: (none) in the store, gain=3 given"), e.differences());
        assertTrue(store.run(new Doubler(), prior(), StoreListener.NONE).complete());

        Files.writeString(manifest, Files.readString(manifest).replace("simulatorConfiguration=\n", ""));
        SimulationStore old = SimulationStore.create(dir, configured, prior(), N, config());
        assertNull(old.manifest().configuration());
        assertTrue(old.run(configured, prior(), StoreListener.NONE).complete());
    }

    @Test
    void settingsThatDifferFromTheStoreAreRefusedWithWhatDiffers() throws IOException {
        Path dir = reference();
        StoreMismatchException e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.create(dir, new Doubler(), prior(), 2 * N, config().withSeed(SEED + 1)));
        assertEquals(List.of("number of simulations: 600 in the store, 1200 requested",
                "seed: " + SEED + " in the store, " + (SEED + 1) + " requested"), e.differences());
        assertTrue(e.getMessage().contains("choose another directory") && e.getMessage().contains("delete " + dir),
                e.getMessage());
        e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.create(dir, new Doubler(), prior(), N, config().withChunkSize(100)));
        assertEquals(List.of("chunk size: 64 in the store, 100 requested"), e.differences());
        e = assertThrows(StoreMismatchException.class, () -> SimulationStore.create(dir, new Doubler(), prior(), N,
                config().withGoodRow(RowFilter.finiteColumns(2))));
        assertEquals(List.of("good-row filter: all-finite in the store, finite:2 requested"), e.differences());

        Simulator other = new Doubler() {
            @Override
            public String name() {
                return "tripler";
            }
        };
        e = assertThrows(StoreMismatchException.class, () -> SimulationStore.create(dir, other, prior(), N, config()));
        assertEquals(List.of("simulator: doubler in the store, tripler requested"), e.differences());
        SimulationStore store = SimulationStore.open(dir);
        e = assertThrows(StoreMismatchException.class, () -> store.run(other, prior(), StoreListener.NONE));
        assertEquals(List.of("simulator: doubler in the store, tripler given"), e.differences());
        e = assertThrows(StoreMismatchException.class,
                () -> store.run(new Doubler(), Priors.boxUniform(2, -2, 2), StoreListener.NONE));
        assertTrue(e.differences().get(0).startsWith("prior: BoxUniform[low=[-1.0, -1.0]"), e.differences().toString());
        // The 3-D prior also differs from the store's in description: without the dimension check this would still be
        // a StoreMismatchException (an IllegalArgumentException), so the message is what tells the two apart.
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> store.run(new Doubler(), Priors.boxUniform(3, -1, 1), StoreListener.NONE));
        assertTrue(dim.getMessage().contains("the prior has dimension 3 but doubler takes 2 parameters"),
                dim.getMessage());
    }

    @Test
    void gaussianPriorsOfTheSameMeanButAnotherCovarianceAreDifferentPriors() throws IOException {
        // Two Gaussians used to describe themselves by their mean alone, so a store begun with one resumed with the
        // other and mixed their draws.
        Path dir = tmp.resolve("gaussian");
        Prior narrow = Priors.gaussian(new double[] {0, 0}, new double[][] {{0.01, 0}, {0, 0.01}});
        Prior wide = Priors.gaussian(new double[] {0, 0}, new double[][] {{100, 0}, {0, 100}});
        SimulationStore.create(dir, new Doubler(), narrow, N, config());
        StoreMismatchException e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.create(dir, new Doubler(), wide, N, config()));
        assertTrue(e.differences().get(0).startsWith("prior: Gaussian[") && e.differences().get(0).contains("100.0"),
                e.differences().toString());
        e = assertThrows(StoreMismatchException.class,
                () -> SimulationStore.open(dir).run(new Doubler(), wide, StoreListener.NONE));
        assertTrue(e.differences().get(0).contains("covariance"), e.differences().toString());
    }

    @Test
    void directoriesThatAreNotStoresAreRefused() throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(foreign.resolve("holiday.jpg"), "not simulations");
        SimulationStoreException e = assertThrows(SimulationStoreException.class, () -> create(foreign));
        assertTrue(e.getMessage().contains("is not empty and holds no manifest.properties (it has holiday.jpg)"),
                e.getMessage());
        assertEquals(List.of("holiday.jpg"), Files.list(foreign).map(p -> p.getFileName().toString()).toList(),
                "nothing is written into it");
        e = assertThrows(SimulationStoreException.class, () -> SimulationStore.open(foreign));
        assertTrue(e.getMessage().contains("not a simulation store"), e.getMessage());
        e = assertThrows(SimulationStoreException.class, () -> SimulationStore.open(tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        // a manifest of a newer layout, and a damaged one
        Path dir = tmp.resolve("store");
        create(dir);
        Path m = dir.resolve(SimulationStore.MANIFEST);
        String text = Files.readString(m);
        Files.writeString(m, text.replace("formatVersion=1", "formatVersion=2"));
        e = assertThrows(SimulationStoreException.class, () -> SimulationStore.open(dir));
        assertTrue(e.getMessage().contains("written by a newer jsbi"), e.getMessage());
        Files.writeString(m, text.replace("chunkSize=64", "chunkSize=sixty-four"));
        e = assertThrows(SimulationStoreException.class, () -> SimulationStore.open(dir));
        assertTrue(e.getMessage().contains("'chunkSize' is 'sixty-four', not a number"), e.getMessage());
        Files.writeString(m, text);
        assertEquals(config().chunkSize(), SimulationStore.open(dir).manifest().chunkSize());

        // a creation killed before its manifest was renamed leaves only the .tmp: the directory is still usable
        Path aborted = Files.createDirectories(tmp.resolve("aborted"));
        Files.writeString(aborted.resolve("manifest.properties.tmp"), "format=jsbi-simul");
        assertEquals(10, create(aborted).chunkCount());
        assertEquals(List.of(), temporaryFiles(aborted));
    }

    @Test
    void manifestRecordsTheSettings() throws IOException {
        Path dir = tmp.resolve("store");
        create(dir);
        StoreManifest m = SimulationStore.open(dir).manifest();
        assertEquals("doubler", m.simulator());
        assertEquals(2, m.parameterDim());
        assertEquals(3, m.dataDim());
        assertEquals(N, m.simulations());
        assertEquals(CHUNK, m.chunkSize());
        assertEquals(SEED, m.seed());
        assertEquals(prior().describe(), m.prior());
        assertEquals("all-finite", m.goodRow());
        assertFalse(m.created().isEmpty());
        assertEquals(List.of(), m.differences(StoreManifest.parse(m.toText(), dir), "a", "b"));
        // values with characters a properties file escapes survive
        StoreManifest odd = new StoreManifest(1, "sim = \"x\"\\ é", "rev\t2 = ü", "noise=on: ü", 1, 1, 5, 2, -3,
                " leading space\nand a newline", "all", "");
        assertEquals(odd, StoreManifest.parse(odd.toText(), dir));
    }

    @Test
    void anotherRunHoldingTheStoreIsRefused() throws IOException {
        Path dir = tmp.resolve("store");
        SimulationStore store = create(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve(SimulationStore.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            SimulationStoreException e = assertThrows(SimulationStoreException.class,
                    () -> store.run(new Doubler(), prior(), StoreListener.NONE));
            assertTrue(e.getMessage().contains("is being filled by another run"), e.getMessage());
        }
        assertTrue(store.run(new Doubler(), prior(), StoreListener.NONE).complete());
    }

    /**
     * A complete store's run has nothing to write, so it takes no lock and creates no file: a finished store on
     * read-only media, or one another process holds, still opens and runs (to nothing) for its export.
     */
    @Test
    void aCompleteStoreRunsToNothingWithoutItsLock() throws IOException {
        Path dir = copyOfReference("complete");
        Files.deleteIfExists(dir.resolve(SimulationStore.LOCK));
        Map<String, byte[]> before = chunkFiles(dir);
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        SimulationStore.RunResult r = SimulationStore.open(dir).run(new Doubler(), prior(), StoreListener.NONE);
        assertTrue(r.complete());
        assertFalse(r.interrupted());
        assertEquals(0, r.chunksSimulated());
        assertEquals(N, r.completedRows());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(names, s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertFalse(Files.exists(dir.resolve(SimulationStore.LOCK)));
        Map<String, byte[]> after = chunkFiles(dir);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertArrayEquals(before.get(k), after.get(k), k);
        // Held by another run: a complete store is still read and run.
        try (FileChannel ch = FileChannel.open(dir.resolve(SimulationStore.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            assertTrue(SimulationStore.open(dir).run(new Doubler(), prior(), StoreListener.NONE).complete());
            assertEquals(N, SimulationStore.open(dir).readAll(RowFilter.all()).size());
        }
    }

    @Test
    void rowFiltersSelectGoodRows() throws IOException {
        SimulationStore store = SimulationStore.open(reference());
        SimulationSet raw = store.readAll(RowFilter.all());
        int nan = 0;
        for (float[] t : raw.theta()) if (t[0] < -0.6f) nan++;
        assertTrue(nan > 60 && nan < 180, "about 20% have a NaN feature: " + nan);
        assertEquals(N - nan, store.goodRows());

        SimulationSet finite = store.readAll();
        assertEquals(N - nan, finite.size());
        assertEquals(nan, finite.excludedNonFinite());
        for (float[] x : finite.x()) for (float v : x) assertTrue(Float.isFinite(v));
        SimulationSet firstTwo = store.readAll(RowFilter.finiteColumns(0, 1));
        assertEquals(N, firstTwo.size());
        assertEquals(N - nan, store.readAll(RowFilter.finiteColumns(2)).size());
        assertThrows(IllegalArgumentException.class, () -> store.readAll(RowFilter.finiteColumns(3)));

        for (RowFilter f : List.of(RowFilter.all(), RowFilter.allFinite(), RowFilter.finiteColumns(0, 2))) {
            assertEquals(f, RowFilter.parse(f.describe()));
        }
        // A NumberFormatException is an IllegalArgumentException too: the message shows the input was explained.
        IllegalArgumentException nf = assertThrows(IllegalArgumentException.class, () -> RowFilter.parse("finite:one"));
        assertTrue(nf.getMessage().contains("'finite:one' is not a row filter: after 'finite:' give column numbers"),
                nf.getMessage());
        nf = assertThrows(IllegalArgumentException.class, () -> RowFilter.parse("good"));
        assertTrue(nf.getMessage().contains("'good' is not a row filter; use all, all-finite or finite:<columns>"),
                nf.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimulationStore.create(
                tmp.resolve("bad"), new Doubler(), prior(), N, config().withGoodRow(RowFilter.finiteColumns(5))));
        assertTrue(e.getMessage().contains("names column 5 but the data have 3 columns"), e.getMessage());

        // a store whose good rows are counted on column 0 only: every row is good
        SimulationStore col0 = SimulationStore.create(tmp.resolve("col0"), new Doubler(), prior(), 100,
                config().withGoodRow(RowFilter.finiteColumns(0)));
        col0.run(new Doubler(), prior(), StoreListener.NONE);
        assertEquals(100, col0.goodRows());
    }

    @Test
    void streamReadsCompletedChunksInOrder() throws IOException {
        Path dir = tmp.resolve("partial");
        SimulationStore store = create(dir);
        store.run(new Doubler(), prior(), p -> {
            if (p.chunksDone() == 4) Thread.currentThread().interrupt();
        });
        Thread.interrupted();
        List<Integer> chunks = new ArrayList<>();
        long[] rows = new long[1];
        store.stream(c -> {
            assertEquals(c.index() * (long) CHUNK, c.firstRow());
            for (int i = 0; i < c.rows(); i++) {
                assertArrayEquals(Doubler.expected(c.thetaRow(i), SEED, c.firstRow() + i), c.xRow(i), 0f);
            }
            chunks.add(c.index());
            rows[0] += c.rows();
        });
        assertEquals(List.of(0, 1, 2, 3), chunks);
        assertEquals(4 * CHUNK, rows[0]);
    }

    @Test
    void exportRoundTripsThroughNpy() throws IOException {
        SimulationStore store = SimulationStore.open(reference());
        Path t = tmp.resolve("theta.npy"), x = tmp.resolve("x.npy");
        assertEquals(N, store.export(t, x));
        SimulationSet raw = store.readAll(RowFilter.all());
        assertArrayEquals(raw.theta(), Npy.readMatrix(t));
        float[][] xs = Npy.readMatrix(x);
        assertEquals(N, xs.length);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(Float.floatToRawIntBits(raw.x()[i][j]), Float.floatToRawIntBits(xs[i][j]), "NaN kept as NaN");
            }
        }
        SimulationSet finite = store.readAll();
        assertEquals(finite.size(), store.export(t, x, RowFilter.allFinite()));
        assertArrayEquals(finite.theta(), Npy.readMatrix(t));
        assertArrayEquals(finite.x(), Npy.readMatrix(x));
        assertThrows(IllegalArgumentException.class, () -> store.export(t, t));
    }

    @Test
    void chunkSeedsAreDistinctAndStable() {
        assertEquals(SimulationStore.chunkSeed(7, 3), SimulationStore.chunkSeed(7, 3));
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (long s = 0; s < 10; s++) for (int c = 0; c < 100; c++) seeds.add(SimulationStore.chunkSeed(s, c));
        assertEquals(1000, seeds.size());
    }

    @Test
    void consoleListenerPrintsReadableLines() {
        String line = StoreListener.line(new StoreProgress(123_904, 1_000_000, 121, 977, 115_355, 23_904, 10, 2817.4,
                18_680));
        assertEquals("store: 123904/1000000 (12.4%)  2817 sims/s  ETA 5h11m  good 93.1%", line);
        assertEquals("store: 0/10 (0.0%)", StoreListener.line(new StoreProgress(0, 10, 0, 1, 0, 0, 0, 0, Double.NaN)));
        assertEquals("59s", StoreListener.duration(59));
        assertEquals("12m03s", StoreListener.duration(723));
        assertEquals("3d04h", StoreListener.duration(3 * 86400 + 4 * 3600 + 59));
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        StoreListener console = StoreListener.console(new java.io.PrintStream(bos, true, StandardCharsets.UTF_8), 1e9);
        console.progress(new StoreProgress(0, 10, 0, 2, 0, 0, 0, 0, Double.NaN));
        console.progress(new StoreProgress(5, 10, 1, 2, 5, 5, 1, 5, 1));     // within the interval: not printed
        console.progress(new StoreProgress(10, 10, 2, 2, 9, 10, 2, 5, 0));   // the end: printed
        console.damagedChunk(3, "checksum");
        String out = bos.toString(StandardCharsets.UTF_8);
        assertEquals(3, out.lines().count(), out);
        assertTrue(out.contains("complete  good 90.0%"), out);
    }
}
