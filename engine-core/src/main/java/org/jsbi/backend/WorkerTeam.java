package org.jsbi.backend;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of worker threads for {@link Parallel}'s fine-grained splits, which wait for work by spinning for a
 * short while before they park, and whose caller waits for them the same way.
 *
 * <p>Why not only the fork-join pool: a training step on two threads is two halves of about 0.5 ms each, one step
 * after another with some 50 µs of serial work between them. A parked thread on this kind of virtual machine takes
 * 60–90 µs to start after an unpark, and a caller parked in {@code join} as long to resume, so the fork-join pool lost
 * 100–340 µs of every 0.6–0.9 ms step (measured on the 2-vCPU Xeon, docs/ARCHITECTURE.md "Two threads without
 * parking"). Here a thread that finishes its chunk spins for {@link #spinNanos} before it parks, so the next split
 * finds it awake; that is what OpenMP runtimes do by default (spin, then sleep). The spin is bounded, so an idle
 * program costs at most that much CPU per worker after its last split.
 *
 * <p>One caller at a time: a split started while another runs returns false from {@link #tryRun}, and Parallel gives
 * it to the fork-join pool instead. Which thread runs a chunk never changes the chunk's bounds, so results are the same
 * either way.
 */
final class WorkerTeam {

    /** One split: the body, its chunk bounds, and what is left to do. */
    private static final class Job {
        Parallel.RangeBody body;
        int[] bounds;
        /** Which split this is; written after body and bounds, so that a thread reading it sees theirs. */
        volatile long generation;
        /** Per chunk, the last generation in which a thread took it: each chunk of a split runs once. */
        final AtomicLongArray taken;
        final AtomicInteger remaining = new AtomicInteger();
        final Throwable[] failures;
        volatile Thread waiter;

        Job(int workers) {
            failures = new Throwable[workers + 1];
            taken = new AtomicLongArray(workers + 1);
        }

        /**
         * Takes chunk c of split gen, unless a thread already has (or the split is over: then a later generation,
         * or gen itself, is recorded). Whoever takes a chunk runs it, so a chunk whose worker has not started yet,
         * descheduled on a busy machine, can be run by the caller instead of waited for.
         */
        boolean take(int c, long gen) {
            for (long prev = taken.get(c); prev < gen; prev = taken.get(c)) {
                if (taken.compareAndSet(c, prev, gen)) return true;
            }
            return false;
        }
    }

    private final class Worker extends Thread {
        final int index;
        /** Incremented by the caller for each job this worker takes part in; the worker runs chunk index + 1. */
        volatile long posted;
        long done;
        volatile boolean parked;

        Worker(int index) {
            this.index = index;
            setName("jsbi-team-" + index);
            setDaemon(true);
        }

        WorkerTeam team() {
            return WorkerTeam.this;
        }

        @Override
        public void run() {
            // Leaves only through awaitPost, which knows whether a caller may still post.
            while (awaitPost()) {
                // A chunk body may have left this thread interrupted (a simulator restoring the flag after catching
                // an InterruptedException): park would then return at once, and the idle worker spin for good.
                Thread.interrupted();
                done++;
                Job j = job;
                // A worker that wakes late may find its split over and the next one begun: the generation read
                // first, and the chunk taken in it, make it run only a chunk of a split still going on (whose body
                // and bounds it then read), and each chunk once.
                long gen = j.generation;
                int c = index + 1;
                Parallel.RangeBody body = j.body;
                int[] bounds = j.bounds;
                if (bounds == null || c + 1 >= bounds.length || !j.take(c, gen)) continue;
                try {
                    if (bounds[c] < bounds[c + 1]) body.run(bounds[c], bounds[c + 1]);
                } catch (Throwable e) {
                    j.failures[c] = e;
                }
                if (j.remaining.decrementAndGet() == 0) {
                    Thread w = j.waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
        }

        /**
         * Spins, then parks, until a job is posted (true) or the team has stopped and no caller holds it (false). A
         * caller that took the team before it stopped may still post: it re-checks {@code stopped} only after taking
         * it, so a worker leaves only when no caller holds the team.
         */
        private boolean awaitPost() {
            long deadline = System.nanoTime() + spinNanos;
            while (posted == done) {
                if (stopped) {
                    if (!busy.get() && posted == done) return false;
                    Thread.onSpinWait();   // a caller holds the team: its post or its release comes within one split
                    continue;
                }
                long now = System.nanoTime();
                if (now < deadline) {
                    backOff(deadline - now);
                } else {
                    parked = true;
                    Thread.interrupted();   // an interrupt flag left set would make park return at once, every time
                    if (posted == done && !stopped) LockSupport.park(this);
                    parked = false;
                }
            }
            return true;
        }
    }

    private final Worker[] workers;
    private final Job job;
    private final long spinNanos;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopped;

    /** A team of {@code workers} threads (the caller is one more). */
    WorkerTeam(int workers, long spinNanos) {
        this.spinNanos = spinNanos;
        this.job = new Job(workers);
        this.workers = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            this.workers[i] = new Worker(i);
            this.workers[i].start();
        }
    }

    /** The team's size, the caller included. */
    int size() {
        return workers.length + 1;
    }

    /** Whether the current thread is one of this team's workers (work nested in a chunk then runs inline). */
    boolean isMember(Thread t) {
        return t instanceof Worker w && w.team() == this;
    }

    /**
     * Runs chunk 0 of {@code bounds} on the calling thread and chunk c on worker c − 1 (or on the calling thread, where
     * that worker has not begun it when the caller's own chunk is done), and returns when all have run,
     * rethrowing the first chunk's failure (the others as suppressed). False, having run nothing, when another caller
     * holds the team or the split has more chunks than the team has threads.
     */
    boolean tryRun(int[] bounds, Parallel.RangeBody body, boolean[] inChunk) {
        int chunks = bounds.length - 1;
        if (chunks > size() || stopped || !busy.compareAndSet(false, true)) return false;
        if (stopped) {   // shut down between the check and taking the team: its workers may have left
            release();
            return false;
        }
        try {
            Job j = job;
            j.body = body;
            j.bounds = bounds;
            j.waiter = null;
            java.util.Arrays.fill(j.failures, null);
            j.remaining.set(chunks - 1);
            long gen = j.generation + 1;
            // The chunks this split has not are taken at once: a worker woken late for an earlier split with more
            // chunks, reading the generation before this one, must find none of them free.
            for (int c = chunks; c < size(); c++) j.taken.set(c, gen);
            j.generation = gen;
            for (int c = 1; c < chunks; c++) {
                Worker w = workers[c - 1];
                w.posted = w.posted + 1;
                if (w.parked) LockSupport.unpark(w);
            }
            inChunk[0] = true;
            try {
                if (bounds[0] < bounds[1]) body.run(bounds[0], bounds[1]);
            } catch (Throwable e) {
                j.failures[0] = e;
            }
            try {
                // The chunks no worker has taken yet are the caller's: waiting for a worker that has not started
                // (another program holds its processor) would cost a time slice of that program's.
                for (int c = 1; c < chunks; c++) {
                    if (!j.take(c, gen)) continue;
                    try {
                        if (bounds[c] < bounds[c + 1]) body.run(bounds[c], bounds[c + 1]);
                    } catch (Throwable e) {
                        j.failures[c] = e;
                    }
                    j.remaining.decrementAndGet();
                }
            } finally {
                inChunk[0] = false;
            }
            awaitWorkers(j);
            j.body = null;
            Parallel.rethrowFirst(j.failures);
            return true;
        } finally {
            release();
        }
    }

    private void release() {
        busy.set(false);
        if (stopped) {
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    /** Spins, then parks, until every worker has finished its chunk; an interrupt is kept for the caller to see. */
    private void awaitWorkers(Job j) {
        long deadline = System.nanoTime() + spinNanos;
        for (long now = System.nanoTime(); j.remaining.get() > 0 && now < deadline; now = System.nanoTime()) {
            backOff(deadline - now);
        }
        if (j.remaining.get() == 0) return;
        j.waiter = Thread.currentThread();
        boolean interrupted = false;
        while (j.remaining.get() > 0) {
            LockSupport.park(this);
            if (Thread.interrupted()) interrupted = true;
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** How long a wait spins before it yields the processor at each turn instead. */
    static final long SPIN_ONLY_NANOS = 20_000;

    /**
     * One turn of a wait with {@code left} of its spin time to go: a pause while the wait is young, then a yield. On a
     * machine whose cores are all busy (another program, a test run beside it) the thread waited for may be the one
     * that needs this processor, and a spin would hold it for its whole time slice: MAF training on two threads ran
     * 3-6 times slower than on one there. Where nothing else is runnable a yield returns at once.
     */
    private void backOff(long left) {
        if (spinNanos - left < SPIN_ONLY_NANOS) Thread.onSpinWait(); else Thread.yield();
    }

    /** Stops the workers once they finish what they run; the team takes no more work. */
    void shutdown() {
        stopped = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }
}
