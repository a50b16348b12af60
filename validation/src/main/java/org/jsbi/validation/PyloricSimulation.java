package org.jsbi.validation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jsbi.backend.Backends;
import org.jsbi.backend.Parallel;
import org.jsbi.dist.Prior;
import org.jsbi.posterior.PosteriorConfig;
import org.jsbi.posterior.TruncatedPrior;
import org.jsbi.posterior.TruncatedPriorFile;
import org.jsbi.sim.stg.PyloricFeatures;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.sim.stg.PyloricOutcome;
import org.jsbi.simulation.RowFilter;
import org.jsbi.simulation.SimulationStore;
import org.jsbi.simulation.StoreConfig;
import org.jsbi.simulation.StoreListener;
import org.jsbi.simulation.StoreManifest;
import org.jsbi.simulation.StoreProgress;

/**
 * The simulation half of the pyloric-network example (models/PAPER.md §5.7): N networks drawn from the paper's 31-D
 * prior, simulated by {@link PyloricNetwork} with {@link PyloricNetwork.Outputs#EXTRAS} (the 18 features, the 8
 * extras, 3 energies and the {@link PyloricOutcome}), streamed into a resumable {@link SimulationStore} whose
 * good-row filter is {@code finite:4}: a row counts as good (triphasic, usable for training) when feature 5, the
 * AB/PD→LP gap, is defined. The same call resumes an interrupted store; the data depend only on N, the seed and the
 * chunk size.
 *
 * <pre>{@code
 * PyloricSimulation.Result r = PyloricSimulation.run(new PyloricSimulation.Settings(dir, 100_000L, 1L, 256), out,
 *         10.0, StoreListener.NONE);
 * }</pre>
 *
 * <p>Interruption: {@link #run} stops cleanly after the chunk in progress when its thread is interrupted (see
 * {@link SimulationStore#run}); {@link StopOnShutdown} turns Ctrl-C into such an interrupt.
 */
public final class PyloricSimulation {

    /** Data column that is finite exactly when the rhythm is triphasic (feature 5, the AB/PD end → LP start gap). */
    public static final int TRIPHASIC_COLUMN = PyloricFeatures.ENDS_TO_STARTS_PM_LP;
    /** The store's good-row filter. */
    public static final RowFilter TRIPHASIC = RowFilter.finiteColumns(TRIPHASIC_COLUMN);
    /** Chunk size when none is given: about 5–15 s of work on two cores, so Ctrl-C waits at most that long. */
    public static final int DEFAULT_CHUNK = 256;
    public static final long DEFAULT_SEED = 1L;
    /** The paper's share of prior samples with bursts in all neurons: 174,000 of 18.5 million. */
    public static final double PAPER_TRIPHASIC_FRACTION = 174_000.0 / 18_500_000.0;
    /**
     * CPU time of one simulated network on the SIMD path, for cost estimates: 19–23 ms measured with AVX-512
     * (`PyloricThroughputReport`, 2026-11-27; `pyloric simulate`, 2026-11-28), 40–70 ms with AVX2.
     */
    public static final double CPU_SECONDS_PER_NETWORK = 0.02;

    private PyloricSimulation() {
    }

    /**
     * What to simulate. A null value is taken from the store's manifest when the store exists (resuming), else the
     * default ({@link #DEFAULT_SEED}, {@link #DEFAULT_CHUNK}); {@code n} must be given to create a store.
     * {@code proposal}, when given, is a {@link TruncatedPriorFile} written by a previous round's inference: the
     * networks are drawn from the paper's prior truncated to that round's posterior (TSNPE) instead of the prior.
     */
    public record Settings(Path store, Long n, Long seed, Integer chunk, Path proposal) {

        public Settings(Path store, Long n, Long seed, Integer chunk) {
            this(store, n, seed, chunk, null);
        }

        public Settings {
            if (store == null) throw new IllegalArgumentException("the store directory must be given");
            if (n != null && n < 1) throw new IllegalArgumentException("the number of networks must be >= 1, got " + n);
            if (chunk != null && (chunk < 1 || chunk > StoreConfig.MAX_CHUNK_SIZE)) {
                throw new IllegalArgumentException("the chunk size must be in 1.." + StoreConfig.MAX_CHUNK_SIZE + ", got "
                        + chunk);
            }
        }
    }

