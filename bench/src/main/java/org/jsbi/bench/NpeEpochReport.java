package org.jsbi.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;

/**
 * Milliseconds per NPE training epoch (10,000 pairs, sbi's defaults: batch 200, 10% validation, so 45 steps and one
 * validation pass per epoch), for every estimator × task × backend × thread count given, all in one JVM so the
 * figures are comparable on a shared machine. Each configuration trains one run of {@code epochs} epochs (early
 * stopping off) after a warm-up run; the first two epochs are dropped and the median, minimum and maximum of the rest
 * printed. Cheaper than {@link NpeEpochBench} (JMH re-builds the estimator for every one-epoch call) and closer to
 * what a user sees; the JMH bench stays the reference for published figures.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.jsbi.bench.NpeEpochReport \
 *     [estimators=maf,mdn] [tasks=two_moons,gaussian_linear] [backends=simd] [threads=1,2] [epochs=12] [rounds=1]
 *     [warmupEpochs=20]
 * </pre>
 * With rounds &gt; 1 the whole grid repeats and every round's median is printed, so drift on a shared machine shows.
 */
public final class NpeEpochReport {

    private NpeEpochReport() {
    }

    public static void main(String[] args) {
        String[] estimators = arg(args, 0, "maf,mdn").split(",");
        String[] tasks = arg(args, 1, "two_moons,gaussian_linear").split(",");
        String[] backends = arg(args, 2, "simd").split(",");
        String[] threads = arg(args, 3, "1,2").split(",");
        int epochs = Integer.parseInt(arg(args, 4, "12"));
        int rounds = Integer.parseInt(arg(args, 5, "1"));
        int warmup = Integer.parseInt(arg(args, 6, "20"));
        System.out.println("| estimator | task | backend | threads | median ms/epoch | min | max | median CPU ms | min CPU ms |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (int r = 0; r < rounds; r++) {
            for (String e : estimators) {
                for (String task : tasks) {
                    TrainingData data = BenchTasks.pairs(task.trim(), 10_000, 1);
                    for (String b : backends) {
                        for (String t : threads) {
                            Parallel.setThreads(Integer.parseInt(t.trim()));
                            Backend be = BenchBackends.create(b.trim());
                            EstimatorFactory f = factory(e.trim());
                            // Warm-up: C2 needs a few thousand calls of each kernel; with 3 epochs (135 steps) a
                            // JFR profile of the epochs that followed still showed interpreted vector code.
                            epochTimes(be, f, data, warmup);
                            double[][] ms = epochTimes(be, f, data, epochs);
                            double[] kept = dropWarmup(ms[0]), cpu = dropWarmup(ms[1]);
                            System.out.printf("| %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", e, task, b, t,
                                    kept[kept.length / 2], kept[0], kept[kept.length - 1], cpu[cpu.length / 2], cpu[0]);
                        }
                    }
                }
            }
        }
    }

    static EstimatorFactory factory(String estimator) {
        return switch (estimator) {
            case "maf" -> (b, td, xd, ts, xs, rng) -> new Maf(b, td, xd, ts, xs, MafConfig.defaults(), rng);
            case "mdn" -> (b, td, xd, ts, xs, rng) -> new Mdn(b, td, xd, ts, xs, MdnConfig.defaults(), rng);
            default -> throw new IllegalArgumentException("estimator must be maf or mdn, got " + estimator);
        };
    }

    private static double[] dropWarmup(double[] v) {
        double[] kept = Arrays.copyOfRange(v, Math.min(2, v.length - 1), v.length);
        Arrays.sort(kept);
        return kept;
    }

    /**
     * Wall milliseconds per epoch and the training thread's CPU milliseconds per epoch. On a shared machine the CPU
     * time of the training thread is the steadier figure for one thread (it leaves out time spent descheduled); with
     * two threads it leaves out the helper's work, so read wall time there.
     */
    private static double[][] epochTimes(Backend be, EstimatorFactory f, TrainingData data, int epochs) {
        List<Double> ms = new ArrayList<>(), cpu = new ArrayList<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] last = {mx.getCurrentThreadCpuTime()};
        Trainer.train(be, f, data, TrainingConfig.defaults().withMaxEpochs(epochs).withStopAfterEpochs(epochs + 1)
                .withSeed(1), (ep, tl, vl, best, since, sec) -> {
                    long now = mx.getCurrentThreadCpuTime();
                    ms.add(sec * 1e3);
                    cpu.add((now - last[0]) / 1e6);
                    last[0] = now;
                });
        return new double[][] {ms.stream().mapToDouble(Double::doubleValue).toArray(),
                cpu.stream().mapToDouble(Double::doubleValue).toArray()};
    }

    private static String arg(String[] args, int i, String dflt) {
        return args.length > i ? args[i] : dflt;
    }
}
