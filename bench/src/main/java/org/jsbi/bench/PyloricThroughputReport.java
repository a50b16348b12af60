package org.jsbi.bench;

import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.sim.stg.PyloricNetwork.Implementation;
import org.jsbi.simulation.ParameterBatch;

/**
 * Wall time per simulated 11-s pyloric network (dt = 0.025 ms, noise on, the 18 online features), scalar and SIMD, on
 * 1 and 2 threads or the thread counts given, on prior draws: per network (wall), per network per core (wall × threads) and per network per
 * CPU-second of the process, with the load average before and after (the machine is shared). Each cell runs its batch
 * repeatedly for at least {@code seconds} (default 20) after an untimed warm-up; the SIMD batch is 64 networks per
 * thread (two chunks of 32), the scalar one 2 per thread. Then the projection of the paper's
 * 18.5-million-simulation study on this machine from the SIMD figure at the most threads, and the reference C++ simulator's
 * ~2 s per 10 s simulated per core (the pyloric package's README) for comparison.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.PyloricThroughputReport \
 *     [seconds [threads,threads,...|all]]
 * </pre>
 * e.g. {@code 15 1,16} on a 16-core workstation ({@code all}: 1, 2, 4, … up to the processors).
 */
public final class PyloricThroughputReport {

    private PyloricThroughputReport() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20.0;
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int[] threadCounts;
        try {
            threadCounts = threadCounts(args.length > 1 ? args[1] : "1,2", os.getAvailableProcessors());
        } catch (IllegalArgumentException e) {
            System.err.println("PyloricThroughputReport: " + e.getMessage());
            System.exit(2);
            return;
        }
        int maxThreads = java.util.Arrays.stream(threadCounts).max().getAsInt();
        int maxRows = maxThreads * 64;
        float[][] rows = PyloricNetwork.prior().sample(maxRows, new Rng(1));
        float[] theta = new float[maxRows * 31];
        for (int i = 0; i < maxRows; i++) System.arraycopy(rows[i], 0, theta, i * 31, 31);
        System.out.printf("load average %.2f, %d processors, SIMD lanes %d%n", os.getSystemLoadAverage(),
                os.getAvailableProcessors(), org.jsbi.simd.SimdConfig.LANES);
        System.out.println("| implementation | threads | batch | ms per network | ms per network per core "
                + "| CPU ms per network | networks/s | seconds timed |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double bestMost = Double.NaN;
        for (Implementation impl : Implementation.values()) {
            PyloricNetwork sim = PyloricNetwork.withDefaults().withImplementation(impl);
            for (int threads : threadCounts) {
                Parallel.setThreads(threads);
                int n = impl == Implementation.SIMD ? 64 * threads : 2 * threads;
                ParameterBatch batch = new ParameterBatch(theta, n, 31, 0);
                float[] out = new float[n * 18];
                sim.simulate(batch, 1, out);                                   // warm-up (JIT)
                long c0 = cpuNanos(os);
                long t0 = System.nanoTime();
                long sims = 0;
                double el;
                do {
                    sim.simulate(batch, 2 + sims, out);
                    sims += n;
                    el = (System.nanoTime() - t0) / 1e9;
                } while (el < seconds);
                double cpu = (cpuNanos(os) - c0) / 1e9;
                double msPer = el * 1e3 / sims;
                System.out.printf("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", impl, threads, n, msPer,
                        msPer * threads, cpu > 0 ? cpu * 1e3 / sims : Double.NaN, sims / el, el);
                if (threads == maxThreads && impl == Implementation.SIMD) bestMost = msPer;
            }
        }
        System.out.printf("load average %.2f%n", os.getSystemLoadAverage());
        double study = 18.5e6 * bestMost / 1e3;
        System.out.printf("projected 18.5-million-network study on this machine (SIMD, %d threads): %.0f s = %.1f days;"
                + " reference C++ simulator at ~2.2 s per 11-s network per core: %.0f core-days%n", maxThreads, study,
                study / 86400, 18.5e6 * 2.2 / 86400);
    }

    /** "1,2,8" or "all" (1, 2, 4, … and the processor count) as thread counts; a clear error for anything else. */
    static int[] threadCounts(String spec, int processors) {
        if (spec.equals("all")) {
            java.util.TreeSet<Integer> t = new java.util.TreeSet<>();
            for (int k = 1; k < processors; k *= 2) t.add(k);
            t.add(processors);
            return t.stream().mapToInt(Integer::intValue).toArray();
        }
        String[] parts = spec.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("thread counts must be a comma-separated list of positive integers "
                        + "or 'all', got '" + spec + "'");
            }
            if (out[i] < 1) {
                throw new IllegalArgumentException("thread counts must be positive, got " + out[i] + " in '" + spec
                        + "'");
            }
        }
        return out;
    }

    /** CPU time of this process, all threads (-1 where the platform does not tell). */
    private static long cpuNanos(java.lang.management.OperatingSystemMXBean os) {
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