    /**
     * What a run left.
     *
     * @param run           the store's report of this run
     * @param n             networks the store holds when complete
     * @param seed          its seed
     * @param chunk         its chunk size
     * @param triphasic     networks on disk with feature 5 defined
     * @param outcomeCounts networks on disk per {@link PyloricOutcome} ordinal (null when the run was interrupted)
     * @param pyloricLike   networks on disk flagged pyloric-like (-1 when not counted)
     * @param resumeCommand the command that resumes (or re-checks) the store
     */
    public record Result(SimulationStore.RunResult run, long n, long seed, int chunk, long triphasic, long[] outcomeCounts,
                         long pyloricLike, String resumeCommand) {

        public long onDisk() {
            return run.completedRows();
        }

        public double triphasicFraction() {
            return onDisk() == 0 ? Double.NaN : (double) triphasic / onDisk();
        }
    }

    /** The simulator the example stores. */
    public static PyloricNetwork simulator() {
        return PyloricNetwork.withDefaults().withOutputs(PyloricNetwork.Outputs.EXTRAS);
    }

    /** The paper's prior. */
    public static Prior prior() {
        return PyloricNetwork.prior();
    }

    /** The command line that creates or resumes the store with these values. */
    public static String command(Path store, long n, long seed, int chunk) {
        return command(store, n, seed, chunk, null);
    }

    /** The same, drawing from a truncated prior when {@code proposal} is not null. */
    public static String command(Path store, long n, long seed, int chunk, Path proposal) {
        return "jsbi pyloric simulate --store " + store + " --n " + n + " --seed " + seed + " --chunk " + chunk
                + (proposal == null ? "" : " --proposal " + proposal);
    }

    /**
     * The paper's prior, or the truncated prior of {@code proposal} over it. A store made from a truncated prior must
     * be resumed with the same file: asked without one, this says so.
     */
    static Prior proposalPrior(Path proposal, StoreManifest existing, Path store) throws IOException {
        if (proposal == null) {
            if (existing != null && TruncatedPrior.baseDescription(existing.prior()) != null) {
                throw new IllegalArgumentException(store + " was made from a truncated prior (a previous round's"
                        + " posterior); resume it with the same --proposal file (its prior: " + existing.prior() + ")");
            }
            return prior();
        }
        return TruncatedPriorFile.load(proposal, prior(), Backends.current(), PosteriorConfig.defaults());
    }

