package org.jsbi.bench;

import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.sim.hh.HodgkinHuxley.Implementation;
import org.jsbi.simulation.ParameterBatch;

/**
 * Hodgkin–Huxley simulations per second (120 ms at dt = 0.01 ms, noise on, 7 features), scalar and SIMD, 1 and 2
 * threads, batches of 1, 16, 1024 and 16384 prior draws. Each cell runs the batch repeatedly for at least
 * {@code seconds} (default 1) after one untimed warm-up run; the scalar cells at 16384 use a 1024-row batch
 * (its throughput does not depend on the batch beyond a few rows per thread) and say so. With {@code study}, it then
 * times one 100,000-simulation SIMD run on 2 threads. Beside wall-clock sims/s each cell gives sims per second of the
 * process's CPU time (all its threads), which a machine shared with other work disturbs less, and the load average is
 * printed before and after.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.HhThroughputReport [seconds] [study]
 * </pre>
 */
public final class HhThroughputReport {

    private HhThroughputReport() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        boolean runStudy = args.length > 1 && args[1].equals("study");
        int[] batches = {1, 16, 1024, 16384};
        float[][] rows = HodgkinHuxley.prior().sample(16384, new Rng(1));
        float[] theta = new float[16384 * 8];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, theta, i * 8, 8);
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("load average %.2f, %d processors%n", os.getSystemLoadAverage(), os.getAvailableProcessors());
        System.out.println("| implementation | threads | batch | sims/s | sims per CPU-second | seconds timed |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Implementation impl : Implementation.values()) {
            HodgkinHuxley sim = HodgkinHuxley.withDefaults().withImplementation(impl);
            warmUp(sim, theta);
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int b : batches) {
                    int n = impl == Implementation.SCALAR ? Math.min(b, 1024) : b;
                    ParameterBatch batch = new ParameterBatch(theta, n, 8, 0);
                    float[] out = new float[n * 7];
                    sim.simulate(batch, 1, out);                        // warm-up
                    long c0 = cpuNanos(os);
                    long t0 = System.nanoTime();
                    long sims = 0;
                    double el;
                    do {
                        sim.simulate(batch, 1 + sims, out);
                        sims += n;
                        el = (System.nanoTime() - t0) / 1e9;
                    } while (el < seconds);
                    double cpu = (cpuNanos(os) - c0) / 1e9;
                    System.out.printf("| %s | %d | %d%s | %.0f | %.0f | %.1f |%n", impl, threads, b,
                            n != b ? " (timed at " + n + ")" : "", sims / el, cpu > 0 ? sims / cpu : Double.NaN, el);
                }
            }
        }
        System.out.printf("load average %.2f%n", os.getSystemLoadAverage());
        if (!runStudy) return;
        Parallel.setThreads(2);
        HodgkinHuxley sim = HodgkinHuxley.withDefaults();
        int n = 100_000;
        float[][] study = HodgkinHuxley.prior().sample(n, new Rng(2));
        float[] th = new float[n * 8];
        for (int i = 0; i < n; i++) System.arraycopy(study[i], 0, th, i * 8, 8);
        float[] out = new float[n * 7];
        long t0 = System.nanoTime();
        sim.simulate(new ParameterBatch(th, n, 8, 0), 3, out);
        System.out.printf("100,000-simulation study (SIMD, 2 threads): %.1f s (load average %.2f)%n",
                (System.nanoTime() - t0) / 1e9, os.getSystemLoadAverage());
    }

    /**
     * Runs 256-row batches on 2 threads until two runs in a row agree within 10% (at least 3 runs, at most 60 s), so
     * that the JIT's compilations, which for the Vector API code take seconds, are not timed in the first cells.
     */
    private static void warmUp(HodgkinHuxley sim, float[] theta) {
        Parallel.setThreads(2);
        int n = 256;
        ParameterBatch batch = new ParameterBatch(theta, n, 8, 0);
        float[] out = new float[n * 7];
        long start = System.nanoTime();
        double first = 0, prev = 0;
        for (int run = 0; ; run++) {
            long t0 = System.nanoTime();
            sim.simulate(batch, 1, out);
            double t = (System.nanoTime() - t0) / 1e9;
            if (run == 0) first = t;
            double total = (System.nanoTime() - start) / 1e9;
            if ((run >= 2 && Math.abs(t - prev) <= 0.1 * prev) || total > 60) {
                System.out.printf("(%s warm-up: %d runs of %d rows on 2 threads, %.1f s; the first took %.1f s)%n",
                        sim.implementation(), run + 1, n, total, first);
                return;
            }
            prev = t;
        }
    }

    /** CPU time of this process, all threads (-1 where the platform does not tell). */
    private static long cpuNanos(java.lang.management.OperatingSystemMXBean os) {
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
