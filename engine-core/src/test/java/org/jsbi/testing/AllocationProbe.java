package org.jsbi.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes a piece of work allocates on the calling thread once the JIT has compiled it: boxed Vector API vectors show
 * up here as kilobytes per call, while correct results hide them. Used by the allocation tests of the SIMD kernels
 * and simulators.
 */
public final class AllocationProbe {

    /** The outcome: the last round's bytes per unit of work, the rounds run and the seconds they took. */
    public record Result(long bytesPerUnit, int rounds, double seconds) {
    }

    private AllocationProbe() {
    }

    /**
     * Runs rounds of {@code warmCalls} untimed and {@code measuredCalls} measured calls until a round allocates at most
     * {@code budget} bytes per unit ({@code unitsPerCall} units per call), or {@code patienceS} seconds have passed
     * (the JIT compiles on other threads, which a loaded machine delays).
     */
    public static Result settle(Runnable call, int unitsPerCall, int warmCalls, int measuredCalls, long budget,
                                double patienceS) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long start = System.nanoTime();
        long perUnit;
        int rounds = 0;
        do {
            for (int i = 0; i < warmCalls; i++) call.run();
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < measuredCalls; i++) call.run();
            perUnit = (bean.getThreadAllocatedBytes(tid) - before) / ((long) measuredCalls * unitsPerCall);
            rounds++;
        } while (perUnit > budget && (System.nanoTime() - start) / 1e9 < patienceS);
        return new Result(perUnit, rounds, (System.nanoTime() - start) / 1e9);
    }
}
