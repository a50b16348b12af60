package org.jsbi.simulation;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.Prior;
import org.jsbi.io.Npy;
import org.jsbi.io.NpyFormatException;
import org.jsbi.posterior.SamplingIncompleteException;
import org.jsbi.random.Rng;

/**
 * Simulates N parameter sets drawn from a prior and streams θ and x to a directory in chunks, so that a run of hours
 * survives Ctrl-C, a kill or a power cut with nothing lost or duplicated, resumes where it stopped, and gives exactly
 * the bytes an uninterrupted run with the same seed gives.
 *
 * <pre>{@code
 * SimulationStore store = SimulationStore.create(dir, sim, prior, 1_000_000, StoreConfig.defaults().withSeed(42));
 * store.run(sim, prior, StoreListener.console());   // again after an interruption: continues
 * SimulationSet data = store.readAll();             // finite rows; or stream(...) / export(...)
 * }</pre>
 *
 * <h2>On disk (layout version {@value #FORMAT_VERSION}; see {@code docs/STORE.md})</h2>
 * <pre>
 * manifest.properties          written once, atomically, at creation: format, formatVersion, simulator,
 *                              simulatorRevision and simulatorConfiguration (each when not empty), parameterDim,
 *                              dataDim, simulations (N), chunkSize, seed, prior (Prior.describe()), goodRow, dtype,
 *                              created
 * chunk-000000.theta.npy       θ of simulations 0 .. chunkSize-1: float32 '&lt;f4', shape (rows, parameterDim), C order
 * chunk-000000.x.npy           their data x: float32, shape (rows, dataDim); NaN where the simulator gave NaN
 * chunk-000000.done            the chunk's marker: rows, CRC32 of each .npy file (hex), good rows
 * chunk-000001.theta.npy ...   chunk c holds simulations c·chunkSize .. min(N, (c+1)·chunkSize) - 1
 * store.lock                   locked (OS file lock) while a run fills the store
 * </pre>
 * Every file is written under the name {@code <name>.tmp}, flushed to the device (fsync), then renamed onto its name;
 * a chunk's marker is written last, after both arrays are renamed and the directory is synced. <b>A chunk counts only
 * when its marker exists and both files match the marker's checksums.</b> So after any crash a chunk is either complete
 * and verified, or absent and simulated again; {@code .tmp} files and chunk files without a valid marker are deleted
 * by the next {@link #run}, and a chunk whose files fail their checksum is reported to
 * {@link StoreListener#damagedChunk} and simulated again, never used.
 *
 * <h2>Determinism</h2>
 * θ of chunk c are {@code prior.sample(rows, new Rng(chunkSeed(seed, c)))}, where {@code chunkSeed} mixes the seed and
 * the chunk index with the SplitMix64 finaliser; the simulator is called with the store's seed and batches whose
 * {@code firstIndex} is the global simulation index {@code c·chunkSize + row}, so its counter-based noise is keyed by
 * that index. The data therefore depend only on (simulator, prior, N, chunk size, seed) — not on the thread count,
 * interruptions or resumes — for any simulator that honours the {@link Simulator} contract. (They differ from
 * {@link Simulations#run}'s data for the same seed: that draws θ as one stream.) jsbi cannot check that contract: a
 * simulator that ignores the seed and index, or whose rows depend on the rest of their batch, gives a store whose
 * bytes depend on the thread count and on where it was resumed, without an error.
 *
 * <h2>Interruption</h2>
 * {@link #run} checks the thread's interrupt status before each chunk. A chunk being simulated when the interrupt
 * arrives is finished and written (file writes are not aborted by interrupts); then {@code run} returns a
 * {@link RunResult} with {@code interrupted() == true}, leaving the thread's interrupt status set. A prior that
 * samples by rejection (a truncated prior) may stop while drawing a chunk's θ, and a simulator may stop on the
 * interrupt by throwing (with the interrupt status set, or an {@link InterruptedException} as a cause); that chunk is
 * left for the resume. A kill or power cut loses at most the chunk in progress.
 *
 * <p>Instances are not thread-safe; one run at a time may fill a directory (others fail with a
 * {@link SimulationStoreException}), while any number may read it.
 */
