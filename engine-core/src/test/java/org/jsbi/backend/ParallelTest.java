package org.jsbi.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel}'s splits, on its worker team and on the fork-join pool it falls back to: every index once, chunks
 * at the documented bounds, failures and interrupts passed to the caller, nested work inline, concurrent callers.
 */
class ParallelTest {

    private int threadsBefore;

    @BeforeEach
    void remember() {
        threadsBefore = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(threadsBefore);
    }

    /** Runs forRange and checks that every index in [0, n) was visited exactly once, in chunks at chunkBounds. */
    private static void coverOnce(int n, int grain, int align) {
        coverOnce(n, grain, align, true);
    }

    /** As above; the chunk bounds are checked only when the thread count cannot change meanwhile. */
    private static void coverOnce(int n, int grain, int align, boolean checkBounds) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Set<Long> chunks = ConcurrentHashMap.newKeySet();
        Parallel.forRange(n, grain, align, (from, to) -> {
            chunks.add(((long) from << 32) | to);
            for (int i = from; i < to; i++) seen.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "index " + i + " of " + n);
        if (!checkBounds) return;
        int[] b = Parallel.chunkBounds(n, grain, align);
        for (int c = 0; c + 1 < b.length; c++) {
            if (b[c] < b[c + 1]) assertTrue(chunks.contains(((long) b[c] << 32) | b[c + 1]), "chunk " + c);
        }
    }

