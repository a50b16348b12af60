package org.jsbi.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.jsbi.train.TrainingListener;

/**
 * Trainings one after another in one JVM, as a pipeline runs them (the validation harness, calibration, sequential
 * rounds, a user's loop): after warm-up trainings, each timed training of 30 or 60 epochs prints its time per epoch,
 * the bytes the calling thread allocated per epoch and the process's minor page faults per epoch (Linux,
 * /proc/self/stat). A training that allocates steadily into a heap that earlier work has grown touches fresh pages,
 * and on a paravirtualised machine a fault costs about 14 µs (docs/ARCHITECTURE.md, sessions 35 and 36): this report
 * shows whether that happens.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp bench/target/benchmarks.jar \
 *     org.jsbi.bench.RepeatedTrainingReport [gaussian_linear|two_moons] [maf|mdn] [threads=1] [rounds=4]
 * </pre>
 */
public final class RepeatedTrainingReport {

    private RepeatedTrainingReport() {
    }

    public static void main(String[] args) throws IOException {
        String task = args.length > 0 ? args[0] : "gaussian_linear";
        String estimator = args.length > 1 ? args[1] : "maf";
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        if (!estimator.equals("maf") && !estimator.equals("mdn")) {
            throw new IllegalArgumentException("RepeatedTrainingReport: estimator must be maf or mdn, got " + estimator);
        }
        EstimatorFactory factory = estimator.equals("maf") ? EstimatorFactory.maf() : EstimatorFactory.mdn();
        Parallel.setThreads(threads);
        Backend be = BenchBackends.create("simd");
        TrainingData data = BenchTasks.pairs(task, 10_000, 1);
        long w0 = System.nanoTime();
        while ((System.nanoTime() - w0) / 1e9 < 8) train(be, factory, data, 10, 2);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        System.out.printf(Locale.ROOT, "%s on 10,000 %s pairs, %d thread(s), after 8 s of warm-up trainings%n%n",
                estimator.toUpperCase(Locale.ROOT), task, threads);
        System.out.println("| epochs | ms/epoch | KB allocated/epoch (this thread) | minor faults/epoch |");
        System.out.println("|---:|---:|---:|---:|");
        for (int r = 0; r < rounds; r++) {
            int epochs = r % 2 == 0 ? 30 : 60;
            long a0 = mx.getThreadAllocatedBytes(tid), f0 = minorFaults();
            long t0 = System.nanoTime();
            TrainedEstimator te = train(be, factory, data, epochs, 1);
            double s = (System.nanoTime() - t0) / 1e9;
            long a1 = mx.getThreadAllocatedBytes(tid), f1 = minorFaults();
            int e = te.history().epochs();
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.1f | %s |%n", e, 1000 * s / e, (a1 - a0) / 1e3 / e,
                    f0 < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", (f1 - f0) / (double) e));
        }
    }

    /** The process's minor page faults so far (field 10 of /proc/self/stat), or -1 where there is no such file. */
    private static long minorFaults() throws IOException {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) return -1;
        String s = Files.readString(stat);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]);
    }

    private static TrainedEstimator train(Backend be, EstimatorFactory factory, TrainingData data, int epochs,
                                          long seed) {
        return Trainer.train(be, factory, data, TrainingConfig.defaults().withMaxEpochs(epochs).withSeed(seed),
                TrainingListener.NONE);
    }
}
