package org.jsbi.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one place where jsbi runs work on several threads, {@code -Djsbi.threads} of them (default: the available
 * processors). Work is split into at most one chunk per thread, at boundaries that depend only on the size, the grain
 * and the thread count, so results are deterministic for a given thread count. Small work, and work started from
 * inside a chunk (on a worker or on the caller running its own chunk), runs on the calling thread. The caller runs
 * the first chunk; the others go to a {@link WorkerTeam} whose threads spin briefly before parking (a training step's
 * halves are too short for the fork-join pool's park and unpark), or to a fork-join pool when another caller holds
 * the team or there are more threads than processors.
 */
public final class Parallel {

    /** A body that handles the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * What is wrong with -Djsbi.threads or -Djsbi.spin.us, else null. Read once, but reported by {@link #checkSettings}
     * rather than thrown from the class initialiser, where it became an ExceptionInInitializerError and then a
     * NoClassDefFoundError at every later call, the reason only in the first one's cause.
     */
    private static final String SETTINGS_ERROR = settingsError();
    /** The most threads: ForkJoinPool's limit. */
    static final int MAX_THREADS = 32767;
    /** The longest spin: 10 s, beyond which an idle worker would hold a processor for no purpose. */
    static final long MAX_SPIN_US = 10_000_000L;

    private static volatile int threads = initialThreads();
    /** Set while the calling thread runs its own chunk of a split, so that work nested in it runs inline. */
    private static final ThreadLocal<boolean[]> IN_CHUNK = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile ForkJoinPool pool;
    private static volatile WorkerTeam team;
    /** How long an idle team thread spins before it parks (-Djsbi.spin.us; 0: the fork-join pool only). */
    private static final long SPIN_NANOS = spinNanos();

    private Parallel() {
    }

    private static long spinNanos() {
        long us = parse("jsbi.spin.us", 0, MAX_SPIN_US);
        return us < 0 ? 1_000_000L : us * 1000L;
    }

    private static int initialThreads() {
        long t = parse("jsbi.threads", 1, MAX_THREADS);
        return t < 0 ? Runtime.getRuntime().availableProcessors() : (int) t;
    }

    /** The property as a whole number in [min, max], or -1 where it is unset or not one (then SETTINGS_ERROR says). */
    private static long parse(String key, long min, long max) {
        String p = System.getProperty(key);
        if (p == null || p.isBlank()) return -1;
        try {
            long v = Long.parseLong(p.trim());
            return v >= min && v <= max ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String settingsError() {
        String t = System.getProperty("jsbi.threads"), s = System.getProperty("jsbi.spin.us");
        if (t != null && !t.isBlank() && parse("jsbi.threads", 1, MAX_THREADS) < 0) {
            return "-Djsbi.threads must be a whole number from 1 to " + MAX_THREADS + ", got '" + t + "'";
        }
        if (s != null && !s.isBlank() && parse("jsbi.spin.us", 0, MAX_SPIN_US) < 0) {
            return "-Djsbi.spin.us must be a whole number of microseconds from 0 to " + MAX_SPIN_US + ", got '" + s
                    + "'";
        }
        return null;
    }

    /** Throws where -Djsbi.threads or -Djsbi.spin.us is not usable, naming it; backend selection calls it first. */
    public static void checkSettings() {
        if (SETTINGS_ERROR != null) throw new IllegalArgumentException(SETTINGS_ERROR);
    }

    /**
     * The boundaries forRange uses: chunk c is [bounds[c], bounds[c + 1]). One chunk when the work is small. Callers
     * that keep per-chunk state (per-thread gradients) size it from this.
     */
    public static int[] chunkBounds(int n, int grain, int align) {
        int chunks = chunks(n, grain);
        int[] bounds = new int[chunks + 1];
        int a = Math.max(1, align);
        for (int c = 1; c < chunks; c++) {
            long b = (long) n * c / chunks;
            bounds[c] = (int) Math.min(n, (b + a - 1) / a * a);
        }
        bounds[chunks] = n;
        return bounds;
    }

    /** Threads used for parallel kernels. */
    public static int threads() {
        return threads;
    }

    /** Changes the thread count (benchmarks compare 1 and 2 threads in one JVM). */
    public static synchronized void setThreads(int n) {
        if (n < 1 || n > MAX_THREADS) {
            throw new IllegalArgumentException("thread count must be from 1 to " + MAX_THREADS + ", got " + n);
        }
        if (n != threads) {
            ForkJoinPool old = pool;
            WorkerTeam oldTeam = team;
            pool = null;
            team = null;
            threads = n;
            if (old != null) old.shutdown();
            if (oldTeam != null) oldTeam.shutdown();
        }
    }

    /**
     * Spinning threads only where each has a processor of its own: with more threads than processors a spinning
     * thread would hold the processor that the thread it waits for needs.
     */
    private static boolean teamFits() {
        return SPIN_NANOS > 0 && threads > 1 && threads <= Runtime.getRuntime().availableProcessors();
    }

    private static WorkerTeam team() {
        WorkerTeam t = team;
        if (t == null && teamFits()) {
            synchronized (Parallel.class) {
                t = team;
                if (t == null && teamFits()) {
                    t = new WorkerTeam(threads - 1, SPIN_NANOS);
                    team = t;
                }
            }
        }
        return t;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(threads, pl -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pl);
                        t.setName("jsbi-worker-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Whether a {@link #forRange} called from this thread now would split its work over threads: more than one
     * thread, and this thread not already running a chunk of a split (a pool or team thread, or the caller in its
     * own chunk), whose nested work runs inline. Kernels that take a serial path below some size ask this rather
     * than {@link #threads()}: inside the trainer's batch split, work above that size would run inline anyway, on
     * the path meant to be cut into chunks.
     */
    public static boolean canSplit() {
        if (threads <= 1) return false;
        Thread self = Thread.currentThread();
        if (self instanceof ForkJoinWorkerThread w && w.getPool() == pool) return false;
        WorkerTeam tm = team;
        if (tm != null && tm.isMember(self)) return false;
        return !IN_CHUNK.get()[0];
    }

    /**
     * Whether {@link #forRange}{@code (n, grain, align, body)} would run body on the calling thread in one call,
     * {@code body.run(0, n)} (or not at all, n &lt;= 0). Hot paths test it first and call their kernel directly, so
     * that no capturing lambda is allocated for a call that is not split: most calls of a training step, which run
     * inside the trainer's own parts of the batch.
     */
    public static boolean runsInline(int n, int grain) {
        return n <= 0 || chunks(n, grain) <= 1 || !canSplit();
    }

    /** How many chunks {@link #forRange} cuts [0, n) into at the current thread count. */
    private static int chunks(int n, int grain) {
        return (int) Math.min(threads, Math.max(1, n / (long) Math.max(1, grain)));
    }

    /**
     * Runs body over [0, n) in chunks of at least {@code grain} indices whose inner boundaries are multiples of
     * {@code align} (a SIMD lane count, say). Returns when every chunk has run; a chunk's exception is rethrown as
     * thrown, whichever thread ran it (the first in chunk order, the others suppressed in it).
     */
    public static void forRange(int n, int grain, int align, RangeBody body) {
        if (runsInline(n, grain)) {
            // One chunk, or nested in a chunk (on a pool or team thread, or the caller in its own): inline.
            if (n > 0) body.run(0, n);
            return;
        }
        checkSettings();
        int[] bounds = chunkBounds(n, grain, align);
        int chunks = bounds.length - 1;
        WorkerTeam tm = team();
        boolean[] inChunk = IN_CHUNK.get();
        if (tm != null && tm.tryRun(bounds, body, inChunk)) return;
        ForkJoinPool p = pool();
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        // Each chunk's failure, kept by the chunk itself: a pool task's join rethrows, on another thread, a copy made
        // by reflection (a new IllegalStateException whose message is the original's toString(), a
        // NullPointerException without its message), so the caller would see another exception than on the team.
        Throwable[] failures = new Throwable[chunks];
        int inline = chunks;   // chunks from here on run on the caller: the pool was shut down by setThreads meanwhile
        for (int c = 1; c < chunks; c++) {
            final int chunk = c, from = bounds[c], to = bounds[c + 1];
            try {
                tasks[c - 1] = p.submit(() -> {
                    try {
                        if (from < to) body.run(from, to);
                    } catch (Throwable e) {
                        failures[chunk] = e;
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inline = c;
                break;
            }
        }
        inChunk[0] = true;
        try {
            for (int c = 0; c < chunks; c = c == 0 ? inline : c + 1) {
                try {
                    if (bounds[c] < bounds[c + 1]) body.run(bounds[c], bounds[c + 1]);
                } catch (Throwable e) {
                    failures[c] = e;
                }
            }
        } finally {
            inChunk[0] = false;
        }
        for (ForkJoinTask<?> task : tasks) {
            if (task != null) task.quietlyJoin();   // its failure, if any, is in failures
        }
        rethrowFirst(failures);
    }

    /**
     * Throws the first failure in chunk order, the others added to it as suppressed, as the chunks threw them; nothing
     * where none failed. One exception thrown by several chunks (a shared instance) is thrown once: adding it to
     * itself as suppressed would throw an IllegalArgumentException in its place.
     */
    static void rethrowFirst(Throwable[] failures) {
        Throwable failure = null;
        for (Throwable t : failures) {
            if (t == null || t == failure) continue;
            if (failure == null) failure = t; else failure.addSuppressed(t);
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new RuntimeException(failure);
    }
}