    /**
     * Creates the store (or opens it, resuming) and simulates what is missing, printing progress to {@code out} at
     * most every {@code intervalSeconds}; {@code extra} also receives every progress report (tests use it to interrupt).
     * On an interrupt it returns after the chunk in progress with {@code run().interrupted()} set and says how to
     * resume; when the store is complete it prints the totals and the outcome counts of every network on disk.
     */
    public static Result run(Settings s, PrintWriter out, double intervalSeconds, StoreListener extra) throws IOException {
        Path manifestPath = s.store().resolve(SimulationStore.MANIFEST);
        StoreManifest existing = null;
        if (Files.isRegularFile(manifestPath)) {
            existing = StoreManifest.parse(Files.readString(manifestPath, StandardCharsets.UTF_8), manifestPath);
        }
        long n;
        if (s.n() != null) {
            n = s.n();
        } else if (existing != null) {
            n = existing.simulations();
        } else {
            throw new IllegalArgumentException(s.store() + " holds no simulation store yet: give the number of networks"
                    + " to simulate (--n) to create one");
        }
        long seed = s.seed() != null ? s.seed() : existing != null ? existing.seed() : DEFAULT_SEED;
        int chunk = s.chunk() != null ? s.chunk() : existing != null ? existing.chunkSize() : DEFAULT_CHUNK;
        PyloricNetwork sim = simulator();
        Prior prior = proposalPrior(s.proposal(), existing, s.store());
        StoreConfig cfg = StoreConfig.defaults().withSeed(seed).withChunkSize(chunk).withGoodRow(TRIPHASIC);
        SimulationStore store = SimulationStore.create(s.store(), sim, prior, n, cfg);
        String resume = command(s.store(), n, seed, chunk, s.proposal());

        line(out, String.format(Locale.ROOT, "pyloric network: %,d networks into %s (seed %d, chunks of %d); %d threads,"
                + " about %.0f ms of CPU per network", n, s.store(), seed, chunk, Parallel.threads(),
                1e3 * CPU_SECONDS_PER_NETWORK));
        if (prior instanceof TruncatedPrior t) {
            line(out, String.format(Locale.ROOT, "drawing from the prior truncated to log q(θ | x_o) >= %.4g (%s, estimator"
                    + " %s): sequential round (TSNPE)", t.threshold(), s.proposal(), t.estimatorId()));
        }
        if (store.completedRows() > 0) {
            line(out, String.format(Locale.ROOT, "resuming: %,d of %,d networks already on disk (%,d triphasic)",
                    store.completedRows(), n, store.goodRows()));
        }
        if (!store.isComplete()) {
            line(out, "Ctrl-C stops after the chunk in progress and keeps every finished chunk; the same command resumes.");
        }
        StoreListener extraListener = extra == null ? StoreListener.NONE : extra;
        StoreListener listener = new StoreListener() {
            private double last = Double.NEGATIVE_INFINITY;

            @Override
            public void progress(StoreProgress p) {
                if (p.doneThisRun() > 0 && (p.complete() || p.seconds() - last >= intervalSeconds)) {
                    last = p.seconds();
                    line(out, progressLine(p));
                }
                extraListener.progress(p);
            }

            @Override
            public void damagedChunk(int c, String reason) {
                line(out, "chunk " + c + " is damaged and will be simulated again: " + reason);
                extraListener.damagedChunk(c, reason);
            }
        };
        SimulationStore.RunResult r = store.run(sim, prior, listener);
        long triphasic = store.goodRows();
        if (r.interrupted() && !r.complete()) {
            line(out, String.format(Locale.ROOT, "interrupted: %,d of %,d networks are on disk (%,d triphasic); this run"
                    + " added %,d in %s. Resume with:%n  %s", r.completedRows(), n, triphasic, r.rowsSimulated(),
                    StoreListener.duration(r.seconds()), resume));
            return new Result(r, n, seed, chunk, triphasic, null, -1, resume);
        }
        long[] counts = new long[PyloricOutcome.values().length];
        long[] pyloricLike = {0};
        int d = store.manifest().dataDim();
        boolean extras = d == PyloricNetwork.Outputs.EXTRAS.count();
        if (extras) {
            store.stream(c -> {
                for (int i = 0; i < c.rows(); i++) {
                    int o = (int) c.x()[i * d + PyloricNetwork.OUTCOME_COLUMN];
                    if (o >= 0 && o < counts.length) counts[o]++;
                    if (c.x()[i * d + PyloricFeatures.COUNT + PyloricFeatures.EXTRA_PYLORIC_LIKE] == 1f) pyloricLike[0]++;
                }
            });
        }
        double rate = r.seconds() > 0 ? r.rowsSimulated() / r.seconds() : 0;
        line(out, String.format(Locale.ROOT, "done: %,d networks on disk; this run simulated %,d in %s (%.1f networks/s)",
                r.completedRows(), r.rowsSimulated(), StoreListener.duration(r.seconds()), rate));
        line(out, String.format(Locale.ROOT, "triphasic (feature 5 defined, the training set): %,d (%.2f%%; the paper:"
                + " 174,000 of 18.5 million, %.2f%%)", triphasic, 100.0 * triphasic / Math.max(1, r.completedRows()),
                100 * PAPER_TRIPHASIC_FRACTION));
        if (extras) {
            line(out, "outcomes:");
            for (PyloricOutcome o : PyloricOutcome.values()) {
                line(out, String.format(Locale.ROOT, "  %-20s %,10d  %6.2f%%", o.name().toLowerCase(Locale.ROOT),
                        counts[o.ordinal()], 100.0 * counts[o.ordinal()] / Math.max(1, r.completedRows())));
            }
            line(out, String.format(Locale.ROOT, "  %-20s %,10d  %6.2f%%  (triphasic with the Prinz ordering)",
                    "pyloric-like", pyloricLike[0], 100.0 * pyloricLike[0] / Math.max(1, r.completedRows())));
        }
        return new Result(r, n, seed, chunk, triphasic, extras ? counts : null, extras ? pyloricLike[0] : -1, resume);
    }

    /** {@code 1,024/100,000 (1.0%)  35.2 networks/s  ETA 46m50s  triphasic 11 (1.07%)}. */
    static String progressLine(StoreProgress p) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %,d/%,d (%.1f%%)  %.1f networks/s", p.done(),
                p.total(), 100 * p.fraction(), p.rowsPerSecond()));
        if (p.complete()) {
            b.append("  complete");
        } else if (Double.isFinite(p.etaSeconds())) {
            b.append("  ETA ").append(StoreListener.duration(p.etaSeconds()));
        }
        b.append(String.format(Locale.ROOT, "  triphasic %,d (%.2f%%)", p.good(), 100 * p.goodFraction()));
        return b.toString();
    }

    static void line(PrintWriter out, String s) {
        out.println(s);
        out.flush();
    }
}