public final class SimulationStore {

    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.properties";
    /** The manifest's {@code format} entry. */
    public static final String FORMAT_NAME = "jsbi-simulation-store";
    /** The layout version this jsbi writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The lock file held while a run fills the store. */
    static final String LOCK = "store.lock";

    static final String TMP = ".tmp";
    private static final long PRIOR_STREAM = 0x5DEECE66DL;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Path dir;
    private final StoreManifest manifest;
    private final RowFilter goodRow;
    private final boolean[] done;
    private final long[] good;
    private final Map<Integer, String> damaged = new TreeMap<>();

    /**
     * What a {@link #run} did.
     *
     * @param complete         every chunk is on disk
     * @param interrupted      the run stopped because the thread was interrupted (its interrupt status is still set)
     * @param chunksSimulated  chunks this run simulated and wrote
     * @param rowsSimulated    simulations this run wrote
     * @param damagedChunks    chunks found damaged when the run started (simulated again, if not interrupted first)
     * @param leftoversRemoved temporary files and chunk files without a valid marker that the run deleted
     * @param completedRows    simulations on disk now
     * @param seconds          wall time of the run
     */
    public record RunResult(boolean complete, boolean interrupted, int chunksSimulated, long rowsSimulated,
                            int damagedChunks, int leftoversRemoved, long completedRows, double seconds) {
    }

    /**
     * One chunk read from the store: {@code rows} simulations numbered from {@code firstRow}, θ and x row-major.
     */
    public record Chunk(int index, long firstRow, int rows, int parameterDim, int dataDim, float[] theta, float[] x) {

        /** A copy of θ of the chunk's row {@code i}. */
        public float[] thetaRow(int i) {
            return Arrays.copyOfRange(theta, i * parameterDim, (i + 1) * parameterDim);
        }

        /** A copy of x of the chunk's row {@code i}. */
        public float[] xRow(int i) {
            return Arrays.copyOfRange(x, i * dataDim, (i + 1) * dataDim);
        }
    }

