package org.jsbi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.channel.ChannelOmnimodel;
import org.jsbi.sim.channel.ChannelOmnimodel.Implementation;
import org.jsbi.sim.channel.ChannelProtocols;
import org.jsbi.sim.channel.PcaBasis;
import org.jsbi.simd.SimdConfig;
import org.jsbi.simulation.ParameterBatch;

/**
 * Ion-channel Omnimodel simulations per second (all five protocols, 1,895,774 samples per simulation at dt ≈ 0.025 ms,
 * noise on, 55 features), scalar and SIMD, 1 and 2 threads, on a batch of 16 prior draws. Each cell runs the batch
 * untimed for at least {@code seconds} (warm-up: the first SIMD call takes ~10× longer while C2 compiles), then
 * repeatedly for at least {@code seconds} (default 1) timed. Then it times one
 * {@code study}-simulation SIMD run on 2 threads (default 1,000) and projects the paper's 10⁶-simulation study from it
 * (the paper reports about 1000 CPU-hours). The machine's load average is printed before and after, because on a
 * shared machine it decides the numbers. The PCA basis is computed first from 12 prior simulations: its size does
 * not change the cost of a simulation.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.ChannelThroughputReport [seconds] [study]
 * </pre>
 */
public final class ChannelThroughputReport {

    private ChannelThroughputReport() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int study = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.printf("cores %d, SIMD %d-bit (%d float lanes), load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), SimdConfig.bits(), SimdConfig.LANES, load());
        long t0 = System.nanoTime();
        ChannelProtocols prot = ChannelProtocols.load();
        PcaBasis basis = PcaBasis.compute(prot, 12, 1);
        System.out.printf("protocols %d samples per simulation; basis from 12 prior simulations in %.1f s%n",
                prot.totalLength(), (System.nanoTime() - t0) / 1e9);
        ChannelOmnimodel model = ChannelOmnimodel.withBasis(prot, basis);
        int batchSize = 16;
        float[] theta = draws(batchSize, 1);
        System.out.println("| implementation | threads | batch | sims/s | seconds timed |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Implementation impl : Implementation.values()) {
            ChannelOmnimodel sim = model.withImplementation(impl);
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                ParameterBatch batch = new ParameterBatch(theta, batchSize, 8, 0);
                float[] out = new float[batchSize * ChannelOmnimodel.FEATURES];
                long w0 = System.nanoTime();                        // warm-up (C2 compiles the vector code)
                do {
                    sim.simulate(batch, 1, out);
                } while ((System.nanoTime() - w0) / 1e9 < seconds);
                long s0 = System.nanoTime();
                long sims = 0;
                double el;
                do {
                    sim.simulate(batch, 2 + sims, out);
                    sims += batchSize;
                    el = (System.nanoTime() - s0) / 1e9;
                } while (el < seconds);
                System.out.printf("| %s | %d | %d | %.2f | %.1f |%n", impl, threads, batchSize, sims / el, el);
            }
        }
        Parallel.setThreads(2);
        float[] th = draws(study, 2);
        float[] out = new float[study * ChannelOmnimodel.FEATURES];
        long s0 = System.nanoTime();
        model.simulate(new ParameterBatch(th, study, 8, 0), 3, out);
        double el = (System.nanoTime() - s0) / 1e9;
        double projected = el * 1e6 / study;
        System.out.printf("%,d-simulation study (SIMD, 2 threads): %.1f s (%.3f s per simulation, %d diverged); "
                + "10^6 simulations projected: %.0f s = %.1f h wall on 2 threads = %.1f core-hours "
                + "(paper: about 1000 CPU-hours)%n", study, el, el / study, model.divergedCount(), projected,
                projected / 3600, 2 * projected / 3600);
        System.out.printf("load average at end: %s%n", load());
    }

    private static float[] draws(int n, long seed) {
        float[][] rows = ChannelOmnimodel.prior().sample(n, new Rng(seed));
        float[] v = new float[n * 8];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, v, i * 8, 8);
        return v;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