    @Test
    void everyIndexOnceAtEveryThreadCount() throws InterruptedException {
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            for (int rep = 0; rep < 2_000; rep++) coverOnce(1 + rep % 97, 1, rep % 3 == 0 ? 8 : 1);
            // After a pause the team's threads have parked; the next split must wake them.
            Thread.sleep(20);
            coverOnce(1000, 1, 16);
            coverOnce(3, 1, 1);
        }
    }

    /**
     * The caller runs the chunks no worker has begun when its own is done, and a worker woken late for an earlier split
     * (of more chunks) must then find its chunk taken, never run one twice. A team of four threads on this machine's
     * two processors (so that workers are often descheduled and late), splits of 4, 3 and 2 chunks in turn, the
     * caller's chunk empty so that it races the workers for theirs.
     */
    @Test
    void chunksTheWorkersHaveNotBegunAreTheCallersAndEachRunsOnce() {
        WorkerTeam team = new WorkerTeam(3, 50_000);
        try {
            Thread caller = Thread.currentThread();
            boolean[] inChunk = new boolean[1];
            int byCaller = 0;
            for (int rep = 0; rep < 20_000; rep++) {
                int chunks = 4 - rep % 3;
                int[] bounds = new int[chunks + 1];
                for (int c = 0; c <= chunks; c++) bounds[c] = c;
                AtomicIntegerArray seen = new AtomicIntegerArray(chunks);
                java.util.concurrent.atomic.AtomicInteger callerRan = new java.util.concurrent.atomic.AtomicInteger();
                assertTrue(team.tryRun(bounds, (from, to) -> {
                    for (int i = from; i < to; i++) seen.incrementAndGet(i);
                    if (from > 0 && Thread.currentThread() == caller) callerRan.incrementAndGet();
                }, inChunk));
                for (int i = 0; i < chunks; i++) assertEquals(1, seen.get(i), "chunk " + i + " of split " + rep);
                byCaller += callerRan.get();
            }
            assertTrue(byCaller > 0, "the caller ran no worker's chunk in 20,000 splits of four threads on "
                    + Runtime.getRuntime().availableProcessors() + " processors");
        } finally {
            team.shutdown();
        }
    }

    @Test
    void aFailingChunkFailsTheCallAndTheTeamStaysUsable() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(300, 1, 1,
                (from, to) -> {
                    if (from > 0) throw new IllegalStateException("chunk at " + from);
                }));
        assertEquals("chunk at 150", e.getMessage());
        assertThrows(AssertionError.class, () -> Parallel.forRange(300, 1, 1, (from, to) -> {
            if (from == 0) throw new AssertionError("caller's chunk");
        }));
        // One instance thrown by every chunk: adding it to itself as suppressed threw an IllegalArgumentException.
        IllegalStateException shared = new IllegalStateException("every chunk's");
        assertSame(shared, assertThrows(IllegalStateException.class, () -> Parallel.forRange(300, 1, 1,
                (from, to) -> {
                    throw shared;
                })));
        coverOnce(300, 1, 1);
    }

    @Test
    void aChunkFailsTheSameWayWhenAnotherCallerHoldsTheTeam() throws InterruptedException {
        // Another user thread's split holds the team, so this one goes to the fork-join pool, whose join rethrew a
        // reflective copy of a worker's exception: a NullPointerException without its message, another
        // IllegalStateException whose message was the original's toString().
        Parallel.setThreads(2);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> Parallel.forRange(2, 1, 1, (from, to) -> {
            if (from > 0) return;
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holder.start();
        try {
            assertTrue(holding.await(10, java.util.concurrent.TimeUnit.SECONDS), "the holder's split did not start");
            NullPointerException npe = new NullPointerException("chunk 1's own message");
            assertSame(npe, assertThrows(NullPointerException.class, () -> Parallel.forRange(2, 1, 1, (from, to) -> {
                if (from > 0) throw npe;
            })));
            IllegalStateException first = new IllegalStateException("chunk 0");
            IllegalStateException second = new IllegalStateException("chunk 1");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(2, 1, 1,
                    (from, to) -> {
                        throw from == 0 ? first : second;
                    }));
            assertSame(first, e);
            assertSame(second, e.getSuppressed()[0]);
        } finally {
            release.countDown();
            holder.join(10_000);
        }
        coverOnce(300, 1, 1);
    }

    @Test
    void workStartedInsideAChunkRunsInlineOnThatThread() {
        Parallel.setThreads(2);
        List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(2, 1, 1, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(100, 1, 1, (f, t) -> {
                if (Thread.currentThread() != outer || f != 0 || t != 100) {
                    mismatches.add(outer.getName() + " -> " + Thread.currentThread().getName() + " [" + f + ", " + t
                            + ")");
                }
            });
        });
        assertTrue(mismatches.isEmpty(), mismatches.toString());
    }

    @Test
    void canSplitIsFalseOnOneThreadAndInsideEveryChunk() {
        Parallel.setThreads(1);
        assertFalse(Parallel.canSplit());
        Parallel.setThreads(2);
        assertTrue(Parallel.canSplit());
        Set<Boolean> inside = ConcurrentHashMap.newKeySet();
        Parallel.forRange(2, 1, 1, (from, to) -> inside.add(Parallel.canSplit()));
        assertEquals(Set.of(false), inside, "a chunk's nested work runs inline, on the caller's and the helper's");
        assertTrue(Parallel.canSplit(), "and the caller can split again afterwards");
    }

    @Test
    void concurrentCallersAllFinishCorrectly() throws InterruptedException {
        Parallel.setThreads(2);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] callers = new Thread[4];
        for (int c = 0; c < callers.length; c++) {
            callers[c] = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 500; rep++) coverOnce(64 + rep % 50, 1, 1);
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join(60_000);
        for (Thread t : callers) assertFalse(t.isAlive(), "a caller did not finish");
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void anInterruptedCallerWaitsForItsWorkersAndKeepsTheInterrupt() {
        Parallel.setThreads(2);
        AtomicIntegerArray done = new AtomicIntegerArray(2);
        Thread.currentThread().interrupt();
        try {
            Parallel.forRange(2, 1, 1, (from, to) -> {
                if (from == 1) {
                    long end = System.nanoTime() + 20_000_000L;   // outlasts the caller's spin: it parks
                    while (System.nanoTime() < end) Thread.onSpinWait();
                }
                for (int i = from; i < to; i++) done.incrementAndGet(i);
            });
            assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is kept");
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, done.get(0));
        assertEquals(1, done.get(1), "the worker's chunk had finished when forRange returned");
    }

    @Test
    void aChunkThatLeavesItsWorkerInterruptedDoesNotKeepItSpinning() throws InterruptedException {
        // A simulator that restores the interrupt flag after catching an InterruptedException leaves its worker
        // interrupted; park then returned at once and the idle worker held a processor for good.
        Parallel.setThreads(2);
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        Parallel.forRange(2, 1, 1, (from, to) -> {
            if (from == 1) {
                started.set(true);
                Thread.currentThread().interrupt();
            } else {
                // The caller's chunk waits for the worker to take chunk 1, so that the caller does not run it itself.
                while (!started.get()) Thread.onSpinWait();
            }
        });
        Thread.sleep(50);   // well past the 1 ms spin
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jsbi-team-")) ids.add(t.threadId());
        }
        long before = 0, after = 0;
        for (long id : ids) before += mx.getThreadCpuTime(id);
        Thread.sleep(300);
        for (long id : ids) after += mx.getThreadCpuTime(id);
        assertTrue(after - before < 100_000_000L, "idle team threads used " + (after - before) / 1e6
                + " ms of CPU in 300 ms");
        coverOnce(100, 1, 1);
    }

    @Test
    void anAbsurdThreadCountIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(40_000));
        assertTrue(e.getMessage().contains("from 1 to 32767"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        Parallel.checkSettings();   // this JVM's settings are usable
    }

    @Test
    void changingTheThreadCountStopsTheOldTeam() throws InterruptedException {
        Parallel.setThreads(3);
        coverOnce(100, 1, 1);
        Parallel.setThreads(1);
        long deadline = System.currentTimeMillis() + 10_000;
        while (teamThreads() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(0, teamThreads(), "team threads left running after setThreads(1)");
        Thread caller = Thread.currentThread();
        Parallel.forRange(100, 1, 1, (from, to) -> assertSame(caller, Thread.currentThread()));
    }

    @Test
    void splitsRacingThreadCountChangesNeitherHangNorLoseWork() throws InterruptedException {
        Parallel.setThreads(2);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread caller = new Thread(() -> {
            try {
                for (int rep = 0; rep < 3_000; rep++) coverOnce(64 + rep % 64, 1, 1, false);
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        caller.start();
        // Teams shut down while the caller may be between taking one and posting to it.
        for (int i = 0; caller.isAlive() && i < 20_000; i++) {
            Parallel.setThreads(1 + i % 2);
            Thread.onSpinWait();
        }
        caller.join(30_000);
        if (caller.isAlive()) {
            StringBuilder dump = new StringBuilder("a split hung across a thread-count change; threads:\n");
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (!t.getName().startsWith("jsbi") && t != caller) return;
                dump.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (StackTraceElement e : st) dump.append("    ").append(e).append('\n');
            });
            org.junit.jupiter.api.Assertions.fail(dump.toString());
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    private static long teamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jsbi-team-") && t.isAlive()).count();
    }
}