    /** Receives the chunks of a store, in order. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(Chunk chunk) throws IOException;
    }

    private SimulationStore(Path dir, StoreManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
        this.goodRow = manifest.goodRowFilter();
        this.done = new boolean[manifest.chunks()];
        this.good = new long[manifest.chunks()];
    }

    // ================================================================ creating and opening

    /**
     * Creates a store for {@code n} simulations of {@code sim} with parameters drawn from {@code prior} in directory
     * {@code dir} (created if missing; it must be empty or hold only what an aborted creation left), writing its
     * manifest. Nothing is simulated until {@link #run}.
     *
     * <p>If {@code dir} already holds a store made with the same settings it is opened instead, so the same call
     * resumes an interrupted study. A store made with other settings is a {@link StoreMismatchException} that lists the
     * differences; a non-empty directory that is not a store is a {@link SimulationStoreException}.
     */
    public static SimulationStore create(Path dir, Simulator sim, Prior prior, long n, StoreConfig config)
            throws IOException {
        if (dir == null || sim == null || prior == null || config == null) {
            throw new IllegalArgumentException("directory, simulator, prior and config must be given");
        }
        checkDimensions(sim, prior);
        if (n < 1) throw new IllegalArgumentException("the number of simulations must be >= 1, got " + n);
        config.goodRow().check(sim.dataDim());
        StoreManifest wanted = new StoreManifest(FORMAT_VERSION, sim.name(), sim.revision(), configurationOf(sim),
                sim.parameterDim(), sim.dataDim(), n,
                config.chunkSize(), config.seed(), prior.describe(), config.goodRow().describe(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Path manifestPath = dir.resolve(MANIFEST);
        if (Files.exists(manifestPath)) {
            SimulationStore existing = open(dir);
            List<String> d = existing.manifest.differences(wanted, "in the store", "requested");
            if (!d.isEmpty()) {
                throw new StoreMismatchException(dir + " already holds a simulation store made with other settings:\n  "
                        + String.join("\n  ", d) + "\nResume it with the settings it was made with, choose another"
                        + " directory for a new store, or delete " + dir + " to start over (its "
                        + existing.completedRows() + " finished simulations would be lost)." + revisionHint(d), d);
            }
            return existing;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new SimulationStoreException(dir + " is a file, not a directory; give a new or empty directory");
        }
        Files.createDirectories(dir);
        List<String> foreign = new ArrayList<>();
        List<Path> abortedCreation = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.equals(MANIFEST + TMP)) {
                    abortedCreation.add(p);
                } else if (!name.equals(LOCK)) {
                    foreign.add(name);
                }
            }
        }
        if (!foreign.isEmpty()) {
            Collections.sort(foreign);
            throw new SimulationStoreException(dir + " is not empty and holds no " + MANIFEST + " (it has "
                    + (foreign.size() <= 5 ? String.join(", ", foreign) : String.join(", ", foreign.subList(0, 5))
                    + " and " + (foreign.size() - 5) + " more") + "), so it is not a simulation store; jsbi does not"
                    + " write into it. Give a new or empty directory.");
        }
        for (Path p : abortedCreation) Files.deleteIfExists(p);
        writeAtomically(manifestPath, wanted.toText().getBytes(StandardCharsets.UTF_8));
        syncDirectory(dir);
        SimulationStore store = new SimulationStore(dir, wanted);
        store.scan();
        return store;
    }

    /**
     * Opens an existing store: reads and validates its manifest and checks every chunk on disk against its marker
     * (reading each chunk once). Damaged chunks are listed in {@link #damagedChunks()} and do not count as done.
     */
    public static SimulationStore open(Path dir) throws IOException {
        if (dir == null) throw new IllegalArgumentException("the directory must be given");
        if (!Files.isDirectory(dir)) {
            throw new SimulationStoreException(dir + " does not exist or is not a directory, so it holds no simulation"
                    + " store; create one with SimulationStore.create");
        }
        Path m = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(m)) {
            throw new SimulationStoreException(dir + " holds no " + MANIFEST + ": it is not a simulation store (or its"
                    + " creation did not complete); create one with SimulationStore.create in a new or empty directory");
        }
        StoreManifest manifest = StoreManifest.parse(new String(readBytes(m), StandardCharsets.UTF_8), m);
        SimulationStore store = new SimulationStore(dir, manifest);
        boolean interrupted = Thread.interrupted();
        try {
            store.scan();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        return store;
    }

    /** {@link Simulator#configuration()}, with a user's {@code null} read as none. */
    private static String configurationOf(Simulator sim) {
        String c = sim.configuration();
        return c == null ? "" : c;
    }

    private static void checkDimensions(Simulator sim, Prior prior) {
        if (prior.dim() != sim.parameterDim()) {
            throw new IllegalArgumentException("the prior has dimension " + prior.dim() + " but " + sim.name() + " takes "
                    + sim.parameterDim() + " parameters");
        }
    }

    /**
     * Throws a {@link StoreMismatchException} naming every difference when {@code sim} or {@code prior} is not the one
     * the store was made with (name, revision, {@link Simulator#configuration()}, dimensions, {@link Prior#describe()}).
     */
    public void checkCompatible(Simulator sim, Prior prior) {
        if (sim == null || prior == null) throw new IllegalArgumentException("simulator and prior must be given");
        checkDimensions(sim, prior);
        List<String> d = new ArrayList<>();
        if (!sim.name().equals(manifest.simulator())) {
            d.add("simulator: " + manifest.simulator() + " in the store, " + sim.name() + " given");
        } else if (!manifest.revision().isEmpty() && !manifest.revision().equals(sim.revision())) {
            d.add("simulator revision: " + manifest.revision() + " in the store, " + sim.revision() + " given");
        } else if (manifest.configuration() != null && !manifest.configuration().equals(configurationOf(sim))) {
            d.add("simulator configuration: " + StoreManifest.shown(manifest.configuration()) + " in the store, "
                    + StoreManifest.shown(configurationOf(sim)) + " given");
        }
        if (sim.parameterDim() != manifest.parameterDim()) {
            d.add("parameter dimension: " + manifest.parameterDim() + " in the store, " + sim.parameterDim() + " given");
        }
        if (sim.dataDim() != manifest.dataDim()) {
            d.add("data dimension: " + manifest.dataDim() + " in the store, " + sim.dataDim() + " given");
        }
        if (!prior.describe().equals(manifest.prior())) {
            d.add("prior: " + manifest.prior() + " in the store, " + prior.describe() + " given");
        }
        if (!d.isEmpty()) {
            throw new StoreMismatchException(dir + " was made with another simulator or prior:\n  " + String.join("\n  ", d)
                    + "\nRun it with the simulator and prior it was made with, or start a new store in another"
                    + " directory." + revisionHint(d), d);
        }
    }

    /** What to do when the differences include the simulator's revision (its numerics changed since the store began). */
    private static String revisionHint(List<String> differences) {
        for (String line : differences) {
            if (line.startsWith("simulator revision:")) {
                return " The simulator's numerics changed since this store was begun, so resuming would mix two"
                        + " versions' data: finish it with the jsbi that began it, or leave it as it is and start a new"
                        + " store with another seed (stores of different seeds can be pooled for inference).";
            }
        }
        return "";
    }

    // ================================================================ state

    public Path directory() {
        return dir;
    }

    public StoreManifest manifest() {
        return manifest;
    }

    public int chunkCount() {
        return done.length;
    }

    /** Chunks on disk and verified (as of opening, the last run, or {@link #refresh()}). */
    public int completedChunks() {
        int n = 0;
        for (boolean d : done) if (d) n++;
        return n;
    }

    /** Simulations in completed chunks. */
    public long completedRows() {
        long n = 0;
        for (int c = 0; c < done.length; c++) if (done[c]) n += manifest.rowsOfChunk(c);
        return n;
    }

    /** Simulations in completed chunks that pass the store's good-row filter. */
    public long goodRows() {
        long n = 0;
        for (int c = 0; c < done.length; c++) if (done[c]) n += good[c];
        return n;
    }

    public boolean isComplete() {
        return completedChunks() == done.length;
    }

    /** The chunks found damaged by the last check, with the reason, in chunk order. */
    public Map<Integer, String> damagedChunks() {
        return Collections.unmodifiableMap(new TreeMap<>(damaged));
    }

    /** Checks the chunks on disk again (after another process wrote to the store, say). */
    public void refresh() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            scan();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SimulationStore[" + dir + ": " + manifest.simulator() + ", " + completedRows() + "/" + manifest.simulations()
                + " simulations]";
    }

    // ================================================================ running

    /**
     * Simulates the chunks not yet on disk, in order, writing each as it finishes; see the class comment for the
     * guarantees. Returns early, with {@link RunResult#interrupted()} set, when the thread is interrupted. Fails with a
     * {@link StoreMismatchException} when {@code sim} or {@code prior} is not the store's, and with a
     * {@link SimulationStoreException} when another run holds an unfinished store (a complete one needs no lock: its
     * run writes nothing). A simulator's exception propagates (one that leaves its output short or writes past it is
     * an {@link IllegalStateException} that says so); the chunks finished before it are kept, and the next run
     * simulates the rest.
     */
    public RunResult run(Simulator sim, Prior prior, StoreListener listener) throws IOException {
        checkCompatible(sim, prior);
        StoreListener l = listener == null ? StoreListener.NONE : listener;
        long t0 = System.nanoTime();
        if (isComplete() && damaged.isEmpty()) {
            // Nothing to write, so no lock either: a finished store on read-only media (a shared data set) or one
            // that another process is reading stays usable. Its chunks were checked when it was opened.
            l.progress(progress(0, 0));
            return new RunResult(true, false, 0, 0, 0, 0, completedRows(), (System.nanoTime() - t0) * 1e-9);
        }
        FileChannel lock;
        int leftovers;
        boolean wasInterrupted = Thread.interrupted(); // setup I/O must not be aborted by an interrupt
        try {
            lock = acquireLock();
            try {
                leftovers = removeTemporaryFiles();
                scan();
                leftovers += removeUnfinishedChunks();
            } catch (IOException | RuntimeException | Error e) {
                lock.close();
                throw e;
            }
        } finally {
            if (wasInterrupted) Thread.currentThread().interrupt();
        }
        try (lock) {
            int damagedCount = damaged.size();
            for (Map.Entry<Integer, String> e : damaged.entrySet()) l.damagedChunk(e.getKey(), e.getValue());
            long rowsThisRun = 0;
            int chunksThisRun = 0;
            boolean interrupted = false;
            long start = System.nanoTime();
            l.progress(progress(0, 0));
            for (int c = 0; c < done.length; c++) {
                if (done[c]) continue;
                if (Thread.currentThread().isInterrupted()) {
                    interrupted = true;
                    break;
                }
                int rows = manifest.rowsOfChunk(c);
                float[] theta;
                try {
                    theta = drawTheta(prior, c);
                } catch (SamplingIncompleteException e) {
                    // A truncated prior's rejection sampling stops on an interrupt: the chunk was not begun.
                    if (!e.interrupted()) throw e;
                    interrupted = true;
                    break;
                }
                float[] x;
                try {
                    x = simulateChunk(sim, c, theta);
                } catch (RuntimeException e) {
                    // A simulator that stops on an interrupt by throwing: the chunk is left for the resume.
                    if (!Simulations.interruptedBy(e)) throw e;
                    Thread.currentThread().interrupt();
                    interrupted = true;
                    break;
                }
                good[c] = commit(c, theta, x);
                done[c] = true;
                damaged.remove(c);
                rowsThisRun += rows;
                chunksThisRun++;
                l.progress(progress(rowsThisRun, (System.nanoTime() - start) * 1e-9));
            }
            return new RunResult(isComplete(), interrupted, chunksThisRun, rowsThisRun, damagedCount, leftovers,
                    completedRows(), (System.nanoTime() - t0) * 1e-9);
        }
    }

    private StoreProgress progress(long rowsThisRun, double seconds) {
        long doneRows = completedRows();
        double rate = rowsThisRun > 0 && seconds > 0 ? rowsThisRun / seconds : 0;
        long left = manifest.simulations() - doneRows;
        double eta = left == 0 ? 0 : rate > 0 ? left / rate : Double.NaN;
        return new StoreProgress(doneRows, manifest.simulations(), completedChunks(), done.length, goodRows(), rowsThisRun,
                seconds, rate, eta);
    }

    /**
     * The seed of chunk {@code c}'s prior draws: the SplitMix64 finaliser of the store's seed (xor a constant that
     * separates the prior's stream from the simulator's), plus (c + 1) times the golden gamma, finalised again.
     */
    static long chunkSeed(long seed, int chunk) {
        return mix64(mix64(seed ^ PRIOR_STREAM) + (chunk + 1L) * GOLDEN_GAMMA);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private float[] drawTheta(Prior prior, int c) {
        int rows = manifest.rowsOfChunk(c), d = manifest.parameterDim();
        float[][] t = prior.sample(rows, new Rng(chunkSeed(manifest.seed(), c)));
        if (t.length != rows) {
            throw new IllegalStateException(prior.describe() + " returned " + t.length + " draws where " + rows + " were asked");
        }
        float[] flat = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            if (t[i].length != d) {
                throw new IllegalStateException(prior.describe() + " returned a draw of " + t[i].length + " values where "
                        + d + " were expected");
            }
            System.arraycopy(t[i], 0, flat, i * d, d);
        }
        return flat;
    }

    private float[] simulateChunk(Simulator sim, int c, float[] theta) {
        int rows = manifest.rowsOfChunk(c), d = manifest.parameterDim(), xd = manifest.dataDim();
        long first = (long) c * manifest.chunkSize();
        long seed = manifest.seed();
        float[] x = new float[rows * xd];
        Parallel.forRange(rows, 64, 8, (from, to) -> {
            int m = to - from;
            ParameterBatch batch = new ParameterBatch(Arrays.copyOfRange(theta, from * d, to * d), m, d, first + from);
            batch.check(sim);
            float[] out = new float[m * xd];
            Simulations.simulateChecked(sim, batch, seed, out);
            System.arraycopy(out, 0, x, from * xd, m * xd);
        });
        return x;
    }

    /** Writes chunk c (arrays, then marker), each durably and atomically; returns its good rows. */
    private long commit(int c, float[] theta, float[] x) throws IOException {
        int rows = manifest.rowsOfChunk(c), xd = manifest.dataDim();
        byte[] tb = Npy.encode(theta, Npy.DType.FLOAT32, rows, manifest.parameterDim());
        byte[] xb = Npy.encode(x, Npy.DType.FLOAT32, rows, xd);
        long goodCount = 0;
        for (int i = 0; i < rows; i++) if (goodRow.test(x, i * xd, xd)) goodCount++;
        String marker = "# jsbi simulation store chunk marker; the chunk counts only if both checksums match\n"
                + "chunk=" + c + "\nrows=" + rows + "\ntheta.crc32=" + hex(crc(tb)) + "\nx.crc32=" + hex(crc(xb))
                + "\ngood=" + goodCount + "\n";
        boolean interrupted = Thread.interrupted(); // an interrupt must not abort a commit half-way
        try {
            writeAtomically(chunkFile(c, ".theta.npy"), tb);
            writeAtomically(chunkFile(c, ".x.npy"), xb);
            syncDirectory(dir);
            writeAtomically(chunkFile(c, ".done"), marker.getBytes(StandardCharsets.US_ASCII));
            syncDirectory(dir);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        return goodCount;
    }

    private FileChannel acquireLock() throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new SimulationStoreException(dir + " is being filled by another run (in this process or another);"
                    + " wait for it to finish or stop it: two runs on one store would write the same chunks");
        }
        return ch;
    }

    /** Deletes the {@code .tmp} files of interrupted writes; returns how many. */
    private int removeTemporaryFiles() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + TMP)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith("chunk-") || name.startsWith(MANIFEST)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** Deletes the files of chunks that are not done (damaged, or written without their marker); returns orphans. */
    private int removeUnfinishedChunks() throws IOException {
        int orphans = 0;
        for (int c = 0; c < done.length; c++) {
            if (done[c]) continue;
            for (String suffix : new String[] {".done", ".theta.npy", ".x.npy"}) {
                if (Files.deleteIfExists(chunkFile(c, suffix)) && !damaged.containsKey(c)) orphans++;
            }
        }
        return orphans;
    }

    // ================================================================ checking and reading

    Path chunkFile(int c, String suffix) {
        return dir.resolve(String.format("chunk-%06d%s", c, suffix));
    }

    private void scan() throws IOException {
        damaged.clear();
        for (int c = 0; c < done.length; c++) {
            done[c] = false;
            good[c] = 0;
            if (!Files.exists(chunkFile(c, ".done"))) continue;
            try {
                load(c);
                done[c] = true;
            } catch (ChunkProblem e) {
                damaged.put(c, e.getMessage());
            }
        }
    }

    /** A chunk on disk that does not pass its check. */
    private static final class ChunkProblem extends Exception {
        private static final long serialVersionUID = 1L;

        ChunkProblem(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads and checks chunk c against its marker; sets its good count. */
    private Chunk load(int c) throws IOException, ChunkProblem {
        Path markerPath = chunkFile(c, ".done");
        Properties marker = new Properties();
        long rows, thetaCrc, xCrc, goodCount;
        try {
            marker.load(new StringReader(new String(readBytes(markerPath), StandardCharsets.US_ASCII)));
            rows = Long.parseLong(marker.getProperty("rows", "").strip());
            thetaCrc = Long.parseLong(marker.getProperty("theta.crc32", "").strip(), 16);
            xCrc = Long.parseLong(marker.getProperty("x.crc32", "").strip(), 16);
            goodCount = Long.parseLong(marker.getProperty("good", "").strip());
        } catch (IllegalArgumentException e) {
            throw new ChunkProblem(markerPath.getFileName() + " is unreadable (" + e.getMessage() + ")");
        }
        int expectedRows = manifest.rowsOfChunk(c);
        if (rows != expectedRows) {
            throw new ChunkProblem(markerPath.getFileName() + " says " + rows + " rows where chunk " + c + " has "
                    + expectedRows);
        }
        if (goodCount < 0 || goodCount > rows) {
            throw new ChunkProblem(markerPath.getFileName() + " says " + goodCount + " good rows of " + rows);
        }
        float[] theta = array(c, ".theta.npy", thetaCrc, manifest.parameterDim());
        float[] x = array(c, ".x.npy", xCrc, manifest.dataDim());
        good[c] = goodCount;
        return new Chunk(c, (long) c * manifest.chunkSize(), expectedRows, manifest.parameterDim(), manifest.dataDim(),
                theta, x);
    }

    private float[] array(int c, String suffix, long expectedCrc, int cols) throws IOException, ChunkProblem {
        Path p = chunkFile(c, suffix);
        if (!Files.isRegularFile(p)) throw new ChunkProblem(p.getFileName() + " is missing");
        byte[] b = readBytes(p);
        long crc = crc(b);
        if (crc != expectedCrc) {
            throw new ChunkProblem(p.getFileName() + " does not match its checksum (marker " + hex(expectedCrc) + ", file "
                    + hex(crc) + ", " + b.length + " bytes): truncated or changed after it was written");
        }
        Npy.FloatArray a;
        try {
            a = Npy.decode(b, p.getFileName().toString());
        } catch (NpyFormatException e) {
            throw new ChunkProblem(e.getMessage());
        }
        long[] shape = a.shape();
        if (shape.length != 2 || shape[0] != manifest.rowsOfChunk(c) || shape[1] != cols) {
            throw new ChunkProblem(p.getFileName() + " has shape " + Arrays.toString(shape) + " where ["
                    + manifest.rowsOfChunk(c) + ", " + cols + "] was expected");
        }
        return a.values();
    }

    /**
     * Hands each completed chunk, in order, to {@code consumer}, without holding more than one chunk in memory. Each
     * chunk is checked against its marker again as it is read; one that changed since the store was opened is a
     * {@link SimulationStoreException} (run the store again to re-simulate it). Works on an incomplete store: it
     * reads the chunks that are done.
     */
    public void stream(ChunkConsumer consumer) throws IOException {
        for (int c = 0; c < done.length; c++) {
            if (!done[c]) continue;
            Chunk chunk;
            try {
                chunk = load(c);
            } catch (ChunkProblem e) {
                throw new SimulationStoreException(dir + ": chunk " + c + " changed after it was checked: " + e.getMessage()
                        + "; run the store again to simulate it anew");
            }
            consumer.accept(chunk);
        }
    }

    /** All simulations whose data are finite (the others counted as excluded); the store must be complete. */
    public SimulationSet readAll() throws IOException {
        return readAll(RowFilter.allFinite());
    }

    /**
     * All simulations that pass {@code filter}, in simulation order; {@link SimulationSet#excludedNonFinite()} counts
     * those it dropped. The store must be complete ({@link #stream} reads an incomplete one).
     */
    public SimulationSet readAll(RowFilter filter) throws IOException {
        requireComplete("read it whole");
        filter.check(manifest.dataDim());
        if (manifest.simulations() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the store holds " + manifest.simulations() + " simulations, more than one"
                    + " SimulationSet holds; read it chunk by chunk with stream(...)");
        }
        int n = (int) manifest.simulations(), xd = manifest.dataDim();
        List<float[]> theta = new ArrayList<>(n), x = new ArrayList<>(n);
        int[] excluded = new int[1];
        stream(chunk -> {
            for (int i = 0; i < chunk.rows(); i++) {
                if (filter.test(chunk.x(), i * xd, xd)) {
                    theta.add(chunk.thetaRow(i));
                    x.add(chunk.xRow(i));
                } else {
                    excluded[0]++;
                }
            }
        });
        return new SimulationSet(theta.toArray(float[][]::new), x.toArray(float[][]::new), excluded[0]);
    }

    /** Writes every simulation's θ and x to two {@code .npy} files (float32, one row per simulation). */
    public long export(Path thetaNpy, Path xNpy) throws IOException {
        return export(thetaNpy, xNpy, RowFilter.all());
    }

    /**
     * Writes θ and x of the simulations that pass {@code filter} to two {@code .npy} files (float32, one row per
     * simulation, in simulation order), each atomically and the pair together ({@link Npy.Writer#finishBoth}: a
     * failure leaves both earlier files or both new ones); returns the rows written. The store must be complete.
     */
    public long export(Path thetaNpy, Path xNpy, RowFilter filter) throws IOException {
        if (thetaNpy.toAbsolutePath().normalize().equals(xNpy.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("θ and x must go to two different files, got " + thetaNpy + " twice");
        }
        requireComplete("export it");
        filter.check(manifest.dataDim());
        int d = manifest.parameterDim(), xd = manifest.dataDim();
        boolean everything = filter.kind() == RowFilter.Kind.ALL;
        long rows = everything ? manifest.simulations() : Npy.UNKNOWN_ROWS;
        try (Npy.Writer wt = Npy.Writer.create(thetaNpy, Npy.DType.FLOAT32, rows, d);
             Npy.Writer wx = Npy.Writer.create(xNpy, Npy.DType.FLOAT32, rows, xd)) {
            stream(chunk -> {
                if (everything) {
                    wt.writeRows(chunk.theta(), 0, chunk.rows());
                    wx.writeRows(chunk.x(), 0, chunk.rows());
                } else {
                    for (int i = 0; i < chunk.rows(); i++) {
                        if (filter.test(chunk.x(), i * xd, xd)) {
                            wt.writeRows(chunk.theta(), i * d, 1);
                            wx.writeRows(chunk.x(), i * xd, 1);
                        }
                    }
                }
            });
            Npy.Writer.finishBoth(wt, wx);
            return wt.rowsWritten();
        }
    }

    private void requireComplete(String what) {
        if (!isComplete()) {
            throw new IllegalStateException(dir + " holds " + completedChunks() + " of " + done.length + " chunks ("
                    + completedRows() + " of " + manifest.simulations() + " simulations); finish it with run(...) before"
                    + " you " + what + ", or read the finished chunks with stream(...)");
        }
    }

    // ================================================================ files

    private static long crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static String hex(long crc) {
        return String.format("%08x", crc);
    }

    /** Reads a file with java.io, which an interrupt does not abort (NIO channels close on interrupt). */
    private static byte[] readBytes(Path p) throws IOException {
        try (FileInputStream in = new FileInputStream(p.toFile())) {
            return in.readAllBytes();
        }
    }

    /** Writes {@code <path>.tmp}, syncs it to the device and renames it onto {@code path}. */
    private static void writeAtomically(Path path, byte[] bytes) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + TMP);
        boolean moved = false;
        try {
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the next run deletes it
                }
            }
        }
    }

    /**
     * Syncs the directory so that renames in it survive a power cut. Where a directory cannot be opened (Windows) this
     * does nothing. An interrupt during the sync is retried and kept.
     */
    private static void syncDirectory(Path dir) throws IOException {
        boolean interrupted = false;
        try {
            for (int attempt = 0; ; attempt++) {
                FileChannel ch;
                try {
                    ch = FileChannel.open(dir, StandardOpenOption.READ);
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    if (attempt < 3) continue;
                    throw e;
                } catch (IOException | UnsupportedOperationException e) {
                    // Not every platform lets a directory be opened (Windows): the sync is best effort there.
                    return;
                }
                try (ch) {
                    ch.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    if (attempt >= 3) throw e;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
